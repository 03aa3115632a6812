"""Writing results: JSON (the documented format), CSV (one row per pair), candidates.

Files are written to a temporary file in the target directory and moved into place, so
a failed run never leaves a partial file behind.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from dataclasses import asdict, fields
from typing import Any

from twoway.matching.candidates import CandidateGraph
from twoway.matching.model import MatchResult, Pair
from twoway.matching.scoring import SCORE_SCALE, Profiles

STATS_KEYS = (
    "participants",
    "pairs",
    "total_score",
    "reciprocal_pairs",
    "cross_department_pairs",
    "upper_bound",
    "optimal",
    "seconds",
)


def result_to_dict(result: MatchResult, *, timings: bool = True) -> dict[str, Any]:
    stats = asdict(result.stats)
    ordered = {key: stats.pop(key) for key in STATS_KEYS}
    if timings:
        ordered["seconds"] = {phase: round(value, 4) for phase, value in ordered["seconds"].items()}
    else:
        ordered["seconds"] = dict.fromkeys(ordered["seconds"])
    ordered.update(stats)
    ordered["blocking_pairs"] = [list(pair) for pair in result.stats.blocking_pairs]
    if result.stats.mode != "stable":
        ordered.pop("stable")
        ordered.pop("blocking_pairs")
    return {
        "pairs": [_pair_dict(pair) for pair in result.pairs],
        "unmatched": [asdict(item) for item in result.unmatched],
        "stats": ordered,
    }


def _pair_dict(pair: Pair) -> dict[str, Any]:
    return _plain(pair)


def _plain(value: Any) -> Any:
    """Like dataclasses.asdict for our frozen records of strings and numbers, without
    its deep copies (which made it the slowest part of writing 5,000 pairs)."""
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    names = _FIELD_NAMES.get(type(value))
    if names is None:
        if not hasattr(value, "__dataclass_fields__"):
            return value
        names = _FIELD_NAMES.setdefault(type(value), tuple(f.name for f in fields(value)))
    return {name: _plain(getattr(value, name)) for name in names}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def to_plain(value: Any) -> Any:
    """An engine record (a Pair, Stats ...) as plain JSON values: dicts, lists, numbers."""
    return _plain(value)


def result_to_json(result: MatchResult, *, timings: bool = True) -> str:
    return json.dumps(result_to_dict(result, timings=timings), indent=2, ensure_ascii=False) + "\n"


# A spreadsheet runs a cell that starts with one of these as a formula (an id such as
# "=HYPERLINK(...)" would become a link, or worse). OWASP's advice: prefix a quote.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: object) -> object:
    """A CSV cell that no spreadsheet reads as a formula. Numbers are left as they are."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def _safe_row(cells: list[object]) -> list[object]:
    return [spreadsheet_safe(cell) for cell in cells]


def _csv_writer(buffer: io.StringIO):
    # CRLF line ends (RFC 4180) also make the writer quote a cell holding a lone
    # carriage return, which a spreadsheet would otherwise read as a new row.
    return csv.writer(buffer, lineterminator="\r\n")


def result_to_csv(result: MatchResult) -> str:
    """One row per pair. The unmatched and the stats are only in the JSON output."""
    buffer = io.StringIO()
    writer = _csv_writer(buffer)
    writer.writerow(["a", "b", "score", "a_teaches_b", "b_teaches_a", "bridges", "common_ground"])
    for pair in result.pairs:
        writer.writerow(
            _safe_row(
                [
                    pair.a,
                    pair.b,
                    pair.score,
                    ";".join(f"{t.skill}:{t.proficiency}:{t.priority}" for t in pair.a_teaches_b),
                    ";".join(f"{t.skill}:{t.proficiency}:{t.priority}" for t in pair.b_teaches_a),
                    ";".join(f"{b.kind}:{b.a}/{b.b}" for b in pair.bridges),
                    ";".join(f"{c.kind}:{c.value}" for c in pair.common_ground),
                ]
            )
        )
    return buffer.getvalue()


def candidates_to_csv(profiles: Profiles, graph: CandidateGraph) -> str:
    """Every edge the solver saw, `a,b,score`, with exactly the scores it optimised."""
    buffer = io.StringIO()
    writer = _csv_writer(buffer)
    writer.writerow(["a", "b", "score"])
    ids = [p.id for p in profiles.participants]
    for u, v, w in zip(graph.u.tolist(), graph.v.tolist(), graph.weight.tolist(), strict=True):
        writer.writerow(_safe_row([ids[u], ids[v], w / SCORE_SCALE]))
    return buffer.getvalue()


def write_atomically(path: str, text: str) -> None:
    write_files_atomically([(path, text)])


def write_files_atomically(files: list[tuple[str, str]]) -> None:
    """Write every file to a temporary file beside it, then move them all into place, so
    that a failure leaves no partial file (and, short of a failing rename, none of them)."""
    temporaries: list[str] = []
    try:
        for path, text in files:
            directory = os.path.dirname(os.path.abspath(path))
            handle, temporary = tempfile.mkstemp(prefix=".twoway-", suffix=".tmp", dir=directory)
            temporaries.append(temporary)
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
        for (path, _), temporary in zip(files, temporaries, strict=True):
            os.replace(temporary, path)
    finally:
        for temporary in temporaries:
            if os.path.exists(temporary):
                os.unlink(temporary)

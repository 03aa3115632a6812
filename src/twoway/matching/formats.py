"""Reading participant files (JSON or CSV) into `MatchInput`, with full validation.

Every problem is collected and reported together, each naming the participant (and the
CSV row) and the field. See docs/matching.md and participants.schema.json.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from twoway.matching.errors import InputError, quoted, shown
from twoway.matching.model import (
    Gap,
    MatchInput,
    Offer,
    Participant,
    Rules,
    Weights,
)
from twoway.matching.rules import RULE_SPECS, SCALAR_RULES, RuleSpec
from twoway.matching.vocabulary import Vocabulary

LIST_SEPARATOR = ";"
CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "department",
    "level",
    "tenure_years",
    "birth_year",
    "location",
    "timezone",
    "languages",
    "manager_id",
    "interests",
    "offers",
    "gaps",
    "avoid",
    "capacity",
    "preferences",
)


# The top-level keys of a participants file (its JSON Schema allows no others): a key
# such as "mode" would otherwise be ignored without a word.
DOCUMENT_KEYS = ("participants", "rules")

# Our deepest documents nest 6 levels (participants, a participant, offers, an offer ...).
# Anything far deeper is a mistake, and refusing it early keeps recursion out of reach.
MAX_DEPTH = 16
# Any number we read is small (a level, a year, a weight); longer integers are refused by
# the range checks, without Python converting thousands of digits first.
MAX_INTEGER_DIGITS = 30

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@cache
def is_known_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    # OSError: a name like "Europe" is a directory of the time zone database, not a zone.
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


@dataclass
class _Problems:
    """Collects messages; `where` describes the participant currently being read."""

    messages: list[str] = field(default_factory=list)

    def add(self, where: str, field_name: str, message: str) -> None:
        self.messages.append(f"{where}: field {quoted(field_name)}: {message}")

    def add_whole(self, where: str, message: str) -> None:
        """A problem of a whole participant or row rather than of one field."""
        self.messages.append(f"{where}: {message}")


class _LongNumber:
    """An integer of too many digits to be any value we accept; it fails every check."""

    def __init__(self, digits: str) -> None:
        self.digits = len(digits.lstrip("-"))

    def __repr__(self) -> str:
        return f"<a {self.digits}-digit number>"


def _parse_int(digits: str) -> int | _LongNumber:
    return int(digits) if len(digits) <= MAX_INTEGER_DIGITS else _LongNumber(digits)


# --- entry points -------------------------------------------------------------------


def read_input(path: str, input_format: str = "auto") -> MatchInput:
    """Read a participant file. Raises InputError listing every problem found, each
    message starting with the file's name."""
    if input_format == "auto":
        input_format = "csv" if path.lower().endswith(".csv") else "json"
    with _naming_the_file(path):
        text = _read_text(path)
        if input_format == "csv":
            return parse_csv(text)
        return parse_json(text)


def read_rules_file(path: str, base: Rules | None = None) -> Rules:
    """Rules from a JSON file holding a rules object (or a document with a "rules" key),
    on top of `base`. Every problem names the file."""
    with _naming_the_file(path):
        raw = decode_json(_read_text(path))
        if isinstance(raw, Mapping) and "rules" in raw:
            raw = raw["rules"]
        return parse_rules(raw, base=base)


def read_vocabulary_file(path: str) -> Vocabulary:
    """A skill vocabulary in the skills.json format. Every problem names the file."""
    with _naming_the_file(path):
        return Vocabulary.from_mapping(decode_json(_read_text(path)))


@contextmanager
def _naming_the_file(path: str) -> Iterator[None]:
    """Prefixes every problem of an InputError raised inside with the file's name."""
    try:
        yield
    except InputError as error:
        prefix = f"{path}: "
        named = [p if p.startswith(prefix) else prefix + p for p in error.problems]
        raise InputError(named) from error


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return handle.read()
    except OSError as error:
        raise InputError([f"{path}: cannot read the file: {error.strerror}"]) from error
    except UnicodeDecodeError as error:
        raise InputError(
            [f"{path}: not UTF-8 text ({error.reason} at byte {error.start})"]
        ) from error


def decode_json(text: str) -> Any:
    """JSON text as Python values, refusing what would crash or mislead later on: syntax
    errors, nesting deeper than MAX_DEPTH, and lone surrogates (escapes such as "\\ud800"
    that are not characters, and that no output could encode)."""
    try:
        document = json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as error:
        raise InputError(
            [f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"]
        ) from error
    except RecursionError as error:
        raise InputError([f"invalid JSON: nested more than {MAX_DEPTH} levels deep"]) from error
    problems = _Problems()
    _check_structure(document, problems)
    if problems.messages:
        raise InputError(problems.messages)
    return document


def _check_structure(document: Any, problems: _Problems) -> None:
    """Walks the document without recursion. A problem names the value's container (a
    path such as participants[2]) and its key there, as field problems do."""
    stack: list[tuple[str, str, Any, int]] = [("the document", "-", document, 0)]
    while stack:
        where, key, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            problems.add(where, key, f"nested more than {MAX_DEPTH} levels deep")
            return  # one message is enough: the rest of that branch is as deep
        if isinstance(value, str):
            _check_text(where, key, value, problems)
            continue
        path = _child_path(where, key)
        if isinstance(value, dict):
            for name in value:
                _check_text(path, name, name, problems)
            children = [(str(name), item) for name, item in value.items()]
        elif isinstance(value, list):
            children = [(f"[{i}]", item) for i, item in enumerate(value)]
        else:
            continue
        stack.extend((path, name, item, depth + 1) for name, item in reversed(children))


def _child_path(where: str, key: str) -> str:
    if key == "-":
        return where
    key = _LONE_SURROGATE.sub("?", key)
    if where == "the document":
        return key
    return f"{where}{key}" if key.startswith("[") else f"{where}.{key}"


def _check_text(where: str, name: str, text: str, problems: _Problems) -> None:
    found = _LONE_SURROGATE.search(text)
    if not found:
        return
    message = f"holds {found.group()!r}, half of a character (a lone surrogate), not text"
    if name == "-":
        problems.add_whole(where, message)
    else:
        problems.add(where, _LONE_SURROGATE.sub("?", name), message)


def parse_json(text: str) -> MatchInput:
    document = decode_json(text)
    if isinstance(document, list):
        document = {"participants": document}
    if not isinstance(document, dict) or not isinstance(document.get("participants"), list):
        raise InputError(["the JSON document must be an object with a 'participants' list"])
    problems = _Problems()
    for key in sorted(set(document) - set(DOCUMENT_KEYS)):
        problems.add(
            "the document",
            key,
            "unknown key (a participants file holds 'participants' and 'rules';"
            " the mode and k are command-line options)",
        )
    records = []
    for position, raw in enumerate(document["participants"]):
        if not isinstance(raw, dict):
            problems.add_whole(f"participants[{position}]", "must be an object")
            continue
        where = _where(raw.get("id"), f"participants[{position}]")
        records.append((where, raw))
    raw_rules = document.get("rules")
    rules = parse_rules({} if raw_rules is None else raw_rules, problems)
    return _build(records, rules, problems)


def parse_csv(text: str) -> MatchInput:
    reader = csv.DictReader(io.StringIO(text), strict=True)
    try:
        header = reader.fieldnames or []
        # The line each row ends on: the row number a user finds in an editor, also when
        # blank lines (which are skipped) or quoted line breaks come before it.
        rows = [(row, reader.line_num) for row in reader]
    except csv.Error as error:
        raise InputError([f"invalid CSV at line {reader.line_num}: {error}"]) from error
    problems = _Problems()
    if "id" not in header:
        raise InputError(["invalid CSV: the header must contain an 'id' column"])
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if unknown:
        problems.add("CSV header", ", ".join(unknown), "unknown column")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        problems.add("CSV header", ", ".join(repeated), "column named more than once")
    records = []
    for row, row_number in rows:
        where = _where(row.get("id"), f"row {row_number}", row_number)
        _check_row_length(row, len(header), where, problems)
        records.append((where, _csv_row_to_raw(row, where, problems)))
    return _build(records, Rules(), problems)


def _check_row_length(row: Mapping[Any, Any], columns: int, where: str, problems) -> None:
    # DictReader files extra cells under the key None, and fills missing ones with None.
    if None in row:
        cells = columns + len(row[None])
        problems.add_whole(where, f"has {cells} cells, the header has {columns}")
    elif None in row.values():
        cells = sum(value is not None for value in row.values())
        problems.add_whole(
            where, f"has {cells} cells, the header has {columns} (write empty cells as ,,)"
        )


# --- rules ----------------------------------------------------------------------------


def parse_rules(raw: Any, problems: _Problems | None = None, base: Rules | None = None) -> Rules:
    """Rules from a JSON-like mapping, on top of `base` (defaults when None)."""
    own = problems is None
    problems = problems or _Problems()
    rules = base or Rules()
    if not isinstance(raw, Mapping):
        problems.add_whole("rules", "must be an object")
        raw = {}
    known = {*SCALAR_RULES, "exclude_pairs", "weights"}
    for name in sorted(set(raw) - known):
        problems.add("rules", name, "unknown rule")
    changes: dict[str, Any] = {
        spec.name: _rule_value(spec, raw[spec.name], problems)
        for spec in RULE_SPECS
        if spec.name in raw
    }
    if "exclude_pairs" in raw:
        changes["exclude_pairs"] = _exclude_pairs(raw["exclude_pairs"], problems)
    if "weights" in raw:
        changes["weights"] = _weights(raw["weights"], rules.weights, problems)
    changes = {name: value for name, value in changes.items() if value is not _INVALID}
    rules = replace(rules, **changes)
    if rules.max_level_gap is not None and rules.max_level_gap < rules.min_level_gap:
        problems.add(
            "rules",
            "max_level_gap",
            f"must be at least min_level_gap ({rules.min_level_gap}), got {rules.max_level_gap}",
        )
    if own and problems.messages:
        raise InputError(problems.messages)
    return rules


_INVALID = object()


def _rule_value(spec: RuleSpec, value: Any, problems: _Problems) -> Any:
    """One rule's value checked against its definition, or _INVALID (a problem is added)."""
    if value is None and spec.optional:
        return None
    if spec.kind == "choice":
        checked = _choice(value, spec.choice_values, "rules", spec.name, problems)
    elif spec.kind == "boolean":
        checked = value if isinstance(value, bool) else None
        if checked is None:
            problems.add("rules", spec.name, "must be true or false")
    elif spec.kind == "integer":
        low, high = int(spec.minimum or 0), int(spec.maximum or 0)
        checked = _integer(value, low, high, "rules", spec.name, problems)
    else:
        checked = _number(value, spec.minimum, spec.maximum, "rules", spec.name, problems)
    return _INVALID if checked is None else checked


def _exclude_pairs(raw: Any, problems: _Problems) -> tuple[tuple[str, str], ...] | None:
    if not isinstance(raw, list):
        problems.add("rules", "exclude_pairs", "must be a list of [id, id] pairs")
        return None
    pairs = []
    for position, item in enumerate(raw):
        if isinstance(item, Mapping):
            item = [item.get("a"), item.get("b")]
        if (
            not isinstance(item, list | tuple)
            or len(item) != 2
            or not all(isinstance(x, str) and x for x in item)
        ):
            problems.add("rules", f"exclude_pairs[{position}]", "must be a pair of two ids")
            continue
        pairs.append((item[0], item[1]))
    return tuple(pairs)


def _weights(raw: Any, base: Weights, problems: _Problems) -> Weights | None:
    if not isinstance(raw, Mapping):
        problems.add("rules", "weights", "must be an object")
        return None
    limits = {
        "difference": (0, 10),
        "common_ground": (0, 10),
        "one_way": (0, 1),
        "related_skill_credit": (0, 1),
    }
    changes = {}
    for name, value in raw.items():
        if name not in limits:
            problems.add("rules", f"weights.{name}", "unknown weight")
            continue
        number = _number(value, *limits[name], "rules", f"weights.{name}", problems)
        if number is not None:
            changes[name] = number
    return replace(base, **changes)


# --- participants ---------------------------------------------------------------------


def _where(raw_id: Any, position: str, row: int | None = None) -> str:
    if isinstance(raw_id, str) and raw_id.strip():
        label = f"participant {quoted(raw_id.strip())}"
        return f"{label} (row {row})" if row is not None else label
    return position


def _build(
    records: list[tuple[str, Mapping[str, Any]]], rules: Rules, problems: _Problems
) -> MatchInput:
    participants: list[Participant] = []
    wheres: list[str] = []
    seen: dict[str, str] = {}
    # Every parsed row, duplicates included, so each problem of each row is reported.
    parsed: list[tuple[Participant, str]] = []
    for where, raw in records:
        participant = _participant(raw, where, problems)
        if participant is None:
            continue
        parsed.append((participant, where))
        if participant.id in seen:
            problems.add(where, "id", f"duplicate id (also used by {seen[participant.id]})")
            continue
        seen[participant.id] = where
        participants.append(participant)
        wheres.append(where)
    all_ids = {str(raw.get("id")).strip() for _, raw in records if isinstance(raw.get("id"), str)}
    _check_references([p for p, _ in parsed], [w for _, w in parsed], all_ids, problems)
    if not problems.messages:
        _check_manager_cycles(participants, wheres, problems)
    if problems.messages:
        raise InputError(problems.messages)
    return MatchInput(participants=tuple(participants), rules=rules)


def _participant(raw: Mapping[str, Any], where: str, problems: _Problems) -> Participant | None:
    before = len(problems.messages)
    known = {name for name in CSV_COLUMNS}
    for name in sorted(set(raw) - known):
        problems.add(where, name, "unknown field")
    raw_id = raw.get("id")
    if not isinstance(raw_id, str) or not raw_id.strip():
        problems.add(where, "id", "is required and must be a non-empty string")
        return None
    level = _integer(raw.get("level", 1), 1, 10, where, "level", problems)
    tenure = _number(raw.get("tenure_years", 0), 0, 80, where, "tenure_years", problems)
    birth_year = raw.get("birth_year")
    if birth_year is not None:
        birth_year = _integer(birth_year, 1900, 2100, where, "birth_year", problems)
    timezone = _text(raw.get("timezone", "UTC"), where, "timezone", problems) or "UTC"
    if not is_known_timezone(timezone):
        problems.add(where, "timezone", f"unknown IANA timezone {shown(timezone)}")
    capacity = _integer(raw.get("capacity", 1), 1, 100, where, "capacity", problems)
    manager_id = raw.get("manager_id")
    if manager_id is not None and not isinstance(manager_id, str):
        problems.add(where, "manager_id", "must be a string id or empty")
        manager_id = None
    preferences = raw.get("preferences")
    participant = Participant(
        id=raw_id.strip(),
        department=_text(raw.get("department", ""), where, "department", problems),
        level=level or 1,
        tenure_years=tenure or 0.0,
        birth_year=birth_year,
        location=_text(raw.get("location", ""), where, "location", problems),
        timezone=timezone,
        languages=_strings(raw.get("languages", []), where, "languages", problems),
        manager_id=(manager_id or "").strip() or None,
        interests=_strings(raw.get("interests", []), where, "interests", problems),
        offers=_offers(raw.get("offers", []), where, problems),
        gaps=_gaps(raw.get("gaps", []), where, problems),
        avoid=_strings(raw.get("avoid", []), where, "avoid", problems),
        capacity=capacity or 1,
        preferences=None
        if preferences is None
        else _strings(preferences, where, "preferences", problems),
    )
    return participant if len(problems.messages) == before else None


def _skill_list(
    raw: Any, where: str, field_name: str, value_name: str, problems: _Problems
) -> list[tuple[str, int]]:
    if not isinstance(raw, list):
        problems.add(where, field_name, f"must be a list of {{skill, {value_name}}}")
        return []
    items = []
    for position, item in enumerate(raw):
        label = f"{field_name}[{position}]"
        if not isinstance(item, Mapping):
            problems.add(where, label, f"must be an object {{skill, {value_name}}}")
            continue
        skill = item.get("skill")
        if not isinstance(skill, str) or not skill.strip():
            problems.add(where, f"{label}.skill", "must be a non-empty string")
            continue
        value = _integer(item.get(value_name), 1, 5, where, f"{label}.{value_name}", problems)
        if value is not None:
            items.append((skill.strip(), value))
    return items


def _offers(raw: Any, where: str, problems: _Problems) -> tuple[Offer, ...]:
    items = _skill_list(raw, where, "offers", "proficiency", problems)
    return tuple(Offer(skill, value) for skill, value in items)


def _gaps(raw: Any, where: str, problems: _Problems) -> tuple[Gap, ...]:
    items = _skill_list(raw, where, "gaps", "priority", problems)
    return tuple(Gap(skill, value) for skill, value in items)


def _check_references(
    participants: Sequence[Participant],
    wheres: Sequence[str],
    ids: set[str],
    problems: _Problems,
) -> None:
    # `ids` includes participants that had other problems, so that one bad row does not
    # also produce "unknown participant" messages in every row that refers to it.
    for participant, where in zip(participants, wheres, strict=True):
        if participant.manager_id is not None:
            if participant.manager_id == participant.id:
                problems.add(where, "manager_id", "a participant cannot manage themselves")
            elif participant.manager_id not in ids:
                problems.add(
                    where, "manager_id", f"unknown participant {shown(participant.manager_id)}"
                )
        for other in participant.avoid:
            if other not in ids:
                problems.add(where, "avoid", f"unknown participant {shown(other)}")
        for other in participant.preferences or ():
            if other not in ids:
                problems.add(where, "preferences", f"unknown participant {shown(other)}")


def _check_manager_cycles(
    participants: Sequence[Participant], wheres: Sequence[str], problems: _Problems
) -> None:
    manager = {p.id: p.manager_id for p in participants}
    where_of = {p.id: w for p, w in zip(participants, wheres, strict=True)}
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = known to reach a root
    for start in manager:
        walk = []
        node: str | None = start
        while node is not None and state.get(node) is None:
            state[node] = 1
            walk.append(node)
            node = manager[node]
        if node is not None and state[node] == 1:
            cycle = walk[walk.index(node) :]
            problems.add(
                where_of[min(cycle)],
                "manager_id",
                "manager cycle: " + " -> ".join([*cycle, node]),
            )
        for visited in walk:
            state[visited] = 2


# --- CSV cells ------------------------------------------------------------------------


def _split(cell: str | None) -> list[str]:
    if not cell:
        return []
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def _csv_skills(cell: str | None, value_name: str, where: str, field_name: str, problems):
    items = []
    for part in _split(cell):
        skill, colon, value = part.rpartition(":")
        if not colon or not skill.strip():
            problems.add(where, field_name, f"{shown(part)} must be written skill:{value_name}")
            continue
        items.append({"skill": skill.strip(), value_name: value.strip()})
    return items


def _csv_row_to_raw(row: Mapping[str, Any], where: str, problems: _Problems) -> dict[str, Any]:
    def cell(name: str) -> str:
        value = row.get(name)
        return value.strip() if isinstance(value, str) else ""

    raw: dict[str, Any] = {"id": cell("id")}
    for name in ("department", "location", "timezone", "manager_id"):
        if cell(name):
            raw[name] = cell(name)
    for name in ("level", "tenure_years", "birth_year", "capacity"):
        if cell(name):
            raw[name] = cell(name)  # converted and range-checked by _participant
    for name in ("languages", "interests", "avoid"):
        raw[name] = _split(cell(name))
    if cell("preferences"):
        raw["preferences"] = _split(cell("preferences"))
    raw["offers"] = _csv_skills(cell("offers"), "proficiency", where, "offers", problems)
    raw["gaps"] = _csv_skills(cell("gaps"), "priority", where, "gaps", problems)
    return raw


# --- scalar checks --------------------------------------------------------------------


def _to_number(value: Any, convert: Callable[[str], Any]) -> Any:
    if isinstance(value, str):
        try:
            return convert(value.strip())
        except ValueError:
            return None
    return value


def _integer(value: Any, low: int, high: int, where: str, name: str, problems: _Problems):
    number = _to_number(value, int)
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high:
        problems.add(where, name, f"must be an integer from {low} to {high}, got {shown(value)}")
        return None
    return number


def _number(value: Any, low: float, high: float, where: str, name: str, problems: _Problems):
    number = _to_number(value, float)
    if (
        isinstance(number, bool)
        or not isinstance(number, int | float)
        or not math.isfinite(number)
        or not low <= number <= high
    ):
        problems.add(where, name, f"must be a number from {low} to {high}, got {shown(value)}")
        return None
    return float(number)


def _text(value: Any, where: str, name: str, problems: _Problems) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.add(where, name, "must be a string")
        return ""
    return value.strip()


def _strings(value: Any, where: str, name: str, problems: _Problems) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.add(where, name, "must be a list of strings")
        return ()
    return tuple(item.strip() for item in value if item.strip())


def _choice(value: Any, choices: Sequence[str], where: str, name: str, problems: _Problems):
    if value not in choices:
        problems.add(where, name, f"must be one of {', '.join(choices)}, got {shown(value)}")
        return None
    return value


# --- writing inputs (examples, benchmark) ---------------------------------------------


def participant_to_dict(participant: Participant) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": participant.id,
        "department": participant.department,
        "level": participant.level,
        "tenure_years": participant.tenure_years,
        "birth_year": participant.birth_year,
        "location": participant.location,
        "timezone": participant.timezone,
        "languages": list(participant.languages),
        "manager_id": participant.manager_id,
        "interests": list(participant.interests),
        "offers": [{"skill": o.skill, "proficiency": o.proficiency} for o in participant.offers],
        "gaps": [{"skill": g.skill, "priority": g.priority} for g in participant.gaps],
        "avoid": list(participant.avoid),
        "capacity": participant.capacity,
    }
    if participant.preferences is not None:
        data["preferences"] = list(participant.preferences)
    return data


def rules_to_dict(rules: Rules) -> dict[str, Any]:
    return {
        "cross_department": rules.cross_department,
        "exclude_reporting_line": rules.exclude_reporting_line,
        "min_level_gap": rules.min_level_gap,
        "max_level_gap": rules.max_level_gap,
        "require_common_language": rules.require_common_language,
        "min_timezone_overlap_hours": rules.min_timezone_overlap_hours,
        "reciprocity": rules.reciprocity,
        "exclude_pairs": [list(pair) for pair in rules.exclude_pairs],
        "weights": {
            "difference": rules.weights.difference,
            "common_ground": rules.weights.common_ground,
            "one_way": rules.weights.one_way,
            "related_skill_credit": rules.weights.related_skill_credit,
        },
    }


def input_to_json(match_input: MatchInput) -> str:
    document = {
        "rules": rules_to_dict(match_input.rules),
        "participants": [participant_to_dict(p) for p in match_input.participants],
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def input_to_csv(match_input: MatchInput) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    join = LIST_SEPARATOR.join
    for p in match_input.participants:
        writer.writerow(
            [
                p.id,
                p.department,
                p.level,
                p.tenure_years,
                "" if p.birth_year is None else p.birth_year,
                p.location,
                p.timezone,
                join(p.languages),
                p.manager_id or "",
                join(p.interests),
                join(f"{o.skill}:{o.proficiency}" for o in p.offers),
                join(f"{g.skill}:{g.priority}" for g in p.gaps),
                join(p.avoid),
                p.capacity,
                join(p.preferences or ()),
            ]
        )
    return buffer.getvalue()

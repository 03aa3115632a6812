"""Reading participant files (JSON or CSV) into `MatchInput`, with full validation.

Every problem is collected and reported together, each naming the participant (and the
CSV row) and the field. See docs/matching.md and participants.schema.json.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from twoway.matching.errors import InputError
from twoway.matching.model import (
    Gap,
    MatchInput,
    Offer,
    Participant,
    Rules,
    Weights,
)
from twoway.matching.rules import RULE_SPECS, SCALAR_RULES, RuleSpec

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


@cache
def is_known_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@dataclass
class _Problems:
    """Collects messages; `where` describes the participant currently being read."""

    messages: list[str] = field(default_factory=list)

    def add(self, where: str, field_name: str, message: str) -> None:
        self.messages.append(f"{where}: field '{field_name}': {message}")


# --- entry points -------------------------------------------------------------------


def read_input(path: str, input_format: str = "auto") -> MatchInput:
    """Read a participant file. Raises InputError listing every problem found."""
    if input_format == "auto":
        input_format = "csv" if path.lower().endswith(".csv") else "json"
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except OSError as error:
        raise InputError([f"{path}: cannot read the file: {error.strerror}"]) from error
    except UnicodeDecodeError as error:
        raise InputError([f"{path}: not UTF-8 text: {error.reason}"]) from error
    if input_format == "csv":
        return parse_csv(text)
    return parse_json(text)


def parse_json(text: str) -> MatchInput:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            [f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"]
        ) from error
    if isinstance(document, list):
        document = {"participants": document}
    if not isinstance(document, dict) or not isinstance(document.get("participants"), list):
        raise InputError(["the JSON document must be an object with a 'participants' list"])
    problems = _Problems()
    records = []
    for position, raw in enumerate(document["participants"]):
        if not isinstance(raw, dict):
            problems.add(f"participants[{position}]", "-", "must be an object")
            continue
        where = _where(raw.get("id"), f"participants[{position}]")
        records.append((where, raw))
    rules = parse_rules(document.get("rules") or {}, problems)
    return _build(records, rules, problems)


def parse_csv(text: str) -> MatchInput:
    try:
        rows = list(csv.DictReader(io.StringIO(text), strict=True))
        header = next(csv.reader(io.StringIO(text)), [])
    except csv.Error as error:
        raise InputError([f"invalid CSV: {error}"]) from error
    problems = _Problems()
    if "id" not in header:
        raise InputError(["invalid CSV: the header must contain an 'id' column"])
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if unknown:
        problems.add("CSV header", ", ".join(unknown), "unknown column")
    records = []
    for row_number, row in enumerate(rows, start=2):  # line 1 is the header
        if None in row:
            problems.add(f"row {row_number}", "-", "has more cells than the header")
        where = _where(row.get("id"), f"row {row_number}", row_number)
        records.append((where, _csv_row_to_raw(row, where, problems)))
    return _build(records, Rules(), problems)


# --- rules ----------------------------------------------------------------------------


def parse_rules(raw: Any, problems: _Problems | None = None, base: Rules | None = None) -> Rules:
    """Rules from a JSON-like mapping, on top of `base` (defaults when None)."""
    own = problems is None
    problems = problems or _Problems()
    rules = base or Rules()
    if not isinstance(raw, Mapping):
        problems.add("rules", "-", "must be an object")
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
        label = f"participant '{raw_id.strip()}'"
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
        problems.add(where, "timezone", f"unknown IANA timezone {timezone!r}")
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
                problems.add(where, "manager_id", f"unknown participant {participant.manager_id!r}")
        for other in participant.avoid:
            if other not in ids:
                problems.add(where, "avoid", f"unknown participant {other!r}")
        for other in participant.preferences or ():
            if other not in ids:
                problems.add(where, "preferences", f"unknown participant {other!r}")


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
            problems.add(where, field_name, f"{part!r} must be written skill:{value_name}")
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
        problems.add(where, name, f"must be an integer from {low} to {high}, got {value!r}")
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
        problems.add(where, name, f"must be a number from {low} to {high}, got {value!r}")
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
        problems.add(where, name, f"must be one of {', '.join(choices)}, got {value!r}")
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

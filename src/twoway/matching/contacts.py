"""Reading the collaboration network (who already works together) from a file.

`twoway match --contacts FILE` passes `read_contacts(FILE)` as `MatchInput.contacts`.
Two formats, chosen by the file name like the participant files:

- CSV with a header row `a,b,weight` (`weight` may be left out: every row then counts 1),
  one row per pair or per meeting, message or shared project; rows for the same two
  people add up.
- JSON: a list of `{"a": ..., "b": ..., "weight": ...}` objects or `[a, b, weight]`
  arrays (again the weight may be left out), or `{"contacts": [...]}`.

The weight is any positive number on any scale (hours, meetings, messages): the engine
only compares contacts with each other. Every problem is reported at once, naming the
file, the row and the field; nothing is returned unless the whole file is valid.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping
from typing import Any

from twoway.matching.errors import InputError

Contact = tuple[str, str, float]
MAX_WEIGHT = 1e12  # far above any real count of meetings or hours; keeps sums finite


def read_contacts(path: str, contacts_format: str = "auto") -> tuple[Contact, ...]:
    """The contacts of a CSV or JSON file. Raises InputError listing every problem."""
    if contacts_format == "auto":
        contacts_format = "csv" if path.lower().endswith(".csv") else "json"
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except OSError as error:
        raise InputError([f"{path}: cannot read the file: {error.strerror}"]) from error
    except UnicodeDecodeError as error:
        raise InputError([f"{path}: not UTF-8 text: {error.reason}"]) from error
    if contacts_format == "csv":
        return parse_contacts_csv(text, path)
    return parse_contacts_json(text, path)


def parse_contacts_csv(text: str, source: str = "contacts") -> tuple[Contact, ...]:
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().casefold() for cell in next(reader, [])]
    missing = [name for name in ("a", "b") if name not in header]
    if missing:
        raise InputError([f"{source}: the header row must name the columns a, b (and weight)"])
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if len(cells) != len(header):
            rows.append((number, None))
            continue
        rows.append((number, dict(zip(header, cells, strict=True))))
    return _checked(rows, source)


def parse_contacts_json(text: str, source: str = "contacts") -> tuple[Contact, ...]:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise InputError([f"{source}: not valid JSON: {error}"]) from error
    if isinstance(data, Mapping):
        data = data.get("contacts")
    if not isinstance(data, list):
        raise InputError([f"{source}: expected a list of contacts (or {{'contacts': [...]}})"])
    rows = []
    for number, item in enumerate(data, start=1):
        if isinstance(item, list) and len(item) in (2, 3):
            item = dict(zip(("a", "b", "weight"), item, strict=False))
        rows.append((number, item if isinstance(item, Mapping) else None))
    return _checked(rows, source)


def _checked(rows: list[tuple[int, Any]], source: str) -> tuple[Contact, ...]:
    """Every row checked; the contacts if all are valid, else every problem at once."""
    problems: list[str] = []
    contacts: list[Contact] = []
    for number, row in rows:
        where = f"{source}: row {number}"
        if row is None:
            problems.append(f"{where}: expected the fields a, b and optionally weight")
            continue
        ids = [_id(row.get(name), f"{where}: field '{name}'", problems) for name in ("a", "b")]
        weight = _weight(row.get("weight"), f"{where}: field 'weight'", problems)
        if None in ids or weight is None:
            continue
        if ids[0] == ids[1]:
            problems.append(f"{where}: field 'b': names the same person as 'a'")
            continue
        contacts.append((ids[0], ids[1], weight))
    if problems:
        raise InputError(problems)
    return tuple(contacts)


def _id(value: Any, where: str, problems: list[str]) -> str | None:
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: must be a participant id")
        return None
    return value.strip()


def _weight(value: Any, where: str, problems: list[str]) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1.0
    if isinstance(value, bool):
        problems.append(f"{where}: must be a positive number")
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        problems.append(f"{where}: must be a positive number")
        return None
    if not math.isfinite(number) or number <= 0 or number > MAX_WEIGHT:
        problems.append(f"{where}: must be a positive number up to {MAX_WEIGHT:g}")
        return None
    return number

"""The CLI fuzzed with malformed participants, rules and skills files (JSON and CSV).

Whatever the files hold, the CLI either gives a valid result (exit 0, the output file
complete) or exits 2 with one message per problem, each naming the file it is about,
and writes nothing. A traceback, another exit code or a partial file fails the test.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from twoway.matching.cli import main
from twoway.matching.formats import CSV_COLUMNS, input_to_csv, parse_json

# Placeholders swapped for raw JSON text that json.dumps cannot produce.
DEEP = "__deep__"
HUGE = "__huge__"
RAW_JSON = {DEEP: "[" * 1200 + "]" * 1200, HUGE: "9" * 5000}

AWKWARD_TEXT = (
    "",
    " ",
    "Python",
    "Public speaking:4",
    "Python:9",
    ":3",
    "ana",
    "ben",
    "Europe",
    "Europe/Paris",
    "../../../etc/passwd",
    "a\x00b",
    "\ud800",
    "ana\udfff",
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\tx",
    "\r\n",
    "x" * 3000,
    "9" * 5000,
    "1e999",
    "NaN",
    "true",
    DEEP,
    HUGE,
)

leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(AWKWARD_TEXT),
    st.text(max_size=8),
)
values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from((*AWKWARD_TEXT[:12], "skill", "id")), inner, max_size=3)
    ),
    max_leaves=6,
)

PERSON_FIELDS = (*CSV_COLUMNS, "mode", "unknown")


def good_participants() -> list[dict]:
    return [
        {
            "id": "ana",
            "department": "Engineering",
            "level": 2,
            "birth_year": 1998,
            "timezone": "Europe/Lisbon",
            "languages": ["English"],
            "offers": [{"skill": "Python", "proficiency": 5}],
            "gaps": [{"skill": "Public speaking", "priority": 4}],
        },
        {
            "id": "ben",
            "department": "Finance",
            "level": 7,
            "birth_year": 1969,
            "languages": ["English"],
            "manager_id": "cleo",
            "offers": [{"skill": "public-speaking", "proficiency": 4}],
            "gaps": [{"skill": "python", "priority": 3}],
            "preferences": ["ana"],
        },
        {
            "id": "cleo",
            "department": "Finance",
            "level": 9,
            "languages": ["English"],
            "offers": [{"skill": "Public speaking", "proficiency": 5}],
            "gaps": [{"skill": "Python", "priority": 5}],
            "capacity": 2,
        },
    ]


def good_rules() -> dict:
    return {
        "cross_department": "preferred",
        "min_level_gap": 0,
        "max_level_gap": None,
        "reciprocity": "preferred",
        "exclude_pairs": [["ana", "cleo"]],
        "weights": {"difference": 0.3},
    }


def good_skills() -> dict:
    return {
        "version": 1,
        "skills": [
            {"name": "Python", "cluster": "programming", "aliases": ["py"]},
            {"name": "Public speaking", "category": "craft", "typical_giver": "senior"},
        ],
    }


GOOD = {"rules": good_rules(), "participants": good_participants()}


def containers(value, found=None):
    """Every list and dict inside `value`, itself included."""
    found = [] if found is None else found
    if isinstance(value, dict | list):
        found.append(value)
        for item in value.values() if isinstance(value, dict) else value:
            containers(item, found)
    return found


@st.composite
def mutated(draw, document):
    """`document` with a few values replaced, keys removed or added."""
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(containers(document)))
        action = draw(st.sampled_from(("set", "remove", "add")))
        if isinstance(target, dict):
            keys = sorted(target)
            if action == "add" or not keys:
                target[draw(st.sampled_from(PERSON_FIELDS))] = draw(values)
            elif action == "set":
                target[draw(st.sampled_from(keys))] = draw(values)
            else:
                del target[draw(st.sampled_from(keys))]
        elif action == "add" or not target:
            target.append(draw(values))
        elif action == "set":
            target[draw(st.integers(0, len(target) - 1))] = draw(values)
        else:
            target.pop(draw(st.integers(0, len(target) - 1)))
    return document


def json_text(document) -> str:
    text = json.dumps(document, ensure_ascii=True)  # a lone surrogate becomes "\\ud800"
    for placeholder, raw in RAW_JSON.items():
        text = text.replace(json.dumps(placeholder), raw)
    return text


@st.composite
def broken_text(draw, text: str) -> str:
    """Sometimes the file is cut short or gets a stray character."""
    how = draw(st.sampled_from(("as is", "as is", "as is", "as is", "cut", "insert")))
    if how == "cut":
        return text[: draw(st.integers(0, len(text)))]
    if how == "insert":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.sampled_from(('"', ",", "}", "\x00", "\\", "\n"))) + text[at:]
    return text


@st.composite
def participants_json(draw) -> str:
    document = json.loads(json.dumps(GOOD))
    if draw(st.booleans()):
        document = draw(mutated(document))
    return draw(broken_text(json_text(document)))


CELLS = st.sampled_from(AWKWARD_TEXT[:-2]) | st.sampled_from(("3", "2.5", "UTC", "ana;ben"))


@st.composite
def participants_csv(draw) -> str:
    """The good participants as CSV with a few cells changed, or a random header."""
    rows = list(csv.reader(io.StringIO(input_to_csv(parse_json(json.dumps(GOOD))))))
    if draw(st.integers(0, 3)) == 0:
        header = draw(st.permutations(CSV_COLUMNS).map(list))
        rows[0] = header[: draw(st.integers(1, len(header)))] + draw(
            st.lists(st.sampled_from(("id", "mode", "", "level")), max_size=1)
        )
    for _ in range(draw(st.integers(0, 3))):
        row = draw(st.sampled_from(rows[1:]))
        action = draw(st.sampled_from(("set", "set", "cut", "add")))
        if not row or action == "add":
            row.append(draw(CELLS))
        elif action == "set":
            row[draw(st.integers(0, len(row) - 1))] = draw(CELLS)
        elif action == "cut":
            del row[draw(st.integers(0, len(row) - 1)) :]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    text = buffer.getvalue()
    if draw(st.integers(0, 3)) == 0:  # no quoting at all: stray quotes and commas in cells
        text = "\n".join(",".join(row) for row in rows) + "\n"
    return draw(broken_text(text))


@st.composite
def rules_json(draw) -> str:
    document = draw(st.sampled_from(("good", "good", "bare", "wrapped", "anything")))
    if document == "good":
        return json.dumps({"rules": good_rules()})
    if document == "anything":
        return draw(broken_text(json_text(draw(values))))
    rules = draw(mutated(good_rules()))
    return draw(broken_text(json_text(rules if document == "bare" else {"rules": rules})))


@st.composite
def skills_json(draw) -> str:
    if draw(st.booleans()):
        return json.dumps(good_skills())
    if draw(st.integers(0, 4)) == 0:
        return json_text(draw(values))
    return draw(broken_text(json_text(draw(mutated(good_skills())))))


FILES = st.fixed_dictionaries(
    {"input": st.one_of(participants_json(), participants_csv())},
    optional={"rules": rules_json(), "skills": skills_json()},
)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run_cli(files: dict[str, str], mode: str, output_format: str) -> tuple[int, str, Path]:
    directory = Path(tempfile.mkdtemp(prefix="twoway-fuzz-"))
    written = {}
    for role, text in files.items():
        is_csv = role == "input" and not text.lstrip().startswith(("{", "["))
        name = f"{role}.{'csv' if is_csv else 'json'}"
        # surrogatepass: the text is what a broken editor would save, lone halves included.
        (directory / name).write_bytes(text.encode("utf-8", "surrogatepass"))
        written[role] = str(directory / name)
    argv = [written["input"], "-o", str(directory / "out"), "--mode", mode]
    argv += ["--format", output_format, "--no-timings"]
    for role in ("rules", "skills"):
        if role in written:
            argv += [f"--{role}", written[role]]
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return code, stderr.getvalue(), directory


@FUZZ
@given(
    files=FILES,
    mode=st.sampled_from(("optimal", "participation", "stable")),
    output_format=st.sampled_from(("json", "csv")),
)
def test_malformed_files_give_a_result_or_exit_2_naming_the_file(files, mode, output_format):
    code, stderr, directory = run_cli(files, mode, output_format)
    event(f"exit {code}, {'csv' if files['input'].startswith(CSV_COLUMNS) else 'json'} input")
    output = directory / "out"
    inputs = {name for name in os.listdir(directory) if name != "out"}
    try:
        assert code in (0, 2), stderr
        assert not [name for name in inputs if name.startswith(".twoway-")], "a temporary file"
        if code == 0:
            text = output.read_text("utf-8")
            if output_format == "json":
                assert set(json.loads(text)) == {"pairs", "unmatched", "stats"}
            else:
                assert next(csv.reader(io.StringIO(text)))[:2] == ["a", "b"]
        else:
            assert not output.exists(), "a partial output file"
            lines = stderr.strip().splitlines()
            assert lines and all(line.startswith("error: ") for line in lines), stderr
            named = (*[str(directory / name) for name in inputs], "command line")
            for line in lines:
                assert any(name in line for name in named), line
    finally:
        for name in os.listdir(directory):
            os.unlink(directory / name)
        os.rmdir(directory)


# Text a spreadsheet could run, but valid in every text field (which are stripped, so
# a leading tab or carriage return cannot reach the output).
awkward_names = st.one_of(
    st.sampled_from(('=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "=1+2")),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=";"), min_size=1),
).filter(lambda text: text.strip() and text.strip() == text)


@FUZZ
@given(names=st.lists(awkward_names, min_size=2, max_size=6, unique=True))
# Found by this test: a lone carriage return inside an id once reached the file unquoted,
# so a spreadsheet would have read the "=" after it as the start of a formula.
@example(names=['=HYPERLINK("http://x","y")', "0\r="])
def test_valid_awkward_text_gives_a_result_whose_csv_no_spreadsheet_runs(names):
    """Ids, departments and skills of any text: exit 0, and every CSV cell is safe."""
    people = [
        {
            "id": name,
            "department": name,
            "languages": ["English"],
            "offers": [{"skill": name, "proficiency": 3}],
            "gaps": [{"skill": names[index - 1], "priority": 3}],
        }
        for index, name in enumerate(names)
    ]
    text = json.dumps({"rules": {"reciprocity": "preferred"}, "participants": people})
    files = {"input": text}
    code, stderr, directory = run_cli(files, "optimal", "csv")
    try:
        assert code == 0, stderr
        rows = list(csv.reader(io.StringIO((directory / "out").read_text("utf-8"))))
        assert len(rows) > 1  # every neighbour teaches the next one: someone is paired
        for cell in (cell for row in rows for cell in row):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    finally:
        for name in os.listdir(directory):
            os.unlink(directory / name)
        os.rmdir(directory)

"""The file-based CLI: formats, bad input (exit 2, nothing written), determinism."""

import csv
import json
from pathlib import Path

import pytest

from twoway.matching.cli import main

GOOD = {
    "rules": {"cross_department": "preferred"},
    "participants": [
        {
            "id": "ana",
            "department": "Engineering",
            "level": 2,
            "timezone": "Europe/Lisbon",
            "languages": ["English"],
            "offers": [{"skill": "Python", "proficiency": 5}],
            "gaps": [{"skill": "Public speaking", "priority": 4}],
        },
        {
            "id": "ben",
            "department": "Finance",
            "level": 7,
            "timezone": "Europe/London",
            "languages": ["English"],
            "manager_id": "cleo",
            "offers": [{"skill": "public-speaking", "proficiency": 4}],
            "gaps": [{"skill": "python", "priority": 3}],
        },
        {
            "id": "cleo",
            "department": "Finance",
            "level": 9,
            "timezone": "Europe/London",
            "languages": ["English"],
            "offers": [{"skill": "Public speaking", "proficiency": 5}],
            "gaps": [{"skill": "Python", "priority": 5}],
        },
    ],
}


def write(tmp_path: Path, name: str, content) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return str(path)


def test_json_input_gives_pairs_with_explanations(tmp_path, capsys):
    source = write(tmp_path, "in.json", GOOD)
    assert main([source]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result["pairs"]) == 1
    pair = result["pairs"][0]
    assert pair["a_teaches_b"] and pair["b_teaches_a"]
    assert {"skill", "proficiency", "priority"} <= set(pair["a_teaches_b"][0])
    assert result["stats"]["optimal"] is True
    assert set(result["stats"]["seconds"]) == {
        "read",
        "score",
        "candidates",
        "solve",
        "explain",
        "write",
    }
    assert result["unmatched"][0]["reason"]


def test_same_input_and_seed_give_byte_identical_output(tmp_path):
    source = write(tmp_path, "in.json", GOOD)
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    assert main([source, "--seed", "3", "--no-timings", "-o", str(first)]) == 0
    assert main([source, "--seed", "3", "--no-timings", "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_csv_input_and_csv_output(tmp_path):
    rows = [
        "id,department,level,timezone,languages,manager_id,offers,gaps",
        "ana,Eng,2,Europe/Paris,English;French,,Python:5;Rust:3,Public speaking:4",
        "ben,Fin,6,Europe/Paris,English,,Public speaking:4,python:3",
    ]
    source = write(tmp_path, "in.csv", "\n".join(rows) + "\n")
    output = tmp_path / "out.csv"
    candidates = tmp_path / "cand.csv"
    args = [source, "--format", "csv", "-o", str(output), "--candidates-out", str(candidates)]
    assert main(args) == 0
    written = list(csv.DictReader(output.open()))
    assert [(row["a"], row["b"]) for row in written] == [("ana", "ben")]
    edges = list(csv.DictReader(candidates.open()))
    assert edges == [{"a": "ana", "b": "ben", "score": written[0]["score"]}]


def test_rule_flags_override_the_file(tmp_path, capsys):
    source = write(tmp_path, "in.json", GOOD)
    assert main([source, "--cross-department", "required"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [(p["a"], p["b"]) for p in result["pairs"]] in ([("ana", "ben")], [("ana", "cleo")])


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["participants"].append(dict(d["participants"][0])), "duplicate id"),
        (
            lambda d: d["participants"][1].update(manager_id="zed"),
            "participant 'ben': field 'manager_id'",
        ),
        (lambda d: d["participants"][0].update(avoid=["zed"]), "participant 'ana': field 'avoid'"),
        (
            lambda d: d["participants"][0]["offers"][0].update(proficiency=6),
            "participant 'ana': field 'offers[0].proficiency'",
        ),
        (
            lambda d: d["participants"][0]["gaps"][0].update(priority=0),
            "participant 'ana': field 'gaps[0].priority'",
        ),
        (lambda d: d["participants"][2].update(manager_id="ben"), "manager cycle"),
        (lambda d: d["participants"][0].update(timezone="Mars/Olympus"), "field 'timezone'"),
        (lambda d: d["participants"][0].update(level=11), "participant 'ana': field 'level'"),
    ],
)
def test_bad_input_exits_2_names_the_problem_and_writes_nothing(tmp_path, capsys, mutate, expected):
    document = json.loads(json.dumps(GOOD))
    mutate(document)
    source = write(tmp_path, "in.json", document)
    output = tmp_path / "out.json"
    assert main([source, "-o", str(output)]) == 2
    assert expected in capsys.readouterr().err
    assert not output.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["in.json"]


def test_every_problem_is_reported_once_per_line(tmp_path, capsys):
    document = json.loads(json.dumps(GOOD))
    document["participants"][0]["level"] = 0
    document["participants"][1]["timezone"] = "Nowhere/Land"
    source = write(tmp_path, "in.json", document)
    assert main([source]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2
    assert "'ana'" in lines[0] and "'ben'" in lines[1]


def test_invalid_json_and_csv_exit_2(tmp_path, capsys):
    assert main([write(tmp_path, "bad.json", "{not json")]) == 2
    assert "invalid JSON" in capsys.readouterr().err
    bad_csv = "id,level\nana,x\n"
    assert main([write(tmp_path, "bad.csv", bad_csv)]) == 2
    assert "row 2" in capsys.readouterr().err


def test_stable_mode_uses_stated_preferences(tmp_path, capsys):
    document = json.loads(json.dumps(GOOD))
    document["participants"][0]["preferences"] = ["ben", "cleo"]
    document["participants"][1]["preferences"] = ["ana"]
    document["participants"][2]["preferences"] = ["ana"]
    assert main([write(tmp_path, "in.json", document), "--mode", "stable"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [(p["a"], p["b"]) for p in result["pairs"]] == [("ana", "ben")]
    assert result["stats"]["stable"] is True


# --- what the fuzzing of issue 8 found ------------------------------------------------


def run(argv, capsys) -> tuple[int, str, str]:
    code = main([str(item) for item in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("mode", ["optimal", "participation", "stable"])
def test_no_participants_is_an_empty_result(tmp_path, capsys, mode):
    source = write(tmp_path, "in.json", {"participants": []})
    code, out, _ = run([source, "--mode", mode], capsys)
    assert code == 0
    result = json.loads(out)
    assert (result["pairs"], result["unmatched"], result["stats"]["participants"]) == ([], [], 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"participants": ' + "[" * 1000 + "]" * 1000 + "}", "nested more than 16 levels"),
        ('{"participants": [{"id": "a\\ud800"}]}', "participants[0]: field 'id': holds '\\ud800'"),
        ('{"participants": [{"id": "a", "level": ' + "5" * 5000 + "}]}", "<a 5000-digit number>"),
        ('{"participants": [{"id": "a", "timezone": "Europe"}]}', "timezone 'Europe'"),
        ('{"mode": "stable", "participants": [{"id": "a"}]}', "field 'mode': unknown key"),
        ('{"participants": [], "rules": []}', "rules: must be an object"),
    ],
)
def test_bad_json_exits_2_with_one_short_line_naming_the_file(tmp_path, capsys, text, expected):
    source = write(tmp_path, "in.json", text)
    output = tmp_path / "out.json"
    code, _, err = run([source, "-o", output], capsys)
    assert code == 2
    assert err.startswith(f"error: {source}: ") and expected in err
    assert len(err) < 300 and "site-packages" not in err  # no 5,000 digits, no install path
    assert not output.exists()


def test_every_problem_of_every_file_is_reported_at_once(tmp_path, capsys):
    document = json.loads(json.dumps(GOOD))
    document["participants"][0]["level"] = 0
    source = write(tmp_path, "in.json", document)
    rules = write(tmp_path, "rules.json", {"rules": {"reciprocity": "sometimes"}})
    skills = write(tmp_path, "skills.json", {"skills": [{"nam": "Python"}, "Rust"]})
    argv = [source, "--rules", rules, "--skills", skills, "--min-level-gap", "5"]
    code, _, err = run([*argv, "--max-level-gap", "2", "-o", tmp_path / "no" / "out.json"], capsys)
    assert code == 2
    lines = err.splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        source,
        rules,
        "command line",
        skills,
        skills,
        skills,
        str(tmp_path / "no" / "out.json"),
    ]
    assert "participant 'ana': field 'level'" in lines[0]
    assert "field 'reciprocity'" in lines[1]
    assert "max_level_gap" in lines[2] and lines[2].startswith("error: command line")
    assert "skills[0]: field 'nam': unknown field" in err
    assert "skills[0]: field 'name': must be a non-empty string" in err
    assert "skills[1]: must be an object" in err
    assert "there is no directory" in lines[-1]


@pytest.mark.parametrize(
    "content",
    ["[1]", '{"skills": [{"name": 3}]}', '{"skills": [{"name": "x", "aliases": "y"}]}', "{"],
)
def test_a_malformed_skills_file_is_named(tmp_path, capsys, content):
    skills = write(tmp_path, "skills.json", content)
    code, _, err = run([write(tmp_path, "in.json", GOOD), "--skills", skills], capsys)
    assert code == 2
    assert err.startswith(f"error: {skills}: ")


def test_a_missing_rules_file_is_named(tmp_path, capsys):
    code, _, err = run([write(tmp_path, "in.json", GOOD), "--rules", tmp_path / "no.json"], capsys)
    assert code == 2
    assert (
        err == f"error: {tmp_path / 'no.json'}: cannot read the file: No such file or directory\n"
    )


def test_a_csv_row_with_too_few_or_too_many_cells_is_refused(tmp_path, capsys):
    rows = ["id,department,level", "ana,Eng", "ben,Fin,3,extra", "cleo,Fin,4"]
    source = write(tmp_path, "in.csv", "\n".join(rows) + "\n")
    code, _, err = run([source], capsys)
    assert code == 2
    assert err.splitlines() == [
        f"error: {source}: participant 'ana' (row 2): has 2 cells, the header has 3"
        " (write empty cells as ,,)",
        f"error: {source}: participant 'ben' (row 3): has 4 cells, the header has 3",
    ]


def test_csv_output_cannot_run_as_a_spreadsheet_formula(tmp_path, capsys):
    document = json.loads(json.dumps(GOOD))
    document["participants"][0]["id"] = '=HYPERLINK("http://evil","x")'
    document["participants"][2]["id"] = "@cleo"
    document["participants"][1]["manager_id"] = "@cleo"
    source = write(tmp_path, "in.json", document)
    output, candidates = tmp_path / "out.csv", tmp_path / "cand.csv"
    argv = [source, "--format", "csv", "-o", output, "--candidates-out", candidates]
    code, _, err = run(argv, capsys)
    assert code == 0
    pairs = list(csv.DictReader(output.open(encoding="utf-8")))
    assert {pairs[0]["a"], pairs[0]["b"]} == {'\'=HYPERLINK("http://evil","x")', "'@cleo"}
    assert "'@cleo" in candidates.read_text("utf-8")
    # CSV keeps the pairs only, and says so.
    assert "the CSV output holds the 1 pair(s) only; 1 unmatched participant(s)" in err


def test_help_shows_every_default(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    for option in ("--format", "--input-format", "--mode", "--k", "--seed", "--min-level-gap"):
        after = text.split(option, 2)[-1]
        assert "(default:" in after.split(" --", 1)[0], option


def test_no_birth_years_in_the_output_and_generations_need_a_real_gap(tmp_path, capsys):
    document = json.loads(json.dumps(GOOD))
    document["participants"][0]["birth_year"] = 1966
    document["participants"][1]["birth_year"] = 1964  # two years apart: no bridge
    document["participants"][2]["birth_year"] = 1996
    document["rules"]["exclude_pairs"] = [["ana", "ben"]]
    source = write(tmp_path, "in.json", document)
    code, out, _ = run([source], capsys)
    assert code == 0
    assert not any(year in out for year in ("1966", "1964", "1996"))
    bridges = json.loads(out)["pairs"][0]["bridges"]
    assert {"kind": "generation", "a": "Generation X", "b": "Millennials"} in bridges
    document["rules"]["exclude_pairs"] = [["ana", "cleo"]]
    code, out, _ = run([write(tmp_path, "in.json", document)], capsys)
    assert [b["kind"] for b in json.loads(out)["pairs"][0]["bridges"]].count("generation") == 0


def test_a_contacts_file_adds_the_rarely_worked_together_bridge(tmp_path, capsys):
    source = write(tmp_path, "in.json", GOOD)
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("a,b,weight\nana,cleo,40\nben,cleo,1\n")
    assert main([source, "--contacts", str(contacts)]) == 0
    kinds = {b["kind"] for p in json.loads(capsys.readouterr().out)["pairs"] for b in p["bridges"]}
    assert "network" in kinds


def test_a_bad_contacts_file_is_named_with_its_row(tmp_path, capsys):
    source = write(tmp_path, "in.json", GOOD)
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("a,b,weight\nana,ben,-3\n")
    assert main([source, "--contacts", str(contacts)]) == 2
    assert str(contacts) in capsys.readouterr().err


def test_a_skills_file_key_with_a_line_break_is_named_on_one_line(tmp_path, capsys):
    # Found by the fuzz test: an unknown key was copied raw into the message.
    source = write(tmp_path, "in.json", GOOD)
    skills = write(tmp_path, "skills.json", {"skills": [{"name": "X", "clus\nter": "a"}]})
    assert main([source, "--skills", skills]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert any("field 'clus\\nter': unknown field" in line for line in lines)
    assert all(line.startswith("error: ") for line in lines)

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

import json
from dataclasses import fields
from importlib import resources

from twoway.matching.formats import CSV_COLUMNS, parse_json
from twoway.matching.model import Participant, Rules


def schema():
    text = resources.files("twoway.matching").joinpath("participants.schema.json").read_text()
    return json.loads(text)


def test_the_schema_documents_every_participant_field_and_rule():
    properties = schema()["properties"]
    participant = properties["participants"]["items"]["properties"]
    assert set(participant) == {field.name for field in fields(Participant)} == set(CSV_COLUMNS)
    assert set(properties["rules"]["properties"]) == {field.name for field in fields(Rules)}


def test_the_shipped_example_parses():
    path = resources.files("twoway.matching").joinpath("..", "..", "..", "examples")
    example = path / "org-240.json"
    if example.is_file():
        assert len(parse_json(example.read_text("utf-8")).participants) == 240

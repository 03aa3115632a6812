"""A file with several problems gets one message for each of them."""

from __future__ import annotations

import pytest

from twoway.matching.errors import InputError
from twoway.matching.formats import parse_csv

HEADER = "id,department,level,tenure_years,location,timezone,languages,manager_id,offers,gaps\n"


def test_a_duplicate_row_still_has_its_other_problems_reported():
    text = HEADER + (
        "a,Eng,3,2,London,Europe/London,English,,Budgeting:4,AI tools:3\n"
        "a,Sales,4,1,Paris,Europe/Paris,English,zz,Budgeting:3,Negotiation:2\n"
    )
    with pytest.raises(InputError) as raised:
        parse_csv(text)
    messages = "\n".join(raised.value.problems)
    assert "field 'id': duplicate id" in messages
    assert "(row 3): field 'manager_id': unknown participant 'zz'" in messages

"""The autocomplete: <option> elements for the skill <datalist>, aliases included."""

from __future__ import annotations

import pytest

from tests.factories import skill
from twoway.profiles.models import Skill, SkillAlias
from twoway.profiles.services import skill_resolve

pytestmark = pytest.mark.django_db


def test_typing_an_alias_offers_the_canonical_skill(client, cast):
    client.force_login(cast.alice)
    page = client.get("/skills/suggest/", {"q": "excel"}).content.decode()
    assert '<option value="Spreadsheets">Excel</option>' in page


def test_htmx_sends_the_typing_field_under_its_own_name(client, cast):
    client.force_login(cast.alice)
    response = client.get(
        "/skills/suggest/", {"offers-2-skill": "dataviz"}, headers={"HX-Request": "true"}
    )
    assert '<option value="Data visualisation">dataviz</option>' in response.content.decode()


def test_a_proposed_skill_is_suggested_to_its_author_and_says_so(client, cast):
    skill_resolve(name="Tide tables", user=cast.bob)
    client.force_login(cast.bob)
    page = client.get("/skills/suggest/", {"q": "tide"}).content.decode()
    assert '<option value="Tide tables">new, not yet curated</option>' in page


def test_someone_elses_proposed_skill_is_never_suggested(client, cast):
    skill_resolve(name="Tide tables", user=cast.bob)
    client.force_login(cast.alice)
    assert "Tide tables" not in client.get("/skills/suggest/", {"q": "tide"}).content.decode()


def test_names_are_escaped(client, cast):
    Skill.objects.create(name="<b>Bold</b> moves", category="craft", cluster="bold")
    client.force_login(cast.alice)
    page = client.get("/skills/suggest/", {"q": "bold"}).content.decode()
    assert "<b>" not in page and "&lt;b&gt;Bold&lt;/b&gt; moves" in page


def test_nothing_typed_returns_no_options(client, cast):
    client.force_login(cast.alice)
    assert "<option" not in client.get("/skills/suggest/", {"q": ""}).content.decode()


@pytest.mark.parametrize("extra", [0, 40])
def test_suggestions_take_four_queries_however_big_the_vocabulary(
    client, cast, django_assert_num_queries, extra
):
    for n in range(extra):
        new = Skill.objects.create(name=f"Data topic {n}", category="technology", cluster=f"t{n}")
        SkillAlias.objects.create(skill=new, name=f"data alias {n}")
    SkillAlias.objects.create(skill=skill("SQL"), name="database querying")
    client.force_login(cast.alice)
    # session, user, skills by name, skills by alias
    with django_assert_num_queries(4):
        response = client.get("/skills/suggest/", {"q": "data"})
    assert 0 < response.content.decode().count("<option") <= 10

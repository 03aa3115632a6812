"""Reads of the profile: what a partner sees, skill suggestions, and which steps are done."""

from __future__ import annotations

import pytest

from tests.factories import skill
from twoway.profiles.models import Gap, Offer, Profile, SharedField, Skill, SkillAlias
from twoway.profiles.selectors import (
    completion_now,
    shared_profile,
    skill_suggestions,
)
from twoway.profiles.services import skill_resolve

pytestmark = pytest.mark.django_db


def _alice_with_everything(cast) -> Profile:
    profile = cast.alice.profile
    profile.job_title = "Head of Finance"
    profile.interests = ["Sailing"]
    profile.resource_groups = ["Women in Finance"]
    profile.bio = "Twenty years in finance."
    profile.save()
    Offer.objects.create(participant=cast.alice_p, skill=skill("Budgeting"), proficiency=5)
    Gap.objects.create(participant=cast.alice_p, skill=skill("AI tools"), priority=5)
    return profile


def test_partner_sees_the_defaults_but_not_resource_groups(cast):
    _alice_with_everything(cast)
    seen = shared_profile(cast.alice_p)
    assert seen.name == "Alice Example"
    assert dict(seen.facts) == {
        "Role": "Head of Finance",
        "Department": "Finance",
        "Level": "7",
        "Location": "London (Europe/London)",
    }
    assert seen.interests == ["Sailing"] and seen.bio == "Twenty years in finance."
    assert seen.resource_groups == []


def test_partner_sees_only_what_was_chosen(cast):
    profile = _alice_with_everything(cast)
    profile.shared_with_partner = [SharedField.RESOURCE_GROUPS]
    profile.save()
    seen = shared_profile(cast.alice_p)
    assert seen.facts == [] and seen.languages == [] and seen.interests == []
    assert seen.bio == ""
    assert seen.resource_groups == ["Women in Finance"]
    # Name, offers and gaps always show: they are what the pairing is about.
    assert seen.name == "Alice Example"
    assert [o.skill.name for o in seen.offers] == ["Budgeting"]
    assert [g.skill.name for g in seen.gaps] == ["AI tools"]


def test_partner_sees_nothing_of_a_profile_shared_with_nobody(cast):
    profile = _alice_with_everything(cast)
    profile.shared_with_partner = []
    profile.save()
    seen = shared_profile(cast.alice_p)
    assert (seen.facts, seen.languages, seen.interests, seen.resource_groups, seen.bio) == (
        [],
        [],
        [],
        [],
        "",
    )


def _names(text: str, user=None, **kwargs) -> list[str]:
    return [suggestion.name for suggestion in skill_suggestions(text, user=user, **kwargs)]


def test_suggestions_find_skills_by_alias_too(db):
    [suggestion] = [s for s in skill_suggestions("dataviz", user=None)]
    assert (suggestion.name, suggestion.alias) == ("Data visualisation", "dataviz")
    assert "Spreadsheets" in _names("excel")


def test_suggestions_ignore_case_spacing_and_hyphens(db):
    assert "Short-form video" in _names("SHORT FORM")


def test_prefix_matches_come_before_matches_inside_a_name(db):
    Skill.objects.create(name="Open data culture", category="business", cluster="open_data")
    names = _names("data", limit=50)
    assert names.index("Data visualisation") < names.index("Open data culture")
    assert all(name.lower().startswith("data") for name in names[:4])


def test_curated_skills_come_before_proposed_ones(cast):
    skill_resolve(name="Dataverse tricks", user=cast.alice)
    names = _names("datav", user=cast.alice)
    assert names == ["Data visualisation", "Dataverse tricks"]
    assert [s.proposed for s in skill_suggestions("datav", user=cast.alice)] == [False, True]


def test_a_proposed_skill_is_suggested_to_nobody_but_the_person_who_named_it(cast):
    skill_resolve(name="Coping with my anxiety at work", user=cast.alice)
    assert _names("anxiety", user=cast.alice) == ["Coping with my anxiety at work"]
    for who in (cast.bob, cast.charlie, cast.dana):
        assert _names("anxiety", user=who) == []


def test_suggestions_are_limited(db):
    assert len(_names("a", limit=5)) == 5


def test_nothing_typed_suggests_nothing(db):
    assert _names("  ") == []


def test_a_skill_found_by_name_and_alias_is_suggested_once(db):
    SkillAlias.objects.create(skill=skill("SQL"), name="SQL queries for reports")
    assert _names("sql").count("SQL") == 1


def test_completion_follows_the_four_steps(cast):
    assert completion_now(cast.charlie_p).done == {"about"}
    assert completion_now(cast.charlie_p).next_step == "offers"
    Offer.objects.create(participant=cast.charlie_p, skill=skill("SQL"), proficiency=3)
    Gap.objects.create(participant=cast.charlie_p, skill=skill("Budgeting"), priority=3)
    completion = completion_now(cast.charlie_p)
    assert completion.next_step == "practicalities"
    assert completion.next_step_after("about") == "practicalities"
    cast.charlie_p.preferred_meeting_mode = "video"
    cast.charlie_p.preferred_cadence_days = 14
    cast.charlie_p.save()
    assert completion_now(cast.charlie_p).is_complete
    assert completion_now(cast.charlie_p).next_step is None


def test_a_person_without_a_profile_has_about_you_to_do(cast):
    Profile.objects.filter(user=cast.charlie).delete()
    assert completion_now(cast.charlie_p).next_step == "about"

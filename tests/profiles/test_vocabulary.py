"""The shipped skill vocabulary covers both directions of reciprocal mentoring."""

from __future__ import annotations

import pytest

from twoway.profiles.models import Skill, SkillAlias, TypicalGiver, normalise_skill_name
from twoway.profiles.vocabulary import load_vocabulary, skill_vocabulary_sync

pytestmark = pytest.mark.django_db


def test_vocabulary_is_large_and_covers_both_directions():
    entries = load_vocabulary()
    assert len(entries) >= 120
    givers = {entry["typical_giver"] for entry in entries}
    assert givers == {"senior", "junior", "any"}
    names = {entry["name"] for entry in entries}
    for senior_offer in [
        "How things really get done",
        "Stakeholder management",
        "Negotiation",
        "Budgeting",
        "Strategic thinking",
        "Navigating decision-making",
    ]:
        assert senior_offer in names
    for junior_offer in [
        "Short-form video",
        "Social media",
        "AI tools",
        "Data visualisation",
        "Mind mapping",
        "Digital accessibility",
        "Under-represented group perspectives",
    ]:
        assert junior_offer in names


def test_names_and_aliases_are_one_namespace_without_clashes():
    keys = []
    for entry in load_vocabulary():
        keys.append(normalise_skill_name(entry["name"]))
        keys += [normalise_skill_name(alias) for alias in entry["aliases"]]
    assert len(keys) == len(set(keys))


def test_every_database_starts_with_the_vocabulary():
    assert Skill.objects.count() == len(load_vocabulary())
    assert SkillAlias.objects.get(normalised_name="dataviz").skill.name == "Data visualisation"
    assert Skill.objects.filter(typical_giver=TypicalGiver.JUNIOR).count() >= 15


def test_sync_is_idempotent_and_keeps_local_skills():
    Skill.objects.create(name="Our ERP quirks", category="organisational", cluster="local")
    before = (Skill.objects.count(), SkillAlias.objects.count())
    skill_vocabulary_sync()
    assert (Skill.objects.count(), SkillAlias.objects.count()) == before


def test_skill_names_normalise_case_spacing_and_hyphens():
    assert normalise_skill_name("  Short-Form   video ") == "short form video"
    assert normalise_skill_name("short_form_video") == "short form video"

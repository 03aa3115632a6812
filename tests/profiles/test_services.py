"""Writes of the profile: every input checked first, errors that name the field or row,
and nothing half-written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from tests.factories import ParticipantFactory, ProgramFactory, UserFactory, skill
from twoway.core.errors import ActionError
from twoway.profiles import services
from twoway.profiles.models import (
    DEFAULT_SHARED,
    Gap,
    Offer,
    Profile,
    SharedField,
    Skill,
    SkillCategory,
    SkillStatus,
)
from twoway.profiles.selectors import skills_awaiting_curation
from twoway.profiles.services import RowsInvalid, SkillRow
from twoway.profiles.vocabulary import skill_vocabulary_sync
from twoway.programs.models import Cadence, MeetingMode

pytestmark = pytest.mark.django_db

ABOUT = dict(
    job_title="Data analyst",
    department="Operations",
    level=2,
    location="Lisbon",
    timezone="Europe/Lisbon",
    languages=["Portuguese", "English"],
    interests=["Climbing"],
)


def _error(call, **kwargs) -> ActionError:
    with pytest.raises(ActionError) as caught:
        call(**kwargs)
    return caught.value


# --- About you ------------------------------------------------------------------------------


def test_about_you_creates_the_profile_and_sets_the_timezone_pages_show():
    user = UserFactory(timezone="UTC")
    profile = services.profile_save(user=user, **ABOUT)
    assert profile.department == "Operations" and profile.languages == ["Portuguese", "English"]
    user.refresh_from_db()
    assert user.timezone == "Europe/Lisbon"
    # Without a choice, the defaults apply: resource groups stay private.
    assert profile.shared_with_partner == DEFAULT_SHARED


def test_about_you_updates_the_same_profile(cast):
    services.profile_save(user=cast.alice, **{**ABOUT, "department": "Finance & Risk"})
    assert Profile.objects.filter(user=cast.alice).count() == 1
    assert Profile.objects.get(user=cast.alice).department == "Finance & Risk"


def test_about_you_tidies_lists_without_repeats():
    user = UserFactory()
    profile = services.profile_save(
        user=user, **{**ABOUT, "languages": [" English ", "english", "", "French"]}
    )
    assert profile.languages == ["English", "French"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"department": "  "}, "department"),
        ({"job_title": ""}, "job_title"),
        ({"location": ""}, "location"),
        ({"level": 11}, "level"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"languages": []}, "languages"),
        ({"interests": [" "]}, "interests"),
        ({"resource_groups": ["x" * 61]}, "resource_groups"),
    ],
)
def test_bad_about_you_names_the_field_and_writes_nothing(change, field):
    user = UserFactory(timezone="UTC")
    error = _error(services.profile_save, user=user, **{**ABOUT, **change})
    assert error.field == field
    assert not Profile.objects.filter(user=user).exists()
    user.refresh_from_db()
    assert user.timezone == "UTC"


def test_sharing_choices_are_saved_in_a_stable_order(cast):
    profile = services.profile_sharing_save(
        user=cast.alice, shared=[SharedField.INTERESTS, SharedField.DEPARTMENT]
    )
    assert profile.shared_with_partner == ["department", "interests"]


def test_sharing_refuses_an_unknown_part_and_keeps_the_old_choice(cast):
    error = _error(services.profile_sharing_save, user=cast.alice, shared=["salary"])
    assert error.field == "shared"
    assert Profile.objects.get(user=cast.alice).shared_with_partner == DEFAULT_SHARED


def test_sharing_needs_a_profile_first():
    error = _error(services.profile_sharing_save, user=UserFactory(), shared=[])
    assert "About you" in error.message


# --- Skills ----------------------------------------------------------------------------------


def test_a_typed_name_finds_its_skill_ignoring_case_and_spacing(cast):
    assert services.skill_resolve(name="  data-VISUALISATION ", user=cast.alice) == skill(
        "Data visualisation"
    )


def test_an_alias_finds_the_canonical_skill(cast):
    assert services.skill_resolve(name="Excel", user=cast.alice) == skill("Spreadsheets")
    assert services.skill_resolve(name="dataviz", user=cast.alice) == skill("Data visualisation")


def test_a_new_skill_is_accepted_and_flagged_for_curation(cast):
    new = services.skill_resolve(name="harbour  tide tables", user=cast.alice)
    assert new.name == "Harbour tide tables"
    assert new.status == SkillStatus.PROPOSED
    assert new.category == SkillCategory.UNCATEGORISED
    assert new.proposed_by == cast.alice
    # A cluster of its own: it earns no partial credit from unrelated new skills.
    other = services.skill_resolve(name="Knot tying", user=cast.bob)
    assert new.cluster != other.cluster
    # Typed again by someone else, it is the same skill.
    assert services.skill_resolve(name="Harbour Tide Tables", user=cast.bob) == new


def test_a_shipped_vocabulary_curates_a_proposed_skill_of_the_same_name(cast):
    proposed = services.skill_resolve(name="data visualisation 2", user=cast.alice)
    proposed.name = "Data visualisation"  # as if the vocabulary learned it later
    Skill.objects.filter(name="Data visualisation").delete()
    proposed.save()
    skill_vocabulary_sync()
    proposed.refresh_from_db()
    assert proposed.status == SkillStatus.CURATED
    assert proposed.category == SkillCategory.TECHNOLOGY


def test_skills_awaiting_curation_counts_and_lists_the_proposed_ones(cast):
    offer = services.skill_resolve(name="Tide tables", user=cast.alice)
    knots = services.skill_resolve(name="Knot tying", user=cast.bob)
    Offer.objects.create(participant=cast.alice_p, skill=offer, proficiency=3)
    Gap.objects.create(participant=cast.bob_p, skill=offer, priority=3)
    Gap.objects.create(participant=cast.charlie_p, skill=knots, priority=2)
    awaiting = skills_awaiting_curation(cast.dana)
    assert awaiting.count == 2
    assert [(s.name, s.uses, s.proposed_by) for s in awaiting.skills] == [
        ("Tide tables", 2, cast.alice),
        ("Knot tying", 1, cast.bob),
    ]
    assert skills_awaiting_curation(cast.dana, limit=1).count == 2


def test_another_programs_coordinator_never_sees_what_participants_typed(cast):
    gap = services.skill_resolve(name="Coping with my anxiety at work", user=cast.alice)
    Gap.objects.create(participant=cast.alice_p, skill=gap, priority=5)
    assert skills_awaiting_curation(cast.dana).count == 1
    assert skills_awaiting_curation(cast.erin).count == 0


# --- Offers and gaps ---------------------------------------------------------------------------


def _offers(participant) -> dict[str, tuple[int, str]]:
    return {
        offer.skill.name: (offer.proficiency, offer.business_value)
        for offer in participant.offers.select_related("skill")
    }


def test_offers_are_saved_updated_and_removed_as_the_rows_say(cast):
    services.offers_save(
        participant=cast.alice_p,
        user=cast.alice,
        rows=[SkillRow("Budgeting", 5, "Keeps projects funded."), SkillRow("Excel", 3)],
    )
    assert _offers(cast.alice_p) == {
        "Budgeting": (5, "Keeps projects funded."),
        "Spreadsheets": (3, ""),
    }
    services.offers_save(
        participant=cast.alice_p,
        user=cast.alice,
        rows=[SkillRow("budgeting", 4, "Still matters."), SkillRow(), SkillRow("Negotiation", 2)],
    )
    assert _offers(cast.alice_p) == {"Budgeting": (4, "Still matters."), "Negotiation": (2, "")}


def test_gaps_are_saved_with_their_priority_and_note(cast):
    services.gaps_save(
        participant=cast.bob_p,
        user=cast.bob,
        rows=[SkillRow("How things really get done", 5, "Getting my budget approved.")],
    )
    [gap] = cast.bob_p.gaps.select_related("skill")
    assert (gap.skill.name, gap.priority, gap.note) == (
        "How things really get done",
        5,
        "Getting my budget approved.",
    )


def test_row_errors_name_each_row_and_nothing_is_written(cast):
    Offer.objects.create(participant=cast.alice_p, skill=skill("Budgeting"), proficiency=4)
    skills_before = Skill.objects.count()
    rows = [
        SkillRow("Python scripting", 4),
        SkillRow("", 3, "Something without a skill"),
        SkillRow("python scripting", 2),
        SkillRow("Harbour tide tables", None),
        SkillRow("Excel", 5),
        SkillRow("Spreadsheets", 5),
    ]
    with pytest.raises(RowsInvalid) as caught:
        services.offers_save(participant=cast.alice_p, user=cast.alice, rows=rows)
    messages = [error.message for error in caught.value.errors]
    assert messages == [
        "Row 2: choose a skill.",
        "Row 3: you listed Python scripting twice (also in row 1).",
        "Row 4: choose how well you know Harbour tide tables, from 1 to 5.",
        "Row 6: you listed Spreadsheets twice (also in row 5).",
    ]
    assert [(e.row, e.field) for e in caught.value.errors] == [
        (2, "skill"),
        (3, "skill"),
        (4, "rating"),
        (6, "skill"),
    ]
    # Nothing half-written: the old offer stays and no proposed skill was created.
    assert _offers(cast.alice_p) == {"Budgeting": (4, "")}
    assert Skill.objects.count() == skills_before


def test_a_gap_without_a_priority_names_the_row(cast):
    with pytest.raises(RowsInvalid) as caught:
        services.gaps_save(participant=cast.bob_p, user=cast.bob, rows=[SkillRow("SQL", 0)])
    assert caught.value.message == "Row 1: choose how much you want to learn SQL, from 1 to 5."


def test_a_new_skill_in_a_row_is_created_as_proposed(cast):
    services.offers_save(
        participant=cast.alice_p, user=cast.alice, rows=[SkillRow("Harbour tide tables", 4)]
    )
    [offer] = cast.alice_p.offers.select_related("skill")
    assert offer.skill.status == SkillStatus.PROPOSED
    assert offer.skill.proposed_by == cast.alice


def test_an_empty_list_is_refused_and_keeps_what_was_there(cast):
    Gap.objects.create(participant=cast.bob_p, skill=skill("SQL"), priority=3)
    error = _error(
        services.gaps_save, participant=cast.bob_p, user=cast.bob, rows=[SkillRow(), SkillRow()]
    )
    assert "at least one" in error.message
    assert cast.bob_p.gaps.count() == 1


def test_too_many_rows_are_refused(cast):
    names = [s.name for s in Skill.objects.all()[: services.MAX_ROWS + 1]]
    error = _error(
        services.offers_save,
        participant=cast.alice_p,
        user=cast.alice,
        rows=[SkillRow(name, 3) for name in names],
    )
    assert f"at most {services.MAX_ROWS}" in error.message
    assert not cast.alice_p.offers.exists()


def test_nobody_saves_rows_for_someone_else(cast):
    error = _error(
        services.offers_save, participant=cast.alice_p, user=cast.bob, rows=[SkillRow("SQL", 3)]
    )
    assert "your own" in error.message
    assert not cast.alice_p.offers.exists()


# --- Practicalities and completion ---------------------------------------------------------------


def test_practicalities_are_saved(cast):
    services.practicalities_save(
        participant=cast.alice_p,
        user=cast.alice,
        meeting_mode=MeetingMode.VIDEO,
        cadence_days=Cadence.WEEKLY,
        availability=" Tuesday afternoons ",
    )
    cast.alice_p.refresh_from_db()
    assert cast.alice_p.preferred_meeting_mode == "video"
    assert cast.alice_p.preferred_cadence_days == 7
    assert cast.alice_p.availability == "Tuesday afternoons"


@pytest.mark.parametrize(
    ("change", "field"),
    [({"meeting_mode": "carrier pigeon"}, "meeting_mode"), ({"cadence_days": 3}, "cadence_days")],
)
def test_bad_practicalities_name_the_field_and_write_nothing(cast, change, field):
    values = {"meeting_mode": "video", "cadence_days": 7, **change}
    error = _error(
        services.practicalities_save, participant=cast.alice_p, user=cast.alice, **values
    )
    assert error.field == field
    cast.alice_p.refresh_from_db()
    assert cast.alice_p.preferred_meeting_mode == ""


def _complete_steps(participant, user) -> None:
    services.offers_save(participant=participant, user=user, rows=[SkillRow("SQL", 3)])
    services.gaps_save(participant=participant, user=user, rows=[SkillRow("Budgeting", 3)])
    services.practicalities_save(
        participant=participant, user=user, meeting_mode="either", cadence_days=14
    )


def test_the_profile_is_stamped_complete_once_all_four_steps_are_done(cast):
    user = UserFactory()
    participant = ParticipantFactory(program=cast.river, user=user)
    _complete_steps(participant, user)
    participant.refresh_from_db()
    assert participant.profile_completed_at is None  # "About you" is still missing
    with time_machine.travel("2026-10-01 09:00Z", tick=False):
        services.profile_save(user=user, **ABOUT)
    participant.refresh_from_db()
    assert participant.profile_completed_at == datetime(2026, 10, 1, 9, tzinfo=UTC)


def test_the_completion_stamp_stays_when_the_profile_is_edited_later(cast):
    with time_machine.travel("2026-10-01 09:00Z", tick=False):
        _complete_steps(cast.alice_p, cast.alice)
    cast.alice_p.refresh_from_db()
    first = cast.alice_p.profile_completed_at
    assert first is not None
    services.offers_save(participant=cast.alice_p, user=cast.alice, rows=[SkillRow("Python", 5)])
    cast.alice_p.refresh_from_db()
    assert cast.alice_p.profile_completed_at == first


def test_about_you_completes_every_program_it_finishes(cast):
    user = UserFactory()
    one = ParticipantFactory(program=cast.river, user=user)
    two = ParticipantFactory(program=ProgramFactory(), user=user)
    _complete_steps(one, user)
    _complete_steps(two, user)
    services.profile_save(user=user, **ABOUT)
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.profile_completed_at and two.profile_completed_at


def test_a_skill_on_the_offers_list_cannot_also_be_a_gap(cast):
    services.offers_save(participant=cast.bob_p, user=cast.bob, rows=[SkillRow("SQL", 4)])
    with pytest.raises(RowsInvalid) as error:
        services.gaps_save(
            participant=cast.bob_p,
            user=cast.bob,
            rows=[SkillRow("Budgeting", 3), SkillRow("sql", 5)],
        )
    assert [(e.row, e.field) for e in error.value.errors] == [(2, "skill")]
    assert error.value.errors[0].message == "Row 2: you already offer SQL: keep it on one list."
    assert not cast.bob_p.gaps.exists()


def test_a_gap_cannot_be_offered_too(cast):
    services.gaps_save(participant=cast.bob_p, user=cast.bob, rows=[SkillRow("Budgeting", 3)])
    with pytest.raises(RowsInvalid) as error:
        services.offers_save(participant=cast.bob_p, user=cast.bob, rows=[SkillRow("Budgeting", 4)])
    assert error.value.errors[0].beside_the_field == (
        "Budgeting is also on your list of things to learn: keep it on one list."
    )
    assert not cast.bob_p.offers.exists()

"""What the engine is given for a program: profiles, vocabulary, history and places."""

from __future__ import annotations

import pytest

from tests.factories import (
    ParticipantFactory,
    ProfileFactory,
    ProgramFactory,
    UserFactory,
    pairing_of,
)
from tests.pairing.matching_people import (
    JUNIOR_SKILLS,
    SENIOR_SKILLS,
    enrolled,
    ready,
    seniors_and_juniors,
)
from twoway.matching import match
from twoway.pairing.engine_input import engine_id, engine_input_for, engine_vocabulary
from twoway.pairing.models import PairingStatus, PairRule, PairRuleKind
from twoway.profiles.models import Skill, SkillAlias, SkillCategory, SkillStatus
from twoway.programs.models import ParticipantStatus

pytestmark = pytest.mark.django_db


def _pairs(given) -> set[frozenset[str]]:
    result = match(given.match_input, vocabulary=given.vocabulary).result
    return {frozenset((pair.a, pair.b)) for pair in result.pairs}


def _ids(*people) -> frozenset[str]:
    return frozenset(engine_id(person.pk) for person in people)


def test_only_enrolled_people_with_a_completed_profile_are_read():
    program = ProgramFactory()
    senior, junior = seniors_and_juniors(program, 1)
    ParticipantFactory(program=program)  # profile not completed
    withdrawn = enrolled(program, "Gone", department="Sales", level=4, **JUNIOR_SKILLS)
    withdrawn.status = ParticipantStatus.WITHDRAWN
    withdrawn.save()

    given = engine_input_for(program)

    assert {p.id for p in given.match_input.participants} == set(_ids(senior, junior))


def test_profile_facts_reach_the_engine():
    program = ProgramFactory()
    boss = enrolled(program, "Boss", department="Finance", level=8, **SENIOR_SKILLS)
    report = enrolled(
        program,
        "Report",
        department="Finance",
        level=4,
        languages=["English", "French"],
        location="Paris",
        timezone="Europe/Paris",
        **JUNIOR_SKILLS,
    )
    report.user.profile.manager = boss.user
    report.user.profile.interests = ["chess"]
    report.user.profile.save()

    people = {p.id: p for p in engine_input_for(program).match_input.participants}

    seen = people[engine_id(report.pk)]
    assert seen.manager_id == engine_id(boss.pk)
    assert (seen.department, seen.level, seen.location) == ("Finance", 4, "Paris")
    assert seen.languages == ("English", "French") and seen.interests == ("chess",)
    assert seen.timezone == "Europe/Paris" and seen.tenure_years > 0
    assert {offer.skill for offer in seen.offers} == {"Python scripting"}
    assert {gap.skill for gap in seen.gaps} == {"Budgeting", "Stakeholder management"}


def test_a_reporting_line_through_someone_outside_the_run_still_keeps_people_apart():
    program = ProgramFactory(capacity=1)
    grand = enrolled(program, "Grand", department="Finance", level=9, **SENIOR_SKILLS)
    middle = UserFactory(full_name="Middle")  # a manager who is not in the program
    ProfileFactory(user=middle, manager=grand.user, level=6)
    report = enrolled(program, "Report", department="Sales", level=2, **JUNIOR_SKILLS)
    report.user.profile.manager = middle
    report.user.profile.save()

    given = engine_input_for(program)

    seen = {p.id: p for p in given.match_input.participants}[engine_id(report.pk)]
    assert seen.manager_id is None and seen.avoid == (engine_id(grand.pk),)
    assert _pairs(given) == set()
    program.rules = {**program.rules, "exclude_reporting_line": 1}
    assert _pairs(engine_input_for(program)) == {_ids(grand, report)}


def test_a_manager_without_a_place_left_is_not_given_to_the_engine_as_a_manager():
    program = ProgramFactory(capacity=1)
    manager, busy_partner, report, other = seniors_and_juniors(program, 2)
    pairing_of(manager, busy_partner)
    report.user.profile.manager = manager.user
    report.user.profile.save()

    given = engine_input_for(program)

    assert engine_id(manager.pk) not in {p.id for p in given.match_input.participants}
    assert {p.manager_id for p in given.match_input.participants} == {None}
    assert _pairs(given) == {_ids(report, other)}


def test_skill_aliases_and_clusters_added_in_the_database_count():
    widgetry = Skill.objects.create(
        name="Widgetry", category=SkillCategory.CRAFT, cluster="widgets"
    )
    gizmo = Skill.objects.create(
        name="Gizmo lore",
        category=SkillCategory.UNCATEGORISED,
        cluster="gizmo-lore",
        status=SkillStatus.PROPOSED,
    )
    program = ProgramFactory()
    teacher = enrolled(
        program, "Teacher", department="Sales", level=6, offers=["Budgeting"], gaps=["Widgetry"]
    )
    learner = enrolled(program, "Learner", department="Legal", level=2, gaps=["Budgeting"])
    learner.offers.create(skill=gizmo, proficiency=4)  # a name only the organisation knows

    assert _pairs(engine_input_for(program)) == set()

    SkillAlias.objects.create(skill=widgetry, name="Gizmo lore")
    vocabulary = engine_vocabulary()
    assert vocabulary.resolve("gizmo-lore") == vocabulary.resolve("Widgetry")
    assert _pairs(engine_input_for(program)) == {_ids(teacher, learner)}


def test_earlier_pairings_and_exits_are_never_repeated():
    program = ProgramFactory(capacity=3)
    senior, junior, other_senior, other_junior = seniors_and_juniors(program, 2)
    pairing_of(senior, junior, status=PairingStatus.EXITED, ended_at=None)
    pairing_of(other_senior, other_junior, status=PairingStatus.DECLINED, started_at=None)

    given = engine_input_for(program)

    assert _ids(senior, junior) not in _pairs(given)
    assert _ids(other_senior, other_junior) not in _pairs(given)
    assert _pairs(given) == {_ids(senior, other_junior), _ids(other_senior, junior)}


def test_pairings_in_the_pilot_are_never_repeated_in_its_rollout():
    pilot = ProgramFactory(is_pilot=True)
    in_pilot = seniors_and_juniors(pilot, 1)
    pairing_of(*in_pilot, status=PairingStatus.COMPLETED)
    rollout = ProgramFactory(rolled_out_from=pilot)
    senior = ready(
        ParticipantFactory(program=rollout, user=in_pilot[0].user), **_skills(SENIOR_SKILLS)
    )
    junior = ready(
        ParticipantFactory(program=rollout, user=in_pilot[1].user), **_skills(JUNIOR_SKILLS)
    )

    given = engine_input_for(rollout)

    assert (engine_id(senior.pk), engine_id(junior.pk)) in given.match_input.rules.exclude_pairs
    assert _pairs(given) == set()


def _skills(skills: dict) -> dict:
    return {"offers": skills["offers"], "gaps": skills["gaps"]}


def test_forbidden_pairs_are_excluded():
    program = ProgramFactory()
    senior, junior = seniors_and_juniors(program, 1)
    PairRule.objects.create(
        program=program, participant_a=senior, participant_b=junior, kind=PairRuleKind.FORBID
    )

    assert _pairs(engine_input_for(program)) == set()


def test_a_capacity_above_one_gives_several_partners():
    program = ProgramFactory(capacity=2)
    senior = enrolled(program, "Senior", department="Finance", level=7, **SENIOR_SKILLS)
    juniors = [
        enrolled(program, f"Junior {i}", department="Engineering", level=2, **JUNIOR_SKILLS)
        for i in range(2)
    ]

    given = engine_input_for(program)

    assert {p.capacity for p in given.match_input.participants} == {2}
    assert _pairs(given) == {_ids(senior, juniors[0]), _ids(senior, juniors[1])}


def test_open_pairings_take_places_and_people_without_one_are_left_out_with_a_reason():
    program = ProgramFactory(capacity=2)
    senior, junior, other_senior, other_junior = seniors_and_juniors(program, 2)
    pairing_of(senior, junior, status=PairingStatus.PROPOSED, started_at=None)
    pairing_of(senior, other_junior, status=PairingStatus.ACTIVE)

    given = engine_input_for(program)

    places = {p.id: p.capacity for p in given.match_input.participants}
    assert engine_id(senior.pk) not in places
    assert places[engine_id(junior.pk)] == 1 and places[engine_id(other_senior.pk)] == 2
    assert given.left_out == [
        {
            "participant": senior.pk,
            "reason": "already has 2 open pairings (proposed, accepted or active); "
            "the program allows 2",
            "no_place": True,
        }
    ]


def test_people_whose_last_place_goes_to_a_locked_pair_are_not_left_out():
    program = ProgramFactory(capacity=1)
    senior, junior, other_senior, other_junior = seniors_and_juniors(program, 2)
    PairRule.objects.create(
        program=program, participant_a=senior, participant_b=junior, kind=PairRuleKind.LOCK
    )

    given = engine_input_for(program)

    # The lock pairs them in this run; the solver pairs the two others.
    assert given.locked == [(engine_id(senior.pk), engine_id(junior.pk))]
    assert given.left_out == []
    assert _pairs(given) == {_ids(other_senior, other_junior)}


def test_the_input_is_read_in_the_same_number_of_queries_for_any_size(
    django_assert_num_queries,
):
    small, large = ProgramFactory(), ProgramFactory()
    seniors_and_juniors(small, 1)
    people = seniors_and_juniors(large, 6)
    pairing_of(people[0], people[1])
    PairRule.objects.create(
        program=large, participant_a=people[2], participant_b=people[3], kind=PairRuleKind.LOCK
    )

    # participants, pairings, pair rules, offers, gaps, managers, skill aliases, skills
    with django_assert_num_queries(8):
        engine_input_for(small)
    with django_assert_num_queries(8):
        given = engine_input_for(large)
    assert len(given.everyone.participants) == 12

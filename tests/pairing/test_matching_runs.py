"""Matching runs: the background task, failure, overrides, re-runs and publishing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db.models import Q
from django.test import override_settings

from tests.factories import ProgramFactory, UserFactory, pairing_of
from tests.pairing.matching_people import (
    JUNIOR_SKILLS,
    SENIOR_SKILLS,
    enrolled,
    seniors_and_juniors,
)
from twoway.core.errors import ActionError
from twoway.notifications.models import Notification, NotificationKind
from twoway.pairing import run_selectors, run_services
from twoway.pairing.models import (
    MatchingRun,
    Pairing,
    PairingStatus,
    PairRule,
    PairRuleKind,
    ProposedPair,
    RunScope,
    RunStatus,
)
from twoway.pairing.run_services import (
    matching_run_execute,
    matching_run_publish,
    matching_run_start,
    proposed_pair_forbid,
    proposed_pair_lock,
    proposed_pairs_swap,
)
from twoway.programs.models import Program, ProgramStatus

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def program():
    program = ProgramFactory(name="Harbour", slug="harbour")
    program.coordinators.add(UserFactory(full_name="Coordinator"))
    return program


@pytest.fixture
def coordinator(program):
    return program.coordinators.get()


def _finished_run(program, coordinator, **options) -> MatchingRun:
    run = matching_run_start(program=program, started_by=coordinator, **options)
    return matching_run_execute(run_id=run.pk)


def _pairs(run) -> set[frozenset[int]]:
    return {
        frozenset(pair) for pair in run.pairs.values_list("participant_a_id", "participant_b_id")
    }


def _pair(*people) -> frozenset[int]:
    return frozenset(person.pk for person in people)


# --- Lifecycle -------------------------------------------------------------------------


@override_settings(TASKS=IMMEDIATE)
def test_a_started_run_is_executed_by_the_task_after_the_commit(
    program, coordinator, django_capture_on_commit_callbacks
):
    seniors_and_juniors(program, 2)

    with django_capture_on_commit_callbacks(execute=True):
        run = matching_run_start(program=program, started_by=coordinator)
        assert run.status == RunStatus.QUEUED

    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert (run.progress, run.phase) == (100, "")
    assert run.pairs.count() == 2
    assert run.rules == program.rules | run.rules  # the rules used are kept with the run
    assert run.stats["optimal"] is True and run.stats["certificate"]
    assert set(run.stats["seconds"]) == {"score", "candidates", "solve", "explain"}
    note = Notification.objects.get(recipient=coordinator)
    assert note.kind == NotificationKind.MATCHING_RUN_FINISHED


def test_the_run_reports_each_phase_as_it_goes(program, coordinator, monkeypatch):
    seniors_and_juniors(program, 1)
    seen = []
    original = run_services._set_phase

    def record(run, phase):
        original(run, phase)
        seen.append(MatchingRun.objects.values_list("progress", "phase").get(pk=run.pk))

    monkeypatch.setattr(run_services, "_set_phase", record)
    _finished_run(program, coordinator)

    assert seen == [
        (2, "Reading profiles"),
        (10, "Scoring"),
        (30, "Finding candidates"),
        (50, "Solving"),
        (75, "Explaining"),
        (90, "Saving"),
    ]


def test_a_run_delivered_twice_runs_once(program, coordinator):
    seniors_and_juniors(program, 1)
    run = _finished_run(program, coordinator)

    assert matching_run_execute(run_id=run.pk) is None
    assert run.pairs.count() == 1


def test_a_failing_run_says_why_and_keeps_no_pair(program, coordinator, monkeypatch):
    seniors_and_juniors(program, 2)

    def fail_after_saving_pairs(run, *, succeeded):
        if succeeded:  # inside the transaction that saved the proposed pairs
            raise RuntimeError("disk full")

    monkeypatch.setattr(run_services, "_tell_starter", fail_after_saving_pairs)
    run = _finished_run(program, coordinator)

    assert run.status == RunStatus.FAILED
    assert "RuntimeError: disk full" in run.error and "Nothing was proposed" in run.error
    assert ProposedPair.objects.count() == 0


def test_bad_rules_fail_the_run_with_the_field_named(program, coordinator):
    seniors_and_juniors(program, 1)
    program.rules = {**program.rules, "min_level_gap": "wide"}
    program.save()
    run = MatchingRun.objects.create(program=program, started_by=coordinator, rules=program.rules)

    run = matching_run_execute(run_id=run.pk)

    assert run.status == RunStatus.FAILED
    assert "min_level_gap" in run.error


def test_an_unknown_mode_is_refused(program, coordinator):
    with pytest.raises(ActionError) as refused:
        matching_run_start(program=program, started_by=coordinator, mode="random")
    assert refused.value.field == "mode"
    assert MatchingRun.objects.count() == 0


def test_a_rematch_pairs_only_the_chosen_people(program, coordinator):
    senior, junior, _, other_junior = seniors_and_juniors(program, 2)
    pairing_of(senior, junior, status=PairingStatus.EXITED)

    run = _finished_run(program, coordinator, only=[senior, other_junior, junior])

    assert run.scope == RunScope.REMATCH
    assert _pairs(run) == {_pair(senior, other_junior)}  # never the partner they exited from
    assert [item["participant"] for item in run.unmatched] == [junior.pk]
    assert "earlier pairing or exit" in run.unmatched[0]["reason"]


def test_a_rematch_needs_people_of_the_program(program, coordinator):
    stranger = seniors_and_juniors(ProgramFactory(), 1)[0]
    with pytest.raises(ActionError):
        matching_run_start(program=program, started_by=coordinator, only=[stranger])


# --- Overrides -------------------------------------------------------------------------


def test_a_locked_pair_is_kept_by_the_next_run(program, coordinator):
    seniors_and_juniors(program, 3)
    first = _finished_run(program, coordinator)
    chosen = first.pairs.order_by("id").last()

    proposed_pair_lock(run=first, pair_id=chosen.pk, by=coordinator)
    second = _finished_run(program, coordinator)

    kept = second.pairs.get(locked=True)
    assert (kept.participant_a_id, kept.participant_b_id) == (
        chosen.participant_a_id,
        chosen.participant_b_id,
    )
    assert kept.explanation["a_teaches_b"] and kept.score == chosen.score
    assert second.pairs.count() == 3 and second.stats["locked_pairs"] == 1
    # The locked pair's partners are paired by the run, not listed without a partner.
    assert second.unmatched == []


def test_unlocking_frees_the_pair_for_the_next_run(program, coordinator):
    seniors_and_juniors(program, 1)
    run = _finished_run(program, coordinator)
    pair = run.pairs.get()
    proposed_pair_lock(run=run, pair_id=pair.pk, by=coordinator)

    proposed_pair_lock(run=run, pair_id=pair.pk, by=coordinator, locked=False)

    assert not PairRule.objects.exists()
    assert not run.pairs.get().locked


def test_a_forbidden_pair_leaves_the_run_and_is_never_proposed_again(program, coordinator):
    senior = enrolled(program, "Senior", department="Finance", level=7, **SENIOR_SKILLS)
    juniors = [
        enrolled(program, f"Junior {i}", department="Engineering", level=2, **JUNIOR_SKILLS)
        for i in range(2)
    ]
    run = _finished_run(program, coordinator)
    proposed = run.pairs.get()
    forbidden = _pair(proposed.participant_a, proposed.participant_b)

    proposed_pair_forbid(run=run, pair_id=proposed.pk, by=coordinator)

    run.refresh_from_db()
    assert not run.pairs.exists()
    assert set(forbidden) <= {item["participant"] for item in run.unmatched}
    assert PairRule.objects.get().kind == PairRuleKind.FORBID
    again = _finished_run(program, coordinator)
    other_junior = next(j for j in juniors if j.pk not in forbidden)
    assert _pairs(again) == {_pair(senior, other_junior)}


def test_forbidding_a_pair_lists_only_people_left_with_no_partner_in_the_run(program, coordinator):
    program.capacity = 2
    program.save(update_fields=["capacity"])
    senior = enrolled(program, "Senior", department="Finance", level=7, **SENIOR_SKILLS)
    juniors = [
        enrolled(program, f"Junior {i}", department="Engineering", level=2, **JUNIOR_SKILLS)
        for i in range(2)
    ]
    run = _finished_run(program, coordinator)
    assert _pairs(run) == {_pair(senior, juniors[0]), _pair(senior, juniors[1])}
    forbidden = _pair_with(run, juniors[0])

    proposed_pair_forbid(run=run, pair_id=forbidden.pk, by=coordinator)

    run.refresh_from_db()
    # The senior keeps the other junior as a partner in this run.
    assert [item["participant"] for item in run.unmatched] == [juniors[0].pk]


def _pair_with(run, person) -> ProposedPair:
    return run.pairs.get(Q(participant_a=person) | Q(participant_b=person))


def _partner(pair: ProposedPair, person) -> int:
    return pair.participant_b_id if pair.participant_a_id == person.pk else pair.participant_a_id


def test_swapping_partners_scores_and_explains_both_new_pairs(program, coordinator):
    senior, _, other_senior, _ = seniors_and_juniors(program, 2)
    run = _finished_run(program, coordinator)
    mine, theirs = _pair_with(run, senior), _pair_with(run, other_senior)
    my_junior, their_junior = _partner(mine, senior), _partner(theirs, other_senior)

    new_pairs = proposed_pairs_swap(
        run=run,
        pair_id=mine.pk,
        stays=senior.pk,
        other_pair_id=theirs.pk,
        other=their_junior,
        by=coordinator,
    )

    assert _pairs(run) == {
        frozenset((senior.pk, their_junior)),
        frozenset((other_senior.pk, my_junior)),
    }
    for pair in new_pairs:
        assert pair.explanation["a_teaches_b"] and pair.explanation["b_teaches_a"]
        assert pair.score > 0 and pair.two_way and pair.cross_department and pair.level_gap == 5


def test_a_swap_that_breaks_a_rule_is_refused_with_the_rule_named(program, coordinator):
    senior, _, other_senior, _ = seniors_and_juniors(program, 2)
    run = _finished_run(program, coordinator)
    mine, theirs = _pair_with(run, senior), _pair_with(run, other_senior)
    before = _pairs(run)

    with pytest.raises(ActionError) as refused:
        proposed_pairs_swap(
            run=run,
            pair_id=mine.pk,
            stays=senior.pk,
            other_pair_id=theirs.pk,
            other=other_senior.pk,
            by=coordinator,
        )

    assert "Senior 0 and Senior 1 cannot be paired: no skill exchange" in str(refused.value)
    assert _pairs(run) == before


def _two_pairs_of_one_person(program, coordinator):
    """A run where a senior (capacity 2) is in two pairs: with each of two juniors."""
    program.capacity = 2
    program.save(update_fields=["capacity"])
    senior = enrolled(program, "Senior", department="Finance", level=7, **SENIOR_SKILLS)
    juniors = [
        enrolled(program, f"Junior {i}", department="Engineering", level=2, **JUNIOR_SKILLS)
        for i in range(2)
    ]
    run = _finished_run(program, coordinator)
    return run, senior, _pair_with(run, juniors[0]), _pair_with(run, juniors[1])


def test_a_swap_between_two_pairs_of_the_same_person_is_refused(program, coordinator):
    run, senior, mine, theirs = _two_pairs_of_one_person(program, coordinator)
    before = _pairs(run)

    with pytest.raises(ActionError, match="a pair without either of these two") as refused:
        proposed_pairs_swap(
            run=run,
            pair_id=mine.pk,
            stays=_partner(mine, senior),
            other_pair_id=theirs.pk,
            other=_partner(theirs, senior),
            by=coordinator,
        )

    assert refused.value.field == "other"
    assert _pairs(run) == before


def test_the_swap_search_leaves_out_the_other_pairs_of_the_same_people(program, coordinator):
    run, _, mine, _ = _two_pairs_of_one_person(program, coordinator)
    pair = run_selectors.proposed_pair_of(run, mine.pk)

    assert run_selectors.swap_candidates(run, pair, query="", limit=20) == []


def test_a_locked_pair_cannot_be_swapped(program, coordinator):
    seniors_and_juniors(program, 2)
    run = _finished_run(program, coordinator)
    mine, theirs = run.pairs.order_by("id")
    proposed_pair_lock(run=run, pair_id=mine.pk, by=coordinator)

    with pytest.raises(ActionError, match="unlock it first"):
        proposed_pairs_swap(
            run=run,
            pair_id=mine.pk,
            stays=mine.participant_a_id,
            other_pair_id=theirs.pk,
            other=theirs.participant_a_id,
            by=coordinator,
        )


# --- Publish ---------------------------------------------------------------------------


@override_settings(TASKS=IMMEDIATE)
def test_publishing_proposes_every_pair_and_tells_both_partners(
    program, coordinator, django_capture_on_commit_callbacks
):
    people = seniors_and_juniors(program, 2)
    run = _finished_run(program, coordinator)
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        created = matching_run_publish(run=run, by=coordinator)

    assert created == 2
    pairings = Pairing.objects.filter(program=program)
    assert {p.status for p in pairings} == {PairingStatus.PROPOSED}
    assert {frozenset((p.participant_a_id, p.participant_b_id)) for p in pairings} == _pairs(run)
    for pairing in pairings:
        stored = run.pairs.get(participant_a=pairing.participant_a_id)
        assert pairing.explanation == stored.explanation and pairing.score == stored.score
    notes = Notification.objects.filter(kind=NotificationKind.PAIRING_PROPOSED)
    assert {note.recipient_id for note in notes} == {person.user_id for person in people}
    assert all(note.link.startswith("/pairings/") for note in notes)
    assert len(mail.outbox) == 4
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED and run.published_by == coordinator


def test_publishing_supersedes_older_runs_but_not_newer_ones(program, coordinator):
    seniors_and_juniors(program, 1)
    older, chosen, newer = (_finished_run(program, coordinator) for _ in range(3))

    matching_run_publish(run=chosen, by=coordinator)

    statuses = dict(MatchingRun.objects.values_list("pk", "status"))
    assert statuses == {
        older.pk: RunStatus.SUPERSEDED,
        chosen.pk: RunStatus.PUBLISHED,
        newer.pk: RunStatus.SUCCEEDED,
    }
    with pytest.raises(ActionError, match="superseded"):
        matching_run_publish(run=older, by=coordinator)


def test_publishing_is_all_or_nothing_when_someone_would_exceed_the_capacity(program, coordinator):
    senior = seniors_and_juniors(program, 2)[0]
    run = _finished_run(program, coordinator)
    # Meanwhile someone else proposed a partner to this senior.
    newcomer = enrolled(program, "Newcomer", department="Legal", level=1)
    pairing_of(senior, newcomer, status=PairingStatus.PROPOSED, started_at=None)
    notes_before = Notification.objects.count()

    with pytest.raises(ActionError) as refused:
        matching_run_publish(run=run, by=coordinator)

    assert "Nothing was published: Senior 0 would have more than 1 open pairing" in str(
        refused.value
    )
    assert Pairing.objects.filter(program=program).count() == 1
    assert Notification.objects.count() == notes_before
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED


def test_publishing_a_run_without_pairs_is_refused(program, coordinator):
    enrolled(program, "Alone", department="Finance", level=3, **SENIOR_SKILLS)
    run = _finished_run(program, coordinator)

    with pytest.raises(ActionError, match="no pairs"):
        matching_run_publish(run=run, by=coordinator)


def test_a_published_run_cannot_be_changed(program, coordinator):
    seniors_and_juniors(program, 1)
    run = _finished_run(program, coordinator)
    matching_run_publish(run=run, by=coordinator)

    with pytest.raises(ActionError, match="published"):
        proposed_pair_forbid(run=run, pair_id=run.pairs.get().pk, by=coordinator)


def test_a_closed_program_neither_starts_nor_publishes_a_run(program, coordinator):
    seniors_and_juniors(program, 2)
    run = _finished_run(program, coordinator)
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.CLOSED)
    program.refresh_from_db()
    with pytest.raises(ActionError, match="is closed"):
        matching_run_start(program=program, started_by=coordinator)
    with pytest.raises(ActionError, match="is closed"):
        matching_run_publish(run=run, by=coordinator)
    assert not Pairing.objects.filter(program=program).exists()

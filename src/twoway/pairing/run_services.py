"""Writes for matching runs: start one, execute it (the background task), override its
pairs (lock, forbid, swap), and publish it.

A run is executed by a task (`pairing.tasks`) so that a large program does not hold a
web request; the run's row carries its progress for the page to poll.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from twoway.core.errors import ActionError
from twoway.matching import InputError, Pair, check_pairs, match
from twoway.matching.explain import RULE_LABELS
from twoway.matching.formats import parse_rules
from twoway.matching.output import to_plain
from twoway.matching.rules import rules_to_mapping
from twoway.notifications.models import Notification, NotificationKind
from twoway.notifications.services import Note, notify
from twoway.pairing.engine_input import (
    EngineInput,
    engine_id,
    engine_input_for,
    round_preferences,
    with_preferences,
)
from twoway.pairing.models import (
    OPEN_STATUSES,
    MatchingRun,
    Pairing,
    PairingStatus,
    PairRule,
    PairRuleKind,
    ProposedPair,
    RunMode,
    RunScope,
    RunStatus,
    SelfMatchRound,
)
from twoway.pairing.services import proposal_note
from twoway.pairing.tasks import matching_run_task, notifications_email_task
from twoway.programs.models import Participant, ParticipantStatus, Program, ProgramStatus

logger = logging.getLogger(__name__)

# Where each phase starts on the progress bar, and its label on the page.
PHASES = {
    "reading": (2, "Reading profiles"),
    "score": (10, "Scoring"),
    "candidates": (30, "Finding candidates"),
    "solve": (50, "Solving"),
    "explain": (75, "Explaining"),
    "saving": (90, "Saving"),
}
SHOWN_NAMES = 5  # people named in a refusal before "and N others"


# --- Start and execute --------------------------------------------------------------------


@transaction.atomic
def matching_run_start(
    *,
    program: Program,
    started_by,
    mode: str = "optimal",
    only: Iterable | None = None,
    self_match_round: SelfMatchRound | None = None,
) -> MatchingRun:
    """Queue a matching run on `program`; the background task executes it.

    `only` (participants or their ids) makes it a rematch: the engine pairs those
    people among themselves, never with an earlier partner or anyone they exited from.
    With an open `self_match_round`, the stable mode runs on the participants' rankings.
    """
    refuse_if_closed(program)
    if self_match_round is not None:
        if self_match_round.program_id != program.pk or self_match_round.closed_at:
            raise ActionError("That self-match round is not open in this program.")
        mode = RunMode.STABLE
    if mode not in RunMode.values:
        raise ActionError("Choose how to match: " + ", ".join(RunMode.values) + ".", field="mode")
    only_ids = None if only is None else sorted({getattr(p, "pk", p) for p in only})
    if only_ids is not None:
        found = Participant.objects.filter(program=program, pk__in=only_ids).count()
        if found != len(only_ids) or len(only_ids) < 2:
            raise ActionError(
                "A rematch needs at least two people, all enrolled in this program.", field="only"
            )
    run = MatchingRun.objects.create(
        program=program,
        started_by=started_by,
        mode=mode,
        scope=RunScope.PROGRAM if only_ids is None else RunScope.REMATCH,
        only=only_ids or [],
        rules=rules_to_mapping(program.matching_rules()),
        phase="Waiting for the background worker",
        self_match_round=self_match_round,
    )
    transaction.on_commit(lambda: matching_run_task.enqueue(run.pk))
    return run


def refuse_if_closed(program: Program) -> None:
    """A closed program proposes nobody new (its history stays readable)."""
    if program.status == ProgramStatus.CLOSED:
        raise ActionError(
            f"{program.name} is closed, so it proposes no new pairs. To match again, set its "
            "status back to running in Setup."
        )


def matching_run_execute(*, run_id: int) -> MatchingRun | None:
    """Run the engine for a queued run and save what it proposes; None if not queued.

    Claiming the run is a conditional update, so a task delivered twice runs once.
    Any failure marks the run failed with a message and saves no proposed pair.
    """
    claimed = MatchingRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    run = MatchingRun.objects.select_related("program").get(pk=run_id)
    try:
        _execute(run)
    except Exception as error:  # the run's page must say what happened, whatever it was
        logger.exception("matching run %s failed", run.pk)
        MatchingRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            phase="",
            error=_error_message(error),
        )
        _tell_starter(run, succeeded=False)
    run.refresh_from_db()
    return run


def _error_message(error: Exception) -> str:
    if isinstance(error, (InputError, ActionError)):
        return f"The matching could not run: {error}"
    return (
        "The matching stopped with an unexpected error "
        f"({type(error).__name__}: {error}). Nothing was proposed; try again, and tell "
        "your administrator if it happens again."
    )


def _set_phase(run: MatchingRun, phase: str) -> None:
    percent, label = PHASES[phase]
    MatchingRun.objects.filter(pk=run.pk).update(progress=percent, phase=label)


def _execute(run: MatchingRun) -> None:
    _set_phase(run, "reading")
    only = run.only if run.scope == RunScope.REMATCH else None
    given = engine_input_for(run.program, only=only, rules=parse_rules(run.rules))
    match_input = given.match_input
    if run.self_match_round_id:
        match_input = with_preferences(match_input, round_preferences(run.self_match_round_id))
    outcome = match(
        match_input,
        mode=run.mode,
        vocabulary=given.vocabulary,
        progress=lambda phase: _set_phase(run, phase),
    )
    result = outcome.result
    locked = _locked_pairs(given)
    _set_phase(run, "saving")
    with transaction.atomic():
        ProposedPair.objects.bulk_create(
            [_proposed(run, pair, locked=True) for pair in locked]
            + [_proposed(run, pair, locked=False) for pair in result.pairs],
            batch_size=2000,
        )
        run.stats = to_plain(result.stats) | {"locked_pairs": len(locked)}
        run.unmatched = [
            {"participant": int(item.id), "reason": item.reason} for item in result.unmatched
        ] + given.left_out
        run.status = RunStatus.SUCCEEDED
        run.progress, run.phase, run.finished_at = 100, "", timezone.now()
        run.save(update_fields=["stats", "unmatched", "status", "progress", "phase", "finished_at"])
        _tell_starter(run, succeeded=True)


def _locked_pairs(given: EngineInput) -> list[Pair]:
    """The locked pairs, scored and explained now; a lock that a rule change has made
    impossible (say, a new level-gap rule) is not kept."""
    if not given.locked:
        return []
    checks = check_pairs(given.everyone, given.locked, vocabulary=given.vocabulary)
    return [check.pair for check in checks if check.pair is not None]


def _proposed(run: MatchingRun, pair: Pair, *, locked: bool) -> ProposedPair:
    """A proposed pair in canonical order (smaller id first), its explanation turned to match."""
    explanation = to_plain(pair)
    explanation = {key: explanation[key] for key in EXPLANATION_KEYS}
    a, b = int(pair.a), int(pair.b)
    if a > b:
        a, b = b, a
        explanation = _turned(explanation)
    bridges = {bridge["kind"]: bridge for bridge in explanation["bridges"]}
    level = bridges.get("level")
    return ProposedPair(
        run=run,
        participant_a_id=a,
        participant_b_id=b,
        score=pair.score,
        explanation=explanation,
        locked=locked,
        two_way=bool(explanation["a_teaches_b"]) and bool(explanation["b_teaches_a"]),
        cross_department="department" in bridges,
        level_gap=abs(int(level["a"]) - int(level["b"])) if level else 0,
    )


EXPLANATION_KEYS = ("a_teaches_b", "b_teaches_a", "bridges", "common_ground")


def _turned(explanation: dict) -> dict:
    return {
        "a_teaches_b": explanation["b_teaches_a"],
        "b_teaches_a": explanation["a_teaches_b"],
        "bridges": [{**item, "a": item["b"], "b": item["a"]} for item in explanation["bridges"]],
        "common_ground": explanation["common_ground"],
    }


def _tell_starter(run: MatchingRun, *, succeeded: bool) -> None:
    if run.started_by_id is None:
        return
    title = (
        f"The matching run for {run.program.name} is ready to review."
        if succeeded
        else f"The matching run for {run.program.name} failed; its page says why."
    )
    link = reverse("matching:run", args=[run.program.slug, run.pk])
    note = Note(NotificationKind.MATCHING_RUN_FINISHED, title, link=link)
    notify(recipients=[run.started_by], note=note, email=False)


# --- Overrides ------------------------------------------------------------------------


def _reviewable(run: MatchingRun) -> MatchingRun:
    """The run locked for this transaction; it must still be open to changes."""
    locked = (
        MatchingRun.objects.select_for_update(of=("self",)).select_related("program").get(pk=run.pk)
    )
    if locked.status != RunStatus.SUCCEEDED:
        raise ActionError(
            f"This run is {locked.get_status_display().lower()}, so it can no longer be "
            "changed or published."
        )
    return locked


def _pair_of(run: MatchingRun, pair_id: int) -> ProposedPair:
    pair = (
        ProposedPair.objects.select_related("participant_a__user", "participant_b__user")
        .filter(run=run, pk=pair_id)
        .first()
    )
    if pair is None:
        raise ActionError("That pair is not in this run any more.")
    return pair


@transaction.atomic
def proposed_pair_lock(*, run: MatchingRun, pair_id: int, by, locked: bool = True) -> ProposedPair:
    """Lock a proposed pair (every new run keeps it) or unlock it."""
    run = _reviewable(run)
    pair = _pair_of(run, pair_id)
    pair.locked = locked
    pair.save(update_fields=["locked"])
    rule = PairRule.objects.filter(
        program=run.program, participant_a=pair.participant_a, participant_b=pair.participant_b
    )
    if locked:
        rule.delete()
        PairRule.objects.create(
            program=run.program,
            participant_a=pair.participant_a,
            participant_b=pair.participant_b,
            kind=PairRuleKind.LOCK,
            created_by=by,
        )
    else:
        rule.filter(kind=PairRuleKind.LOCK).delete()
    return pair


@transaction.atomic
def proposed_pair_forbid(*, run: MatchingRun, pair_id: int, by) -> PairRule:
    """Forbid a proposed pair: it leaves this run, and no later run proposes it."""
    run = _reviewable(run)
    pair = _pair_of(run, pair_id)
    PairRule.objects.filter(
        program=run.program, participant_a=pair.participant_a, participant_b=pair.participant_b
    ).delete()
    rule = PairRule.objects.create(
        program=run.program,
        participant_a=pair.participant_a,
        participant_b=pair.participant_b,
        kind=PairRuleKind.FORBID,
        created_by=by,
    )
    pair.delete()
    # With a capacity above 1, someone may keep another partner in this run: only
    # those left with none are without a partner.
    people = (pair.participant_a_id, pair.participant_b_id)
    still_paired = set()
    for a, b in ProposedPair.objects.filter(
        Q(participant_a_id__in=people) | Q(participant_b_id__in=people), run=run
    ).values_list("participant_a_id", "participant_b_id"):
        still_paired.update((a, b))
    reason = "their proposed pair was forbidden by a coordinator; run the matching again"
    run.unmatched = run.unmatched + [
        {"participant": person, "reason": reason} for person in people if person not in still_paired
    ]
    run.save(update_fields=["unmatched"])
    return rule


@transaction.atomic
def pair_rule_remove(*, program: Program, rule_id: int) -> None:
    """Take back a lock or a forbidden pair: later runs are free to do either again."""
    deleted, _ = PairRule.objects.filter(program=program, pk=rule_id).delete()
    if not deleted:
        raise ActionError("That rule was already removed.")


@transaction.atomic
def proposed_pairs_swap(
    *, run: MatchingRun, pair_id: int, stays: int, other_pair_id: int, other: int, by
) -> tuple[ProposedPair, ProposedPair]:
    """Swap partners between two proposed pairs.

    In the pair `pair_id`, the participant `stays` is paired with `other` from the
    pair `other_pair_id`; their old partners are paired with each other. Both
    new pairs are scored and explained by the engine, and a swap that breaks a hard
    rule is refused with the rule named.
    """
    run = _reviewable(run)
    pair = _pair_of(run, pair_id)
    if stays not in (pair.participant_a_id, pair.participant_b_id):
        raise ActionError("Choose one of the two people in this pair.", field="stays")
    other_pair = _pair_of(run, other_pair_id)
    if other_pair.pk == pair.pk or other not in (
        other_pair.participant_a_id,
        other_pair.participant_b_id,
    ):
        raise ActionError("Choose someone from another pair of this run.", field="other")
    if pair.locked or other_pair.locked:
        raise ActionError("A locked pair cannot be swapped: unlock it first.")
    if _people(pair) & _people(other_pair):
        # With a capacity above 1 someone has several pairs; a swap between two of
        # them would pair that person with themselves or repeat a pair.
        raise ActionError(
            "Choose someone from a pair without either of these two people.", field="other"
        )
    mover = pair.participant_b_id if stays == pair.participant_a_id else pair.participant_a_id
    left = (
        other_pair.participant_b_id
        if other == other_pair.participant_a_id
        else other_pair.participant_a_id
    )
    new_pairs = [tuple(sorted((stays, other))), tuple(sorted((mover, left)))]
    _refuse_existing(run, new_pairs, exclude=(pair.pk, other_pair.pk))
    given = engine_input_for(run.program, only=None, rules=parse_rules(run.rules))
    known = {p.id for p in given.everyone.participants}
    wanted = [(engine_id(a), engine_id(b)) for a, b in new_pairs]
    if any(x not in known or y not in known for x, y in wanted):
        raise ActionError("One of these people can no longer be matched (their profile changed).")
    checks = check_pairs(given.everyone, wanted, vocabulary=given.vocabulary)
    names = _names([*new_pairs[0], *new_pairs[1]])
    for check in checks:
        if check.pair is None:
            rules = ", ".join(RULE_LABELS.get(rule, rule) for rule in check.broken)
            raise ActionError(
                f"{names[int(check.a)]} and {names[int(check.b)]} cannot be paired: {rules}."
            )
    ProposedPair.objects.filter(pk__in=[pair.pk, other_pair.pk]).delete()
    created = ProposedPair.objects.bulk_create(
        [_proposed(run, check.pair, locked=False) for check in checks]
    )
    return created[0], created[1]


def _people(pair: ProposedPair) -> set[int]:
    return {pair.participant_a_id, pair.participant_b_id}


def _refuse_existing(run: MatchingRun, pairs, *, exclude) -> None:
    for a, b in pairs:
        exists = (
            ProposedPair.objects.filter(run=run, participant_a_id=a, participant_b_id=b)
            .exclude(pk__in=exclude)
            .exists()
        )
        if exists:
            raise ActionError("These two are already proposed to each other in this run.")


def _names(participant_ids: Iterable[int]) -> dict[int, str]:
    rows = Participant.objects.filter(pk__in=list(participant_ids)).values_list(
        "pk", "user__full_name"
    )
    return dict(rows)


# --- Publish ------------------------------------------------------------------------------


@transaction.atomic
def matching_run_publish(*, run: MatchingRun, by) -> int:
    """Turn the run's proposed pairs into pairings (proposed) and tell both partners.

    All or nothing, and safe under concurrency: the program's row is locked first, so
    two coordinators publishing at once take turns, and the second sees the first's
    pairings when it counts places. Refused, naming the people, when anyone would
    have more open pairings (proposed, accepted, active) than the program allows.
    Returns how many pairings were created.
    """
    program = Program.objects.select_for_update().get(pk=run.program_id)
    refuse_if_closed(program)
    run = _reviewable(run)
    pairs = list(run.pairs.values_list("participant_a_id", "participant_b_id", "score"))
    if not pairs:
        raise ActionError("This run proposes no pairs, so there is nothing to publish.")
    pairs_full = list(run.pairs.values("participant_a_id", "participant_b_id", "explanation"))
    people = {p for a, b, _ in pairs for p in (a, b)}
    _refuse_withdrawn(program, people)
    _refuse_over_capacity(program, pairs)
    now = timezone.now()
    created = Pairing.objects.bulk_create(
        [
            Pairing(
                program=program,
                participant_a_id=a,
                participant_b_id=b,
                status=PairingStatus.PROPOSED,
                score=score,
                explanation=full["explanation"],
                proposed_at=now,
            )
            for (a, b, score), full in zip(pairs, pairs_full, strict=True)
        ],
        batch_size=2000,
    )
    _notify_partners(program, created)
    _drop_used_locks(program, {(a, b) for a, b, _ in pairs})
    run.status, run.published_at, run.published_by = RunStatus.PUBLISHED, now, by
    run.save(update_fields=["status", "published_at", "published_by"])
    if run.self_match_round_id:  # its rankings have been used
        SelfMatchRound.objects.filter(pk=run.self_match_round_id, closed_at=None).update(
            closed_at=now
        )
    # Older runs were computed before these pairings existed; a newer run (say, a
    # rematch started meanwhile) stays publishable, and its publish counts places again.
    MatchingRun.objects.filter(program=program, status=RunStatus.SUCCEEDED, pk__lt=run.pk).update(
        status=RunStatus.SUPERSEDED
    )
    return len(created)


def _drop_used_locks(program: Program, published: set[tuple[int, int]]) -> None:
    """A lock has done its work once its pair is published."""
    locks = PairRule.objects.filter(program=program, kind=PairRuleKind.LOCK).values_list(
        "pk", "participant_a_id", "participant_b_id"
    )
    used = [pk for pk, a, b in locks if (a, b) in published]
    PairRule.objects.filter(pk__in=used).delete()


def _refuse_withdrawn(program: Program, people: set[int]) -> None:
    gone = Participant.objects.filter(pk__in=people).exclude(status=ParticipantStatus.ENROLLED)
    names = sorted(gone.values_list("user__full_name", flat=True))
    if names:
        raise ActionError(
            "Nothing was published: " + _listed(names) + " no longer take part in the program. "
            "Run the matching again."
        )


def _refuse_over_capacity(program: Program, pairs) -> None:
    """Count open pairings per person (one query) with the run's, against the capacity."""
    taken: Counter = Counter()
    open_pairs = set()
    rows = Pairing.objects.filter(program=program, status__in=OPEN_STATUSES).values_list(
        "participant_a_id", "participant_b_id"
    )
    for a, b in rows:
        taken[a] += 1
        taken[b] += 1
        open_pairs.add((a, b))
    for a, b, _ in pairs:
        taken[a] += 1
        taken[b] += 1
    over = [person for person, count in taken.items() if count > program.capacity]
    if over:
        names = sorted(_names(over).values())
        raise ActionError(
            f"Nothing was published: {_listed(names)} would have more than "
            f"{program.capacity} open pairing{'s' if program.capacity != 1 else ''} "
            "(proposed, accepted or active) counting pairings published since this run. "
            "Run the matching again."
        )
    repeated = [(a, b) for a, b, _ in pairs if (a, b) in open_pairs]
    if repeated:
        names = _names({p for pair in repeated for p in pair})
        listed = [f"{names[a]} and {names[b]}" for a, b in repeated]
        raise ActionError(
            f"Nothing was published: {_listed(listed)} already have an open pairing. "
            "Run the matching again."
        )


def _listed(names: list[str]) -> str:
    shown = names[:SHOWN_NAMES]
    text = ", ".join(shown)
    if len(names) > SHOWN_NAMES:
        text += f" and {len(names) - SHOWN_NAMES} other{'s' if len(names) > 6 else ''}"
    return text


def _notify_partners(program: Program, pairings: list[Pairing]) -> None:
    """One notification per partner, written in bulk; the e-mails go out from the worker.

    `notify` takes one note for many people, but each partner's note names a
    different partner and links to a different pairing, hence the rows are built
    here with the same words as `pairing_propose`.
    """
    ids = {p for pairing in pairings for p in (pairing.participant_a_id, pairing.participant_b_id)}
    people = {row.pk: row for row in Participant.objects.filter(pk__in=ids).select_related("user")}
    rows = []
    for pairing in pairings:
        a, b = people[pairing.participant_a_id], people[pairing.participant_b_id]
        for me, partner in ((a, b), (b, a)):
            note = proposal_note(program=program, partner=partner, pairing=pairing)
            rows.append(
                Notification(
                    recipient=me.user,
                    kind=note.kind,
                    title=note.title,
                    body=note.body,
                    link=note.link,
                )
            )
    created = Notification.objects.bulk_create(rows, batch_size=2000)
    ids_to_email = [row.pk for row in created]
    transaction.on_commit(lambda: notifications_email_task.enqueue(ids_to_email))

"""Finding new partners for people whose pairing ended: a rematch from the health
dashboard or the exits queue.

A rematch is a matching run (`pairing.run_services.matching_run_start`) limited to the
people it names. It names the people the item freed *and* everyone else in the program
who is waiting for a partner: two people who just left each other cannot be paired
again, so a run of the freed people alone would find nobody. The engine never proposes
an earlier pair again (`pairing.engine_input`: every earlier pairing of the program,
exits and declines included, is excluded), and nothing reaches anyone before the
coordinator reviews and publishes the run.

Starting the rematch deals with the item: the coordinator has acted, and the run's
page (linked from the item while the run is under way) is where the rest happens.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from twoway.core.errors import ActionError
from twoway.insights.models import ExitReview
from twoway.insights.selectors.exits import ItemKind
from twoway.insights.selectors.health import rematch_requests_open
from twoway.insights.services.exits import review_fields
from twoway.pairing.models import OPEN_STATUSES, MatchingRun, Pairing, RunScope, RunStatus
from twoway.pairing.run_services import matching_run_start
from twoway.pairing.selectors import pairing_in_program
from twoway.programs.models import Participant, ParticipantStatus, Program

UNDER_WAY = (RunStatus.QUEUED, RunStatus.RUNNING)


@dataclass(frozen=True)
class Rematch:
    run: MatchingRun
    seekers: list[str]  # the names of the people the rematch is for
    others: int  # how many other people waiting for a partner the run includes


@transaction.atomic
def rematch_start_for_item(*, program: Program, by, kind: str, item_id: int) -> Rematch:
    """A rematch for the people an exit, a decline or a request for a new partner freed."""
    fields = review_fields(program, kind, item_id)
    if kind == ItemKind.REMATCH:
        freed = [fields["participant"].pk]
    else:
        pairing = fields[kind].pairing
        freed = [pairing.participant_a_id, pairing.participant_b_id]
    return _rematch(program=program, by=by, freed=freed, items=[fields])


@transaction.atomic
def rematch_start_for_pairing(*, program: Program, by, pairing_id: int) -> Rematch:
    """A rematch for both partners of a pairing on the health dashboard; its exit or
    decline is dealt with by it, if it has one."""
    pairing = pairing_in_program(program, pairing_id, related=("exit__review", "decline__review"))
    items = []
    for kind in (ItemKind.EXIT, ItemKind.DECLINE):
        row = getattr(pairing, kind, None)
        if row is not None and getattr(row, "review", None) is None:
            items.append({kind: row})
    freed = [pairing.participant_a_id, pairing.participant_b_id]
    return _rematch(program=program, by=by, freed=freed, items=items)


def _rematch(*, program: Program, by, freed: list[int], items: list[dict]) -> Rematch:
    # The program's row first: two coordinators pressing the button at once go in line,
    # and the second finds the first one's run under way.
    program = Program.objects.select_for_update().get(pk=program.pk)
    people = {
        person.pk: person
        for person in Participant.objects.filter(program=program, pk__in=freed).select_related(
            "user__profile"
        )
    }
    open_pairings = _open_pairings_per_person(program)
    seekers = [people[pk] for pk in freed if _can_be_matched(people[pk], open_pairings, program)]
    if not seekers:
        raise ActionError(_nobody_to_rematch([people[pk] for pk in freed], open_pairings, program))
    _refuse_if_under_way(program, [person.pk for person in seekers])
    seeker_ids = {person.pk for person in seekers}
    others = [pk for pk in _waiting_for_a_partner(program, open_pairings) if pk not in seeker_ids]
    if not others:
        # The people an item frees were partners: they are never paired with each other again.
        names = " and ".join(person.user.full_name for person in seekers)
        raise ActionError(
            f"Nobody else is waiting for a partner, so there is no one new to pair {names} "
            "with. Invite more people, or try again when another pairing ends."
        )
    run = matching_run_start(
        program=program, started_by=by, only=[person.pk for person in seekers] + others
    )
    named = {item["participant"].pk for item in items if "participant" in item}
    requests = [
        fields
        for fields in _open_requests_of(program, seekers)
        if fields["participant"].pk not in named
    ]
    _deal_with(program, by, items + requests)
    return Rematch(
        run=run, seekers=[person.user.full_name for person in seekers], others=len(others)
    )


def _open_pairings_per_person(program: Program) -> Counter:
    """How many places each person's open pairings (proposed, accepted, active) take."""
    taken: Counter = Counter()
    rows = Pairing.objects.filter(program=program, status__in=OPEN_STATUSES).values_list(
        "participant_a_id", "participant_b_id"
    )
    for a, b in rows:
        taken[a] += 1
        taken[b] += 1
    return taken


def _can_be_matched(person: Participant, open_pairings: Counter, program: Program) -> bool:
    """What the engine reads (engine_input): enrolled, a completed profile, a place left."""
    return (
        person.status == ParticipantStatus.ENROLLED
        and person.profile_completed_at is not None
        and hasattr(person.user, "profile")
        and open_pairings[person.pk] < program.capacity
    )


def _nobody_to_rematch(people: list[Participant], open_pairings: Counter, program: Program):
    reasons = []
    for person in people:
        name = person.user.full_name
        if person.status != ParticipantStatus.ENROLLED:
            reasons.append(f"{name} no longer takes part")
        elif person.profile_completed_at is None or not hasattr(person.user, "profile"):
            reasons.append(f"{name} has not completed their profile")
        else:
            count = open_pairings[person.pk]
            reasons.append(
                f"{name} is already in {count} open pairing{'s' if count != 1 else ''} "
                f"(the program allows {program.capacity})"
            )
    return "There is nobody to find a partner for: " + "; ".join(reasons) + "."


def _refuse_if_under_way(program: Program, seekers: list[int]) -> None:
    """One run at a time for the same people: a second would propose them twice."""
    runs = MatchingRun.objects.filter(program=program, status__in=UNDER_WAY).only(
        "pk", "scope", "only"
    )
    for run in runs:
        if run.scope == RunScope.PROGRAM or set(run.only) & set(seekers):
            raise ActionError(
                f"A matching run that includes them is already {_status_words(run)} (run "
                f"{run.pk}). Wait for it on the Matching tab, then review what it proposes."
            )


def _status_words(run: MatchingRun) -> str:
    return "waiting to start" if run.status == RunStatus.QUEUED else "running"


def _waiting_for_a_partner(program: Program, open_pairings: Counter) -> list[int]:
    """Everyone the engine would read who has a place left, in a fixed order."""
    ready = Participant.objects.filter(
        program=program,
        status=ParticipantStatus.ENROLLED,
        profile_completed_at__isnull=False,
        user__profile__isnull=False,
    ).values_list("pk", flat=True)
    return [pk for pk in ready.order_by("pk") if open_pairings[pk] < program.capacity]


def _open_requests_of(program: Program, seekers: Iterable[Participant]) -> list[dict]:
    """The seekers' own requests for a new partner that nobody has dealt with yet."""
    ids = [person.pk for person in seekers]
    return [
        {"participant": person, "rematch_requested_at": person.rematch_requested_at}
        for person in rematch_requests_open(program).filter(Q(pk__in=ids))
    ]


def _deal_with(program: Program, by, items: list[dict]) -> None:
    now = timezone.now()
    for fields in items:
        try:
            with transaction.atomic():
                ExitReview.objects.create(
                    program=program, reviewed_by=by, reviewed_at=now, **fields
                )
        except IntegrityError:
            pass  # another coordinator marked it a moment ago: it is dealt with either way

"""Writes for a self-match round: open it (suggestions for everyone), and rank them.

The round's stable run is an ordinary matching run (`run_services.matching_run_start`
with the round), reviewed and published like any other.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from twoway.core.errors import ActionError
from twoway.core.models import DOUBLE_SUBMIT_WINDOW
from twoway.matching import suggest
from twoway.matching.output import to_plain
from twoway.notifications.models import NotificationKind
from twoway.notifications.services import Note, notify
from twoway.pairing.engine_input import engine_input_for
from twoway.pairing.models import SelfMatchRound, Suggestion
from twoway.pairing.run_services import EXPLANATION_KEYS, refuse_if_closed
from twoway.programs.models import Participant, Program

SUGGESTIONS_PER_PERSON = 5


@transaction.atomic
def self_match_round_open(*, program: Program, by) -> SelfMatchRound:
    """Open a round: each person with a place left gets their best eligible suggestions.

    An open round of the program is closed first (its rankings stay in the history).
    Everyone with at least one suggestion is told.
    """
    if not program.self_match:
        raise ActionError("This program does not use self-match rounds (see its settings).")
    refuse_if_closed(program)
    Program.objects.select_for_update().filter(pk=program.pk).first()
    now = timezone.now()
    # A second click on "Open a round" finds the round the first one opened.
    just_opened = SelfMatchRound.objects.filter(
        program=program, opened_by=by, closed_at=None, opened_at__gte=now - DOUBLE_SUBMIT_WINDOW
    ).first()
    if just_opened is not None:
        return just_opened
    SelfMatchRound.objects.filter(program=program, closed_at__isnull=True).update(closed_at=now)
    given = engine_input_for(program)
    suggestions = suggest(
        given.match_input, per_person=SUGGESTIONS_PER_PERSON, vocabulary=given.vocabulary
    )
    if not any(suggestions.values()):
        raise ActionError(
            "Nobody has an eligible partner yet, so there is nothing to rank. Check that "
            "people have completed their profiles with what they offer and want to learn."
        )
    round = SelfMatchRound.objects.create(program=program, opened_by=by, opened_at=now)
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                round=round,
                participant_id=int(person),
                suggested_id=int(pair.b),
                position=position,
                score=pair.score,
                explanation={key: to_plain(pair)[key] for key in EXPLANATION_KEYS},
            )
            for person, pairs in suggestions.items()
            for position, pair in enumerate(pairs, start=1)
        ],
        batch_size=2000,
    )
    _tell_participants(program, [int(person) for person, pairs in suggestions.items() if pairs])
    return round


def _tell_participants(program: Program, participant_ids: list[int]) -> None:
    users = [
        participant.user
        for participant in Participant.objects.filter(pk__in=participant_ids).select_related("user")
    ]
    note = Note(
        NotificationKind.SUGGESTIONS_READY,
        f"Your suggested partners in {program.name} are ready: rank the ones you would "
        "like to learn with.",
        link=reverse("matching:suggestions", args=[program.slug]),
    )
    notify(recipients=users, note=note)


@transaction.atomic
def suggestions_rank(
    *, round: SelfMatchRound, participant: Participant, ranks: dict[int, int | None]
) -> int:
    """Record a participant's ranking: suggested participant id -> 1 (first choice)...,
    or None for someone they would rather not be paired with. Returns how many ranked.

    Ranks must be 1, 2, 3 ... without gaps or repeats, and name only their suggestions.
    """
    round = SelfMatchRound.objects.select_for_update().get(pk=round.pk)
    if round.closed_at is not None:
        raise ActionError("This round has closed; your coordinators have made the pairs.")
    rows = list(Suggestion.objects.filter(round=round, participant=participant))
    if not rows:
        raise ActionError("You have no suggestions in this round.")
    by_suggested = {row.suggested_id: row for row in rows}
    if set(ranks) - set(by_suggested):
        raise ActionError("Rank only the people suggested to you.")
    chosen = sorted(rank for rank in ranks.values() if rank is not None)
    if chosen != list(range(1, len(chosen) + 1)):
        raise ActionError(
            "Give each person you would like a different place: 1 for your first choice, "
            "then 2, 3 and so on.",
            field="ranks",
        )
    now = timezone.now()
    for suggested_id, row in by_suggested.items():
        row.preference = ranks.get(suggested_id)
        row.ranked_at = now
    Suggestion.objects.bulk_update(rows, ["preference", "ranked_at"])
    return len(chosen)

"""Reads for self-match rounds: the coordinator's count, and a participant's suggestions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from twoway.core.errors import NotFound
from twoway.pairing.models import Pairing, SelfMatchRound, Suggestion
from twoway.pairing.selectors import ExplanationWords, PairSide, explanation_in_words
from twoway.programs.models import Participant, ParticipantStatus, Program


@dataclass(frozen=True)
class RoundProgress:
    round: SelfMatchRound
    people: int  # with at least one suggestion
    ranked: int


def open_round_of(program: Program) -> RoundProgress | None:
    """The program's open round with how many people have ranked (two queries)."""
    round = SelfMatchRound.objects.filter(program=program, closed_at__isnull=True).first()
    if round is None:
        return None
    counts = Suggestion.objects.filter(round=round).aggregate(
        people=Count("participant", distinct=True),
        ranked=Count("participant", distinct=True, filter=Q(ranked_at__isnull=False)),
    )
    return RoundProgress(round=round, **counts)


@dataclass(frozen=True)
class SuggestionView:
    suggestion: Suggestion
    name: str
    words: ExplanationWords


@dataclass(frozen=True)
class MySuggestions:
    participant: Participant
    round: SelfMatchRound | None
    suggestions: list[SuggestionView]

    @property
    def ranked(self) -> bool:
        return any(item.suggestion.ranked_at for item in self.suggestions)


def my_suggestions(user, slug: str) -> MySuggestions:
    """A participant's suggestions in their program's open round, explained to them.

    Only the program's enrolled participants may look; everyone else gets NotFound.
    Each explanation shows only what the suggested person shares with a partner.
    """
    participant = (
        Participant.objects.select_related("program", "user__profile")
        .filter(program__slug=slug, user=user, status=ParticipantStatus.ENROLLED)
        .first()
        if user.is_authenticated
        else None
    )
    if participant is None:
        raise NotFound("No such program.")
    round = SelfMatchRound.objects.filter(
        program=participant.program, closed_at__isnull=True
    ).first()
    rows = (
        Suggestion.objects.filter(round=round, participant=participant)
        .select_related("suggested__user__profile")
        .order_by("position")
        if round
        else []
    )
    return MySuggestions(
        participant=participant,
        round=round,
        suggestions=[_viewed(participant, row) for row in rows],
    )


def _viewed(me: Participant, row: Suggestion) -> SuggestionView:
    # Not a pairing yet: an unsaved one carries the explanation, facing me (I am A).
    pairing = Pairing(
        program=me.program,
        participant_a_id=me.pk,
        participant_b_id=row.suggested_id,
        explanation=row.explanation,
    )
    side = PairSide(pairing=pairing, me=me, partner=row.suggested)
    return SuggestionView(
        suggestion=row,
        name=row.suggested.user.full_name,
        words=explanation_in_words(side),
    )

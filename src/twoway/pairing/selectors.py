"""Reads about pairings. Who may see a pairing, a decline or an exit is decided here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q

from twoway.core.errors import NotFound
from twoway.pairing.models import Exit, Pairing, PairingStatus
from twoway.programs.models import Participant
from twoway.relationships.models import ConversationStatus


@dataclass(frozen=True)
class PairSide:
    """A pairing as one of its two partners sees it."""

    pairing: Pairing
    me: Participant
    partner: Participant

    @property
    def i_am_a(self) -> bool:
        return self.pairing.participant_a_id == self.me.pk

    @property
    def i_accepted(self) -> bool:
        pairing = self.pairing
        return (pairing.accepted_by_a_at if self.i_am_a else pairing.accepted_by_b_at) is not None

    @property
    def partner_accepted(self) -> bool:
        pairing = self.pairing
        return (pairing.accepted_by_b_at if self.i_am_a else pairing.accepted_by_a_at) is not None

    def mine_then_partners(self, a_value, b_value) -> tuple:
        """Turn a pair of (A, B) values into (mine, my partner's)."""
        return (a_value, b_value) if self.i_am_a else (b_value, a_value)


def side_of(pairing: Pairing, user) -> PairSide | None:
    """The user's side of a pairing (partners loaded), or None when they are not a partner."""
    a, b = pairing.participant_a, pairing.participant_b
    if a.user_id == user.pk:
        return PairSide(pairing=pairing, me=a, partner=b)
    if b.user_id == user.pk:
        return PairSide(pairing=pairing, me=b, partner=a)
    return None


def pairing_for_partner(user, pairing_id: int) -> PairSide:
    """The pairing, for one of its two partners only.

    A pair's space is theirs: coordinators follow it on their dashboard through
    metadata, and nobody else, staff included, opens it. Everyone else gets
    NotFound, the same answer as for an id that does not exist.
    """
    if not user.is_authenticated:
        raise NotFound("No such pairing")
    pairing = (
        Pairing.objects.select_related(
            "program", "participant_a__user__profile", "participant_b__user__profile"
        )
        .filter(Q(participant_a__user=user) | Q(participant_b__user=user), pk=pairing_id)
        .first()
    )
    side = side_of(pairing, user) if pairing else None
    if side is None:
        raise NotFound("No such pairing")
    return side


def pairing_in_program(program, pairing_id: int, *, related: tuple[str, ...] = ()) -> Pairing:
    """A pairing of `program` (for its coordinators' pages), else NotFound."""
    pairing = (
        Pairing.objects.filter(pk=pairing_id, program=program).select_related(*related).first()
    )
    if pairing is None:
        raise NotFound("No such pairing.")
    return pairing


def pairings_of_user(user) -> list[PairSide]:
    """The person's pairings in every program, from their side, newest first.

    Conversation counts and the last meeting come in the same query.
    """
    pairings = (
        Pairing.objects.filter(Q(participant_a__user=user) | Q(participant_b__user=user))
        .select_related("program", "participant_a__user__profile", "participant_b__user__profile")
        .annotate(
            conversation_count=Count(
                "conversations", filter=Q(conversations__status=ConversationStatus.HELD)
            ),
            last_met_at=Max(
                "conversations__starts_at",
                filter=Q(conversations__status=ConversationStatus.HELD),
            ),
        )
        .order_by("program__name", "-proposed_at")
    )
    return [side_of(pairing, user) for pairing in pairings]


def exit_reason_visible_to(user, exit: Exit) -> bool:
    """An exit's reason is for its author and the program's coordinators, never the partner."""
    if not user.is_authenticated:
        return False
    if exit.requested_by.user_id == user.pk:
        return True
    return exit.pairing.program.coordinators.filter(pk=user.pk).exists()


def closed_neutrally(pairing: Pairing) -> bool:
    """Ended without completing: partners see the same neutral words either way."""
    return pairing.status in (PairingStatus.EXITED, PairingStatus.DECLINED)


@dataclass(frozen=True)
class Lesson:
    skill: str
    offered_skill: str
    related: bool  # taught through a related skill rather than the very one asked for


@dataclass(frozen=True)
class ExplanationWords:
    """Why a pair was proposed, from one partner's side, showing only what the partner shares."""

    i_learn: list[Lesson]
    partner_learns: list[Lesson]
    bridges: list[str]
    common_ground: list[str]


# Which part of the partner's profile each bridge or common ground reveals.
_REVEALS = {
    "department": "department",
    "level": "level",
    "location": "location",
    "language": "languages",
    "interest": "interests",
}
_BRIDGE_WORDS = {
    "department": "You work in {mine}; {name} works in {theirs}.",
    "level": "You are at level {mine}; {name} is at level {theirs}.",
    "location": "You are based in {mine}; {name} in {theirs}.",
}


def _lessons(items: list[dict]) -> list[Lesson]:
    return [
        Lesson(
            skill=item["skill"],
            offered_skill=item.get("offered_skill") or item["skill"],
            related=item.get("match") == "related",
        )
        for item in items
    ]


def explanation_in_words(side: PairSide) -> ExplanationWords:
    """The stored explanation, turned to face the viewer.

    A bridge or common ground names the partner's department, level, location,
    languages or interests only when the partner shares that part of their
    profile; birth years ("generation") are never shown.
    """
    explanation = side.pairing.explanation or {}
    mine, theirs = side.mine_then_partners("a_teaches_b", "b_teaches_a")
    profile = getattr(side.partner.user, "profile", None)
    shared = set(profile.shared_with_partner) if profile else set()
    name = side.partner.user.display_name
    bridges = []
    for bridge in explanation.get("bridges", []):
        kind = bridge.get("kind")
        if kind not in _BRIDGE_WORDS or _REVEALS[kind] not in shared:
            continue
        my_value, their_value = side.mine_then_partners(bridge["a"], bridge["b"])
        bridges.append(_BRIDGE_WORDS[kind].format(mine=my_value, theirs=their_value, name=name))
    common = [
        f"You both {'speak' if item['kind'] == 'language' else 'enjoy'} {item['value']}."
        for item in explanation.get("common_ground", [])
        if _REVEALS.get(item.get("kind")) in shared
    ]
    return ExplanationWords(
        i_learn=_lessons(explanation.get(theirs, [])),
        partner_learns=_lessons(explanation.get(mine, [])),
        bridges=bridges,
        common_ground=common,
    )

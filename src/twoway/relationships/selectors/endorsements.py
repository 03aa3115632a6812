"""Reads of endorsements: what a partner may endorse, and what shows on a profile.

An endorsement is shown to others only once its recipient chooses to show it;
until then it is read by the recipient and its author only.
"""

from __future__ import annotations

from django.db.models import QuerySet

from twoway.pairing.selectors import PairSide
from twoway.profiles.models import Skill
from twoway.programs.models import Participant
from twoway.relationships.models import ConversationStatus, Endorsement, Exchange


def skills_partner_taught_me(side: PairSide) -> list[Skill]:
    """Skills the ledger says the partner taught this partner in this pairing.

    Only these can be endorsed: an endorsement vouches for what the author
    experienced, not for what the partner claims.
    """
    taught = Exchange.objects.filter(
        conversation__pairing=side.pairing, teacher=side.partner, learner=side.me
    ).exclude(conversation__status=ConversationStatus.CANCELLED)
    return list(Skill.objects.filter(pk__in=taught.values("skill_id")).order_by("name"))


def endorsements_given(side: PairSide) -> list[Endorsement]:
    """What this partner has written about the other in this pairing."""
    return list(
        Endorsement.objects.filter(pairing=side.pairing, author=side.me).select_related("skill")
    )


def endorsements_received(user) -> list[Endorsement]:
    """Every endorsement the person received, in any program, for them to show or hide."""
    return list(
        Endorsement.objects.filter(recipient__user=user).select_related(
            "skill", "author__user", "pairing__program"
        )
    )


def endorsements_shown_for(participant: Participant) -> QuerySet[Endorsement]:
    """The endorsements a person chose to show on their profile, for others to read.

    A profile belongs to the person, not to one program, so endorsements from
    every program they took part in count, as long as they chose to show them.
    """
    return Endorsement.objects.filter(
        recipient__user_id=participant.user_id, shown_on_profile=True
    ).select_related("skill", "author__user")

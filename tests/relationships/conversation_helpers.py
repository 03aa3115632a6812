"""What the conversation, ledger, calendar and prompt tests share."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.factories import ConversationFactory
from twoway.pairing.selectors import PairSide, pairing_for_partner
from twoway.relationships.models import Conversation, ConversationStatus
from twoway.relationships.services.conversations import Plan


def side_of_user(cast, who: str = "alice", pairing=None) -> PairSide:
    """The pairing as alice (or bob) sees it, loaded the way the pages load it."""
    return pairing_for_partner(getattr(cast, who), (pairing or cast.pairing).pk)


def a_plan(**changes) -> Plan:
    fields = {
        "starts_at": timezone.now() + timedelta(days=2),
        "duration_minutes": 45,
        "location": "Room 4.12",
    }
    return Plan(**{**fields, **changes})


def planned(cast, *, starts_in=timedelta(days=2), **fields) -> Conversation:
    """A planned conversation of alice and bob; a negative `starts_in` has started."""
    fields.setdefault("logged_by", cast.alice_p)
    fields.setdefault("pairing", cast.pairing)
    fields.setdefault("status", ConversationStatus.PLANNED)
    if fields["status"] == ConversationStatus.CANCELLED:
        fields.setdefault("cancelled_at", timezone.now())
    return ConversationFactory(starts_at=timezone.now() + starts_in, **fields)


def started(cast, **fields) -> Conversation:
    """A planned conversation that began an hour ago and has not been logged yet."""
    return planned(cast, starts_in=-timedelta(hours=1), **fields)


def conversation_url(conversation: Conversation, rest: str = "") -> str:
    return f"/pairings/{conversation.pairing_id}/conversations/{conversation.pk}/{rest}"

"""Reminders raised by the worker: a conversation coming up, a pulse falling due.

Run as often as you like: each reminder has a key, so nobody hears the same one
twice (a rescheduled conversation gets a new reminder, because its key includes
the calendar SEQUENCE).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from twoway.core.timezones import zone_or_utc
from twoway.notifications.models import NotificationKind
from twoway.notifications.services import Note, notify
from twoway.relationships.models import Conversation, ConversationStatus

# Far enough ahead that "tomorrow afternoon" is announced from any time today.
UPCOMING_WITHIN = timedelta(hours=36)


def reminders_send_due(*, now: datetime | None = None, email: bool = True) -> int:
    """Raise every reminder that is due now; returns how many were raised."""
    now = now or timezone.now()
    return _upcoming_conversations(now, email=email)


def _upcoming_conversations(now: datetime, *, email: bool) -> int:
    soon = Conversation.objects.filter(
        status=ConversationStatus.PLANNED, starts_at__gt=now, starts_at__lte=now + UPCOMING_WITHIN
    ).select_related("pairing__participant_a__user", "pairing__participant_b__user")
    raised = 0
    for conversation in soon:
        pairing = conversation.pairing
        link = reverse("relationships:pairing", args=[pairing.pk])
        for me, partner in (
            (pairing.participant_a, pairing.participant_b),
            (pairing.participant_b, pairing.participant_a),
        ):
            when = _in_zone_of(me.user, conversation.starts_at)
            note = Note(
                NotificationKind.CONVERSATION_UPCOMING,
                f"Your conversation with {partner.user.display_name} is on {when}.",
                link=link,
            )
            key = f"conversation-upcoming:{conversation.uid}:{conversation.sequence}"
            raised += notify(recipients=[me.user], note=note, dedupe_key=key, email=email)
    return raised


def _in_zone_of(user, moment: datetime) -> str:
    """'Thursday 26 November at 15:00 (Europe/London)', in the reader's own timezone."""
    zone = zone_or_utc(user.timezone)
    local = timezone.localtime(moment, zone)
    return f"{date_format(local, 'l j F')} at {local:%H:%M} ({zone.key})"

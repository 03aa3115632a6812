"""Reminders raised by the worker: a conversation coming up, a pulse falling due.

Run as often as you like: each reminder has a key, so nobody hears the same one
twice (a rescheduled conversation gets a new reminder, because its key includes
the calendar SEQUENCE; the next pulse gets one because its key has its due day).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from twoway.core.timezones import moment_in_words
from twoway.notifications.models import NotificationKind
from twoway.notifications.services import Note, notifications_email, notify
from twoway.relationships.selectors.conversations import conversations_starting_between
from twoway.relationships.selectors.pulses import pairings_with_pulse_due

# Far enough ahead that "tomorrow afternoon" is announced from any time today.
UPCOMING_WITHIN = timedelta(hours=36)


# E-mails that a failing mail server held back are tried again for this long.
EMAIL_RETRY_FOR = timedelta(days=2)


def reminders_send_due(*, now: datetime | None = None, email: bool = True) -> int:
    """Raise every reminder that is due now; returns how many were raised.

    Each run also sends again the e-mails that a failing mail server held back.
    """
    now = now or timezone.now()
    raised = _upcoming_conversations(now, email=email) + _pulses_due(now, email=email)
    if email:
        notifications_email(since=EMAIL_RETRY_FOR)
    return raised


def _upcoming_conversations(now: datetime, *, email: bool) -> int:
    raised = 0
    for conversation in conversations_starting_between(now, now + UPCOMING_WITHIN):
        pairing = conversation.pairing
        link = reverse("relationships:conversation", args=[pairing.pk, conversation.pk])
        key = f"conversation-upcoming:{conversation.uid}:{conversation.sequence}"
        for me, partner in (
            (pairing.participant_a, pairing.participant_b),
            (pairing.participant_b, pairing.participant_a),
        ):
            when = moment_in_words(conversation.starts_at, me.user)
            note = Note(
                NotificationKind.CONVERSATION_UPCOMING,
                f"Your conversation with {partner.user.display_name} is on {when}.",
                link=link,
            )
            raised += notify(recipients=[me.user], note=note, dedupe_key=key, email=email)
    return raised


def _pulses_due(now: datetime, *, email: bool) -> int:
    raised = 0
    for due in pairings_with_pulse_due(now=now):
        pairing, me = due.pairing, due.participant
        partner = (
            pairing.participant_b if me.pk == pairing.participant_a_id else pairing.participant_a
        )
        note = Note(
            NotificationKind.PULSE_DUE,
            f"Your pulse on your pairing with {partner.user.display_name} is due: "
            "four quick questions.",
            body="Only your coordinators may read it; your partner never can.",
            link=reverse("relationships:pulse", args=[pairing.pk]),
        )
        key = f"pulse-due:{pairing.pk}:{me.pk}:{due.due_on.isoformat()}"
        raised += notify(recipients=[me.user], note=note, dedupe_key=key, email=email)
    return raised

"""What a coordinator can do to a pairing from the health dashboard: nudge, pause,
resume and close it.

Every message to the partners is neutral: it never says which flag was raised by
whom, and never quotes a pulse, a journal or a reason.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from twoway.core.errors import ActionError
from twoway.insights.models import ActionKind, CoordinatorAction, FlagKind
from twoway.insights.selectors.health import pairing_flags_now
from twoway.notifications.models import NotificationKind
from twoway.notifications.services import Note, notify
from twoway.pairing.models import LIVE_STATUSES, Pairing, PairingStatus
from twoway.pairing.services import planned_conversations_cancel


def _locked(pairing: Pairing) -> Pairing:
    """The pairing re-read under a row lock, so two coordinators act one after the other."""
    locked = (
        Pairing.objects.select_for_update()
        .select_related("program", "participant_a__user", "participant_b__user")
        .get(pk=pairing.pk)
    )
    return locked


def _require_live(pairing: Pairing, doing: str) -> None:
    if pairing.status not in LIVE_STATUSES:
        raise ActionError(
            f"Only a pairing under way can be {doing}: this one is "
            f"{pairing.get_status_display().lower()}."
        )


def _record(pairing: Pairing, kind: str, by, now: datetime) -> None:
    CoordinatorAction.objects.create(
        pairing=pairing, kind=kind, actor=by, created_at=now, on_day=now.date()
    )


def _tell_both(pairing: Pairing, kind: str, write) -> None:
    """Send each partner the note `write(me, partner)` returns, with a link to the pairing."""
    a, b = pairing.participant_a, pairing.participant_b
    link = reverse("relationships:pairing", args=[pairing.pk])
    for me, partner in ((a, b), (b, a)):
        title, body = write(me.user, partner.user)
        notify(recipients=[me.user], note=Note(kind, title, body=body, link=link))


def _nudge_words(flags: set[str], program: str):
    """Neutral words chosen by the pairing's flags; the same for both partners."""
    if FlagKind.STALLED in flags:
        return lambda me, partner: (
            f"A note from your coordinator: time for a conversation with {partner.display_name}?",
            f"It has been a while since you last met in {program}. A short conversation "
            "keeps the learning going both ways: plan one when it suits you both.",
        )
    if FlagKind.ONE_WAY in flags:
        return lambda me, partner: (
            f"A note from your coordinator about your pairing with {partner.display_name}",
            "Reciprocal mentoring works best when both of you teach and both of you learn. "
            f"Next time you meet, ask what {partner.display_name} would like to learn from you, "
            "and say what you would like to learn in return.",
        )
    return lambda me, partner: (
        f"A note from your coordinator: how is your pairing with {partner.display_name} going?",
        f"Your coordinator in {program} is checking in. If something would help, such as a "
        "different rhythm or a fresh topic, get in touch with them.",
    )


@transaction.atomic
def pairing_nudge(*, pairing: Pairing, by) -> None:
    """E-mail and notify both partners, in words chosen by the pairing's flags.

    At most once a day (UTC) per pairing: the unique row of the day refuses a second.
    """
    pairing = _locked(pairing)
    _require_live(pairing, "nudged")
    if pairing.paused_at is not None:
        raise ActionError("This pairing is paused: resume it before you nudge it.")
    now = timezone.now()
    try:
        with transaction.atomic():
            _record(pairing, ActionKind.NUDGE, by, now)
    except IntegrityError as error:
        raise ActionError(
            "This pairing was already nudged today. You can nudge it again tomorrow."
        ) from error
    flags = {flag.kind for flag in pairing_flags_now(pairing, now=now)}
    _tell_both(
        pairing, NotificationKind.COORDINATOR_NUDGE, _nudge_words(flags, pairing.program.name)
    )


@transaction.atomic
def pairing_pause(*, pairing: Pairing, by) -> None:
    """Pause a pairing under way: no flags and no reminders until it resumes."""
    pairing = _locked(pairing)
    _require_live(pairing, "paused")
    if pairing.paused_at is not None:
        raise ActionError("This pairing is already paused.")
    now = timezone.now()
    pairing.paused_at = now
    pairing.save(update_fields=["paused_at"])
    _record(pairing, ActionKind.PAUSE, by, now)
    program = pairing.program.name
    _tell_both(
        pairing,
        NotificationKind.PAIRING_PAUSED,
        lambda me, partner: (
            f"Your coordinator has paused your pairing with {partner.display_name} in {program}.",
            "While it is paused you get no reminders and no pulse requests for it. "
            "Your coordinator will let you know when it resumes.",
        ),
    )


@transaction.atomic
def pairing_resume(*, pairing: Pairing, by) -> None:
    """Resume a paused pairing; a stall is counted afresh from now."""
    pairing = _locked(pairing)
    _require_live(pairing, "resumed")
    if pairing.paused_at is None:
        raise ActionError("This pairing is not paused, so there is nothing to resume.")
    now = timezone.now()
    pairing.paused_at = None
    pairing.save(update_fields=["paused_at"])
    _record(pairing, ActionKind.RESUME, by, now)
    program = pairing.program.name
    _tell_both(
        pairing,
        NotificationKind.PAIRING_PAUSED,
        lambda me, partner: (
            f"Your pairing with {partner.display_name} in {program} has resumed.",
            "Pick up where you left off: plan your next conversation when it suits you both.",
        ),
    )


@transaction.atomic
def pairing_close(*, pairing: Pairing, by) -> None:
    """Complete a pairing under way: planned conversations are cancelled, both are told."""
    pairing = _locked(pairing)
    _require_live(pairing, "closed")
    now = timezone.now()
    pairing.status = PairingStatus.COMPLETED
    pairing.ended_at = now
    pairing.paused_at = None
    pairing.save(update_fields=["status", "ended_at", "paused_at"])
    planned_conversations_cancel(pairing, now)
    _record(pairing, ActionKind.CLOSE, by, now)
    program = pairing.program.name
    _tell_both(
        pairing,
        NotificationKind.PAIRING_CLOSED,
        lambda me, partner: (
            f"Your pairing with {partner.display_name} in {program} has been completed.",
            "Your coordinator has closed it. Any conversations still planned were cancelled. "
            "Thank you both for the time you gave each other.",
        ),
    )

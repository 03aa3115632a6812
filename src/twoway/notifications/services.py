"""Raising notifications: a row for the bell, and an e-mail after the commit."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from twoway.notifications.models import Notification

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Note:
    """What to tell people. Never put private text (journal, pulse, reasons) in it."""

    kind: str
    title: str
    body: str = ""
    link: str = ""


def notify(*, recipients, note: Note, dedupe_key: str = "", email: bool = True) -> int:
    """Raise `note` for each recipient; returns how many were new.

    With a `dedupe_key`, a recipient who already had it is skipped, so periodic
    reminders can run as often as needed, in as many workers as needed. E-mails
    go out only once the surrounding transaction commits: a rolled-back action
    tells nobody, and a mail server that fails does not undo the action.
    """
    users = [user for user in recipients if user is not None]
    fields = {"kind": note.kind, "title": note.title, "body": note.body, "link": note.link}
    if dedupe_key:
        rows = [row for user in users if (row := _raise_once(user, dedupe_key, fields))]
    else:
        rows = Notification.objects.bulk_create(
            Notification(recipient=user, **fields) for user in users
        )
    ids = [row.pk for row in rows]
    if ids and not email:
        # Not to be e-mailed: marked as dealt with, so no later run sends it.
        Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())
    elif ids:
        transaction.on_commit(lambda: notifications_email(ids=ids), robust=True)
    return len(rows)


def _raise_once(user, dedupe_key: str, fields: dict) -> Notification | None:
    """The new notification, or None when the recipient already had this one.

    A savepoint: when another worker raises the same reminder at the same
    moment, the unique key refuses the second row and this run carries on.
    """
    if Notification.objects.filter(recipient=user, dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            return Notification.objects.create(recipient=user, dedupe_key=dedupe_key, **fields)
    except IntegrityError:
        return None


def notifications_email(*, ids: list[int] | None = None, since: timedelta | None = None) -> int:
    """Send the e-mail of each notification not e-mailed yet; returns how many went out.

    With `since`, every such notification raised that recently is tried again,
    so a mail server that was down costs a delay, not the e-mail.
    """
    rows = Notification.objects.filter(emailed_at=None).select_related("recipient")
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    if since is not None:
        rows = rows.filter(created_at__gte=timezone.now() - since)
    return sum(1 for row in rows if row.recipient.is_active and _send(row))


def _send(row: Notification) -> bool:
    # Claim the row first: whoever else is sending (the request that raised it,
    # another worker) then skips it, so nobody gets the e-mail twice.
    unsent = Notification.objects.filter(pk=row.pk, emailed_at=None)
    if not unsent.update(emailed_at=timezone.now()):
        return False
    context = {"notification": row, "url": absolute_url(row.link), "user": row.recipient}
    try:
        send_mail(
            subject=row.title,
            message=render_to_string("notifications/email.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[row.recipient.email],
        )
    except (OSError, smtplib.SMTPException):
        logger.warning("e-mail of notification %s failed; it will be tried again", row.pk)
        Notification.objects.filter(pk=row.pk).update(emailed_at=None)
        return False
    return True


def absolute_url(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path if path else settings.BASE_URL


def notifications_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them without ids)."""
    rows = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        rows = rows.filter(pk__in=notification_ids)
    return rows.update(read_at=timezone.now())

"""Raising notifications: a row for the bell, and an e-mail after the commit."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from twoway.notifications.models import Notification


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
    reminders can run as often as needed. E-mails go out only once the
    surrounding transaction commits: a rolled-back action tells nobody.
    """
    users = [user for user in recipients if user is not None]
    if dedupe_key:
        already = set(
            Notification.objects.filter(recipient__in=users, dedupe_key=dedupe_key).values_list(
                "recipient_id", flat=True
            )
        )
        users = [user for user in users if user.pk not in already]
    rows = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=note.kind,
            title=note.title,
            body=note.body,
            link=note.link,
            dedupe_key=dedupe_key,
        )
        for user in users
    )
    if email and rows:
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: _email(ids))
    return len(rows)


def _email(notification_ids: list[int]) -> None:
    rows = Notification.objects.filter(pk__in=notification_ids, emailed_at=None).select_related(
        "recipient"
    )
    for row in rows:
        if not row.recipient.is_active:
            continue
        context = {"notification": row, "url": absolute_url(row.link), "user": row.recipient}
        send_mail(
            subject=row.title,
            message=render_to_string("notifications/email.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[row.recipient.email],
        )
        Notification.objects.filter(pk=row.pk).update(emailed_at=timezone.now())


def absolute_url(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path if path else settings.BASE_URL


def notifications_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them without ids)."""
    rows = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        rows = rows.filter(pk__in=notification_ids)
    return rows.update(read_at=timezone.now())

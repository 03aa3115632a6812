"""Reads of notifications: a person only ever sees their own."""

from __future__ import annotations

from twoway.core.errors import NotFound
from twoway.notifications.models import Notification

PAGE_SIZE = 50


def notifications_of(user, *, limit: int = PAGE_SIZE) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user)[:limit])


def notification_of(user, notification_id: int) -> Notification:
    found = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if found is None:
        raise NotFound("No such notification")
    return found

"""Calendar days where a person lives: due dates, target dates and "today".

Times are stored in UTC; a day is a day in the person's own timezone, whoever
asks (a page, where the middleware has activated that zone, or a background
job, where it has not).
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from twoway.core.timezones import zone_of


def local_date(moment: datetime, user) -> date:
    """The calendar day `moment` falls on where the person lives."""
    return moment.astimezone(zone_of(user)).date()


def today_for(user, *, now: datetime | None = None) -> date:
    return local_date(now or timezone.now(), user)

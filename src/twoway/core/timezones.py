"""Timezones by IANA name, tolerant of a bad value in a row."""

from __future__ import annotations

import zoneinfo

UTC = zoneinfo.ZoneInfo("UTC")


def zone_or_none(name: str) -> zoneinfo.ZoneInfo | None:
    """The named IANA zone, or None for a name that is not one (a broken row must not crash)."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def zone_or_utc(name: str) -> zoneinfo.ZoneInfo:
    return zone_or_none(name) or UTC


def zone_of(user) -> zoneinfo.ZoneInfo:
    """The person's own timezone (UTC when unset or broken)."""
    return zone_or_utc(getattr(user, "timezone", "") or "UTC")


def moment_in_words(moment, user) -> str:
    """'Tuesday 24 November at 15:00 (Europe/London)', where the reader lives."""
    from django.utils.formats import date_format

    zone = zone_of(user)
    local = moment.astimezone(zone)
    return f"{date_format(local, 'l j F')} at {local:%H:%M} ({zone.key})"

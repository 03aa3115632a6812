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

"""Template filters for the two-way ledger and the conversations of a pair."""

from __future__ import annotations

from datetime import datetime, tzinfo

from django import template
from django.utils import dateformat, timezone

from twoway.relationships.selectors.conversations import VALUE_WORDS, location_link

register = template.Library()


@register.filter
def value_words(rating: int | None) -> str:
    """4 → "Very useful"."""
    return VALUE_WORDS.get(rating, "Not rated")


@register.filter
def link_in(location: str) -> str:
    """The web address in a place, or an empty string: templates link only that."""
    return location_link(location) or ""


@register.filter
def elsewhere(moment: datetime, zone: tzinfo | None) -> str:
    """The moment on the partner's clock ("Wed 09:00"), or "" when it reads as mine does.

    Formatted here: the date filter would turn it back to the viewer's timezone.
    """
    if moment is None or zone is None:
        return ""
    theirs, mine = timezone.localtime(moment, zone), timezone.localtime(moment)
    if theirs.replace(tzinfo=None) == mine.replace(tzinfo=None):
        return ""
    return dateformat.format(theirs, "D H:i")

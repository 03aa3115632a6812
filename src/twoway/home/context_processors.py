"""What the top navigation of every page needs, read in one query."""

from __future__ import annotations

from functools import cached_property

from django.db.models import Count, Exists, OuterRef, Q

from twoway.accounts.models import User
from twoway.programs.models import Participant


class Navigation:
    """Unread notifications and whether the person has a journal, fetched together on first use."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def _row(self) -> tuple[int, bool]:
        return (
            User.objects.filter(pk=self.user.pk)
            .annotate(
                unread=Count("notifications", filter=Q(notifications__read_at=None)),
                participant=Exists(Participant.objects.filter(user=OuterRef("pk"))),
            )
            .values_list("unread", "participant")
            .get()
        )

    @property
    def unread_notifications(self) -> int:
        return self._row[0]

    @property
    def is_participant(self) -> bool:
        return self._row[1]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"navigation": Navigation(user)}

"""How many people a pilot still takes: the one rule every way into a pilot obeys.

A pilot's size is a promise to start small. People come in four ways (an invitation
by list or one by one, a CSV import, an approved application), so the rule lives
here and each of them asks it. An invitation waiting for an answer holds a place:
otherwise a coordinator could send more invitations than there are places, and
someone accepting last would find the pilot full.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models.functions import Lower

from twoway.accounts.models import Invitation, InvitationRole
from twoway.core.errors import ActionError
from twoway.programs.models import Participant, ParticipantStatus, Program


@dataclass(frozen=True)
class PilotPlaces:
    size: int
    enrolled: int
    waiting: int  # invitations to take part, not yet answered, not expired

    @property
    def free_now(self) -> int:
        """Places not taken by anyone enrolled: what someone holding an invitation may take."""
        return max(self.size - self.enrolled, 0)

    @property
    def left(self) -> int:
        return max(self.size - self.enrolled - self.waiting, 0)

    def in_words(self) -> str:
        """E.g. "The pilot takes 20 people: 15 are enrolled and 3 invitations are
        waiting for an answer, so 2 places are left." """
        taken = f"{self.enrolled} {'is' if self.enrolled == 1 else 'are'} enrolled"
        if self.waiting:
            taken += (
                f" and {self.waiting} invitation{'s' if self.waiting != 1 else ''} "
                f"{'is' if self.waiting == 1 else 'are'} waiting for an answer"
            )
        left = (
            "no place is"
            if not self.left
            else f"{self.left} place{_s(self.left)} {_are(self.left)}"
        )
        return f"The pilot takes {self.size} people: {taken}, so {left} left."


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


def pilot_places(
    program: Program, *, joining: Iterable[str] = (), lock: bool = False
) -> PilotPlaces | None:
    """The pilot's places (None for a program that is not a pilot).

    `joining` are the addresses being enrolled or invited now: their own open
    invitations are not counted as holding a place, since they are the ones taking it.
    With `lock`, the program's row is locked first, so that two enrolments at the same
    moment (two coordinators, or a double submit) count one after the other; call it
    inside the transaction that enrols.
    """
    if lock:
        program = Program.objects.select_for_update().get(pk=program.pk)
    if not program.is_pilot or program.pilot_size is None:
        return None
    enrolled = Participant.objects.filter(program=program, status=ParticipantStatus.ENROLLED)
    enrolled_emails = enrolled.annotate(email_lower=Lower("user__email")).values("email_lower")
    waiting = set(
        Invitation.objects.usable()
        .filter(program=program, role=InvitationRole.PARTICIPANT)
        .annotate(email_lower=Lower("email"))
        .exclude(email_lower__in=enrolled_emails)
        .values_list("email_lower", flat=True)
    )
    waiting -= {email.lower() for email in joining}
    return PilotPlaces(size=program.pilot_size, enrolled=enrolled.count(), waiting=len(waiting))


def pilot_places_check(
    *,
    program: Program,
    adding: int,
    joining: Iterable[str] = (),
    field: str | None = None,
    nobody: str = "Nobody was added",
) -> None:
    """Refuse, saying how many places are left, when `adding` people would not fit.

    Locks the program's row: call it inside the transaction that enrols or invites.
    """
    places = pilot_places(program, joining=joining, lock=True)
    if places is None or adding <= places.left:
        return
    raise ActionError(
        f"{places.in_words()} {nobody}: {adding} more would not fit. "
        "Raise the pilot size in Setup, or roll the pilot out.",
        field=field,
    )

"""Reads for accounts: invitations and whether an address already has an account."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from twoway.accounts.models import Invitation, User
from twoway.core.errors import NotFound
from twoway.programs.models import Program
from twoway.programs.selectors import can_coordinate


def program_to_invite_to(user, slug: str) -> Program:
    """A program the user coordinates; NotFound if there is none, PermissionDenied if not theirs."""
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        raise NotFound("No such program")
    if not can_coordinate(user, program):
        raise PermissionDenied("Only the program's coordinators can invite people.")
    return program


def invitations_of(program: Program) -> QuerySet[Invitation]:
    return Invitation.objects.filter(program=program).select_related("accepted_by")


def account_exists_for(email: str) -> bool:
    """Whether the address can sign in already. An account made by a participant
    import has no password until its invitation is accepted, so it does not count."""
    user = User.objects.filter(email__iexact=email).first()
    return user is not None and user.has_usable_password()

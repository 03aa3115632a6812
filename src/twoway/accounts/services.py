"""Writes for accounts: inviting people and accepting invitations."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from twoway.accounts.models import Invitation, InvitationRole, User
from twoway.programs.models import Participant, ParticipantStatus, Program


class InvitationError(Exception):
    """An invitation that cannot be used; the message is safe to show."""


def invitation_create(
    *,
    program: Program,
    email: str,
    role: str,
    invited_by: User | None,
    full_name: str = "",
    accept_url_for,
) -> Invitation:
    """Create an invitation and e-mail its single-use link.

    `accept_url_for(token)` turns the token into an absolute link; the token
    itself is never stored.
    """
    if role not in InvitationRole.values:
        raise InvitationError(f"role: '{role}' is not one of {', '.join(InvitationRole.values)}")
    _refuse_if_already_in(program, email.strip().lower(), role)
    invitation = Invitation(
        program=program,
        email=email.strip().lower(),
        full_name=full_name.strip(),
        role=role,
        invited_by=invited_by,
    )
    token = invitation.set_new_token()
    with transaction.atomic():
        # Inviting again replaces any invitation still open for the same person and role.
        Invitation.objects.usable().filter(
            program=program, email=invitation.email, role=role
        ).delete()
        invitation.save()
        # Inside the transaction: if the mail server refuses, the old link still works.
        _send_invitation(invitation, accept_url_for(token))
    return invitation


def _refuse_if_already_in(program: Program, email: str, role: str) -> None:
    """Nobody is invited to a role they already have: the e-mail would only confuse."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return
    already = {
        InvitationRole.PARTICIPANT: Participant.objects.filter(
            program=program, user=user, status=ParticipantStatus.ENROLLED
        ),
        InvitationRole.COORDINATOR: program.coordinators.filter(pk=user.pk),
        InvitationRole.SPONSOR: program.sponsors.filter(pk=user.pk),
    }[role]
    if already.exists():
        label = InvitationRole(role).label.lower()
        raise InvitationError(f"email: {user.full_name} is already a {label} of {program.name}.")


def _send_invitation(invitation: Invitation, accept_url: str) -> None:
    context = {"invitation": invitation, "accept_url": accept_url}
    send_mail(
        subject=f"You are invited to {invitation.program.name} on Twoway",
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )


def invitation_for_token(token: str) -> Invitation:
    """The usable invitation behind a token, or InvitationError saying why not."""
    invitation = Invitation.objects.select_related("program").for_token(token).first()
    if invitation is None:
        raise InvitationError(
            "This invitation link is not valid. Ask your coordinator for a new one."
        )
    if invitation.is_accepted:
        raise InvitationError("This invitation has already been used. Sign in instead.")
    if invitation.is_expired:
        raise InvitationError("This invitation has expired. Ask your coordinator for a new one.")
    return invitation


def invitation_accept(
    *, token: str, user: User | None, full_name: str = "", password: str = ""
) -> User:
    """Use an invitation once: create the account if needed and grant the role.

    Locking the invitation row makes a double submit accept it only once.
    """
    with transaction.atomic():
        invitation = invitation_for_token(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationError("This invitation has already been used. Sign in instead.")
        if user is None and User.objects.filter(email__iexact=invitation.email).exists():
            raise InvitationError(
                f"An account for {invitation.email} already exists. "
                "Sign in, then open the link again."
            )
        if user is None:
            user = User.objects.create_user(
                email=invitation.email, password=password, full_name=full_name.strip()
            )
        elif user.email.lower() != invitation.email:
            raise InvitationError(
                f"This invitation is for {invitation.email}. Sign out and open the link again."
            )
        _grant_role(invitation, user)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


def _grant_role(invitation: Invitation, user: User) -> None:
    program = invitation.program
    if invitation.role == InvitationRole.PARTICIPANT:
        # Re-inviting someone who withdrew enrols them again.
        Participant.objects.update_or_create(
            program=program, user=user, defaults={"status": ParticipantStatus.ENROLLED}
        )
    elif invitation.role == InvitationRole.COORDINATOR:
        program.coordinators.add(user)
    elif invitation.role == InvitationRole.SPONSOR:
        program.sponsors.add(user)

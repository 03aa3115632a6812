"""Writes for accounts: inviting people and accepting invitations."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from twoway.accounts.models import Invitation, InvitationRole, User
from twoway.core.errors import ActionError
from twoway.programs.models import Participant, ParticipantStatus, Program
from twoway.programs.places import pilot_places, pilot_places_check
from twoway.programs.setup_services import program_role_accept_invitation


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
        if role == InvitationRole.PARTICIPANT:
            _refuse_past_pilot_size(program, invitation.email)
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
    send_mail(
        subject=_invitation_subject(invitation),
        message=_invitation_body(invitation, accept_url),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )


def _invitation_subject(invitation: Invitation) -> str:
    return f"You are invited to {invitation.program.name} on Twoway"


def _invitation_body(invitation: Invitation, accept_url: str) -> str:
    context = {"invitation": invitation, "accept_url": accept_url}
    return render_to_string("accounts/email/invitation.txt", context)


def invitations_create_many(
    *,
    program: Program,
    people: list[tuple[str, str]],
    role: str,
    invited_by: User | None,
) -> list[tuple[Invitation, str]]:
    """Invite many people at once: (invitation, token) for each (email, full_name).

    The caller has already checked the addresses and who is in the program, and
    runs this inside its own transaction; it sends the e-mails with
    `invitations_send` when it chooses (before its commit for a short list, so a
    refused mail undoes them all; after it for a large import). Open invitations
    for the same people and role are replaced, as `invitation_create` does.
    """
    if role not in InvitationRole.values:
        raise InvitationError(f"role: '{role}' is not one of {', '.join(InvitationRole.values)}")
    created: list[tuple[Invitation, str]] = []
    for email, full_name in people:
        invitation = Invitation(
            program=program,
            email=email.strip().lower(),
            full_name=full_name.strip(),
            role=role,
            invited_by=invited_by,
        )
        created.append((invitation, invitation.set_new_token()))
    emails = [invitation.email for invitation, _ in created]
    for start in range(0, len(emails), _IN_CHUNK):
        Invitation.objects.usable().filter(
            program=program, role=role, email__in=emails[start : start + _IN_CHUNK]
        ).delete()
    Invitation.objects.bulk_create([invitation for invitation, _ in created], batch_size=500)
    return created


# Long `IN (...)` lists are split: SQLite refuses more than a few thousand parameters.
_IN_CHUNK = 500


def invitations_send(invitations: list[tuple[Invitation, str]], *, accept_url_for) -> None:
    """E-mail each invitation's link over one connection to the mail server."""
    messages = [
        EmailMessage(
            subject=_invitation_subject(invitation),
            body=_invitation_body(invitation, accept_url_for(token)),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[invitation.email],
        )
        for invitation, token in invitations
    ]
    if messages:
        get_connection().send_messages(messages)


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
        existing = User.objects.filter(email__iexact=invitation.email).first()
        if user is None and existing is not None and existing.has_usable_password():
            raise InvitationError(
                f"An account for {invitation.email} already exists. "
                "Sign in, then open the link again."
            )
        if user is None and existing is not None:
            # An account made by a participant import, waiting for its first password.
            user = _first_password(existing, password=password, full_name=full_name)
        elif user is None:
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


def _first_password(user: User, *, password: str, full_name: str) -> User:
    user.set_password(password)
    user.full_name = full_name.strip() or user.full_name
    user.save(update_fields=["password", "full_name"])
    return user


def _refuse_past_pilot_size(program: Program, email: str) -> None:
    try:
        pilot_places_check(program=program, adding=1, joining=[email], nobody="Nobody was invited")
    except ActionError as error:
        raise InvitationError(f"email: {error.message}") from error


def _refuse_if_pilot_full(program: Program, user: User) -> None:
    """Someone holding an invitation may take any place nobody enrolled has taken."""
    if Participant.objects.filter(
        program=program, user=user, status=ParticipantStatus.ENROLLED
    ).exists():
        return
    places = pilot_places(program, joining=[user.email], lock=True)
    if places is not None and places.free_now < 1:
        raise InvitationError(
            f"{program.name} is a pilot of {places.size} people, and it is full. "
            "Ask its coordinators whether a place opens up."
        )


def _grant_role(invitation: Invitation, user: User) -> None:
    program = invitation.program
    if invitation.role == InvitationRole.PARTICIPANT:
        _refuse_if_pilot_full(program, user)
        # Re-inviting someone who withdrew enrols them again.
        Participant.objects.update_or_create(
            program=program, user=user, defaults={"status": ParticipantStatus.ENROLLED}
        )
    else:
        program_role_accept_invitation(
            program=program, user=user, role=invitation.role, invited_by=invitation.invited_by
        )

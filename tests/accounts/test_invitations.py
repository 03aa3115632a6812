"""Invitations: single use, expiring, only coordinators send them."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from twoway.accounts.models import Invitation, User
from twoway.programs.models import AuditAction, AuditEvent, Participant, ParticipantStatus

pytestmark = pytest.mark.django_db

INVITE_URL = "/accounts/programs/river/invitations/"


PASSPHRASE = "a long pass phrase"


def _account_form(full_name: str, repeated: str = PASSPHRASE) -> dict[str, str]:
    """The new account's details, as typed on the invitation page."""
    return {"full_name": full_name, "password1": PASSPHRASE, "password2": repeated}


def _invite(client, cast, email="newcomer@example.org", role="participant") -> str:
    client.force_login(cast.dana)
    response = client.post(INVITE_URL, {"email": email, "full_name": "New Comer", "role": role})
    assert response.status_code == 302
    client.logout()
    [message] = mail.outbox[-1:]
    return re.search(r"http://testserver(/accounts/invitations/\S+/)", message.body).group(1)


def test_coordinator_invites_and_the_link_is_e_mailed(client, cast):
    link = _invite(client, cast)
    assert mail.outbox[0].to == ["newcomer@example.org"]
    assert "River" in mail.outbox[0].subject
    invitation = Invitation.objects.get()
    token = link.split("/")[-2]
    # Only the token's hash is stored, so a leaked database holds no working link.
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()


@pytest.mark.parametrize("who", ["alice", "bob", "erin", "sam", "root"])
def test_only_the_program_coordinators_can_invite(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.post(INVITE_URL, {"email": "x@example.org", "role": "participant"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_anonymous_visitor_cannot_open_the_invitation_page(client, cast):
    response = client.get(INVITE_URL)
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]


def test_invitation_with_a_bad_e_mail_names_the_field(client, cast):
    client.force_login(cast.dana)
    response = client.post(INVITE_URL, {"email": "not-an-address", "role": "participant"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Invitation.objects.exists() and not mail.outbox


def test_accepting_creates_the_account_and_enrols_the_participant(client, cast):
    link = _invite(client, cast)
    response = client.post(
        link,
        _account_form("New Comer"),
    )
    assert response.status_code == 302
    user = User.objects.get(email="newcomer@example.org")
    assert Participant.objects.filter(program=cast.river, user=user).exists()
    assert client.get("/").context["user"] == user


def test_coordinator_invitation_grants_the_coordinator_role(client, cast):
    link = _invite(client, cast, email="co@example.org", role="coordinator")
    client.post(
        link,
        _account_form("Co Ord"),
    )
    assert cast.river.coordinators.filter(email="co@example.org").exists()
    [event] = AuditEvent.objects.filter(program=cast.river, subject__email="co@example.org")
    assert (event.action, event.actor) == (AuditAction.COORDINATOR_ADDED, cast.dana)
    assert event.detail == "accepted an invitation"


def test_an_invitation_works_only_once(client, cast):
    link = _invite(client, cast)
    client.post(link, _account_form("New Comer"))
    client.logout()
    response = client.get(link)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_an_expired_invitation_is_refused(client, cast):
    link = _invite(client, cast)
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = client.post(
            link,
            _account_form("Late"),
        )
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email="newcomer@example.org").exists()


def test_an_unknown_token_is_refused(client, cast):
    response = client.get("/accounts/invitations/not-a-real-token/")
    assert response.status_code == 410


def test_mismatched_passwords_name_the_field_and_create_nothing(client, cast):
    link = _invite(client, cast)
    response = client.post(
        link,
        _account_form("New Comer", repeated="different"),
    )
    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert not User.objects.filter(email="newcomer@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_weak_password_is_refused(client, cast):
    link = _invite(client, cast)
    response = client.post(link, {"full_name": "New Comer", "password1": "123", "password2": "123"})
    assert "password1" in response.context["form"].errors
    assert not User.objects.filter(email="newcomer@example.org").exists()


def test_existing_account_is_asked_to_sign_in_then_accepts(client, cast):
    link = _invite(client, cast, email="charlie@example.org", role="sponsor")
    page = client.get(link).content.decode()
    assert "already exists" in page
    client.force_login(cast.charlie)
    assert client.post(link).status_code == 302
    assert cast.river.sponsors.filter(pk=cast.charlie.pk).exists()


def test_signed_in_as_someone_else_cannot_take_the_invitation(client, cast):
    link = _invite(client, cast)
    client.force_login(cast.alice)
    response = client.post(link)
    assert "This invitation is for newcomer@example.org" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None


def test_re_inviting_a_withdrawn_participant_enrols_them_again(client, cast):
    cast.charlie_p.status = ParticipantStatus.WITHDRAWN
    cast.charlie_p.save()
    link = _invite(client, cast, email="charlie@example.org")
    client.force_login(cast.charlie)
    client.post(link)
    cast.charlie_p.refresh_from_db()
    assert cast.charlie_p.status == ParticipantStatus.ENROLLED


def test_invitation_e_mail_is_plain_text_not_html_escaped(client, cast):
    cast.dana.full_name = "Siobhán O'Brien & co"
    cast.dana.save()
    _invite(client, cast)
    assert "Siobhán O'Brien & co invites you to join" in mail.outbox[0].body


def test_a_failing_mail_server_keeps_the_previous_invitation(client, cast, monkeypatch):
    first_link = _invite(client, cast)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("twoway.accounts.services.send_mail", refuse)
    client.force_login(cast.dana)
    client.raise_request_exception = False
    response = client.post(INVITE_URL, {"email": "newcomer@example.org", "role": "participant"})
    assert response.status_code == 500
    assert Invitation.objects.count() == 1
    client.logout()
    assert client.get(first_link).status_code == 200


def test_someone_already_taking_part_is_not_invited_again(client, cast):
    client.force_login(cast.dana)
    response = client.post(
        "/accounts/programs/river/invitations/",
        {"email": "Alice@example.org", "role": "participant"},
    )
    assert response.status_code == 200
    assert "Alice Example is already a participant of River." in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox

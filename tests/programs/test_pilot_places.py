"""A pilot takes no more people than its size, whichever way they come in.

River starts with three enrolled people (alice, bob, charlie); here it is a pilot of four.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.programs.helpers import setup_post_data
from tests.programs.test_imports import batch_of, csv_of, problems_of, row
from twoway.accounts.models import Invitation, InvitationRole
from twoway.accounts.services import (
    InvitationError,
    invitation_accept,
    invitation_create,
    invitations_create_many,
)
from twoway.core.errors import ActionError
from twoway.programs.application_services import application_approve, application_submit
from twoway.programs.enrolment import enrolment_invite_list
from twoway.programs.imports import import_commit
from twoway.programs.models import (
    Application,
    ImportStatus,
    Participant,
    ParticipantStatus,
    Program,
    ProgramStatus,
)
from twoway.programs.places import pilot_places
from twoway.programs.setup_forms import ProgramSetupForm

pytestmark = pytest.mark.django_db

TEXTS = {"offer": "Spreadsheets", "learn": "Public speaking", "why": "To meet people"}


@pytest.fixture
def pilot(cast):
    Program.objects.filter(pk=cast.river.pk).update(
        is_pilot=True, pilot_size=4, open_enrolment=True
    )
    cast.river.refresh_from_db()
    return cast.river


def invite(program, by, text):
    return enrolment_invite_list(
        program=program, text=text, invited_by=by, accept_url_for=lambda token: f"https://t/{token}"
    )


def waiting_invitation(program, email):
    [(invitation, token)] = invitations_create_many(
        program=program, people=[(email, "")], role=InvitationRole.PARTICIPANT, invited_by=None
    )
    return invitation, token


def enrolled(program) -> int:
    return Participant.objects.filter(program=program, status=ParticipantStatus.ENROLLED).count()


# --- Counting -------------------------------------------------------------------------


def test_a_waiting_invitation_holds_a_place_and_a_program_that_is_not_a_pilot_has_none(cast, pilot):
    waiting_invitation(pilot, "Waiting@Example.org")
    places = pilot_places(pilot)
    assert (places.size, places.enrolled, places.waiting, places.left) == (4, 3, 1, 0)
    assert places.in_words() == (
        "The pilot takes 4 people: 3 are enrolled and 1 invitation is waiting for an "
        "answer, so no place is left."
    )
    assert pilot_places(pilot, joining=["waiting@example.org"]).left == 1
    assert pilot_places(cast.lake) is None


# --- Invitations ------------------------------------------------------------------------


def test_inviting_more_people_than_places_left_invites_nobody_and_says_how_many_fit(
    cast, pilot, mailoutbox
):
    with pytest.raises(ActionError) as refused:
        invite(pilot, cast.dana, "one@example.org two@example.org")

    assert refused.value.field == "addresses"
    assert refused.value.message.startswith(
        "The pilot takes 4 people: 3 are enrolled, so 1 place is left. Nobody was invited: "
        "2 more would not fit."
    )
    assert not Invitation.objects.exists() and mailoutbox == []
    assert len(invite(pilot, cast.dana, "one@example.org").invited) == 1


def test_inviting_the_same_person_again_takes_no_second_place(cast, pilot):
    invite(pilot, cast.dana, "one@example.org")
    invite(pilot, cast.dana, "ONE@example.org")
    assert Invitation.objects.filter(program=pilot).count() == 1


def test_the_invitations_page_refuses_one_invitation_past_the_size(client, cast, pilot):
    waiting_invitation(pilot, "first@example.org")
    client.force_login(cast.dana)
    response = client.post(
        f"/accounts/programs/{pilot.slug}/invitations/",
        {"email": "late@example.org", "role": "participant"},
    )
    assert response.status_code == 200
    assert "no place is left" in response.context["form"].errors["email"][0]
    assert not Invitation.objects.filter(email="late@example.org").exists()
    # Coordinators and sponsors are not participants: they take no place.
    invitation_create(
        program=pilot,
        email="boss@example.org",
        role=InvitationRole.SPONSOR,
        invited_by=cast.dana,
        accept_url_for=lambda token: token,
    )


def test_the_invite_page_says_how_many_places_are_left(client, cast, pilot):
    client.force_login(cast.dana)
    text = client.get(reverse("programs:people-invite", args=[pilot.slug])).content.decode()
    assert "The pilot takes 4 people: 3 are enrolled, so 1 place is left." in text


def test_an_invitation_is_accepted_while_the_pilot_has_room_even_with_others_waiting(cast, pilot):
    _, first = waiting_invitation(pilot, "first@example.org")
    Program.objects.filter(pk=pilot.pk).update(pilot_size=5)  # room for two
    waiting_invitation(pilot, "second@example.org")  # holds a place too

    invitation_accept(token=first, user=None, full_name="First", password="a long pass phrase")

    assert enrolled(pilot) == 4


def test_an_invitation_is_refused_once_the_pilot_is_full(cast, pilot):
    _, token = waiting_invitation(pilot, "late@example.org")
    Participant.objects.create(program=pilot, user=UserFactory())  # the last place went

    with pytest.raises(InvitationError, match="is a pilot of 4 people, and it is full"):
        invitation_accept(token=token, user=None, full_name="Late", password="a long pass phrase")

    assert enrolled(pilot) == 4
    assert Invitation.objects.get(email="late@example.org").accepted_at is None


# --- Imports ----------------------------------------------------------------------------


def test_an_import_past_the_size_names_the_first_row_that_does_not_fit(cast, pilot):
    text = csv_of(row("a@example.org"), row("b@example.org"), row("c@example.org"))
    assert problems_of(cast, text) == [
        "row 3, column (all): The pilot takes 4 people: 3 are enrolled, so 1 place is "
        "left. This file enrols 3, so this row and the 1 after it would not fit: remove "
        "rows, or raise the pilot size in Setup"
    ]
    assert problems_of(cast, csv_of(row("a@example.org"))) == []


def test_an_import_that_no_longer_fits_when_saved_saves_nobody(cast, pilot):
    batch = batch_of(cast, csv_of(row("a@example.org")))
    assert batch.status == ImportStatus.READY
    Participant.objects.create(program=pilot, user=UserFactory())  # meanwhile

    import_commit(batch=batch)
    batch.refresh_from_db()

    assert batch.status == ImportStatus.FAILED
    assert "so no place is left" in batch.summary["error"]
    assert enrolled(pilot) == 4


# --- Applications -----------------------------------------------------------------------


def test_approving_an_application_past_the_size_is_refused_and_it_stays_pending(cast, pilot):
    application = application_submit(program=pilot, user=UserFactory(), **TEXTS)
    waiting_invitation(pilot, "first@example.org")

    with pytest.raises(ActionError, match=r"no place is left\. The application is still waiting"):
        application_approve(application=application, by=cast.dana)

    application.refresh_from_db()
    assert application.status == "pending"
    assert enrolled(pilot) == 3


def test_approving_an_application_to_a_closed_program_is_refused(cast):
    Program.objects.filter(pk=cast.river.pk).update(open_enrolment=True)
    cast.river.refresh_from_db()
    application = application_submit(program=cast.river, user=UserFactory(), **TEXTS)
    Program.objects.filter(pk=cast.river.pk).update(status=ProgramStatus.CLOSED)

    with pytest.raises(ActionError, match="River is closed, so nobody can join it"):
        application_approve(application=Application.objects.get(pk=application.pk), by=cast.dana)

    assert Application.objects.get(pk=application.pk).status == "pending"
    assert enrolled(cast.river) == 3


def test_the_applications_page_says_why_an_approval_was_refused(client, cast, pilot):
    Participant.objects.create(program=pilot, user=UserFactory())  # full
    application = application_submit(program=pilot, user=UserFactory(), **TEXTS)
    client.force_login(cast.dana)
    response = client.post(
        reverse("programs:application-approve", args=[pilot.slug, application.pk]), follow=True
    )
    assert "so no place is left" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == "pending"


# --- Setup ------------------------------------------------------------------------------


def test_the_pilot_size_cannot_be_set_under_the_people_enrolled(client, cast, pilot):
    client.force_login(cast.dana)
    data = setup_post_data(ProgramSetupForm(program=pilot)) | {"pilot_size": 2}
    response = client.post(reverse("programs:setup", args=[pilot.slug]), data)
    assert response.context["form"].errors["pilot_size"] == [
        "3 people are already enrolled: the pilot size cannot be under that."
    ]

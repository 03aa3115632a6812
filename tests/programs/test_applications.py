"""Open enrolment: applying, and coordinators approving or declining."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.programs.helpers import assert_only_coordinators_may_open
from twoway.core.errors import ActionError, NotFound
from twoway.notifications.models import Notification, NotificationKind
from twoway.programs.application_services import (
    application_approve,
    application_decline,
    application_submit,
)
from twoway.programs.models import (
    Application,
    ApplicationStatus,
    Participant,
    ParticipantStatus,
    Program,
    ProgramStatus,
)

pytestmark = pytest.mark.django_db

TEXTS = {"offer": "Spreadsheets", "learn": "Public speaking", "why": "To meet people"}


@pytest.fixture
def open_river(cast):
    Program.objects.filter(pk=cast.river.pk).update(open_enrolment=True)
    cast.river.refresh_from_db()
    return cast.river


@pytest.fixture
def outsider(db):
    return UserFactory(email="olga@example.org", full_name="Olga Outsider")


def apply_url(program):
    return reverse("programs:apply", args=[program.slug])


def applications_url(program):
    return reverse("programs:applications", args=[program.slug])


def test_applying_tells_the_coordinators(open_river, cast, outsider):
    application = application_submit(program=open_river, user=outsider, **TEXTS)
    assert application.status == ApplicationStatus.PENDING
    note = Notification.objects.get(recipient=cast.dana)
    assert note.kind == NotificationKind.APPLICATION_RECEIVED
    assert note.link == applications_url(open_river)


def test_a_second_pending_application_is_refused(open_river, outsider):
    application_submit(program=open_river, user=outsider, **TEXTS)
    with pytest.raises(ActionError, match="already applied"):
        application_submit(program=open_river, user=outsider, **TEXTS)
    assert Application.objects.count() == 1


def test_a_participant_cannot_apply(open_river, cast):
    with pytest.raises(ActionError, match="already a participant"):
        application_submit(program=open_river, user=cast.alice, **TEXTS)


@pytest.mark.parametrize("status", [ProgramStatus.DRAFT, ProgramStatus.CLOSED])
def test_a_program_that_does_not_enrol_takes_no_application(open_river, outsider, status):
    Program.objects.filter(pk=open_river.pk).update(status=status)
    open_river.refresh_from_db()
    with pytest.raises(ActionError, match="does not take applications"):
        application_submit(program=open_river, user=outsider, **TEXTS)


def test_an_empty_answer_is_refused_on_its_field(open_river, outsider):
    with pytest.raises(ActionError) as error:
        application_submit(program=open_river, user=outsider, **(TEXTS | {"learn": "  "}))
    assert error.value.field == "learn"


def test_approving_enrols_and_sends_the_applicant_to_their_profile(open_river, cast, outsider):
    application = application_submit(program=open_river, user=outsider, **TEXTS)
    application_approve(application=application, by=cast.dana)
    application_approve(application=application, by=cast.dana)  # a double click
    participant = Participant.objects.get(program=open_river, user=outsider)
    assert participant.status == ParticipantStatus.ENROLLED
    application.refresh_from_db()
    assert (application.status, application.decided_by) == (ApplicationStatus.APPROVED, cast.dana)
    notes = Notification.objects.filter(recipient=outsider)
    assert [(n.kind, n.link) for n in notes] == [
        (NotificationKind.APPLICATION_DECIDED, reverse("profiles:welcome", args=["river"]))
    ]


def test_declining_with_a_note_tells_the_applicant(open_river, cast, outsider):
    application = application_submit(program=open_river, user=outsider, **TEXTS)
    application_decline(application=application, by=cast.dana, note="Full this round.")
    application_decline(application=application, by=cast.dana, note="again")
    application.refresh_from_db()
    assert (application.status, application.decision_note) == (
        ApplicationStatus.DECLINED,
        "Full this round.",
    )
    note = Notification.objects.get(recipient=outsider)
    assert "Full this round." in note.body
    assert not Participant.objects.filter(user=outsider).exists()
    with pytest.raises(ActionError, match="already declined"):
        application_approve(application=application, by=cast.dana)


def test_another_programs_coordinator_cannot_decide(open_river, cast, outsider):
    application = application_submit(program=open_river, user=outsider, **TEXTS)
    with pytest.raises(NotFound):
        application_approve(application=application, by=cast.erin)


# --- pages ------------------------------------------------------------------------------


def test_an_open_program_is_listed_at_home_and_the_person_applies(client, open_river, outsider):
    client.force_login(outsider)
    assert "Programs you can join" in client.get("/").content.decode()
    response = client.post(apply_url(open_river), TEXTS)
    assert response["Location"] == "/"
    text = client.get("/").content.decode()
    assert "Applied" in text and apply_url(open_river) not in text


def test_a_programs_own_coordinator_is_not_invited_to_join_it(client, open_river, cast):
    client.force_login(cast.dana)
    assert apply_url(open_river) not in client.get("/").content.decode()


def test_the_apply_page_is_404_when_enrolment_is_not_open(client, cast, outsider):
    client.force_login(outsider)
    assert client.get(apply_url(cast.river)).status_code == 404


def test_the_apply_page_says_when_one_is_already_in_or_pending(client, open_river, cast, outsider):
    client.force_login(cast.alice)
    assert "already a participant" in client.get(apply_url(open_river)).content.decode()
    application_submit(program=open_river, user=outsider, **TEXTS)
    client.force_login(outsider)
    response = client.post(apply_url(open_river), TEXTS)
    assert "The coordinators will decide" in response.content.decode()
    assert Application.objects.count() == 1


def test_the_apply_page_shows_a_missing_answer_next_to_its_field(client, open_river, outsider):
    client.force_login(outsider)
    response = client.post(apply_url(open_river), TEXTS | {"offer": ""})
    assert "offer" in response.context["form"].errors
    assert not Application.objects.exists()


def test_the_applications_tab_lists_pending_first_and_decides(client, open_river, cast, outsider):
    application = application_submit(program=open_river, user=outsider, **TEXTS)
    client.force_login(cast.dana)
    response = client.get(applications_url(open_river))
    assert [a.pk for a in response.context["queue"].pending] == [application.pk]
    approve = reverse("programs:application-approve", args=["river", application.pk])
    client.post(approve)
    assert Participant.objects.filter(program=open_river, user=outsider).exists()


def test_only_coordinators_see_and_decide_applications(client, open_river, cast, outsider):
    application = application_submit(program=open_river, user=outsider, **TEXTS)
    assert_only_coordinators_may_open(client, cast, applications_url(open_river))
    for name in ("application-approve", "application-decline"):
        url = reverse(f"programs:{name}", args=["river", application.pk])
        for who in ("erin", "sam", "root", "alice"):
            client.force_login(getattr(cast, who))
            assert client.post(url).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PENDING


def test_the_applications_tab_runs_a_fixed_number_of_queries(
    client, open_river, cast, django_assert_num_queries
):
    client.force_login(cast.dana)
    client.get(applications_url(open_river))
    # session, user, program, pending, decided, decided count, the navigation
    with django_assert_num_queries(APPLICATION_QUERIES):
        client.get(applications_url(open_river))
    for _ in range(4):
        application = application_submit(program=open_river, user=UserFactory(), **TEXTS)
        application_decline(application=application, by=cast.dana)
        application_submit(program=open_river, user=UserFactory(), **TEXTS)
    with django_assert_num_queries(APPLICATION_QUERIES):
        client.get(applications_url(open_river))


APPLICATION_QUERIES = 7

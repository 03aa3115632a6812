"""The People tab: who is enrolled, inviting by a list of addresses, profile reminders."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import ParticipantFactory, ProfileFactory, UserFactory, pairing_of
from tests.permissions import response_as
from twoway.accounts.models import Invitation
from twoway.core.errors import ActionError
from twoway.notifications.models import Notification, NotificationKind
from twoway.pairing.models import PairingStatus
from twoway.programs.enrolment import (
    addresses_parse,
    enrolment_invite_list,
    profile_reminders_send,
)
from twoway.programs.models import ParticipantStatus

pytestmark = pytest.mark.django_db

NOT_COORDINATORS = ("alice", "bob", "charlie", "erin", "sam", "root")


def people_url(**query) -> str:
    url = reverse("programs:people", args=["river"])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def names_on(response) -> list[str]:
    return [participant.user.full_name for participant in response.context["page"].object_list]


# --- Who may open it ------------------------------------------------------------------------


@pytest.mark.parametrize("who", NOT_COORDINATORS)
def test_only_the_programs_coordinators_open_the_people_pages(client, cast, who):
    for name in ("programs:people", "programs:people-invite"):
        url = reverse(name, args=["river"])
        assert response_as(client, cast, who, url).status_code == 404, (who, url)
    for name in ("programs:people-invite", "programs:people-remind"):
        url = reverse(name, args=["river"])
        data = {"addresses": "x@example.org"}
        assert response_as(client, cast, who, url, method="post", data=data).status_code == 404
    assert not Invitation.objects.exists()
    assert not Notification.objects.filter(kind=NotificationKind.PROFILE_REMINDER).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    for name in ("programs:people", "programs:people-invite", "programs:people-remind"):
        response = client.get(reverse(name, args=["river"]))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")


def test_the_people_tab_is_shown_to_coordinators_only(client, cast):
    client.force_login(cast.dana)
    tabs = client.get(reverse("programs:overview", args=["river"])).context["tabs"]
    assert "people" in [tab["key"] for tab in tabs]
    client.force_login(cast.sam)
    tabs = client.get(reverse("programs:overview", args=["river"])).context["tabs"]
    assert "people" not in [tab["key"] for tab in tabs]


# --- The list ----------------------------------------------------------------------------------


def test_the_list_shows_each_participant_with_profile_and_pairing_state(client, cast):
    cast.alice_p.profile_completed_at = timezone.now()
    cast.alice_p.save()
    client.force_login(cast.dana)
    response = client.get(people_url())
    assert names_on(response) == ["Alice Example", "Bob Example", "Charlie Example"]
    rows = {p.user.email: p for p in response.context["page"].object_list}
    assert rows["alice@example.org"].pairing_status == "active"
    assert rows["charlie@example.org"].pairing_status is None
    text = response.content.decode()
    assert "charlie@example.org" in text and "Sales" in text
    assert "Remind the 2 people who have not completed their profile" in text


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("all", ["Alice Example", "Bob Example", "Charlie Example", "Wendy Withdrawn"]),
        ("incomplete", ["Bob Example", "Charlie Example"]),
        ("unpaired", ["Charlie Example"]),
        ("withdrawn", ["Wendy Withdrawn"]),
    ],
)
def test_the_filters_show_the_right_people(client, cast, show, expected):
    cast.alice_p.profile_completed_at = timezone.now()
    cast.alice_p.save()
    wendy = UserFactory(full_name="Wendy Withdrawn")
    ParticipantFactory(program=cast.river, user=wendy, status=ParticipantStatus.WITHDRAWN)
    client.force_login(cast.dana)
    response = client.get(people_url(show=show))
    assert names_on(response) == expected
    counts = {key: count for key, _, count in response.context["filters"]}
    assert counts == {"all": 4, "incomplete": 2, "unpaired": 1, "withdrawn": 1}


def test_search_finds_people_by_name_or_e_mail(client, cast):
    client.force_login(cast.dana)
    assert names_on(client.get(people_url(q="char"))) == ["Charlie Example"]
    assert names_on(client.get(people_url(q="BOB@example"))) == ["Bob Example"]
    response = client.get(people_url(q="nobody-like-this"))
    assert "Nobody matches" in response.content.decode()


def test_an_empty_program_says_to_invite_or_import(client, cast):
    client.force_login(cast.erin)
    response = client.get(reverse("programs:people", args=["lake"]))
    text = response.content.decode()
    assert "Nobody is enrolled yet." in text
    assert reverse("programs:people-invite", args=["lake"]) in text
    assert reverse("programs:import-upload", args=["lake"]) in text


def test_the_list_pages_by_fifty_in_a_constant_number_of_queries(
    client, cast, django_assert_num_queries
):
    client.force_login(cast.dana)
    client.get(people_url())  # warm the session and the content types
    # Session, user, program, the filter counts, the page count, the page, recent imports,
    # and the unread notifications of the top bar.
    with django_assert_num_queries(8) as few:
        client.get(people_url())
    for n in range(120):
        ParticipantFactory(program=cast.river, user=ProfileFactory(department=f"D{n}").user)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(people_url(page=2))
    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.count == 123
    assert "Page 2 of 3" in response.content.decode()


# --- Inviting by a list ------------------------------------------------------------------------


def test_addresses_are_split_on_commas_spaces_and_lines_with_names_kept():
    found = addresses_parse('a@x.org, b@x.org c@x.org\n"Dee Dot" <DEE@x.org>; Eve Ek <e@x.org>')
    assert [(a.email, a.full_name) for a in found] == [
        ("a@x.org", ""),
        ("b@x.org", ""),
        ("c@x.org", ""),
        ("dee@x.org", "Dee Dot"),
        ("e@x.org", "Eve Ek"),
    ]


def test_the_invite_page_shows_the_example_address_as_text(client, cast):
    client.force_login(cast.dana)
    page = client.get(reverse("programs:people-invite", args=["river"])).content.decode()
    assert "as in Ana Lima &lt;ana.lima@example.org&gt;." in page
    assert "<ana.lima@example.org>" not in page


def test_each_bad_address_is_named_and_nobody_is_invited(client, cast):
    client.force_login(cast.dana)
    response = client.post(
        reverse("programs:people-invite", args=["river"]),
        {"addresses": "good@example.org, not-an-address\nalso@bad"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["addresses"] == [
        "'not-an-address', 'also@bad' are not e-mail addresses. Nobody was invited."
    ]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_valid_addresses_are_invited_and_people_already_enrolled_are_skipped(client, cast):
    client.force_login(cast.dana)
    response = client.post(
        reverse("programs:people-invite", args=["river"]),
        {"addresses": "new1@example.org, Alice <ALICE@example.org>\nNew Two <new2@example.org>"},
        follow=True,
    )
    text = response.content.decode()
    assert "Invitations sent to 2." in text
    assert "Already enrolled, so not invited again: alice@example.org." in text
    invited = Invitation.objects.filter(program=cast.river).order_by("email")
    assert [(i.email, i.full_name) for i in invited] == [
        ("new1@example.org", ""),
        ("new2@example.org", "New Two"),
    ]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "new1@example.org",
        "new2@example.org",
    ]


def test_a_mail_server_failure_invites_nobody(cast, monkeypatch):
    def refuse(self, messages):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(OSError):
        enrolment_invite_list(
            program=cast.river,
            text="a@example.org b@example.org",
            invited_by=cast.dana,
            accept_url_for=lambda token: f"https://t/{token}",
        )
    assert not Invitation.objects.exists()


def test_an_empty_list_is_refused(cast):
    with pytest.raises(ActionError, match="at least one"):
        addresses_parse(" ,\n ; ")


def test_inviting_again_replaces_the_open_invitation(cast):
    for _ in range(2):
        enrolment_invite_list(
            program=cast.river,
            text="again@example.org",
            invited_by=cast.dana,
            accept_url_for=lambda token: f"https://t/{token}",
        )
    assert Invitation.objects.filter(email="again@example.org").count() == 1


# --- Profile reminders ---------------------------------------------------------------------------


def test_reminders_go_to_those_without_a_profile_once_a_day(
    client, cast, mailoutbox, django_capture_on_commit_callbacks
):
    cast.alice_p.profile_completed_at = timezone.now()
    cast.alice_p.save()
    client.force_login(cast.dana)
    url = reverse("programs:people-remind", args=["river"])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, follow=True).content.decode()
    assert "Reminded 2 people to complete their profile." in first
    reminders = Notification.objects.filter(kind=NotificationKind.PROFILE_REMINDER)
    assert sorted(n.recipient.email for n in reminders) == [
        "bob@example.org",
        "charlie@example.org",
    ]
    assert reminders[0].link == reverse("profiles:welcome", args=["river"])
    assert len(mailoutbox) == 2
    again = client.post(url, follow=True).content.decode()
    assert "Reminded 0 people" in again
    assert "2 people already had a reminder today." in again
    assert reminders.count() == 2


def test_a_new_day_allows_a_new_reminder(cast):
    assert profile_reminders_send(program=cast.river).reminded == 3
    later = timezone.now() + timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        outcome = profile_reminders_send(program=cast.river)
    assert (outcome.reminded, outcome.skipped) == (3, 0)


def test_withdrawn_people_are_not_reminded(cast):
    cast.charlie_p.status = ParticipantStatus.WITHDRAWN
    cast.charlie_p.save()
    assert profile_reminders_send(program=cast.river).reminded == 2


def test_with_everyone_done_there_is_nobody_to_remind(client, cast):
    for participant in (cast.alice_p, cast.bob_p, cast.charlie_p):
        participant.profile_completed_at = timezone.now()
        participant.save()
    client.force_login(cast.dana)
    response = client.post(reverse("programs:people-remind", args=["river"]), follow=True)
    assert "nobody to remind" in response.content.decode()


def test_a_proposed_pairing_shows_as_proposed_not_as_paired(client, cast):
    dora = ParticipantFactory(program=cast.river, user=ProfileFactory().user)
    pairing_of(cast.charlie_p, dora, status=PairingStatus.PROPOSED, started_at=None)
    client.force_login(cast.dana)
    response = client.get(people_url(q="charlie"))
    assert response.context["page"].object_list[0].pairing_status == PairingStatus.PROPOSED
    assert '<span class="badge warn">Proposed</span>' in response.content.decode()
    assert names_on(client.get(people_url(show="unpaired"))) == []


def test_the_people_tab_says_it_counts_who_has_no_partner_now(client, cast):
    client.force_login(cast.dana)
    response = client.get(people_url(show="unpaired"))
    labels = {key: label for key, label, _ in response.context["filters"]}
    assert labels["unpaired"] == "No partner now"
    text = response.content.decode()
    assert "Partner now" in text and "None now" in text and "Not paired" not in text


def test_table_headings_never_break_inside_a_word():
    # The body breaks long words anywhere (e-mail addresses); "Level" came out as "Leve / l".
    from pathlib import Path

    import twoway

    css = (Path(twoway.__file__).parent / "core/static/twoway/app.css").read_text()
    assert "thead th { overflow-wrap: normal; white-space: nowrap; }" in css


def test_someone_enrolled_under_an_address_with_capitals_is_not_invited_again(cast):
    from twoway.accounts.models import User

    User.objects.filter(pk=cast.alice.pk).update(email="Alice@Example.org")
    outcome = enrolment_invite_list(
        program=cast.river,
        text="alice@example.org",
        invited_by=cast.dana,
        accept_url_for=lambda token: f"https://t/{token}",
    )
    assert [address.email for address in outcome.already_in] == ["alice@example.org"]
    assert not Invitation.objects.exists()

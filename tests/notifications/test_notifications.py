"""The bell: each person sees, opens and clears only their own notifications."""

from __future__ import annotations

import smtplib
from unittest.mock import patch

import pytest
from django.core import mail
from django.db import transaction

from tests.factories import pairing_of
from twoway.notifications.models import Notification, NotificationKind
from twoway.notifications.services import Note, notify
from twoway.relationships.services.reminders import reminders_send_due

pytestmark = pytest.mark.django_db

NOTE = Note(NotificationKind.PAIRING_ACCEPTED, "Bob accepted your pairing.", link="/pairings/1/")


def test_the_bell_counts_unread_notifications(client, cast):
    notify(recipients=[cast.alice], note=NOTE)
    notify(recipients=[cast.alice], note=NOTE)
    client.force_login(cast.alice)
    page = client.get("/").content.decode()
    assert 'aria-label="2 unread"' in page
    client.force_login(cast.bob)
    assert "unread" not in client.get("/").content.decode()


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, cast):
    notify(recipients=[cast.alice], note=NOTE)
    note = Notification.objects.get()
    client.force_login(cast.alice)
    response = client.post(f"/notifications/{note.pk}/open/")
    assert response["Location"] == "/pairings/1/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_link_elsewhere_is_never_followed(client, cast):
    notify(
        recipients=[cast.alice], note=Note(NotificationKind.ENDORSED, "x", link="//evil.example/")
    )
    client.force_login(cast.alice)
    response = client.post(f"/notifications/{Notification.objects.get().pk}/open/")
    assert response["Location"] == "/notifications/"


@pytest.mark.parametrize("who", ["bob", "charlie", "dana", "erin", "sam", "root"])
def test_nobody_else_sees_or_opens_my_notifications(client, cast, who):
    notify(recipients=[cast.alice], note=NOTE)
    note = Notification.objects.get()
    client.force_login(getattr(cast, who))
    assert "Bob accepted" not in client.get("/notifications/").content.decode()
    assert client.post(f"/notifications/{note.pk}/open/").status_code == 404
    client.post("/notifications/read-all/")
    note.refresh_from_db()
    assert note.read_at is None


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/notifications/")["Location"].startswith("/accounts/sign-in/")


def test_mark_all_as_read_says_how_many(client, cast):
    notify(recipients=[cast.alice], note=NOTE)
    notify(recipients=[cast.alice], note=NOTE)
    client.force_login(cast.alice)
    response = client.post("/notifications/read-all/", follow=True)
    assert "Marked 2 notifications as read." in response.content.decode()
    assert not Notification.objects.filter(read_at=None).exists()


def test_an_empty_bell_says_what_will_appear(client, cast):
    client.force_login(cast.charlie)
    assert "Nothing yet." in client.get("/notifications/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_e_mail_goes_out_after_the_commit_and_not_for_a_rolled_back_action(cast):
    with transaction.atomic():
        notify(recipients=[cast.alice], note=NOTE)
        assert mail.outbox == []  # not before the commit
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "http://127.0.0.1:8000/pairings/1/" in mail.outbox[0].body
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[cast.bob], note=NOTE)
        raise RuntimeError("the action failed")
    assert len(mail.outbox) == 1


def test_a_dedupe_key_raises_a_reminder_once(cast):
    assert notify(recipients=[cast.alice, cast.bob], note=NOTE, dedupe_key="k") == 2
    assert notify(recipients=[cast.alice, cast.bob], note=NOTE, dedupe_key="k") == 0
    assert Notification.objects.count() == 2


NOTIFICATIONS_PAGE_QUERIES = 4  # session, user, the list, the navigation


def test_the_list_reads_in_constant_queries(client, cast, django_assert_num_queries):
    client.force_login(cast.alice)
    notify(recipients=[cast.alice], note=NOTE)
    with django_assert_num_queries(NOTIFICATIONS_PAGE_QUERIES):
        client.get("/notifications/")
    for _ in range(20):
        notify(recipients=[cast.alice], note=NOTE)
    with django_assert_num_queries(NOTIFICATIONS_PAGE_QUERIES):
        client.get("/notifications/")


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_neither_breaks_the_action_nor_loses_the_e_mail(client, cast):
    proposal_pairing = cast.pairing
    proposal_pairing.status = "completed"
    proposal_pairing.save()
    proposal = pairing_of(cast.alice_p, cast.bob_p, status="proposed")
    client.force_login(cast.alice)
    with patch("twoway.notifications.services.send_mail", side_effect=smtplib.SMTPException):
        response = client.post(f"/pairings/{proposal.pk}/accept/")
    assert response.status_code == 302  # the acceptance stands
    proposal.refresh_from_db()
    assert proposal.accepted_by_a_at or proposal.accepted_by_b_at
    note = Notification.objects.get(recipient=cast.bob)
    assert note.emailed_at is None and mail.outbox == []
    # The worker's next run sends what the mail server refused, once.
    reminders_send_due()
    reminders_send_due()
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]

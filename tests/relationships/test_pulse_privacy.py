"""A pulse is read by its author and the program's coordinators, never by the partner,
through any page or selector; its comment never reaches an e-mail, a notification or a log."""

from __future__ import annotations

import logging

import pytest
from django.contrib import admin
from django.core import mail

from tests.factories import ParticipantFactory, pairing_of
from tests.permissions import response_as
from tests.relationships.growth_data import pulse
from twoway.notifications.models import Notification
from twoway.pairing.selectors import side_of
from twoway.relationships.models import Pulse
from twoway.relationships.selectors.pulses import pulse_page, pulses_visible_to
from twoway.relationships.services.reminders import reminders_send_due

pytestmark = pytest.mark.django_db

COMMENT = "I do not trust Alice with what I told her about my team"


@pytest.fixture
def bobs_pulse(cast):
    return pulse(cast.pairing, cast.bob_p, fit=1, trust=1, comment=COMMENT)


@pytest.fixture
def alices_pulse(cast):
    return pulse(cast.pairing, cast.alice_p, comment="All good from my side")


def visible(user, **filters) -> set[Pulse]:
    return set(pulses_visible_to(user, **filters))


def test_the_partner_never_sees_a_pulse_on_any_page(client, cast, bobs_pulse):
    pairing = cast.pairing.pk
    for url in (
        "/",
        f"/pairings/{pairing}/",
        f"/pairings/{pairing}/goals/",
        f"/pairings/{pairing}/pulse/",
        f"/pairings/{pairing}/endorse/",
        "/journal/",
        "/endorsements/",
        "/notifications/",
    ):
        page = response_as(client, cast, "alice", url).content.decode()
        assert COMMENT not in page and "my team" not in page, url
    page = client.get(f"/pairings/{pairing}/pulse/").content.decode()
    assert "You have not sent a pulse in this pairing yet." in page
    assert pulse_page(side_of(cast.pairing, cast.alice)).mine == []


def test_the_author_reads_their_own_pulse_and_not_the_partners(
    client, cast, bobs_pulse, alices_pulse
):
    assert visible(cast.bob) == {bobs_pulse}
    assert visible(cast.alice) == {alices_pulse}
    page = response_as(client, cast, "bob", f"/pairings/{cast.pairing.pk}/pulse/")
    assert COMMENT in page.content.decode()
    assert "All good from my side" not in page.content.decode()


def test_the_programs_coordinators_read_every_pulse_of_it(cast, bobs_pulse, alices_pulse):
    assert visible(cast.dana) == {bobs_pulse, alices_pulse}
    assert visible(cast.dana, program=cast.river) == {bobs_pulse, alices_pulse}
    assert visible(cast.dana, pairing=cast.pairing) == {bobs_pulse, alices_pulse}
    assert visible(cast.dana, program=cast.lake) == set()


def test_nobody_else_reads_a_pulse(cast, bobs_pulse, alices_pulse):
    # another participant, another program's coordinator, the sponsor, staff
    for who in ("charlie", "erin", "sam", "root"):
        assert visible(getattr(cast, who)) == set(), who
    cast.root.is_superuser = True
    cast.root.save()
    assert visible(cast.root) == set()


def test_anonymous_visitors_read_no_pulse(cast, bobs_pulse):
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == set()


def test_a_coordinator_who_is_also_a_partner_never_reads_their_partners_pulse(cast, bobs_pulse):
    dana_p = ParticipantFactory(program=cast.river, user=cast.dana)
    their_pairing = pairing_of(dana_p, cast.charlie_p)
    charlies = pulse(their_pairing, cast.charlie_p, comment="About Dana")
    danas = pulse(their_pairing, dana_p, comment="About Charlie")
    assert visible(cast.dana) == {bobs_pulse, danas}
    assert charlies not in visible(cast.dana, pairing=their_pairing)


def test_a_pulse_comment_never_reaches_an_email_a_notification_or_a_log(
    client, cast, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    answers = {"fit": 2, "trust": 1, "value_received": 2, "value_given": 4, "comment": COMMENT}
    # E-mails leave after the commit; run those callbacks so that any e-mail is seen.
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(cast.bob)
        client.post(f"/pairings/{cast.pairing.pk}/pulse/", answers)
        client.post(f"/pairings/{cast.pairing.pk}/pulse/", answers)  # refused: not due any more
        for who in ("charlie", "dana", "erin", "sam", "root"):
            url = f"/pairings/{cast.pairing.pk}/pulse/"
            response_as(client, cast, who, url, method="post", data=answers)
        reminders_send_due()  # the worker's run after the pulse: nothing is due any more
    assert Pulse.objects.get().comment == COMMENT
    written = [m.subject + m.body for m in mail.outbox]
    written += [n.title + n.body for n in Notification.objects.all()]
    written.append(caplog.text)
    assert all(COMMENT not in text and "my team" not in text for text in written)


def test_pulses_are_not_in_the_admin(client, cast, bobs_pulse):
    assert not admin.site.is_registered(Pulse)
    cast.root.is_superuser = True
    cast.root.save()
    client.force_login(cast.root)
    assert client.get("/admin/relationships/pulse/").status_code == 404

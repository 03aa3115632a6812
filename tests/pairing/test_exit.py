"""The confidential, no-fault way out of a pairing."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import ConversationFactory
from tests.permissions import assert_anonymous_sent_to_sign_in, assert_outsiders_get_404
from twoway.notifications.models import Notification
from twoway.pairing.models import Exit, PairingStatus
from twoway.pairing.selectors import exit_reason_visible_to
from twoway.relationships.models import ConversationStatus

pytestmark = pytest.mark.django_db

REASON = {"reason": "trust", "detail": "I could not be open about my team's problems."}


def close_as_bob(client, cast, **extra):
    client.force_login(cast.bob)
    return client.post(f"/pairings/{cast.pairing.pk}/close/", {**REASON, **extra})


def test_either_partner_can_close_the_pairing(client, cast):
    response = close_as_bob(client, cast)
    assert response["Location"] == "/"
    cast.pairing.refresh_from_db()
    assert cast.pairing.status == PairingStatus.EXITED
    assert cast.pairing.ended_at is not None
    exit = Exit.objects.get(pairing=cast.pairing)
    assert (exit.requested_by, exit.reason) == (cast.bob_p, "trust")


def test_the_partner_sees_a_neutral_closure_and_an_offer_of_a_new_partner(client, cast):
    close_as_bob(client, cast)
    client.force_login(cast.alice)
    page = client.get(f"/pairings/{cast.pairing.pk}/").content.decode()
    assert "This pairing has closed" in page
    assert "like a new partner" in page
    for secret in ("open about my team", "trust", "Bob closed", "did not feel safe"):
        assert secret not in page
    [note] = Notification.objects.filter(recipient=cast.alice)
    assert "closed" in note.title and "Bob" not in note.title


def test_the_reason_reaches_coordinators_and_never_the_partner(
    client, cast, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        close_as_bob(client, cast, wants_rematch="on")
    # The partner and the coordinator were e-mailed: neither e-mail carries the reason.
    assert {m.to[0] for m in mail.outbox} == {"alice@example.org", "dana@example.org"}
    exit = Exit.objects.get()
    assert exit_reason_visible_to(cast.bob, exit)
    assert exit_reason_visible_to(cast.dana, exit)
    for who in ("alice", "charlie", "erin", "sam", "root"):
        assert not exit_reason_visible_to(getattr(cast, who), exit), who
    assert Notification.objects.filter(recipient=cast.dana, kind="exit_requested").exists()
    written = [m.body + m.subject for m in mail.outbox] + [caplog.text]
    written += [n.title + n.body for n in Notification.objects.all()]
    assert all("open about my team" not in text for text in written)
    cast.bob_p.refresh_from_db()
    assert cast.bob_p.rematch_requested_at is not None


def test_closing_needs_a_reason_and_keeps_what_was_typed(client, cast):
    client.force_login(cast.bob)
    response = client.post(f"/pairings/{cast.pairing.pk}/close/", {"detail": "Half a thought"})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert "Half a thought" in response.content.decode()
    cast.pairing.refresh_from_db()
    assert cast.pairing.status == PairingStatus.ACTIVE


def test_outsiders_cannot_close_someone_elses_pairing(client, cast):
    url = f"/pairings/{cast.pairing.pk}/close/"
    assert_outsiders_get_404(client, cast, url)
    assert_outsiders_get_404(client, cast, url, method="post", data=REASON)
    assert_anonymous_sent_to_sign_in(client, url, method="post", data=REASON)
    cast.pairing.refresh_from_db()
    assert cast.pairing.status == PairingStatus.ACTIVE
    assert not Exit.objects.exists()


def test_a_closed_pairing_cannot_be_closed_twice(client, cast):
    close_as_bob(client, cast)
    client.force_login(cast.alice)
    response = client.post(f"/pairings/{cast.pairing.pk}/close/", REASON, follow=True)
    assert "nothing to close" in response.content.decode()
    assert Exit.objects.count() == 1


def test_closing_cancels_the_conversations_still_to_come(client, cast):
    coming = ConversationFactory(
        pairing=cast.pairing,
        status=ConversationStatus.PLANNED,
        starts_at=timezone.now() + timedelta(days=2),
    )
    held = ConversationFactory(pairing=cast.pairing)
    close_as_bob(client, cast)
    coming.refresh_from_db()
    held.refresh_from_db()
    assert coming.status == ConversationStatus.CANCELLED and coming.sequence == 1
    assert held.status == ConversationStatus.HELD


def test_another_reason_needs_a_few_words(client, cast):
    client.force_login(cast.bob)
    response = client.post(f"/pairings/{cast.pairing.pk}/close/", {"reason": "other"})
    assert "Say a few words about it" in str(response.context["form"].errors["detail"])
    cast.pairing.refresh_from_db()
    assert cast.pairing.status == PairingStatus.ACTIVE

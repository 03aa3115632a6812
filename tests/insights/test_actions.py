"""Coordinator actions on a pairing: nudge, pause, resume, close; feedback and notifications."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from tests.factories import ConversationFactory
from tests.insights.health_helpers import NOW, flags_of, held, pulse
from tests.permissions import response_as
from twoway.insights.models import CoordinatorAction
from twoway.notifications.models import Notification
from twoway.pairing.models import PairingStatus
from twoway.relationships.models import ConversationStatus
from twoway.relationships.services.reminders import reminders_send_due

# The clock first: the cast is then built at the fixed moment too. E-mails go out on commit.
pytestmark = [pytest.mark.usefixtures("frozen_clock"), pytest.mark.django_db(transaction=True)]


def act(client, cast, action, *, who="dana", pairing=None, back=""):
    url = reverse(
        "insights:pairing-action", args=[cast.river.slug, (pairing or cast.pairing).pk, action]
    )
    return response_as(client, cast, who, url, method="post", data={"back": back})


def flash(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def notes(kind):
    return list(Notification.objects.filter(kind=kind).order_by("recipient__email"))


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "erin", "sam", "root"])
@pytest.mark.parametrize("action", ["nudge", "pause", "resume", "close"])
def test_only_the_programs_coordinators_may_act(client, cast, who, action):
    assert act(client, cast, action, who=who).status_code == 404
    cast.pairing.refresh_from_db()
    assert cast.pairing.status == PairingStatus.ACTIVE and cast.pairing.paused_at is None
    assert not Notification.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, cast):
    response = act(client, cast, "nudge", who="anonymous")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_an_action_on_another_programs_pairing_is_not_found(client, cast):
    from tests.insights.health_helpers import another_pair

    theirs = another_pair(cast.lake)
    assert act(client, cast, "nudge", pairing=theirs).status_code == 404


def test_a_nudge_tells_both_partners_in_neutral_words_by_e_mail_too(client, cast):
    pulse(cast.pairing, cast.bob_p, NOW - timedelta(days=1), lowest=1, comment="Secret.")
    response = act(client, cast, "nudge")
    assert response.status_code == 302
    assert flash(response) == ["Nudged: both partners got a note from you by e-mail and in Twoway."]
    to_alice, to_bob = notes("coordinator_nudge")
    # Started 30 days ago with no conversation: stalled, so the note is about meeting.
    assert to_alice.title == "A note from your coordinator: time for a conversation with Bob?"
    assert to_bob.title == "A note from your coordinator: time for a conversation with Alice?"
    assert sorted(message.to[0] for message in mail.outbox) == [
        "alice@example.org",
        "bob@example.org",
    ]
    for text in [to_alice.title, to_alice.body, to_bob.title, to_bob.body]:
        assert "Secret" not in text and "pulse" not in text.lower() and "risk" not in text
    assert all("Secret" not in message.body for message in mail.outbox)


def test_a_one_way_pair_is_nudged_about_learning_both_ways(client, cast):
    from tests.insights.health_helpers import lessons

    lessons(cast.pairing, cast.alice_p, cast.bob_p, 3)
    act(client, cast, "nudge")
    [to_alice, _] = notes("coordinator_nudge")
    assert "both of you teach and both of you learn" in to_alice.body


def test_a_pairing_is_nudged_at_most_once_a_day(client, cast):
    act(client, cast, "nudge")
    again = act(client, cast, "nudge")
    assert flash(again) == [
        "This pairing was already nudged today. You can nudge it again tomorrow."
    ]
    assert len(notes("coordinator_nudge")) == 2
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        act(client, cast, "nudge")
    assert len(notes("coordinator_nudge")) == 4


def test_the_dashboard_shows_a_pairing_was_nudged_today(client, cast):
    act(client, cast, "nudge")
    text = client.get(reverse("insights:health", args=[cast.river.slug])).content.decode()
    assert "Nudged today" in text


def test_an_ended_pairing_cannot_be_nudged_paused_or_closed(client, cast):
    cast.pairing.status = PairingStatus.COMPLETED
    cast.pairing.ended_at = NOW
    cast.pairing.save()
    for action in ("nudge", "pause", "close"):
        assert flash(act(client, cast, action)) == [
            f"Only a pairing under way can be {'closed' if action == 'close' else action + 'd'}: "
            "this one is completed."
        ]
    assert not Notification.objects.exists()


def test_pausing_stops_flags_and_reminders_and_tells_both(client, cast):
    pulse(cast.pairing, cast.bob_p, NOW - timedelta(days=60), lowest=1)
    ConversationFactory(
        pairing=cast.pairing, status=ConversationStatus.PLANNED, starts_at=NOW + timedelta(hours=5)
    )
    response = act(client, cast, "pause")
    assert flash(response) == [
        "Paused: no flags and no reminders until you resume it. Both were told."
    ]
    cast.pairing.refresh_from_db()
    assert cast.pairing.paused_at == NOW
    assert [n.title for n in notes("pairing_paused")] == [
        "Your coordinator has paused your pairing with Bob in River.",
        "Your coordinator has paused your pairing with Alice in River.",
    ]
    assert flags_of(cast.pairing) == {}
    assert reminders_send_due(now=NOW) == 0  # neither the conversation nor the pulse
    assert flash(act(client, cast, "pause")) == ["This pairing is already paused."]
    assert flash(act(client, cast, "nudge")) == [
        "This pairing is paused: resume it before you nudge it."
    ]


def test_resuming_tells_both_and_counts_a_stall_afresh(client, cast):
    act(client, cast, "pause")
    later = NOW + timedelta(days=10)
    with time_machine.travel(later, tick=False):
        response = act(client, cast, "resume")
    assert flash(response) == ["Resumed: both partners were told, and a stall counts from today."]
    cast.pairing.refresh_from_db()
    assert cast.pairing.paused_at is None
    assert "Your pairing with Bob in River has resumed." in [
        n.title for n in notes("pairing_paused")
    ]
    assert "stalled" not in flags_of(cast.pairing, now=later + timedelta(days=28))
    assert flags_of(cast.pairing, now=later + timedelta(days=29))["stalled"].endswith(
        "since a coordinator resumed it; the program flags a pair after 28 days without one."
    )
    assert flash(act(client, cast, "resume")) == [
        "This pairing is not paused, so there is nothing to resume."
    ]


def test_closing_completes_the_pairing_cancels_what_is_planned_and_tells_both(client, cast):
    past = held(cast.pairing, NOW - timedelta(days=3))
    planned = ConversationFactory(
        pairing=cast.pairing, status=ConversationStatus.PLANNED, starts_at=NOW + timedelta(days=2)
    )
    back = reverse("insights:health", args=[cast.river.slug]) + "?sort=name&page=1"
    response = act(client, cast, "close", back=back)
    assert response["Location"] == back
    assert flash(response)[0].startswith("Closed: the pairing is completed")
    cast.pairing.refresh_from_db()
    assert (cast.pairing.status, cast.pairing.ended_at) == (PairingStatus.COMPLETED, NOW)
    planned.refresh_from_db()
    past.refresh_from_db()
    assert planned.status == ConversationStatus.CANCELLED and planned.sequence == 1
    assert past.status == ConversationStatus.HELD
    titles = [n.title for n in notes("pairing_closed")]
    assert titles == [
        "Your pairing with Bob in River has been completed.",
        "Your pairing with Alice in River has been completed.",
    ]
    assert CoordinatorAction.objects.get().actor == cast.dana


def test_feedback_goes_back_to_the_dashboard_never_elsewhere(client, cast):
    response = act(client, cast, "pause", back="https://evil.example/")
    assert response["Location"] == reverse("insights:health", args=[cast.river.slug])


def test_an_unknown_action_is_not_found(client, cast):
    assert act(client, cast, "explode").status_code == 404


def test_actions_refuse_get(client, cast):
    client.force_login(cast.dana)
    url = reverse("insights:pairing-action", args=[cast.river.slug, cast.pairing.pk, "close"])
    assert client.get(url).status_code == 405

"""A conversation as an .ics file: one event that calendars update in place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
import time_machine

from tests.factories import exchange
from tests.relationships.conversation_helpers import (
    a_plan,
    conversation_url,
    planned,
    side_of_user,
)
from twoway.relationships.services.conversations import (
    conversation_cancel,
    conversation_reschedule,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
STARTS = datetime(2026, 12, 8, 14, 30, tzinfo=UTC)


@pytest.fixture
def conversation(cast):
    with time_machine.travel(NOW, tick=False):
        conversation = planned(
            cast,
            duration_minutes=45,
            location="Video call: https://meet.example.org/abc-defg",
            shared_notes="Private agenda: my promotion case",
            topics=["A private topic"],
        )
        conversation.starts_at = STARTS
        conversation.save()
    return conversation


def download(client, user, conversation):
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        return client.get(conversation_url(conversation, "calendar.ics"))


def only_event(response) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


def test_the_file_is_a_calendar_download_named_by_its_date(client, cast, conversation):
    response = download(client, cast.alice, conversation)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="twoway-conversation-2026-12-08.ics"'
    )


def test_the_calendar_and_its_event_carry_every_property_in_utc(client, cast, conversation):
    response = download(client, cast.alice, conversation)
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert "Twoway" in str(calendar["PRODID"])
    assert str(calendar["METHOD"]) == "PUBLISH"
    event = only_event(response)
    assert str(event["UID"]) == f"{conversation.uid}@twoway"
    assert event.decoded("DTSTAMP") == NOW
    assert event.decoded("DTSTART") == STARTS
    assert event.decoded("DTEND") == STARTS + timedelta(minutes=45)
    assert int(event["SEQUENCE"]) == 0
    assert str(event["SUMMARY"]) == "Twoway: Alice and Bob"
    assert str(event["LOCATION"]) == "Video call: https://meet.example.org/abc-defg"
    assert str(event["URL"]) == "https://meet.example.org/abc-defg"
    assert str(event["STATUS"]) == "CONFIRMED"
    # UTC, written with Z: no timezone definitions for calendars to misread.
    text = response.content.decode()
    assert "DTSTART:20261208T143000Z" in text and "DTEND:20261208T151500Z" in text
    assert "TZID" not in text


def test_the_file_carries_no_private_text(client, cast, conversation):
    exchange(conversation, cast.bob_p, cast.alice_p, value_rating=5, note="A private lesson")
    text = download(client, cast.alice, conversation).content.decode()
    assert "Private agenda" not in text
    assert "private topic" not in text
    assert "private lesson" not in text
    assert "DESCRIPTION" not in text


def test_a_place_that_is_not_a_link_has_no_url(client, cast, conversation):
    conversation.location = "Room 4.12, second floor"
    conversation.save()
    event = only_event(download(client, cast.bob, conversation))
    assert str(event["LOCATION"]) == "Room 4.12, second floor"
    assert "URL" not in event


def test_each_partner_gets_the_same_event(client, cast, conversation):
    alice = only_event(download(client, cast.alice, conversation))
    bob = only_event(download(client, cast.bob, conversation))
    assert alice["UID"] == bob["UID"]
    assert str(bob["SUMMARY"]) == "Twoway: Bob and Alice"


def test_moving_keeps_the_uid_and_raises_the_sequence(client, cast, conversation):
    before = only_event(download(client, cast.alice, conversation))
    later = STARTS + timedelta(days=2)
    with time_machine.travel(NOW, tick=False):
        conversation_reschedule(
            side=side_of_user(cast, "bob"),
            conversation_id=conversation.pk,
            plan=a_plan(starts_at=later, duration_minutes=60, location="Room 2"),
        )
    after = only_event(download(client, cast.alice, conversation))
    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART") == later
    assert after.decoded("DTEND") == later + timedelta(minutes=60)


def test_a_cancelled_conversation_exports_cancelled_with_the_same_uid(client, cast, conversation):
    before = only_event(download(client, cast.alice, conversation))
    with time_machine.travel(NOW, tick=False):
        conversation_cancel(side=side_of_user(cast), conversation_id=conversation.pk)
    after = only_event(download(client, cast.alice, conversation))
    assert after["UID"] == before["UID"]
    assert str(after["STATUS"]) == "CANCELLED"
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1

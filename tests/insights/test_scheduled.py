"""Scheduled work: flags recorded as first seen, and the weekly digest, each only once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from tests.insights.health_helpers import NOW, another_pair, held, pulse
from twoway import worker
from twoway.insights.models import DigestSent, FlagRecord
from twoway.insights.services.scheduled import digests_send, flags_record
from twoway.notifications.models import Notification

# The clock first: the cast is then built at the fixed moment too.
pytestmark = [pytest.mark.usefixtures("frozen_clock"), pytest.mark.django_db(transaction=True)]

MONDAY = NOW  # 23 November 2026 is the Monday of ISO week 48


def run_both(*, now):
    """The coordinators' scheduled work as the worker does it: flags, then digests."""
    return flags_record(now=now), digests_send(now=now)


def open_flags():
    return sorted(FlagRecord.objects.filter(cleared_at=None).values_list("pairing_id", "kind"))


def test_a_flag_is_recorded_once_when_first_seen(cast):
    pulse(cast.pairing, cast.bob_p, NOW - timedelta(days=1), lowest=1)
    assert flags_record(now=NOW) == 2  # at risk, and stalled (no conversation in 30 days)
    assert flags_record(now=NOW + timedelta(minutes=5)) == 0
    assert open_flags() == [(cast.pairing.pk, "at_risk"), (cast.pairing.pk, "stalled")]
    assert FlagRecord.objects.get(kind="at_risk").raised_at == NOW


def test_a_flag_that_is_gone_is_cleared_and_a_new_one_is_a_new_record(cast):
    flags_record(now=NOW)
    held(cast.pairing, NOW)
    flags_record(now=NOW + timedelta(hours=1))
    stalled = FlagRecord.objects.get(kind="stalled")
    assert stalled.cleared_at == NOW + timedelta(hours=1) and open_flags() == []
    later = NOW + timedelta(days=40)
    assert flags_record(now=later) == 1
    assert FlagRecord.objects.filter(kind="stalled").count() == 2


def test_the_database_refuses_a_second_open_record_of_the_same_flag(cast):
    FlagRecord.objects.create(pairing=cast.pairing, kind="stalled")
    with pytest.raises(IntegrityError), transaction.atomic():
        FlagRecord.objects.create(pairing=cast.pairing, kind="stalled")


def test_a_closed_program_records_no_flags(cast):
    cast.river.status = "closed"
    cast.river.save()
    assert flags_record(now=NOW) == 0


def digests():
    return list(Notification.objects.filter(kind="flags_digest").order_by("recipient__email"))


def test_each_coordinator_gets_a_digest_of_new_flags_once_a_week(cast):
    pulse(cast.pairing, cast.bob_p, NOW - timedelta(days=1), lowest=1)
    assert run_both(now=MONDAY) == (2, 1)
    [note] = digests()
    assert note.recipient == cast.dana
    assert note.title == "2 new flags in River since your last digest"
    assert note.body.startswith("River: 1 stalled, 1 at risk.")
    assert note.link == "/programs/river/health/"
    assert [message.to for message in mail.outbox] == [["dana@example.org"]]
    # Erin's program had nothing new: no digest, but her week is done too.
    assert DigestSent.objects.get(coordinator=cast.erin).flags == 0
    assert run_both(now=MONDAY + timedelta(hours=3)) == (0, 0)
    assert run_both(now=MONDAY + timedelta(days=6, hours=23)) == (0, 0)
    assert len(digests()) == 1 and len(mail.outbox) == 1


def test_the_next_weeks_digest_lists_only_the_flags_raised_since(cast):
    flags_record(now=MONDAY)
    digests_send(now=MONDAY)
    newcomer = another_pair(cast.river)
    pulse(newcomer, newcomer.participant_a, MONDAY + timedelta(days=2), lowest=1)
    held(newcomer, MONDAY + timedelta(days=2))
    flags_record(now=MONDAY + timedelta(days=3))
    assert digests_send(now=MONDAY + timedelta(days=3)) == 0  # same week: it waits
    assert digests_send(now=MONDAY + timedelta(days=7)) == 1
    latest = digests()[-1]
    assert latest.title == "1 new flag in River since your last digest"
    assert latest.body.startswith("River: 1 at risk.")


def test_a_second_worker_sending_the_same_week_sends_nothing(cast):
    flags_record(now=MONDAY)
    DigestSent.objects.create(coordinator=cast.dana, week="2026-W48", sent_at=MONDAY)
    assert digests_send(now=MONDAY) == 0
    assert digests() == []


def test_a_digest_never_names_anyone_or_quotes_a_pulse(cast):
    pulse(cast.pairing, cast.bob_p, NOW - timedelta(days=1), lowest=1, comment="Secret words.")
    run_both(now=MONDAY)
    [note] = digests()
    for text in (note.title, note.body, mail.outbox[0].body):
        assert "Bob" not in text and "Alice" not in text and "Secret" not in text


def _patch_scheduled_parts(monkeypatch, *, reminders, flags, digests):
    monkeypatch.setattr("twoway.relationships.services.reminders.reminders_send_due", reminders)
    monkeypatch.setattr("twoway.insights.services.scheduled.flags_record", flags)
    monkeypatch.setattr("twoway.insights.services.scheduled.digests_send", digests)


def test_the_worker_runs_the_reminders_then_the_coordinators_work(monkeypatch):
    calls, stop = [], threading.Event()

    def part(name, result=0):
        def run():
            calls.append(name)
            if name == "digests":
                stop.set()
            return result

        return run

    _patch_scheduled_parts(
        monkeypatch, reminders=part("reminders"), flags=part("flags", 2), digests=part("digests")
    )
    worker.remind_forever(interval=0, stop=stop)
    assert calls == ["reminders", "flags", "digests"]


def test_a_failing_reminder_run_does_not_stop_the_flags_and_digests(monkeypatch):
    def broken():
        raise RuntimeError("mail server on fire")

    _patch_scheduled_parts(monkeypatch, reminders=broken, flags=lambda: 3, digests=lambda: 1)
    assert worker.scheduled_work_once() == {"reminders": 0, "flags": 3, "digests": 1}

"""The exits queue: what it shows, audited reading of reasons and pulses, dealt-with marks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import ParticipantFactory, pairing_of
from tests.insights.health_helpers import NOW, another_pair, flags_of, pulse
from tests.permissions import response_as
from twoway.insights.models import ExitReview
from twoway.pairing.models import Decline, Exit, PairingStatus
from twoway.programs.models import AuditAction, AuditEvent

# The clock first: the cast is then built at the fixed moment too.
pytestmark = [pytest.mark.usefixtures("frozen_clock"), pytest.mark.django_db]

SECRET = "My partner made a joke about my team."


def exited(pairing, by, *, wants_rematch=True, when=NOW - timedelta(days=1)):
    pairing.status = PairingStatus.EXITED
    pairing.ended_at = when
    pairing.save()
    return Exit.objects.create(
        pairing=pairing,
        requested_by=by,
        reason="trust",
        detail=SECRET,
        wants_rematch=wants_rematch,
        created_at=when,
    )


@pytest.fixture
def exit(cast):
    return exited(cast.pairing, cast.alice_p)


def exits_url(cast):
    return reverse("insights:exits", args=[cast.river.slug])


def reason_url(cast, kind, item_id):
    return reverse("insights:exit-reason", args=[cast.river.slug, kind, item_id])


def review_url(cast, kind, item_id):
    return reverse("insights:exit-review", args=[cast.river.slug, kind, item_id])


def pulses_url(cast, pairing):
    return reverse("insights:pairing-pulses", args=[cast.river.slug, pairing.pk])


EVERYONE_BUT_DANA = ["alice", "bob", "charlie", "erin", "sam", "root"]


@pytest.mark.parametrize("who", EVERYONE_BUT_DANA)
def test_only_the_programs_coordinators_may_open_the_queue(client, cast, exit, who):
    assert response_as(client, cast, who, exits_url(cast)).status_code == 404


@pytest.mark.parametrize("who", EVERYONE_BUT_DANA)
def test_nobody_else_can_read_a_reason_and_no_audit_row_is_written(client, cast, exit, who):
    url = reason_url(cast, "exit", exit.pk)
    response = response_as(client, cast, who, url, method="post")
    assert response.status_code == 404 and SECRET not in response.content.decode()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("who", EVERYONE_BUT_DANA)
def test_nobody_else_can_read_pulses(client, cast, who):
    pulse(cast.pairing, cast.bob_p, NOW, comment=SECRET)
    response = response_as(client, cast, who, pulses_url(cast, cast.pairing), method="post")
    assert response.status_code == 404 and SECRET not in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(client, cast, exit):
    for url, method in ((exits_url(cast), "get"), (reason_url(cast, "exit", exit.pk), "post")):
        response = response_as(client, cast, "anonymous", url, method=method)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_the_queue_shows_who_left_when_and_whether_they_want_a_new_partner(client, cast, exit):
    response = response_as(client, cast, "dana", exits_url(cast))
    text = response.content.decode()
    [item] = response.context["queue"].open
    assert (item.who, item.partner, item.wants_new_partner) == (cast.alice, cast.bob, True)
    assert "Left the pairing" in text and "22 Nov 2026" in text
    assert SECRET not in text and "I did not feel safe" not in text
    assert "Read the reason" in text


def test_a_read_reason_says_truly_where_the_reading_is_recorded(client, cast, exit):
    client.force_login(cast.dana)
    # Neither the fragment nor the page without scripts has the log below the reason.
    for headers in ({"HTTP_HX_REQUEST": "true"}, {}):
        text = client.post(reason_url(cast, "exit", exit.pk), **headers).content.decode()
        assert "in the log below" not in text
        assert "recorded in the exits queue, under “Who read what”" in text


def test_reading_a_reason_writes_exactly_one_audit_row_then_shows_it(client, cast, exit):
    client.force_login(cast.dana)
    response = client.post(reason_url(cast, "exit", exit.pk), HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "I did not feel safe being open" in text and SECRET in text
    [event] = AuditEvent.objects.all()
    assert (event.actor, event.action, event.subject, event.pairing_id) == (
        cast.dana,
        AuditAction.EXIT_REASON_VIEWED,
        cast.alice,
        cast.pairing.pk,
    )
    log = client.get(exits_url(cast)).content.decode()
    assert "Dana Example" in log and "Reason of an exit by Alice Example" in log
    assert SECRET not in log  # the log says who read what, not what it said


def test_without_htmx_the_reason_has_a_page_of_its_own(client, cast, exit):
    client.force_login(cast.dana)
    response = client.post(reason_url(cast, "exit", exit.pk))
    assert response.status_code == 200
    assert "Why Alice Example left the pairing" in response.content.decode()
    assert AuditEvent.objects.count() == 1


def test_a_reason_cannot_be_read_with_get(client, cast, exit):
    client.force_login(cast.dana)
    assert client.get(reason_url(cast, "exit", exit.pk)).status_code == 405
    assert not AuditEvent.objects.exists()


def test_a_coordinator_who_was_the_partner_cannot_read_the_reason(client, cast, exit):
    cast.river.coordinators.add(cast.bob)
    client.force_login(cast.bob)
    queue = client.get(exits_url(cast)).content.decode()
    assert "Read the reason" not in queue
    response = client.post(reason_url(cast, "exit", exit.pk), follow=True)
    assert SECRET not in response.content.decode()
    assert "You are a partner in this pairing" in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_another_programs_exit_is_not_found(client, cast):
    theirs = another_pair(cast.lake)
    other_exit = exited(theirs, theirs.participant_a)
    client.force_login(cast.dana)
    assert client.post(reason_url(cast, "exit", other_exit.pk)).status_code == 404
    assert client.post(review_url(cast, "exit", other_exit.pk)).status_code == 404
    assert client.post(reason_url(cast, "journal", 1)).status_code == 404


def test_declines_are_queued_and_their_reason_is_audited_too(client, cast):
    proposal = pairing_of(cast.charlie_p, ParticipantFactory(program=cast.river))
    proposal.status = PairingStatus.DECLINED
    proposal.save()
    decline = Decline.objects.create(
        pairing=proposal, declined_by=cast.charlie_p, reason="fit", detail=SECRET
    )
    client.force_login(cast.dana)
    [item] = client.get(exits_url(cast)).context["queue"].open
    assert (item.kind, item.who) == ("decline", cast.charlie)
    text = client.post(reason_url(cast, "decline", decline.pk), HTTP_HX_REQUEST="true")
    assert SECRET in text.content.decode()
    assert AuditEvent.objects.get().detail == "Reason of a decline"


def test_marking_an_exit_dealt_with_moves_it_down_and_clears_the_flag(client, cast, exit):
    assert "exit_requested" in flags_of(cast.pairing)
    client.force_login(cast.dana)
    response = client.post(review_url(cast, "exit", exit.pk))
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Marked as dealt with. It has moved to the list below."]
    queue = client.get(exits_url(cast)).context["queue"]
    assert queue.open == [] and [item.review.reviewed_by for item in queue.dealt_with] == [
        cast.dana
    ]
    assert flags_of(cast.pairing) == {}
    again = client.post(review_url(cast, "exit", exit.pk))
    assert [str(m) for m in get_messages(again.wsgi_request)] == [
        "Someone has already marked this as dealt with."
    ]
    assert ExitReview.objects.count() == 1


def test_a_request_for_a_new_partner_is_queued_once_and_can_be_dealt_with(client, cast, exit):
    # Alice's own request came with her exit: it is part of that item, not a second one.
    cast.alice_p.rematch_requested_at = exit.created_at + timedelta(seconds=1)
    cast.alice_p.save()
    cast.bob_p.rematch_requested_at = NOW
    cast.bob_p.save()
    client.force_login(cast.dana)
    queue = client.get(exits_url(cast)).context["queue"]
    assert [(item.kind, item.who) for item in queue.open] == [
        ("rematch", cast.bob),
        ("exit", cast.alice),
    ]
    client.post(review_url(cast, "rematch", cast.bob_p.pk))
    queue = client.get(exits_url(cast)).context["queue"]
    assert [(item.kind, item.who) for item in queue.open] == [("exit", cast.alice)]
    assert [(item.kind, item.who) for item in queue.dealt_with] == [("rematch", cast.bob)]


def test_an_empty_queue_says_what_will_appear(client, cast):
    client.force_login(cast.dana)
    text = client.get(exits_url(cast)).content.decode()
    assert "Nothing is waiting." in text
    assert "Nobody has read a reason or a pulse in this program yet." in text


def test_reading_pulses_is_audited_and_shows_both_partners(client, cast):
    pulse(cast.pairing, cast.alice_p, NOW - timedelta(days=2), lowest=2, comment=SECRET)
    pulse(cast.pairing, cast.bob_p, NOW - timedelta(days=1), lowest=4)
    client.force_login(cast.dana)
    response = client.post(pulses_url(cast, cast.pairing), HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert SECRET in text and "Alice Example" in text and "Bob Example" in text
    [event] = AuditEvent.objects.all()
    assert (event.action, event.actor, event.pairing_id) == (
        AuditAction.PULSE_VIEWED,
        cast.dana,
        cast.pairing.pk,
    )
    full = client.post(pulses_url(cast, cast.pairing))
    assert full.status_code == 200 and SECRET in full.content.decode()


def test_a_coordinator_cannot_read_the_pulses_of_their_own_pairing(client, cast):
    cast.river.coordinators.add(cast.alice)
    pulse(cast.pairing, cast.bob_p, NOW, comment=SECRET)
    client.force_login(cast.alice)
    page = client.get(reverse("insights:health", args=[cast.river.slug])).content.decode()
    assert "Read the pulses" not in page
    response = client.post(pulses_url(cast, cast.pairing), HTTP_HX_REQUEST="true")
    assert SECRET not in response.content.decode()
    assert "You are a partner in this pairing" in response.content.decode()
    assert not AuditEvent.objects.exists()


def _grow(cast, count):
    for _ in range(count):
        pairing = another_pair(cast.river)
        exit = exited(pairing, pairing.participant_a)
        ExitReview.objects.create(program=cast.river, exit=exit, reviewed_by=cast.dana)
        exited_too = another_pair(cast.river)
        exited(exited_too, exited_too.participant_b, wants_rematch=False)
        AuditEvent.objects.create(
            program=cast.river,
            actor=cast.dana,
            action=AuditAction.EXIT_REASON_VIEWED,
            subject=pairing.participant_a.user,
            pairing_id=pairing.pk,
        )
        pairing.participant_b.rematch_requested_at = NOW
        pairing.participant_b.save()


# session, user, program, exits, declines, open requests, requests dealt with, rematches
# under way, audit log, the pairings it names, and the navigation (the bell)
EXITS_PAGE_QUERIES = 11


def test_the_queue_costs_the_same_queries_however_long_it_is(
    client, cast, exit, django_assert_num_queries
):
    client.force_login(cast.dana)
    _grow(cast, 1)
    with django_assert_num_queries(EXITS_PAGE_QUERIES):
        assert client.get(exits_url(cast)).status_code == 200
    _grow(cast, 12)
    with django_assert_num_queries(EXITS_PAGE_QUERIES):
        response = client.get(exits_url(cast))
    assert len(response.context["queue"].open) == 1 + 13 + 13


def test_each_item_names_the_people_a_rematch_would_pair_again(client, cast, exit):
    cast.charlie_p.rematch_requested_at = NOW
    cast.charlie_p.save()
    client.force_login(cast.dana)
    queue = client.get(exits_url(cast)).context["queue"]
    assert {item.kind: set(item.freed_participant_ids) for item in queue.open} == {
        "exit": {cast.alice_p.pk, cast.bob_p.pk},
        "rematch": {cast.charlie_p.pk},
    }

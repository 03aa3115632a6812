"""Finding new partners from the health dashboard and the exits queue.

Alice (Finance, senior) and Bob (Engineering, junior) were partners; Charlie (Sales,
junior) waits for a partner. Alice teaches budgeting and wants Python; Bob and Charlie
teach Python and want budgeting: so the only pair a rematch can find is Alice and
Charlie, and Alice and Bob must never be proposed again.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import pairing_of
from tests.insights.health_helpers import NOW
from tests.insights.test_exits import exited
from tests.pairing.matching_people import enrolled, ready
from tests.permissions import response_as
from twoway.insights.models import ExitReview
from twoway.pairing.models import Decline, MatchingRun, PairingStatus, RunScope, RunStatus
from twoway.pairing.run_services import matching_run_execute
from twoway.programs.models import ParticipantStatus

pytestmark = [pytest.mark.usefixtures("frozen_clock"), pytest.mark.django_db]

SENIOR = {"offers": ("Budgeting",), "gaps": ("Python scripting",)}
JUNIOR = {"offers": ("Python scripting",), "gaps": ("Budgeting",)}
EVERYONE_BUT_DANA = ["alice", "bob", "charlie", "erin", "sam", "root"]


@pytest.fixture
def people(cast):
    ready(cast.alice_p, **SENIOR)
    ready(cast.bob_p, **JUNIOR)
    ready(cast.charlie_p, **JUNIOR)
    return cast


@pytest.fixture
def exit(people):
    return exited(people.pairing, people.alice_p)


def exit_rematch_url(cast, kind, item_id):
    return reverse("insights:exit-rematch", args=[cast.river.slug, kind, item_id])


def pairing_rematch_url(cast, pairing):
    return reverse("insights:pairing-rematch", args=[cast.river.slug, pairing.pk])


def proposed_pairs(run) -> set[frozenset[int]]:
    run = matching_run_execute(run_id=run.pk)
    assert run.status == RunStatus.SUCCEEDED, run.error
    return {
        frozenset(pair) for pair in run.pairs.values_list("participant_a_id", "participant_b_id")
    }


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- From the exits queue ---------------------------------------------------------------


def test_a_rematch_from_the_queue_runs_for_the_freed_people_and_never_repeats_their_pair(
    client, people, exit
):
    cast = people
    client.force_login(cast.dana)
    response = client.post(exit_rematch_url(cast, "exit", exit.pk))

    run = MatchingRun.objects.get()
    assert response["Location"] == reverse("matching:run", args=["river", run.pk])
    assert (run.scope, run.started_by, run.status) == (RunScope.REMATCH, cast.dana, "queued")
    assert set(run.only) == {cast.alice_p.pk, cast.bob_p.pk, cast.charlie_p.pk}
    assert said(response) == [
        "Finding a new partner for Alice Example and Bob Example: the matching runs with "
        "the 1 other person waiting for a partner, never pairing anyone with an earlier "
        "partner. This is marked as dealt with in the exits queue. Nobody is told anything "
        "until you publish the proposal on this page."
    ]
    assert ExitReview.objects.get().exit == exit
    assert proposed_pairs(run) == {frozenset({cast.alice_p.pk, cast.charlie_p.pk})}


def test_the_queue_offers_the_rematch_then_links_to_the_run_while_it_is_under_way(
    client, people, exit
):
    cast = people
    client.force_login(cast.dana)
    page = client.get(reverse("insights:exits", args=["river"])).content.decode()
    assert exit_rematch_url(cast, "exit", exit.pk) in page and "Find new partners" in page

    client.post(exit_rematch_url(cast, "exit", exit.pk))
    response = client.get(reverse("insights:exits", args=["river"]))

    run = MatchingRun.objects.get()
    [item] = response.context["queue"].dealt_with
    assert item.rematch_run == run
    page = response.content.decode()
    assert "Rematch queued" in page and reverse("matching:run", args=["river", run.pk]) in page
    assert exit_rematch_url(cast, "exit", exit.pk) not in page


def test_a_request_for_a_new_partner_is_rematched_and_dealt_with(client, people, exit):
    cast = people
    cast.charlie_p.rematch_requested_at = NOW - timedelta(hours=1)
    cast.charlie_p.save()
    client.force_login(cast.dana)

    client.post(exit_rematch_url(cast, "rematch", cast.charlie_p.pk))

    run = MatchingRun.objects.get()
    assert set(run.only) == {cast.alice_p.pk, cast.bob_p.pk, cast.charlie_p.pk}
    review = ExitReview.objects.get()
    assert (review.participant, review.reviewed_by) == (cast.charlie_p, cast.dana)
    assert ExitReview.objects.filter(exit=exit).count() == 0  # Alice's exit still waits


# --- From the health dashboard ----------------------------------------------------------


def test_an_ended_pairing_offers_new_partners_on_the_dashboard(client, people, exit):
    cast = people
    client.force_login(cast.dana)
    page = client.get(reverse("insights:health", args=["river"])).content.decode()
    assert pairing_rematch_url(cast, cast.pairing) in page

    response = client.post(pairing_rematch_url(cast, cast.pairing))

    run = MatchingRun.objects.get()
    assert response["Location"] == reverse("matching:run", args=["river", run.pk])
    assert ExitReview.objects.get().exit == exit  # its exit is dealt with too
    health = client.get(reverse("insights:health", args=["river"]))
    [row] = health.context["health"].page.object_list
    assert row.rematch_run == run and "Rematch queued" in health.content.decode()


def test_a_pairing_under_way_does_not_show_a_rematch_its_partners_are_only_part_of(
    client, people, exit
):
    cast = people
    cast.river.capacity = 2
    cast.river.save(update_fields=["capacity"])
    dora = enrolled(cast.river, "Dora Example", department="Legal", level=6, **SENIOR)
    under_way = pairing_of(cast.charlie_p, dora)  # both have a place left
    client.force_login(cast.dana)

    client.post(exit_rematch_url(cast, "exit", exit.pk))

    run = MatchingRun.objects.get()
    assert {cast.charlie_p.pk, dora.pk} <= set(run.only)
    health = client.get(reverse("insights:health", args=["river"]))
    rows = {row.pairing.pk: row for row in health.context["health"].page.object_list}
    assert rows[under_way.pk].rematch_run is None
    assert rows[cast.pairing.pk].rematch_run == run


def test_a_declined_proposal_is_never_proposed_again(client, people):
    cast = people
    cast.pairing.status = PairingStatus.DECLINED
    cast.pairing.ended_at = NOW - timedelta(days=1)
    cast.pairing.save()
    Decline.objects.create(pairing=cast.pairing, declined_by=cast.bob_p, reason="fit")
    client.force_login(cast.dana)

    client.post(pairing_rematch_url(cast, cast.pairing))

    run = MatchingRun.objects.get()
    assert ExitReview.objects.get().decline == cast.pairing.decline
    assert proposed_pairs(run) == {frozenset({cast.alice_p.pk, cast.charlie_p.pk})}


def test_a_live_pairing_offers_no_rematch_and_one_is_refused_for_its_partners(client, people):
    cast = people
    client.force_login(cast.dana)
    page = client.get(reverse("insights:health", args=["river"])).content.decode()
    assert pairing_rematch_url(cast, cast.pairing) not in page

    response = client.post(pairing_rematch_url(cast, cast.pairing))

    assert response["Location"] == reverse("insights:health", args=["river"])
    assert said(response) == [
        "There is nobody to find a partner for: Alice Example is already in 1 open pairing "
        "(the program allows 1); Bob Example is already in 1 open pairing (the program "
        "allows 1)."
    ]
    assert not MatchingRun.objects.exists() and not ExitReview.objects.exists()


# --- Refusals ----------------------------------------------------------------------------


def test_with_nobody_else_waiting_the_rematch_is_refused_and_the_exit_still_waits(
    client, people, exit
):
    cast = people
    cast.charlie_p.status = ParticipantStatus.WITHDRAWN
    cast.charlie_p.save()
    client.force_login(cast.dana)

    response = client.post(exit_rematch_url(cast, "exit", exit.pk))

    assert response["Location"] == reverse("insights:exits", args=["river"])
    assert said(response) == [
        "Nobody else is waiting for a partner, so there is no one new to pair Alice Example "
        "and Bob Example with. Invite more people, or try again when another pairing ends."
    ]
    assert not MatchingRun.objects.exists() and not ExitReview.objects.exists()


def test_people_who_left_or_have_no_profile_are_not_rematched(client, people, exit):
    cast = people
    cast.alice_p.status = ParticipantStatus.WITHDRAWN
    cast.alice_p.save()
    cast.bob_p.profile_completed_at = None
    cast.bob_p.save()
    client.force_login(cast.dana)

    response = client.post(exit_rematch_url(cast, "exit", exit.pk))

    assert said(response) == [
        "There is nobody to find a partner for: Alice Example no longer takes part; "
        "Bob Example has not completed their profile."
    ]
    assert not MatchingRun.objects.exists()


def test_a_second_rematch_for_the_same_people_is_refused_while_the_first_runs(client, people, exit):
    cast = people
    other = pairing_of(cast.charlie_p, cast.alice_p, status=PairingStatus.COMPLETED)
    other.ended_at = NOW - timedelta(days=2)
    other.save()
    client.force_login(cast.dana)
    client.post(exit_rematch_url(cast, "exit", exit.pk))
    first = MatchingRun.objects.get()

    response = client.post(pairing_rematch_url(cast, other))

    assert said(response)[-1] == (
        f"A matching run that includes them is already waiting to start (run {first.pk}). "
        "Wait for it on the Matching tab, then review what it proposes."
    )
    assert MatchingRun.objects.count() == 1
    MatchingRun.objects.filter(pk=first.pk).update(status=RunStatus.FAILED)
    client.post(pairing_rematch_url(cast, other))
    assert MatchingRun.objects.count() == 2


# --- Who may ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE_BUT_DANA)
def test_only_the_programs_coordinators_may_start_a_rematch(client, people, exit, who):
    cast = people
    for url in (exit_rematch_url(cast, "exit", exit.pk), pairing_rematch_url(cast, cast.pairing)):
        assert response_as(client, cast, who, url, method="post").status_code == 404
    assert not MatchingRun.objects.exists() and not ExitReview.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, people, exit):
    cast = people
    for url in (exit_rematch_url(cast, "exit", exit.pk), pairing_rematch_url(cast, cast.pairing)):
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")
    assert not MatchingRun.objects.exists()


def test_a_rematch_is_only_a_post(client, people, exit):
    client.force_login(people.dana)
    assert client.get(exit_rematch_url(people, "exit", exit.pk)).status_code == 405


def test_another_programs_item_is_not_found(client, people, exit):
    cast = people
    client.force_login(cast.erin)
    response = client.post(reverse("insights:exit-rematch", args=["lake", "exit", exit.pk]))
    assert response.status_code == 404
    assert not MatchingRun.objects.exists()

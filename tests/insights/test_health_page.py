"""The health dashboard: who may open it, what it shows, sorting, filtering and paging."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.insights.health_helpers import NOW, another_pair, held, lessons, pulse
from tests.permissions import response_as
from twoway.insights.selectors.health import PER_PAGE
from twoway.pairing.models import PairingStatus

# The clock first: the cast is then built at the fixed moment too.
pytestmark = [pytest.mark.usefixtures("frozen_clock"), pytest.mark.django_db]


def health_url(program, **params):
    url = reverse("insights:health", args=[program.slug])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def page_as(client, cast, who, **params):
    return response_as(client, cast, who, health_url(cast.river, **params))


def test_anonymous_visitor_is_sent_to_sign_in(client, cast):
    response = client.get(health_url(cast.river))
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "erin", "sam", "root"])
def test_only_the_programs_coordinators_may_open_the_dashboard(client, cast, who):
    assert page_as(client, cast, who).status_code == 404


def test_the_coordinator_sees_each_pairing_with_its_figures(client, cast):
    held(cast.pairing, NOW - timedelta(days=4))
    lessons(cast.pairing, cast.alice_p, cast.bob_p, 1, value=4, when=NOW - timedelta(days=4))
    lessons(cast.pairing, cast.bob_p, cast.alice_p, 1, value=2, when=NOW - timedelta(days=4))
    pulse(cast.pairing, cast.bob_p, NOW - timedelta(days=1), lowest=3)
    response = page_as(client, cast, "dana")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Alice Example" in text and "Bob Example" in text
    assert "19 Nov 2026 (4 days ago)" in text
    assert '<span class="w-50"></span></span> 50%' in text
    assert "Lowest rating 3/5, 22 Nov 2026" in text
    assert "Nothing is flagged" in text
    assert {"health", "exits"} <= {tab["key"] for tab in response.context["tabs"]}


def test_the_page_never_shows_a_pulse_comment_until_it_is_read(client, cast):
    pulse(cast.pairing, cast.bob_p, NOW - timedelta(days=1), comment="Private: too much talk.")
    text = page_as(client, cast, "dana").content.decode()
    assert "too much talk" not in text and "Read the pulses" in text


def test_with_no_pairings_the_page_says_where_pairings_are_made(client, cast):
    cast.pairing.delete()
    text = page_as(client, cast, "dana").content.decode()
    assert "No pairings yet." in text
    assert f'href="/programs/{cast.river.slug}/matching/">Go to the matching' in text


def test_flag_counts_sit_at_the_top_with_their_explanations_below(client, cast):
    pulse(cast.pairing, cast.bob_p, NOW - timedelta(days=1), lowest=1)
    response = page_as(client, cast, "dana")
    counts = {kind: count for kind, _label, count in response.context["health"].counts}
    assert counts == {"stalled": 1, "one_way": 0, "at_risk": 1, "exit_requested": 0}
    assert "rates something 1 out of 5" in response.content.decode()


def _names(response) -> list[str]:
    return [row.names for row in response.context["health"].page.object_list]


def test_flagged_pairings_come_first_and_filters_combine(client, cast):
    quiet = another_pair(cast.river)
    held(quiet, NOW - timedelta(days=1))
    proposed = another_pair(cast.river, status=PairingStatus.PROPOSED, started_at=None)
    pulse(cast.pairing, cast.bob_p, NOW - timedelta(days=1), lowest=1)
    everyone = page_as(client, cast, "dana")
    assert _names(everyone)[0] == "Alice Example ↔ Bob Example"
    assert len(_names(everyone)) == 3
    at_risk = page_as(client, cast, "dana", flag="at_risk")
    assert _names(at_risk) == ["Alice Example ↔ Bob Example"]
    active_unflagged = page_as(client, cast, "dana", flag="none", status="active")
    assert [row.pairing for row in active_unflagged.context["health"].page.object_list] == [quiet]
    only_proposed = page_as(client, cast, "dana", status="proposed", sort="name")
    assert [row.pairing for row in only_proposed.context["health"].page.object_list] == [proposed]


def test_sorting_by_balance_puts_the_most_lopsided_first_and_unrated_last(client, cast):
    even = another_pair(cast.river)
    lessons(even, even.participant_a, even.participant_b, 1, value=4)
    lessons(even, even.participant_b, even.participant_a, 1, value=4)
    lessons(cast.pairing, cast.alice_p, cast.bob_p, 1, value=4)
    unrated = another_pair(cast.river)
    response = page_as(client, cast, "dana", sort="balance")
    rows = [row.pairing for row in response.context["health"].page.object_list]
    assert rows == [cast.pairing, even, unrated]


def test_sorting_by_last_conversation_puts_never_met_and_oldest_first(client, cast):
    recent = another_pair(cast.river)
    held(recent, NOW - timedelta(days=1))
    held(cast.pairing, NOW - timedelta(days=10))
    never = another_pair(cast.river)
    response = page_as(client, cast, "dana", sort="last_conversation")
    rows = [row.pairing for row in response.context["health"].page.object_list]
    assert rows == [never, cast.pairing, recent]


def test_a_bad_filter_value_is_named_and_the_default_is_used(client, cast):
    response = page_as(client, cast, "dana", flag="nonsense", sort="balance")
    assert response.status_code == 200
    assert "flag" in response.context["form"].errors
    assert "Select a valid choice" in response.content.decode()
    assert response.context["chosen"] == {"sort": "balance", "flag": "", "status": ""}


def test_a_filter_that_matches_nothing_says_so(client, cast):
    text = page_as(client, cast, "dana", flag="one_way").content.decode()
    assert "No pairing matches these filters." in text


def test_pages_keep_the_sort_and_the_filters(client, cast):
    for _ in range(PER_PAGE):
        another_pair(cast.river)
    # Every pairing here started 30 days ago without a conversation: all are stalled.
    response = page_as(client, cast, "dana", sort="name", flag="stalled")
    text = response.content.decode()
    assert response.context["health"].page.paginator.num_pages == 2
    assert "?sort=name&amp;flag=stalled&amp;page=2" in text
    second = page_as(client, cast, "dana", sort="name", flag="stalled", page=2)
    assert len(second.context["health"].page.object_list) == 1


def _grow(cast, count):
    for _ in range(count):
        pairing = another_pair(cast.river)
        held(pairing, NOW - timedelta(days=40))
        lessons(pairing, pairing.participant_a, pairing.participant_b, 3)
        pulse(pairing, pairing.participant_a, NOW - timedelta(days=2), lowest=1)


# session, user, program, pairings, 3 for the metrics, rematch requests, latest actions,
# rematches under way, and the navigation (the bell)
HEALTH_PAGE_QUERIES = 11


def test_the_page_costs_the_same_queries_with_few_or_many_pairings(
    client, cast, django_assert_num_queries
):
    client.force_login(cast.dana)
    _grow(cast, 2)
    with django_assert_num_queries(HEALTH_PAGE_QUERIES):
        assert client.get(health_url(cast.river)).status_code == 200
    _grow(cast, 30)
    with django_assert_num_queries(HEALTH_PAGE_QUERIES):
        response = client.get(health_url(cast.river, sort="balance", flag="any", page=2))
    assert response.status_code == 200
    assert response.context["health"].flagged == 33  # with Alice and Bob, stalled

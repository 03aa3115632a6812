"""The Reports tab and its CSV exports: who may open them, what they show, what they cost."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import ProgramFactory, exchange, pairing_of
from tests.insights.report_data import group_of, held, person, pulse
from tests.permissions import assert_anonymous_sent_to_sign_in, response_as
from twoway.core.csv_export import safe_cell
from twoway.pairing.models import Decline, Exit, PairingStatus
from twoway.relationships.models import (
    Endorsement,
    Goal,
    JournalEntry,
)

pytestmark = pytest.mark.django_db


def page_url(program, name="insights:reports"):
    return reverse(name, args=[program.slug])


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


# --- Who may open what -------------------------------------------------------------

PAGES = ("insights:reports", "insights:report-figures-csv", "insights:pairing-list-csv")


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, cast, name):
    assert_anonymous_sent_to_sign_in(client, page_url(cast.river, name))


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "erin", "root"])
def test_participants_other_coordinators_and_staff_get_404(client, cast, who, name):
    assert response_as(client, cast, who, page_url(cast.river, name)).status_code == 404


@pytest.mark.parametrize("who", ["dana", "sam"])
def test_coordinators_and_sponsors_read_the_report_and_its_figures(client, cast, who):
    assert response_as(client, cast, who, page_url(cast.river)).status_code == 200
    figures = response_as(client, cast, who, page_url(cast.river, PAGES[1]))
    assert figures.status_code == 200
    assert figures["Content-Type"].startswith("text/csv")


def test_a_sponsor_gets_404_for_the_pairing_list_and_no_link_to_it(client, cast):
    assert response_as(client, cast, "sam", page_url(cast.river, PAGES[2])).status_code == 404
    page = response_as(client, cast, "sam", page_url(cast.river))
    assert page_url(cast.river, PAGES[2]) not in page.content.decode()


def test_the_coordinator_sees_a_link_to_the_pairing_list(client, cast):
    page = response_as(client, cast, "dana", page_url(cast.river))
    assert page_url(cast.river, PAGES[2]) in page.content.decode()


def test_the_reports_tab_is_in_the_program_frame_for_sponsors(client, cast):
    page = response_as(client, cast, "sam", page_url(cast.river))
    assert page.context["tab"] == "reports"
    assert "reports" in [tab["key"] for tab in page.context["tabs"]]


# --- What the page shows -----------------------------------------------------------


def test_a_program_without_pairings_says_what_the_report_will_show_and_when(client, cast):
    program = ProgramFactory()
    program.coordinators.add(cast.dana)
    for _ in range(5):
        person(program)
    client.force_login(cast.dana)
    text = client.get(page_url(program)).content.decode()
    assert "No pairings yet" in text
    assert "Once pairs are matched and start meeting" in text
    assert "Participation funnel" in text and "Value by direction" not in text
    assert page_url(program, PAGES[2]) not in text  # nothing to list yet


def test_a_program_of_four_says_there_are_too_few_people_to_report(client, cast):
    program = ProgramFactory()
    program.coordinators.add(cast.dana)
    group_of(program, 4)
    client.force_login(cast.dana)
    text = client.get(page_url(program)).content.decode()
    assert text.count("Too few people to report") == 7  # every chart, both skill lists
    assert "<svg" not in text.split('id="funnel-heading"')[1]


def test_the_report_draws_each_chart_as_accessible_svg_with_a_table(client, cast):
    group_of(cast.river, 10)
    client.force_login(cast.dana)
    text = client.get(page_url(cast.river)).content.decode()
    charts = ("funnel-chart", "balance-chart", "flows-totals-chart", "skills-down", "pulse-chart")
    for chart in charts:
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in text
        assert f'<title id="{chart}-title">' in text
    assert 'class="matrix"' in text
    # Five seniors taught Budgeting: the senior → junior list has its chart and table.
    assert text.count('<details class="figures">') == len(charts)
    # The Content-Security-Policy forbids inline styles and scripts.
    assert "style=" not in text and "<script>" not in text and " onclick" not in text


# --- Nothing private, anywhere ---------------------------------------------------------

MARKERS = {
    "journal": "MARKER-JOURNAL-d41",
    "pulse": "MARKER-PULSE-c07",
    "exit": "MARKER-EXIT-9ab",
    "decline": "MARKER-DECLINE-51e",
    "notes": "MARKER-NOTES-3f2",
    "exchange": "MARKER-EXCHANGE-77c",
    "goal": "MARKER-GOAL-e19",
    "endorsement": "MARKER-ENDORSE-a80",
}


@pytest.fixture
def private_text(cast):
    """The river program with enough pairs to report, and private text everywhere."""
    group_of(cast.river, 10)
    pairing = cast.pairing
    talk = held(pairing)
    talk.shared_notes = MARKERS["notes"]
    talk.save()
    exchange(talk, cast.alice_p, cast.bob_p, value_rating=5, note=MARKERS["exchange"])
    JournalEntry.objects.create(
        author=cast.alice_p, pairing=pairing, title=MARKERS["journal"], body=MARKERS["journal"]
    )
    pulse(pairing, cast.bob_p, comment=MARKERS["pulse"])
    Goal.objects.create(pairing=pairing, owner=cast.alice_p, title=MARKERS["goal"])
    Endorsement.objects.create(
        pairing=pairing,
        author=cast.bob_p,
        recipient=cast.alice_p,
        kind="recommendation",
        text=MARKERS["endorsement"],
    )
    dave = person(cast.river)
    ended = pairing_of(cast.charlie_p, dave, status=PairingStatus.EXITED, ended_at=timezone.now())
    Exit.objects.create(
        pairing=ended, requested_by=cast.charlie_p, reason="other", detail=MARKERS["exit"]
    )
    declined = pairing_of(
        cast.charlie_p,
        person(cast.river),
        status=PairingStatus.DECLINED,
        accepted_at=None,
        accepted_by_a_at=None,
        accepted_by_b_at=None,
    )
    Decline.objects.create(
        pairing=declined, declined_by=cast.charlie_p, reason="other", detail=MARKERS["decline"]
    )
    return cast


@pytest.mark.parametrize("who", ["dana", "sam"])
@pytest.mark.parametrize("name", ["insights:reports", "insights:report-figures-csv"])
def test_no_private_text_and_no_names_reach_the_report(client, private_text, who, name):
    cast = private_text
    response = response_as(client, cast, who, page_url(cast.river, name))
    text = response.content.decode()
    for marker in MARKERS.values():
        assert marker not in text
    for partner in (cast.alice, cast.bob, cast.charlie):
        assert partner.full_name not in text


def test_the_pairing_list_has_metadata_and_no_private_text(client, private_text):
    cast = private_text
    response = response_as(client, cast, "dana", page_url(cast.river, PAGES[2]))
    text = response.content.decode()
    for marker in MARKERS.values():
        assert marker not in text
    rows = csv_rows(response)
    assert rows[0] == [
        "Partner A",
        "Department A",
        "Partner B",
        "Department B",
        "Status",
        "Proposed on",
        "Accepted on",
        "Started on",
        "Ended on",
        "Conversations held",
        "Exchanges",
        "Balance (%)",
    ]
    assert len(rows) == 1 + 8  # the cast's pairing, 5 from the group, an exit, a decline
    alice_bob = next(row for row in rows if "Alice Example" in row)
    assert alice_bob[4] == "Active"
    assert alice_bob[9:] == ["1", "1", "0"]  # one way so far
    assert {"Finance", "Engineering"} == {alice_bob[1], alice_bob[3]}
    exited = next(row for row in rows if "Charlie Example" in row and row[4] == "Closed")
    assert exited[8] == timezone.localdate().isoformat()


def test_cells_that_a_spreadsheet_would_run_are_escaped(client, cast):
    cast.alice.full_name = '=HYPERLINK("http://evil.example","click")'
    cast.alice.save()
    cast.bob.profile.department = "+1 Engineering"
    cast.bob.profile.save()
    rows = csv_rows(response_as(client, cast, "dana", page_url(cast.river, PAGES[2])))
    assert '\'=HYPERLINK("http://evil.example","click")' in rows[1]
    assert "'+1 Engineering" in rows[1]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_quoted(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Finance", "", 3, 0.5, "a=b"])
def test_other_cells_are_left_alone(value):
    assert safe_cell(value) == value


# --- What the page costs ---------------------------------------------------------------


def test_the_report_page_costs_the_same_queries_for_any_number_of_pairings(
    client, cast, django_assert_num_queries
):
    group_of(cast.river, 6)
    client.force_login(cast.dana)
    with django_assert_num_queries(14):
        client.get(page_url(cast.river))
    group_of(cast.river, 21)
    with django_assert_num_queries(14):
        client.get(page_url(cast.river))


def export_queries(client, program) -> list[int]:
    counts = []
    for name in PAGES[1:]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url(program, name)).status_code == 200
        counts.append(len(queries))
    return counts


def test_the_exports_cost_the_same_queries_for_any_number_of_pairings(client, cast):
    group_of(cast.river, 6)
    client.force_login(cast.dana)
    before = export_queries(client, cast.river)
    group_of(cast.river, 15)
    assert export_queries(client, cast.river) == before

"""The coordinator's journey in a real browser, from a new pilot to its reports.

Cora, who coordinated an earlier program, creates a pilot and sets its health
thresholds; adds a sponsor; imports nine people from a CSV file whose one bad
row is refused, then from the corrected file; runs the matching and watches its
progress; locks one proposed pair and runs the matching again; publishes. The
partners accept and meet (written through the services and the ORM, as the
participant journey's own test covers those pages), so that the health dashboard
flags a stalled, a one-way and an at-risk pairing, each with its explanation.
Cora and the sponsor open the reports; the sponsor's browser gets "not found" on
the health dashboard. The import and the matching run as real background tasks,
in django-tasks-db's worker. Screenshots go to test-artifacts/coordinator-*.png.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import ARTIFACTS, assert_fits_a_phone, sign_in
from tests.factories import (
    TEST_PASSWORD,
    ConversationFactory,
    ProfileFactory,
    ProgramFactory,
    UserFactory,
    exchange,
    skill,
)
from twoway.pairing import run_services
from twoway.pairing.models import MatchingRun, Pairing, PairingStatus
from twoway.pairing.selectors import PairSide
from twoway.pairing.services import pairing_accept, pairing_activate
from twoway.profiles.models import LEVEL_MAX, LEVEL_MIN, Gap, Offer
from twoway.programs.models import ImportBatch, Participant, Program, ProgramStatus
from twoway.relationships.models import Pulse

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}
HEADER = "email,full_name,department,job_title,level,manager_email,location,timezone,languages"
# Five seniors who know how the organisation works and four juniors who know the
# newer tools. Victor's level is the one bad cell of the first upload.
PEOPLE = [
    ("ana.lima", "Ana Lima", "Finance", "Head of Planning", "7", "", "Europe/London"),
    ("victor.chen", "Victor Chen", "Operations", "Operations Director", "6", "", "Europe/London"),
    ("grace.okoro", "Grace Okoro", "Legal", "General Counsel", "7", "", "Europe/London"),
    ("henrik.berg", "Henrik Berg", "Sales", "Sales Director", "6", "", "Europe/Oslo"),
    ("priya.nair", "Priya Nair", "People", "HR Director", "6", "", "Europe/London"),
    ("sam.okafor", "Sam Okafor", "Engineering", "Software Engineer", "2", "", "Africa/Lagos"),
    ("lea.martin", "Lea Martin", "Marketing", "Designer", "2", "henrik.berg", "Europe/Paris"),
    ("tariq.aziz", "Tariq Aziz", "Data", "Data Analyst", "1", "", "Europe/London"),
    ("mei.wong", "Mei Wong", "Support", "Support Specialist", "2", "", "Europe/London"),
]
SENIOR_OFFERS = ("How things really get done", "Stakeholder management", "Budgeting")
SENIOR_GAPS = ("AI tools", "Data visualisation")
JUNIOR_OFFERS = ("AI tools", "Data visualisation", "Social media")
JUNIOR_GAPS = ("How things really get done", "Stakeholder management")


def csv_file(*, victor_level: str) -> bytes:
    rows = [HEADER]
    for handle, name, department, title, level, manager, zone in PEOPLE:
        level = victor_level if handle == "victor.chen" else level
        manager_email = f"{manager}@example.org" if manager else ""
        rows.append(
            f"{handle}@example.org,{name},{department},{title},{level},{manager_email},"
            f"London,{zone},English"
        )
    return ("\n".join(rows) + "\n").encode()


def shots(page, name: str) -> None:
    """coordinator-<name>.png at desktop width and -phone.png at 390 px, which must
    need no horizontal scrolling."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(ARTIFACTS / f"coordinator-{name}.png"), full_page=True)
    assert_fits_a_phone(page)
    page.screenshot(path=str(ARTIFACTS / f"coordinator-{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


@pytest.fixture
def paced_matching(monkeypatch):
    """The engine pairs nine people in milliseconds; a pause after each phase lets the
    browser's once-a-second poll see the bar move, as it would on a large program."""
    set_phase = run_services._set_phase

    def paced(run, phase):
        set_phase(run, phase)
        time.sleep(0.8)

    monkeypatch.setattr(run_services, "_set_phase", paced)


@pytest.fixture
def cora(live_server):
    """Cora coordinated an earlier program, so she may create the next one; Sid, a
    senior leader with an account, is to sponsor it."""
    cora = UserFactory(email="cora@example.org", full_name="Cora Ordinator")
    ProfileFactory(user=cora, department="People")
    earlier = ProgramFactory(
        name="Spring Circle", slug="spring-circle", status=ProgramStatus.CLOSED
    )
    earlier.coordinators.add(cora)
    sid = UserFactory(email="sid@example.org", full_name="Sid Sponsor")
    ProfileFactory(user=sid, department="Board")
    return cora


# --- The steps ---------------------------------------------------------------------


def create_the_pilot(page) -> Program:
    page.get_by_role("link", name="New program").click()
    page.get_by_label("Name").fill("Harbour Pilot")
    page.get_by_label("Purpose").fill(
        "Bring front-line digital know-how to our leaders, and their know-how back."
    )
    page.get_by_label("This is a pilot").check()
    page.get_by_label("Pilot size").fill("12")
    shots(page, "1-new-pilot")
    page.get_by_role("button", name="Create the program").click()
    page.get_by_text("Harbour Pilot is created, in draft, and you coordinate it").wait_for()
    program = Program.objects.get(name="Harbour Pilot")
    assert program.is_pilot and program.pilot_size == 12

    # It takes people now, and flags a pair after two weeks without a conversation.
    page.get_by_label("Status").select_option("enrolling")
    page.get_by_label("Stalled after (days)").fill("14")
    page.get_by_role("button", name="Save the settings").click()
    page.get_by_text("Saved. The next matching run uses these settings.").wait_for()
    shots(page, "2-setup")
    program.refresh_from_db()
    assert (program.status, program.stalled_after_days) == (ProgramStatus.ENROLLING, 14)
    return program


def add_the_sponsor(page) -> None:
    page.get_by_role("link", name="Team").click()
    page.get_by_label("E-mail address").fill("sid@example.org")
    page.get_by_label("Role").select_option("sponsor")
    page.get_by_role("button", name="Add to the team").click()
    page.get_by_text("Sid Sponsor is now a sponsor. We told them.").wait_for()


def upload(page, task_worker, content: bytes, name: str) -> None:
    """Upload a file; the page waits for the worker's check, which then runs."""
    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_role("link", name="Import a CSV").first.click()
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_text(f"{name} uploaded; every row is being checked.").wait_for()
    # Queued: the page shows the check's progress until the worker has done it.
    status = page.locator("#import-status")
    assert status.locator("progress#import-progress").is_visible()
    assert "Checking the rows" in status.inner_text()
    task_worker.run_queued()


def import_people(page, task_worker) -> None:
    upload(page, task_worker, csv_file(victor_level="senior"), "people-first-try.csv")
    problems = page.locator("ul.import-problems")
    problems.wait_for()
    assert problems.locator("li").all_inner_texts() == [
        f"row 3, column level: 'senior' is not a whole number from {LEVEL_MIN} to {LEVEL_MAX}"
    ]
    assert "1 problem in 9 rows. Nothing was saved." in page.locator("#import-status").inner_text()
    shots(page, "3-import-error")
    assert not Participant.objects.filter(program__name="Harbour Pilot").exists()

    page.get_by_role("link", name="Upload a corrected file").click()
    upload(page, task_worker, csv_file(victor_level="6"), "people.csv")
    page.get_by_text("Every one of the 9 rows is correct.").wait_for()
    shots(page, "4-import-ready")
    task_worker.wait()
    page.get_by_role("button", name="Import 9 people").click()
    page.get_by_text("Saving 9 people…").first.wait_for()
    assert page.locator("progress#import-progress").is_visible()
    task_worker.run_queued()
    page.get_by_text("9 people are enrolled: 9 new accounts").wait_for()
    shots(page, "5-import-done")
    task_worker.wait()
    assert ImportBatch.objects.filter(status="done").count() == 1


def complete_their_profiles(program: Program) -> None:
    """In real life each person completes their own profile (the participant journey's
    test does it in the browser); here the ORM gives them offers and gaps at once."""
    seniors = {handle for handle, _, _, _, level, _, _ in PEOPLE if int(level) >= 6}
    now = timezone.now()
    for participant in Participant.objects.filter(program=program).select_related("user"):
        senior = participant.user.email.split("@")[0] in seniors
        offers, gaps = (SENIOR_OFFERS, SENIOR_GAPS) if senior else (JUNIOR_OFFERS, JUNIOR_GAPS)
        for name in offers:
            Offer.objects.create(participant=participant, skill=skill(name), proficiency=4)
        for name in gaps:
            Gap.objects.create(participant=participant, skill=skill(name), priority=4)
        participant.profile_completed_at = now
        participant.save(update_fields=["profile_completed_at"])


def run_the_matching(page, task_worker) -> None:
    """Start a run, see it wait for the worker, watch its bar move, get the preview."""
    page.get_by_role("link", name="Matching", exact=True).click()
    page.get_by_role("button", name="Start a run").click()
    page.get_by_text("The matching run has started.").wait_for()
    label = page.locator("#run-progress label")
    assert label.inner_text() == "Waiting for the background worker"
    assert page.locator("progress#run-progress-bar").get_attribute("value") == "0"
    task_worker.run_queued()
    # Each poll replaces the bar: the engine's phase, and a higher value.
    phase = page.wait_for_function(
        "() => { const bar = document.querySelector('#run-progress-bar');"
        " return bar && Number(bar.value) > 0 && bar.labels[0].textContent; }"
    ).json_value()
    assert phase in {label for _, label in run_services.PHASES.values()}, phase
    shots(page, "6-matching-progress")
    page.get_by_role("heading", name="Proposed pairs").wait_for(timeout=30_000)
    task_worker.wait()


def test_a_coordinator_runs_a_pilot_from_setup_to_reports(
    browser, page, live_server, cora, task_worker, paced_matching
):
    sign_in(page, live_server, "cora@example.org", TEST_PASSWORD)

    # 1. Set up the pilot and its team.
    program = create_the_pilot(page)
    add_the_sponsor(page)
    assert list(program.sponsors.values_list("email", flat=True)) == ["sid@example.org"]

    # 2. Enrol people from a CSV: the bad row is refused, the corrected file saved.
    import_people(page, task_worker)
    complete_their_profiles(program)

    # 3. Match: four two-way pairs, and one senior too many, with the reason.
    run_the_matching(page, task_worker)
    counts = page.locator(".counts").first
    assert "4\npairs" in counts.inner_text()
    assert "100%\ntwo-way" in counts.inner_text()
    unmatched = page.get_by_role("region", name="Without a partner")
    assert unmatched.locator("li").count() == 1
    shots(page, "7-matching-preview")
    first_run = MatchingRun.objects.get()

    # 4. Lock the first pair and run again: the new run keeps it as it was.
    first_pair = page.locator("article.proposed-pair").first
    locked_names = first_pair.locator("h3").inner_text().split(". ", 1)[1]
    first_pair.get_by_role("button", name="Lock").click()
    page.get_by_text("Pair locked: a new run keeps it as it is.").wait_for()
    run_the_matching(page, task_worker)
    second_run = MatchingRun.objects.exclude(pk=first_run.pk).get()
    assert page.url.endswith(f"/matching/runs/{second_run.pk}/")
    kept = page.locator("article.proposed-pair", has_text=locked_names)
    assert kept.locator(".badge", has_text="Locked").is_visible()
    counts = page.locator(".counts").first.inner_text()
    assert "4\npairs" in counts and "1\nlocked" in counts and "1\nwithout a partner" in counts
    # The locked pair's partners are paired by this run, not left without a partner.
    assert unmatched.locator("li").count() == 1
    assert locked_names.split(" and ")[0] not in unmatched.inner_text()
    assert "1 locked pair was kept as it was" in page.inner_text("body")

    # 5. Publish: four pairings are proposed to their partners.
    page.get_by_role("button", name="Publish 4 pairs").click()
    page.get_by_text("Published: 4 pairings proposed.").wait_for()
    shots(page, "8-published")
    pairings = list(
        Pairing.objects.filter(program=program).select_related(
            "participant_a__user", "participant_b__user"
        )
    )
    assert len(pairings) == 4
    assert all(p.status == PairingStatus.PROPOSED for p in pairings)

    # 6. The partners accept and meet; four pairs fare four ways.
    healthy, stalled, one_way, at_risk = pairings_by_fortune(pairings, locked_names)
    start_them(pairings)
    meet(healthy, days_ago=3, a_rates=4, b_rates=4)
    meet(stalled, days_ago=30, a_rates=4, b_rates=5)
    meet(at_risk, days_ago=5, a_rates=3, b_rates=4)
    only_one_teaches(one_way)
    for pairing in (healthy, stalled, one_way, at_risk):
        pulse(pairing, pairing.participant_a, lowest=4)
    for pairing in (healthy, stalled):
        pulse(pairing, pairing.participant_b, lowest=4)
    pulse(at_risk, at_risk.participant_b, lowest=2)

    # 7. The health dashboard flags each, and says why.
    page.get_by_role("link", name="Health", exact=True).click()
    page.get_by_role("heading", name="Flags").wait_for()
    flags = {
        row_names(row): row.locator(".health-flags li").all_inner_texts()
        for row in page.locator("li.health-row").all()
    }
    assert flags[names(healthy)] == []
    assert flags[names(stalled)] == [
        "Stalled 30 days since their last conversation; the program flags a pair after "
        "14 days without one."
    ]
    teacher = one_way.participant_a.user  # only_one_teaches: A teaches B
    assert flags[names(one_way)] == [
        f"One-way Only {teacher.display_name} has taught: 3 exchanges, 0 back (a balance of "
        "0%, under the program's 50%)."
    ]
    [risk] = flags[names(at_risk)]
    worried = at_risk.participant_b.user.display_name
    assert risk.startswith(f"At risk {worried}'s latest pulse (")
    assert risk.endswith(
        "rates something 2 out of 5. The program flags a pulse that rates anything 2 or lower."
    )
    shots(page, "9-health")
    page.get_by_role("combobox", name="Flag").select_option("stalled")
    page.get_by_role("button", name="Show").click()
    page.get_by_text("1 pairing matches").wait_for()
    assert [row_names(row) for row in page.locator("li.health-row").all()] == [names(stalled)]

    # 8. The reports: aggregates, with charts drawn on the server.
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("heading", name="Participation funnel").wait_for()
    assert page.locator("svg.chart[aria-labelledby^='funnel-chart']").is_visible()
    assert page.locator("svg.chart[aria-labelledby^='balance-chart']").is_visible()
    page.get_by_role("heading", name="The silos bridged").wait_for()
    assert page.get_by_role("link", name="Download the pairing list (CSV)").is_visible()
    shots(page, "10-reports")

    # 9. The sponsor reads the same reports, and nothing of the pairs' health.
    sponsor_reads_reports_only(browser, live_server, program)


# --- The pairs' lives, written through the services and the ORM ---------------------


def names(pairing: Pairing) -> str:
    return f"{pairing.participant_a.user.full_name} and {pairing.participant_b.user.full_name}"


def row_names(row) -> str:
    # "A ↔ B", with "and" for screen readers in place of the arrow.
    return " ".join(row.locator("h3").inner_text().replace("↔", " ").split())


def pairings_by_fortune(pairings: list[Pairing], locked_names: str) -> list[Pairing]:
    """The locked pair does well; the three others stall, go one way, and risk ending."""
    healthy = next(p for p in pairings if names(p) == locked_names)
    return [healthy, *(p for p in pairings if p is not healthy)]


def start_them(pairings: list[Pairing]) -> None:
    """Both partners accept, agree, and started 45 days ago."""
    for pairing in pairings:
        a, b = pairing.participant_a, pairing.participant_b
        pairing_accept(side=PairSide(pairing=pairing, me=a, partner=b))
        pairing_accept(side=PairSide(pairing=pairing, me=b, partner=a))
        pairing_activate(pairing=pairing)
    began = timezone.now() - timedelta(days=45)
    Pairing.objects.filter(pk__in=[p.pk for p in pairings]).update(
        accepted_by_a_at=began, accepted_by_b_at=began, accepted_at=began, started_at=began
    )


def meet(pairing: Pairing, *, days_ago: int, a_rates: int, b_rates: int) -> None:
    """One held conversation in which each taught the other, and rated it."""
    a, b = pairing.participant_a, pairing.participant_b
    talk = ConversationFactory(
        pairing=pairing, starts_at=timezone.now() - timedelta(days=days_ago), logged_by=a
    )
    exchange(talk, teacher=b, learner=a, skill=taught_by(b), value_rating=a_rates)
    exchange(talk, teacher=a, learner=b, skill=taught_by(a), value_rating=b_rates)


def only_one_teaches(pairing: Pairing) -> None:
    """Three exchanges over two conversations, all from A to B."""
    a, b = pairing.participant_a, pairing.participant_b
    first = ConversationFactory(pairing=pairing, starts_at=timezone.now() - timedelta(days=9))
    second = ConversationFactory(pairing=pairing, starts_at=timezone.now() - timedelta(days=2))
    offers = list(a.offers.select_related("skill"))
    exchange(first, teacher=a, learner=b, skill=offers[0].skill, value_rating=5)
    exchange(first, teacher=a, learner=b, skill=offers[1].skill, value_rating=5)
    exchange(second, teacher=a, learner=b, skill=offers[0].skill, value_rating=4)


def taught_by(participant: Participant):
    return participant.offers.select_related("skill").first().skill


def pulse(pairing: Pairing, author: Participant, *, lowest: int) -> None:
    Pulse.objects.create(
        pairing=pairing,
        author=author,
        fit=4,
        trust=lowest,
        value_given=4,
        value_received=5,
        submitted_at=timezone.now() - timedelta(hours=1),
    )


def sponsor_reads_reports_only(browser, live_server, program: Program) -> None:
    context = browser.new_context(viewport=DESKTOP)
    sponsor = context.new_page()
    violations: list[str] = []
    sponsor.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    sign_in(sponsor, live_server, "sid@example.org", TEST_PASSWORD)
    sponsor.goto(f"{live_server.url}/programs/{program.slug}/reports/")
    sponsor.get_by_role("heading", name="Participation funnel").wait_for()
    assert sponsor.locator("svg.chart[aria-labelledby^='balance-chart']").is_visible()
    # Aggregates only: no pairing list, and only the tabs a sponsor may open.
    assert sponsor.get_by_role("link", name="Download the pairing list (CSV)").count() == 0
    tabs = (
        sponsor.get_by_role("navigation", name="This program").get_by_role("link").all_inner_texts()
    )
    assert [tab.strip() for tab in tabs] == ["Overview", "Reports"], tabs
    shots(sponsor, "11-sponsor-reports")
    for tab in ("health", "exits", "matching", "people"):
        response = sponsor.goto(f"{live_server.url}/programs/{program.slug}/{tab}/")
        assert response.status == 404, tab
    assert "Page not found" in sponsor.content()
    context.close()
    assert not violations, f"the sponsor's pages broke their Content-Security-Policy: {violations}"

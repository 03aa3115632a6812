"""The program report: each chart's numbers, and the privacy rule for small groups."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from tests.factories import ConversationFactory, ProgramFactory, exchange, pairing_of
from tests.insights.report_data import (
    DECEMBER,
    OCTOBER,
    SEPTEMBER,
    a_skill,
    group_of,
    held,
    junior,
    person,
    pulse,
    senior,
)
from twoway.accounts.models import Invitation, InvitationRole
from twoway.insights.selectors.reports import (
    FEWER_THAN,
    MIN_GROUP,
    Figure,
    balance_bucket,
    program_report,
    report_figures,
    suppress,
)
from twoway.pairing.models import PairingStatus
from twoway.relationships.models import ConversationStatus

pytestmark = pytest.mark.django_db


# --- The rule itself --------------------------------------------------------------


def test_the_smallest_reported_group_is_five_people():
    assert MIN_GROUP == 5
    assert suppress(4, people=4).withheld
    assert str(suppress(4, people=4)) == "fewer than 5 people" == FEWER_THAN
    assert suppress(7, people=5) == Figure(7)


def test_an_empty_group_is_reported_as_zero_because_it_describes_nobody():
    assert suppress(0, people=0) == Figure(0)


def test_figures_read_as_whole_numbers_or_one_decimal():
    assert (str(Figure(12)), str(Figure(4.0)), str(Figure(3.25))) == ("12", "4", "3.2")


@pytest.mark.parametrize(
    ("balance", "bucket"), [(0, 0), (0.199, 0), (0.2, 1), (0.6, 3), (0.8, 4), (1, 4)]
)
def test_balance_buckets_are_fifths_with_perfect_balance_in_the_last(balance, bucket):
    assert balance_bucket(balance) == bucket


# --- Every chart at the 4/5 edge ---------------------------------------------------


def test_every_chart_reports_a_group_of_five_people():
    program = ProgramFactory()
    group_of(program, 5)
    report = program_report(program)

    assert not report.funnel.too_few
    steps = [str(step.people) for step in report.funnel.steps]
    assert steps == ["5", "5", "5", "5", FEWER_THAN]  # one pairing has ended: 4 active

    assert not report.balance.too_few
    assert str(report.balance.buckets[0].pairings) == "3"  # one-way so far: balance 0

    down, up, equal = report.flows.totals
    assert (down.value, down.exchanges) == (Figure(12), Figure(3))
    assert (up.value, equal.value) == (Figure(0), Figure(0))
    assert [(row.month, row.senior_to_junior) for row in report.flows.months] == [
        (date(2026, 9, 1), Figure(12))
    ]

    matrix = report.departments
    assert matrix.departments == ["Engineering", "Finance"]
    assert str(matrix.rows[1].cells[0].pairings) == "3"  # Finance × Engineering
    assert str(matrix.cross_department_percent) == "100"

    (september,) = report.pulses.months
    assert str(september.respondents) == "5"
    assert [str(mean) for mean in september.means] == ["4", "5", "3", "2"]


def test_every_chart_withholds_a_group_of_four_people():
    program = ProgramFactory()
    group_of(program, 4)
    report = program_report(program)

    assert report.funnel.too_few
    assert [str(step.people) for step in report.funnel.steps] == [FEWER_THAN] * 5
    assert report.balance.too_few and report.balance.buckets[0].pairings.withheld
    assert report.flows.too_few
    assert report.flows.totals[0].value.withheld and report.flows.totals[0].exchanges.withheld
    assert report.flows.months[0].senior_to_junior.withheld
    assert report.departments.too_few
    assert report.departments.rows[1].cells[0].pairings.withheld
    assert report.departments.pairings.withheld
    assert report.pulses.too_few
    assert report.pulses.months[0].respondents.withheld
    assert all(mean.withheld for mean in report.pulses.months[0].means)


@pytest.mark.parametrize(("teachers", "listed"), [(4, False), (5, True)])
def test_a_skill_is_listed_only_once_five_people_have_taught_it(teachers, listed):
    program = ProgramFactory()
    rare = a_skill("Rare craft")
    for _ in range(teachers):
        a, b = senior(program), junior(program)
        exchange(held(pairing_of(a, b)), a, b, skill=rare, value_rating=3)
    down, up = program_report(program).skills
    assert [(s.name, s.exchanges, s.teachers) for s in down.skills] == (
        [("Rare craft", 5, 5)] if listed else []
    )
    assert up.skills == []


def test_a_month_of_pulses_is_shown_only_with_five_respondents():
    program = ProgramFactory()
    pairings = group_of(program, 6)  # 6 respondents in September
    for pairing in pairings[:2]:  # 4 in October
        pulse(pairing, pairing.participant_a, OCTOBER, fit=1)
        pulse(pairing, pairing.participant_b, OCTOBER, fit=1)
    september, october = program_report(program).pulses.months
    assert str(september.respondents) == "6"
    assert october.respondents.withheld and october.means[0].withheld


# --- The numbers of each chart on a small program -----------------------------------


@pytest.fixture
def mixed():
    """Twelve people in six pairings, across departments and levels, over three months.

    Finance seniors (level 7) F1-F3 with Engineering juniors (level 2) E1-E3; Sales
    (level 4) S1 with S2; Sales S3 and S4 with HR (level 4) H1 and H2.
    """
    program = ProgramFactory()
    f = [senior(program) for _ in range(3)]
    e = [junior(program) for _ in range(3)]
    s = [person(program, department="Sales", level=4) for _ in range(4)]
    h = [person(program, department="HR", level=4) for _ in range(2)]
    fe = [pairing_of(f[i], e[i]) for i in range(3)]
    ss = pairing_of(s[0], s[1])
    sh = [pairing_of(s[2], h[0]), pairing_of(s[3], h[1])]
    budgeting, ai, listening = a_skill("Budgeting"), a_skill("Gen AI"), a_skill("Listening")
    september = [held(pairing, SEPTEMBER) for pairing in fe]
    october = [held(pairing, OCTOBER) for pairing in fe]
    for i in range(3):  # September: 3 × 4 senior → junior; E1 teaches F1 too (rated 2)
        exchange(september[i], f[i], e[i], skill=budgeting, value_rating=4)
    exchange(september[0], e[0], f[0], skill=ai, value_rating=2)
    for i in range(2):  # October: 2 × 3 senior → junior (4 people), 3 × 5 junior → senior
        exchange(october[i], f[i], e[i], skill=budgeting, value_rating=3)
    for i in range(3):
        exchange(october[i], e[i], f[i], skill=ai, value_rating=5)
    talk = held(ss, SEPTEMBER)
    exchange(talk, s[0], s[1], skill=listening, value_rating=3)
    exchange(talk, s[1], s[0], skill=listening, value_rating=3)
    for pairing, teacher, learner in ((sh[0], s[2], h[0]), (sh[1], s[3], h[1])):
        exchange(held(pairing, SEPTEMBER), teacher, learner, skill=listening, value_rating=4)
    for author, fit in zip([f[0], e[0], f[1], e[1], f[2]], [5, 4, 3, 4, 4], strict=True):
        pairing = next(p for p in fe if author.pk in (p.participant_a_id, p.participant_b_id))
        pulse(pairing, author, SEPTEMBER, fit=fit, trust=4)
    for i in range(2):  # October: 4 respondents
        pulse(fe[i], f[i], OCTOBER)
        pulse(fe[i], e[i], OCTOBER)
    for author in [*f, e[0], e[1]]:  # December: 5 respondents, November none
        pairing = next(p for p in fe if author.pk in (p.participant_a_id, p.participant_b_id))
        pulse(pairing, author, DECEMBER, fit=2)
    return program


def test_balance_distribution_counts_pairings_by_fifths(mixed):
    buckets = program_report(mixed).balance.buckets
    # F1-E1 7/7, F3-E3 4/5, S1-S2 3/3: 80% or more (6 people). F2-E2 5/7 alone in its
    # fifth, and the two one-way Sales-HR pairs (4 people): withheld.
    assert [str(bucket.pairings) for bucket in buckets] == [
        FEWER_THAN,
        "0",
        "0",
        FEWER_THAN,
        "3",
    ]


def test_value_flows_count_each_direction_and_equals_apart(mixed):
    flows = program_report(mixed).flows
    down, up, equal = flows.totals
    assert (str(down.value), str(down.exchanges)) == ("18", "5")
    assert (str(up.value), str(up.exchanges)) == ("17", "4")
    assert (str(equal.value), str(equal.exchanges)) == ("14", "4")
    assert [
        (row.month, str(row.senior_to_junior), str(row.junior_to_senior)) for row in flows.months
    ] == [
        (date(2026, 9, 1), "12", FEWER_THAN),  # only F1 and E1 taught upwards
        (date(2026, 10, 1), FEWER_THAN, "15"),  # only two pairs taught downwards
    ]


def test_the_department_matrix_counts_pairings_and_withholds_small_cells(mixed):
    matrix = program_report(mixed).departments
    assert matrix.departments == ["Engineering", "Finance", "HR", "Sales"]
    cells = {
        (row.department, column): str(cell.pairings)
        for row in matrix.rows
        for column, cell in zip(matrix.departments, row.cells, strict=True)
    }
    assert cells[("Finance", "Engineering")] == cells[("Engineering", "Finance")] == "3"
    assert cells[("Sales", "HR")] == FEWER_THAN  # 2 pairings, 4 people
    assert cells[("Sales", "Sales")] == FEWER_THAN
    assert cells[("HR", "Finance")] == "0"
    assert str(matrix.pairings) == "6"
    assert str(matrix.cross_department_percent) == "83"  # 5 of 6


def test_pulse_trends_are_monthly_means_with_empty_months_kept(mixed):
    months = program_report(mixed).pulses.months
    assert [m.month for m in months] == [date(2026, m, 1) for m in (9, 10, 11, 12)]
    september, october, november, december = months
    assert [str(mean) for mean in september.means] == ["4", "4", "3", "2"]
    assert october.respondents.withheld
    assert november.means == [] and str(november.respondents) == "0"
    assert str(december.means[0]) == "2"


def test_skills_are_ranked_by_times_taught_in_each_direction():
    program = ProgramFactory()
    widely, often, rarely, upward = (
        a_skill(name) for name in ("Budgeting", "Negotiation", "Rare craft", "Gen AI")
    )
    pairs = []
    for _ in range(6):
        a, b = senior(program), junior(program)
        pairs.append((held(pairing_of(a, b)), a, b))
    for index, (talk, a, b) in enumerate(pairs):
        exchange(talk, a, b, skill=often, value_rating=4)  # 6 people, 6 times
        if index < 5:
            exchange(talk, a, b, skill=widely, value_rating=4)  # 5 people ...
            exchange(talk, b, a, skill=upward, value_rating=4)
        if index < 4:
            exchange(talk, a, b, skill=rarely, value_rating=4)  # 4 people: left out
    talk, a, b = pairs[0]
    exchange(held(talk.pairing, OCTOBER), a, b, skill=widely)  # ... 6 times
    exchange(held(talk.pairing, OCTOBER), a, b, skill=often)  # 7 times
    down, up = program_report(program).skills
    assert [(s.name, s.exchanges, s.teachers) for s in down.skills] == [
        ("Negotiation", 7, 6),
        ("Budgeting", 6, 5),
    ]
    assert [(s.name, s.exchanges, s.teachers) for s in up.skills] == [("Gen AI", 5, 5)]


def test_the_funnel_follows_people_from_invitation_to_an_active_pairing():
    program = ProgramFactory()
    people = [person(program) for _ in range(10)]
    people += [person(program, profile_completed_at=None) for _ in range(2)]
    for index, participant in enumerate(people[:8]):
        email = participant.user.email
        Invitation.objects.create(
            program=program,
            email=email.upper() if index == 0 else email,
            role=InvitationRole.PARTICIPANT,
            token_hash=f"hash-{index}",
        )
    Invitation.objects.create(  # the same person invited twice counts once
        program=program, email=people[0].user.email, role="participant", token_hash="again"
    )
    for index in range(3):  # invited, not (yet) enrolled
        Invitation.objects.create(
            program=program,
            email=f"later{index}@example.org",
            role="participant",
            token_hash=f"later-{index}",
        )
    Invitation.objects.create(  # a sponsor is not invited to take part
        program=program, email="boss@example.org", role="sponsor", token_hash="boss"
    )
    first = pairing_of(people[0], people[1])
    second = pairing_of(people[2], people[3])
    pairing_of(people[4], people[5], paused_at=timezone.now())
    done = pairing_of(people[6], people[7], status=PairingStatus.COMPLETED, ended_at=timezone.now())
    pairing_of(people[8], people[9], status=PairingStatus.PROPOSED, started_at=None)
    for pairing in (first, second, done):
        held(pairing)
    steps = program_report(program).funnel.steps
    # 8 invited participants, 3 more invited, 4 enrolled without an invitation.
    assert [str(step.people) for step in steps] == ["15", "10", "8", "6", FEWER_THAN]


def test_a_planned_conversation_is_not_a_first_conversation():
    program = ProgramFactory()
    pairs = [pairing_of(senior(program), junior(program)) for _ in range(3)]
    for pairing in pairs:
        ConversationFactory(pairing=pairing, status=ConversationStatus.PLANNED)
    steps = program_report(program).funnel.steps
    assert str(steps[3].people) == "0"


def test_the_figures_export_lists_every_chart_with_the_same_withholding(mixed):
    rows = list(report_figures(program_report(mixed)))
    assert rows[0] == ("Section", "Figure", "Value")
    figures = {(section, name): value for section, name, value in rows[1:]}
    assert figures[("Balance (pairings)", "80% or more")] == "3"
    assert figures[("Balance (pairings)", "under 20%")] == FEWER_THAN
    assert figures[("Value by direction", "Senior → junior: value rated")] == "18"
    assert figures[("Value by month", "2026-10 Senior → junior")] == FEWER_THAN
    assert figures[("Departments", "Finance × Engineering")] == "3"
    assert figures[("Departments", "Sales × HR")] == FEWER_THAN
    assert ("Departments", "Engineering × Finance") not in figures  # each pair once
    assert figures[("Pulse", "2026-09 mean fit")] == "4"
    assert figures[("Pulse", "2026-10 respondents")] == FEWER_THAN


def test_the_funnel_says_it_counts_everyone_ever_paired_not_only_those_paired_now():
    # The People tab's filter counts people without a partner now; the funnel counts
    # anyone who ever had an accepted pairing: each label says which.
    program = ProgramFactory()
    steps = program_report(program).funnel.steps
    assert steps[2].label == "Ever paired"
    assert "now or earlier" in steps[2].explanation

"""Self-match rounds: people rank their best suggestions, then the stable mode runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse

from tests.factories import ProgramFactory, UserFactory
from tests.pairing.matching_people import JUNIOR_SKILLS, SENIOR_SKILLS, enrolled
from tests.permissions import response_as
from twoway.core.errors import ActionError
from twoway.notifications.models import Notification, NotificationKind
from twoway.pairing.models import MatchingRun, RunMode, RunStatus, SelfMatchRound, Suggestion
from twoway.pairing.run_services import (
    matching_run_execute,
    matching_run_publish,
    matching_run_start,
)
from twoway.pairing.self_match_services import self_match_round_open, suggestions_rank
from twoway.programs.models import ProgramStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    program = ProgramFactory(name="Delta", slug="delta", self_match=True)
    program.coordinators.add(UserFactory(full_name="Coordinator"))
    return program


@pytest.fixture
def coordinator(program):
    return program.coordinators.get()


@pytest.fixture
def people(program):
    """Two seniors and two juniors: each senior is suggested both juniors, and so on."""
    return {
        name: enrolled(
            program,
            name,
            department="Finance" if name.startswith("Senior") else "Engineering",
            level=7 if name.startswith("Senior") else 2,
            **(SENIOR_SKILLS if name.startswith("Senior") else JUNIOR_SKILLS),
        )
        for name in ("Senior A", "Senior B", "Junior A", "Junior B")
    }


def _suggested(round, person) -> list[int]:
    return list(
        Suggestion.objects.filter(round=round, participant=person)
        .order_by("position")
        .values_list("suggested_id", flat=True)
    )


def test_opening_a_round_suggests_eligible_partners_and_tells_everyone(
    program, coordinator, people
):
    round = self_match_round_open(program=program, by=coordinator)

    assert set(_suggested(round, people["Senior A"])) == {
        people["Junior A"].pk,
        people["Junior B"].pk,
    }
    suggestion = Suggestion.objects.filter(round=round, participant=people["Junior A"]).first()
    assert suggestion.explanation["a_teaches_b"][0]["skill"] == "Python scripting"
    told = Notification.objects.filter(kind=NotificationKind.SUGGESTIONS_READY)
    assert {note.recipient_id for note in told} == {p.user_id for p in people.values()}
    assert told.first().link == reverse("matching:suggestions", args=["delta"])


def test_a_round_needs_a_self_match_program(coordinator, people):
    other = ProgramFactory(self_match=False)
    with pytest.raises(ActionError, match="does not use self-match"):
        self_match_round_open(program=other, by=coordinator)


def test_a_new_round_closes_the_open_one(program, coordinator, people):
    first = self_match_round_open(program=program, by=coordinator)
    SelfMatchRound.objects.filter(pk=first.pk).update(opened_at=F("opened_at") - timedelta(hours=1))
    second = self_match_round_open(program=program, by=coordinator)
    first.refresh_from_db()
    assert first.closed_at is not None and second.closed_at is None


def test_a_double_click_opens_one_round_and_tells_people_once(program, coordinator, people):
    first = self_match_round_open(program=program, by=coordinator)
    told = Notification.objects.filter(kind=NotificationKind.SUGGESTIONS_READY).count()
    again = self_match_round_open(program=program, by=coordinator)
    assert again.pk == first.pk
    assert SelfMatchRound.objects.filter(program=program).count() == 1
    assert Notification.objects.filter(kind=NotificationKind.SUGGESTIONS_READY).count() == told


def test_a_closed_program_opens_no_round(program, coordinator, people):
    program.status = ProgramStatus.CLOSED
    program.save()
    with pytest.raises(ActionError, match="is closed"):
        self_match_round_open(program=program, by=coordinator)


def test_rankings_must_be_one_two_three_without_gaps(program, coordinator, people):
    round = self_match_round_open(program=program, by=coordinator)
    senior = people["Senior A"]
    junior_a, junior_b = people["Junior A"].pk, people["Junior B"].pk

    with pytest.raises(ActionError) as refused:
        suggestions_rank(round=round, participant=senior, ranks={junior_a: 2, junior_b: 2})
    assert refused.value.field == "ranks"
    with pytest.raises(ActionError, match="Rank only the people suggested"):
        suggestions_rank(round=round, participant=senior, ranks={people["Senior B"].pk: 1})
    assert not Suggestion.objects.filter(ranked_at__isnull=False).exists()


def test_the_stable_run_follows_the_rankings_and_publishing_closes_the_round(
    program, coordinator, people
):
    round = self_match_round_open(program=program, by=coordinator)
    senior_a, senior_b = people["Senior A"], people["Senior B"]
    junior_a, junior_b = people["Junior A"], people["Junior B"]
    # Everyone is equally good on paper; the rankings decide: A with B, B with A.
    suggestions_rank(round=round, participant=senior_a, ranks={junior_b.pk: 1, junior_a.pk: 2})
    suggestions_rank(round=round, participant=junior_b, ranks={senior_a.pk: 1, senior_b.pk: 2})
    suggestions_rank(round=round, participant=senior_b, ranks={junior_a.pk: 1, junior_b.pk: None})

    run = matching_run_start(program=program, started_by=coordinator, self_match_round=round)
    run = matching_run_execute(run_id=run.pk)

    assert run.mode == RunMode.STABLE and run.stats["stable"] is True
    assert {
        frozenset(pair) for pair in run.pairs.values_list("participant_a_id", "participant_b_id")
    } == {frozenset((senior_a.pk, junior_b.pk)), frozenset((senior_b.pk, junior_a.pk))}
    matching_run_publish(run=run, by=coordinator)
    round.refresh_from_db()
    assert round.closed_at is not None
    with pytest.raises(ActionError, match="closed"):
        suggestions_rank(round=round, participant=junior_a, ranks={senior_b.pk: 1})


def test_someone_who_ranks_nobody_is_not_paired(program, coordinator, people):
    round = self_match_round_open(program=program, by=coordinator)
    senior_a = people["Senior A"]
    ranks = dict.fromkeys(_suggested(round, senior_a))
    suggestions_rank(round=round, participant=senior_a, ranks=ranks)

    run = matching_run_execute(
        run_id=matching_run_start(
            program=program, started_by=coordinator, self_match_round=round
        ).pk
    )

    assert senior_a.pk in {item["participant"] for item in run.unmatched}


# --- Pages -----------------------------------------------------------------------------


def test_a_participant_ranks_their_suggestions_on_the_page(client, program, coordinator, people):
    self_match_round_open(program=program, by=coordinator)
    senior = people["Senior A"]
    client.force_login(senior.user)
    url = reverse("matching:suggestions", args=["delta"])

    page = client.get(url).text
    assert "Junior A" in page and "You could learn" in page and "Python scripting" in page

    data = {f"rank-{people['Junior B'].pk}": "1", f"rank-{people['Junior A'].pk}": ""}
    page = client.post(url, data, follow=True).text
    assert "your ranking of 1 person is saved" in page
    assert Suggestion.objects.get(participant=senior, suggested=people["Junior B"]).preference == 1


def test_a_refused_ranking_is_shown_as_it_was_sent(client, program, coordinator, people):
    self_match_round_open(program=program, by=coordinator)
    senior = people["Senior A"]
    client.force_login(senior.user)
    url = reverse("matching:suggestions", args=["delta"])
    junior_a, junior_b = people["Junior A"].pk, people["Junior B"].pk

    page = client.post(url, {f"rank-{junior_a}": "1", f"rank-{junior_b}": "1"}).text

    assert "Give each person you would like a different place" in page
    for junior in (junior_a, junior_b):  # both choices are kept, for the person to correct
        choice = page.split(f'name="rank-{junior}">')[1].split("</select>")[0]
        assert '<option value="1" selected>1</option>' in choice
    assert not Suggestion.objects.filter(participant=senior, ranked_at__isnull=False).exists()


def test_the_suggestions_page_says_when_there_is_nothing_to_rank(client, program, people):
    client.force_login(people["Senior A"].user)
    page = client.get(reverse("matching:suggestions", args=["delta"])).text
    assert "Nothing to rank right now." in page


def test_only_the_programs_participants_see_suggestions(client, cast, program, people):
    url = reverse("matching:suggestions", args=["delta"])
    for who in ("alice", "dana", "erin", "sam", "root"):
        assert response_as(client, cast, who, url).status_code == 404, who
    assert response_as(client, cast, "anonymous", url).status_code == 302


def test_the_coordinator_opens_a_round_and_runs_it_from_the_matching_tab(
    client, program, coordinator, people
):
    client.force_login(coordinator)
    runs = reverse("matching:runs", args=["delta"])
    page = client.post(reverse("matching:round-open", args=["delta"]), follow=True).text
    assert "Round opened: 4 people have suggestions" in page
    assert "the engine ranks their eligible partners by fit, not only the five" in page
    assert "0 of 4" in client.get(runs).text

    response = client.post(reverse("matching:round-run", args=["delta"]))

    run = MatchingRun.objects.get()
    assert response["Location"] == reverse("matching:run", args=["delta", run.pk])
    assert run.self_match_round == SelfMatchRound.objects.get() and run.status == RunStatus.QUEUED


@pytest.mark.parametrize("who", ("alice", "erin", "sam", "root"))
def test_only_coordinators_open_or_run_rounds(client, cast, who):
    cast.river.self_match = True
    cast.river.save()
    for name in ("matching:round-open", "matching:round-run"):
        url = reverse(name, args=["river"])
        assert response_as(client, cast, who, url, method="post").status_code == 404
    assert not SelfMatchRound.objects.exists()


def test_the_suggestions_page_takes_the_same_queries_for_more_suggestions(
    client, program, coordinator, people, django_assert_num_queries
):
    round = self_match_round_open(program=program, by=coordinator)
    senior = people["Senior A"]
    client.force_login(senior.user)
    url = reverse("matching:suggestions", args=["delta"])
    assert Suggestion.objects.filter(round=round, participant=senior).count() == 2
    # session, user, participant, round, suggestions, the bell
    with django_assert_num_queries(6):
        client.get(url)
    for i in range(3):
        enrolled(program, f"Junior {i}", department="Sales", level=1, **JUNIOR_SKILLS)
    round.closed_at = round.opened_at  # a later round, not a double click
    round.save()
    round = self_match_round_open(program=program, by=coordinator)
    assert Suggestion.objects.filter(round=round, participant=senior).count() == 5
    with django_assert_num_queries(6):
        assert client.get(url).text.count("<select") == 5

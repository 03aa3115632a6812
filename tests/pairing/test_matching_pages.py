"""The coordinators' matching pages: who may open them, what they show, how many queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.pairing.matching_people import seniors_and_juniors
from tests.permissions import response_as
from twoway.pairing import run_selectors
from twoway.pairing.models import MatchingRun, PairRule, PairRuleKind, RunStatus
from twoway.pairing.run_services import (
    matching_run_execute,
    matching_run_start,
    proposed_pair_lock,
)

pytestmark = pytest.mark.django_db

# Everyone signed in who does not coordinate "river": the same 404 as for no such program.
NOT_COORDINATORS = ("alice", "bob", "charlie", "erin", "sam", "root")


@pytest.fixture
def run(cast):
    """A finished run on "river", with four new people ready to be paired."""
    seniors_and_juniors(cast.river, 2)
    started = matching_run_start(program=cast.river, started_by=cast.dana)
    return matching_run_execute(run_id=started.pk)


def _urls(run) -> list[tuple[str, str, dict]]:
    slug, pair = run.program.slug, run.pairs.first()
    rule = PairRule.objects.create(
        program=run.program,
        participant_a=pair.participant_a,
        participant_b=pair.participant_b,
        kind=PairRuleKind.FORBID,
    )
    return [
        ("get", reverse("matching:runs", args=[slug]), {}),
        ("post", reverse("matching:runs", args=[slug]), {"mode": "optimal"}),
        ("get", reverse("matching:run", args=[slug, run.pk]), {}),
        ("get", reverse("matching:progress", args=[slug, run.pk]), {}),
        ("post", reverse("matching:publish", args=[slug, run.pk]), {}),
        ("post", reverse("matching:lock", args=[slug, run.pk, pair.pk]), {}),
        ("post", reverse("matching:forbid", args=[slug, run.pk, pair.pk]), {}),
        ("get", reverse("matching:swap", args=[slug, run.pk, pair.pk]), {}),
        ("post", reverse("matching:swap", args=[slug, run.pk, pair.pk]), {}),
        ("post", reverse("matching:remove-rule", args=[slug, rule.pk]), {}),
    ]


def test_anonymous_visitors_are_sent_to_sign_in_everywhere(client, cast, run):
    for method, url, data in _urls(run):
        response = response_as(client, cast, "anonymous", url, method=method, data=data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize("who", NOT_COORDINATORS)
def test_only_the_programs_coordinators_may_open_or_act(client, cast, run, who):
    for method, url, data in _urls(run):
        response = response_as(client, cast, who, url, method=method, data=data)
        assert response.status_code == 404, f"{who} got {response.status_code} for {url}"
    assert MatchingRun.objects.count() == 1
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.pairs.count() == 2


def test_the_coordinator_may_open_every_page(client, cast, run):
    client.force_login(cast.dana)
    for method, url, _ in _urls(run):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_the_matching_tab_is_for_coordinators_only(client, cast):
    overview = reverse("programs:overview", args=["river"])
    client.force_login(cast.dana)
    assert reverse("matching:runs", args=["river"]) in client.get(overview).text
    client.force_login(cast.sam)
    assert reverse("matching:runs", args=["river"]) not in client.get(overview).text


def test_an_empty_history_says_what_to_do(client, cast):
    client.force_login(cast.dana)
    page = client.get(reverse("matching:runs", args=["river"])).text
    assert "No run yet." in page and "Start a run" in page


def test_starting_a_run_queues_it_and_opens_its_progress(client, cast):
    client.force_login(cast.dana)
    response = client.post(reverse("matching:runs", args=["river"]), {"mode": "stable"})

    run = MatchingRun.objects.get()
    assert response["Location"] == reverse("matching:run", args=["river", run.pk])
    assert run.mode == "stable" and run.started_by == cast.dana
    page = client.get(response["Location"]).text
    assert "<progress" in page and "every 1s" in page and 'style="' not in page
    assert "The matching run has started" in page


def test_the_progress_fragment_asks_for_a_reload_once_the_run_is_done(client, cast, run):
    client.force_login(cast.dana)
    url = reverse("matching:progress", args=["river", run.pk])
    assert client.get(url)["HX-Refresh"] == "true"
    MatchingRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=50)
    response = client.get(url)
    assert "HX-Refresh" not in response and 'value="50"' in response.text


def test_a_failed_run_shows_its_error(client, cast):
    failed = MatchingRun.objects.create(
        program=cast.river, status=RunStatus.FAILED, error="The matching could not run: boom"
    )
    client.force_login(cast.dana)
    page = client.get(reverse("matching:run", args=["river", failed.pk])).text
    assert "This run failed." in page and "boom" in page and "No pair from it was saved" in page


def test_the_preview_shows_pairs_shares_gaps_certificate_and_the_unmatched(client, cast, run):
    client.force_login(cast.dana)
    page = client.get(reverse("matching:run", args=["river", run.pk])).text

    assert "Senior 0" in page and "teaches" in page and "Python scripting" in page
    assert "100%</strong><span>two-way" in page
    assert "Levels apart" in page
    assert "Optimal over every eligible pair, not only those candidates" in page
    # charlie has an empty profile (not read); alice and bob are busy with each other.
    assert "Publish 2 pairs" in page


def test_the_preview_names_people_left_out_and_why(client, cast, run):
    cast.alice_p.profile_completed_at = run.created_at
    cast.alice_p.save()
    again = matching_run_execute(
        run_id=matching_run_start(program=cast.river, started_by=cast.dana).pk
    )
    client.force_login(cast.dana)
    page = client.get(reverse("matching:run", args=["river", again.pk])).text
    assert "Alice Example" in page and "Already has 1 open pairing" in page
    # Alice already has Bob as a partner: she was not considered, not left without one.
    assert "0</strong><span>without a partner" in page
    assert "1 person not considered: open pairings take all their places" in page


@pytest.mark.parametrize(
    ("locks", "said"),
    [
        (1, "1 locked pair was kept as it was"),
        (2, "2 locked pairs were kept as they were"),
    ],
)
def test_the_preview_says_how_many_locked_pairs_were_kept(client, cast, run, locks, said):
    for pair in run.pairs.order_by("pk")[:locks]:
        proposed_pair_lock(run=run, pair_id=pair.pk, by=cast.dana)
    again = matching_run_execute(
        run_id=matching_run_start(program=cast.river, started_by=cast.dana).pk
    )
    client.force_login(cast.dana)
    page = client.get(reverse("matching:run", args=["river", again.pk])).text
    assert f"{said} and not re-optimised." in page
    # The locked pairs' people are paired by this run, not "without a partner".
    assert "Everyone the run considered has a partner." in page


def test_actions_give_feedback(client, cast, run):
    client.force_login(cast.dana)
    pair = run.pairs.first()
    lock = reverse("matching:lock", args=["river", run.pk, pair.pk])
    page = client.post(lock, {"locked": "1", "page": "1"}, follow=True).text
    assert "Pair locked" in page
    forbid = reverse("matching:forbid", args=["river", run.pk, pair.pk])
    page = client.post(forbid, follow=True).text
    assert "Pair forbidden" in page
    publish = reverse("matching:publish", args=["river", run.pk])
    page = client.post(publish, follow=True).text
    assert "Published: 1 pairing proposed" in page


def test_a_refused_swap_shows_the_rule(client, cast, run):
    client.force_login(cast.dana)
    first, second = run.pairs.order_by("id")
    senior_of = {
        pair.pk: next(p for p in (pair.participant_a, pair.participant_b) if "Senior" in str(p))
        for pair in (first, second)
    }
    url = reverse("matching:swap", args=["river", run.pk, first.pk])
    response = client.post(
        url,
        {
            "stays": senior_of[first.pk].pk,
            "other_pair": second.pk,
            "other": senior_of[second.pk].pk,
        },
    )
    assert "cannot be paired: no skill exchange" in response.text


def test_the_swap_search_finds_people_in_other_pairs(client, cast, run):
    client.force_login(cast.dana)
    first = run.pairs.order_by("id").first()
    url = reverse("matching:swap", args=["river", run.pk, first.pk])
    page = client.get(url, {"q": "zzz"}).text
    assert "Nobody in another unlocked pair" in page
    page = client.get(url, {"q": "senior"}).text
    assert "goes to" in page


def _more_runs(cast, count: int) -> None:
    for _ in range(count):
        matching_run_execute(run_id=matching_run_start(program=cast.river, started_by=cast.dana).pk)


def test_the_runs_list_takes_the_same_queries_for_more_runs(
    client, cast, run, django_assert_num_queries
):
    client.force_login(cast.dana)
    url = reverse("matching:runs", args=["river"])
    client.get(url)
    # session, user, program, runs, pair rules, the bell
    with django_assert_num_queries(6):
        client.get(url)
    _more_runs(cast, 3)
    pair = run.pairs.first()
    PairRule.objects.create(
        program=cast.river,
        participant_a=pair.participant_a,
        participant_b=pair.participant_b,
        kind=PairRuleKind.FORBID,
    )
    with django_assert_num_queries(6):
        assert client.get(url).text.count("matching/runs/") >= 4


def test_the_preview_takes_the_same_queries_for_more_pairs(
    client, cast, run, django_assert_num_queries
):
    cast.charlie_p.profile_completed_at = run.created_at  # nothing to offer: unmatched
    cast.charlie_p.save()
    _more_runs(cast, 1)
    small = MatchingRun.objects.first()
    client.force_login(cast.dana)
    # session, user, program, run, totals, level gaps, pairs, unmatched names, the bell
    with django_assert_num_queries(9):
        client.get(reverse("matching:run", args=["river", small.pk]))
    seniors_and_juniors(cast.river, 8)
    _more_runs(cast, 1)
    bigger = MatchingRun.objects.first()
    assert (small.pairs.count(), bigger.pairs.count()) == (2, 10)
    with django_assert_num_queries(9):
        page = client.get(reverse("matching:run", args=["river", bigger.pk])).text
    assert "Charlie Example" in page


def test_the_runs_list_shows_the_newest_run_first(client, cast, run):
    _more_runs(cast, 2)
    newest = MatchingRun.objects.order_by("-id").first()
    MatchingRun.objects.filter(pk=run.pk).update(created_at=newest.created_at.replace(year=2020))
    client.force_login(cast.dana)
    page = client.get(reverse("matching:runs", args=["river"])).text
    links = [f"matching/runs/{pk}/" for pk in MatchingRun.objects.values_list("pk", flat=True)]
    positions = sorted((page.index(link), link) for link in links)
    assert positions[0][1] == f"matching/runs/{newest.pk}/"
    assert positions[-1][1] == f"matching/runs/{run.pk}/"


def test_the_preview_counts_a_single_locked_pair_in_the_singular(client, cast, run):
    pair = run.pairs.first()
    PairRule.objects.create(
        program=cast.river,
        participant_a=pair.participant_a,
        participant_b=pair.participant_b,
        kind=PairRuleKind.LOCK,
    )
    _more_runs(cast, 1)
    client.force_login(cast.dana)
    newest = MatchingRun.objects.order_by("-id").first()
    page = client.get(reverse("matching:run", args=["river", newest.pk])).text
    assert "1 locked pair was kept as it was and not re-optimised." in page


def test_the_start_form_says_the_stable_mode_gives_one_partner(client, cast):
    client.force_login(cast.dana)
    page = client.get(reverse("matching:runs", args=["river"])).text
    assert "gives each person one partner per run" in page


@pytest.mark.parametrize(
    ("certified_over", "optimal", "says"),
    [
        ("all eligible pairs", True, "Optimal over every eligible pair"),
        ("candidate pairs only", False, "Not proven optimal over every eligible pair"),
    ],
)
def test_the_certificate_says_which_pairs_it_covers(certified_over, optimal, says):
    stats = {
        "mode": "optimal",
        "optimal": optimal,
        "certificate": "lp-duals" if optimal else "none",
        "certified_over": certified_over,
        "total_score": 12.5,
        "upper_bound": 12.5 if optimal else None,
        "k": 20,
        "candidate_edges": 40,
        "candidates": "exact",
    }
    assert says in " ".join(run_selectors.certificate_in_words(stats))


def test_a_run_nobody_picks_up_says_the_worker_may_not_be_running(client, cast):
    client.force_login(cast.dana)
    client.post(reverse("matching:runs", args=["river"]), {"mode": "optimal"})
    run = MatchingRun.objects.get()
    url = reverse("matching:progress", args=["river", run.pk])
    assert "twoway worker</code> beside" not in client.get(url).text
    MatchingRun.objects.filter(pk=run.pk).update(created_at=run.created_at - timedelta(minutes=2))
    assert "the background worker may not be running" in client.get(url).text

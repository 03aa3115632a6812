"""Goals: each partner sets goals on their own gaps and checks in; both see both."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.permissions import (
    assert_anonymous_sent_to_sign_in,
    assert_only_partners_may_open,
    assert_outsiders_get_404,
    response_as,
)
from tests.relationships.growth_data import check_in, gap, goal
from twoway.core.errors import ActionError
from twoway.pairing.models import PairingStatus
from twoway.pairing.selectors import side_of
from twoway.relationships.models import Goal, GoalCheckIn, GoalStatus
from twoway.relationships.services.goals import goal_check_in, goal_create

pytestmark = pytest.mark.django_db


def url(cast, rest: str = "") -> str:
    return f"/pairings/{cast.pairing.pk}/goals/{rest}"


def alice_side(cast):
    return side_of(cast.pairing, cast.alice)


# --- The page ---------------------------------------------------------------------------


def test_only_the_partners_open_the_goals_page(client, cast):
    assert_only_partners_may_open(client, cast, url(cast))


def test_each_partner_sees_their_own_goals_and_the_others_by_name(client, cast):
    check_in(goal(cast.pairing, cast.alice_p, "Data analysis", title="Read a dashboard"), 40)
    goal(cast.pairing, cast.bob_p, "Budgeting", title="Build my first budget")
    page = response_as(client, cast, "alice", url(cast)).content.decode()
    assert "Your goals" in page and "Bob’s goals" in page
    mine, theirs = page.split("Bob’s goals")
    assert "Read a dashboard" in mine and "Build my first budget" in theirs
    assert 'max="100" value="40"' in mine
    page = response_as(client, cast, "bob", url(cast)).content.decode()
    assert "Alice’s goals" in page


def test_empty_goals_say_what_to_do_next(client, cast):
    gap(cast.alice_p, "Data analysis")
    page = response_as(client, cast, "alice", url(cast)).content.decode()
    assert "You have no goals yet." in page and "Bob has not set any goals yet." in page
    assert "Add the goal" in page


def test_without_gaps_the_page_explains_why_no_goal_can_be_added(client, cast):
    page = response_as(client, cast, "alice", url(cast)).content.decode()
    assert "none is listed for you in River yet" in page


# --- Adding -----------------------------------------------------------------------------


def test_a_partner_adds_a_goal_on_one_of_their_gaps(client, cast):
    gap(cast.alice_p, "Data analysis")
    target = timezone.localdate() + timedelta(days=30)
    response = response_as(
        client,
        cast,
        "alice",
        url(cast, "add/"),
        method="post",
        data={
            "skill": gap(cast.alice_p, "Budgeting").skill_id,
            "title": "Run the Q3 budget review",
            "target_date": target.isoformat(),
        },
    )
    assert response["Location"] == url(cast)
    saved = Goal.objects.get()
    assert (saved.owner, saved.skill.name, saved.target_date) == (
        cast.alice_p,
        "Budgeting",
        target,
    )
    assert saved.status == GoalStatus.OPEN


def test_a_goal_must_work_on_one_of_the_owners_gaps(cast):
    gap(cast.bob_p, "Budgeting")  # bob's gap, not alice's
    with pytest.raises(ActionError) as refused:
        goal_create(
            side=alice_side(cast), skill_id=gap(cast.bob_p, "Negotiation").skill_id, title="x"
        )
    assert refused.value.field == "skill"
    assert not Goal.objects.exists()


def test_a_goal_needs_a_title_and_a_target_date_still_to_come(client, cast):
    skill_id = gap(cast.alice_p, "Budgeting").skill_id
    yesterday = timezone.localdate() - timedelta(days=1)
    response = response_as(
        client,
        cast,
        "alice",
        url(cast, "add/"),
        method="post",
        data={"skill": skill_id, "title": "Late", "target_date": yesterday.isoformat()},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The target date has already passed." in page and 'value="Late"' in page
    response = response_as(
        client, cast, "alice", url(cast, "add/"), method="post", data={"skill": skill_id}
    )
    assert "This field is required" in response.content.decode()
    assert not Goal.objects.exists()


def test_goals_cannot_be_added_once_the_pairing_has_ended(client, cast):
    skill_id = gap(cast.alice_p, "Budgeting").skill_id
    cast.pairing.status = PairingStatus.COMPLETED
    cast.pairing.save()
    response = response_as(
        client,
        cast,
        "alice",
        url(cast, "add/"),
        method="post",
        data={"skill": skill_id, "title": "Too late"},
    )
    assert response.status_code == 302
    page = client.get(url(cast)).content.decode()
    assert "not under way" in page and "Add a goal" not in page
    assert not Goal.objects.exists()


# --- Check-ins and status ---------------------------------------------------------------


def test_the_owner_checks_in_with_progress_and_a_note(client, cast):
    row = goal(cast.pairing, cast.alice_p)
    response = response_as(
        client,
        cast,
        "alice",
        url(cast, f"{row.pk}/check-in/"),
        method="post",
        data={"progress_percent": 60, "note": "Ran the numbers myself"},
    )
    assert response["Location"] == url(cast)
    [saved] = GoalCheckIn.objects.all()
    assert (saved.goal, saved.progress_percent, saved.note) == (row, 60, "Ran the numbers myself")
    page = response_as(client, cast, "bob", url(cast)).content.decode()
    assert 'value="60"' in page and "Ran the numbers myself" in page


def test_progress_beyond_100_is_refused_next_to_the_field_keeping_the_note(client, cast):
    row = goal(cast.pairing, cast.alice_p)
    response = response_as(
        client,
        cast,
        "alice",
        url(cast, f"{row.pk}/check-in/"),
        method="post",
        data={"progress_percent": 150, "note": "Overdid it"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "less than or equal to 100" in page and "Overdid it" in page
    assert f'id="id_goal{row.pk}_progress_percent"' in page
    assert not GoalCheckIn.objects.exists()


def test_the_service_refuses_progress_outside_0_to_100_naming_the_field(cast):
    row = goal(cast.pairing, cast.alice_p)
    for progress in (-1, 101):
        with pytest.raises(ActionError) as refused:
            goal_check_in(side=alice_side(cast), goal_id=row.pk, progress_percent=progress)
        assert refused.value.field == "progress_percent"
    assert not GoalCheckIn.objects.exists()


def test_the_owner_achieves_drops_and_reopens_a_goal(client, cast):
    row = goal(cast.pairing, cast.alice_p)
    for action, status in (("achieve", "achieved"), ("reopen", "open"), ("drop", "dropped")):
        response = response_as(
            client, cast, "alice", url(cast, f"{row.pk}/{action}/"), method="post"
        )
        assert response["Location"] == url(cast)
        row.refresh_from_db()
        assert row.status == status


def test_a_closed_goal_takes_no_check_in(client, cast):
    row = goal(cast.pairing, cast.alice_p, status=GoalStatus.ACHIEVED)
    response = response_as(
        client,
        cast,
        "alice",
        url(cast, f"{row.pk}/check-in/"),
        method="post",
        data={"progress_percent": 50},
    )
    assert response.status_code == 302
    assert "Reopen the goal to check in on it." in client.get(url(cast)).content.decode()
    assert not GoalCheckIn.objects.exists()


def test_the_partner_cannot_change_someone_elses_goal(client, cast):
    row = goal(cast.pairing, cast.alice_p)
    for rest, data in (
        (f"{row.pk}/check-in/", {"progress_percent": 10}),
        (f"{row.pk}/achieve/", None),
        (f"{row.pk}/drop/", None),
    ):
        response = response_as(client, cast, "bob", url(cast, rest), method="post", data=data)
        assert response.status_code == 302
    page = client.get(url(cast)).content.decode()
    assert "Only Alice can change Alice&#x27;s goals." in page
    row.refresh_from_db()
    assert row.status == GoalStatus.OPEN and not GoalCheckIn.objects.exists()


def test_outsiders_cannot_add_or_change_goals(client, cast):
    row = goal(cast.pairing, cast.alice_p)
    gap_id = gap(cast.alice_p).skill_id
    actions = (
        ("add/", {"skill": gap_id, "title": "Sneaky"}),
        (f"{row.pk}/check-in/", {"progress_percent": 10}),
        (f"{row.pk}/achieve/", None),
        (f"{row.pk}/drop/", None),
        (f"{row.pk}/reopen/", None),
    )
    for rest, data in actions:
        assert_outsiders_get_404(client, cast, url(cast, rest), method="post", data=data)
        assert_anonymous_sent_to_sign_in(client, url(cast, rest), method="post", data=data)
    assert Goal.objects.count() == 1 and not GoalCheckIn.objects.exists()
    row.refresh_from_db()
    assert row.status == GoalStatus.OPEN


def test_an_unknown_goal_or_action_is_not_found(client, cast):
    row = goal(cast.pairing, cast.alice_p)
    assert (
        response_as(client, cast, "alice", url(cast, "999/achieve/"), method="post").status_code
        == 404
    )
    assert (
        response_as(
            client, cast, "alice", url(cast, f"{row.pk}/explode/"), method="post"
        ).status_code
        == 404
    )


# --- Queries ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 20])
def test_the_goals_page_takes_the_same_queries_however_many_goals(
    client, cast, django_assert_num_queries, count
):
    for n in range(count):
        owner = cast.alice_p if n % 2 else cast.bob_p
        row = goal(cast.pairing, owner, title=f"Goal {n}")
        check_in(row, 20, "first")
        check_in(row, 50, "second")
    gap(cast.alice_p, "Budgeting")
    client.force_login(cast.alice)
    # session, user, pairing, pulse due, goals, check-ins, gaps, navigation
    with django_assert_num_queries(8):
        response = client.get(url(cast))
    assert response.content.decode().count('class="progress"') == count


def test_a_target_date_after_the_program_ends_is_refused(cast):
    with pytest.raises(ActionError, match="The program ends on") as refused:
        goal_create(
            side=alice_side(cast),
            skill_id=gap(cast.alice_p, "Budgeting").skill_id,
            title="One day",
            target_date=date(2999, 1, 1),
        )
    assert refused.value.field == "target_date" and not Goal.objects.exists()

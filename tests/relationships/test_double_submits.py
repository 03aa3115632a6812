"""A double click saves once: the second submit of the same form finds the first."""

from __future__ import annotations

import pytest

from tests.factories import skill
from twoway.notifications.models import Notification
from twoway.profiles.models import Gap
from twoway.relationships.models import Endorsement, Goal, GoalCheckIn, JournalEntry

pytestmark = pytest.mark.django_db


def twice(client, url: str, data: dict) -> None:
    for _ in range(2):
        client.post(url, data)


def test_a_goal_submitted_twice_is_saved_once(client, cast):
    Gap.objects.create(participant=cast.alice_p, skill=skill("Budgeting"), priority=5)
    client.force_login(cast.alice)
    form = {"skill": skill("Budgeting").pk, "title": "Run the Q3 review myself"}
    twice(client, f"/pairings/{cast.pairing.pk}/goals/add/", form)
    goal = Goal.objects.get()
    twice(
        client, f"/pairings/{cast.pairing.pk}/goals/{goal.pk}/check-in/", {"progress_percent": 30}
    )
    assert GoalCheckIn.objects.count() == 1


def test_a_journal_entry_submitted_twice_is_saved_once(client, cast):
    client.force_login(cast.alice)
    twice(client, "/journal/new/", {"body": "Ask open questions first."})
    assert JournalEntry.objects.count() == 1


def test_a_recommendation_submitted_twice_is_sent_once(client, cast):
    client.force_login(cast.alice)
    form = {"kind": "recommendation", "text": "Ready for a stretch role."}
    twice(client, f"/pairings/{cast.pairing.pk}/endorse/", form)
    assert Endorsement.objects.count() == 1
    assert Notification.objects.filter(recipient=cast.bob, kind="endorsed").count() == 1

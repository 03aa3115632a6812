"""Only the two partners open or change a pair's conversations, ledger and prompts.

Everyone else signed in (another participant, this program's coordinator,
another program's coordinator, the sponsor, a staff admin) gets the same 404
as for a conversation that does not exist, and nothing changes; anonymous
visitors are sent to sign in. A line of the ledger is changed by its owner only.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ParticipantFactory, exchange, pairing_of, skill
from tests.permissions import (
    PARTNERS,
    assert_anonymous_sent_to_sign_in,
    assert_only_partners_may_open,
    assert_outsiders_get_404,
    response_as,
)
from tests.relationships.conversation_helpers import conversation_url, planned, started
from twoway.notifications.models import Notification
from twoway.relationships.models import Conversation, ConversationStatus, Exchange, PromptUse
from twoway.relationships.selectors.prompts import prompt_library

pytestmark = pytest.mark.django_db


def snapshot() -> tuple:
    """Everything an action could change, to prove a refused one changed nothing."""
    return (
        list(Conversation.objects.order_by("pk").values()),
        list(Exchange.objects.order_by("pk").values()),
        list(PromptUse.objects.order_by("pk").values()),
        Notification.objects.count(),
    )


def assert_refused_to_everyone_but_the_partners(client, cast, url: str, data: dict) -> None:
    before = snapshot()
    assert_outsiders_get_404(client, cast, url, method="post", data=data)
    assert_anonymous_sent_to_sign_in(client, url, method="post", data=data)
    assert snapshot() == before


@pytest.fixture
def scene(cast):
    """A planned conversation ahead, one under way with a line each way, a prompt id."""
    ahead = planned(cast)
    now = started(cast)
    alices = exchange(now, cast.bob_p, cast.alice_p, skill=skill("SQL"), value_rating=4)
    bobs = exchange(now, cast.alice_p, cast.bob_p, skill=skill("Budgeting"), value_rating=5)
    return {
        "ahead": ahead,
        "now": now,
        "alices_line": alices,
        "bobs_line": bobs,
        "prompt": prompt_library().prompts[0].id,
    }


def test_only_the_partners_open_every_conversation_page(client, cast, scene):
    pairing = cast.pairing.pk
    for url in (
        f"/pairings/{pairing}/conversations/",
        f"/pairings/{pairing}/conversations/prompts/",
        conversation_url(scene["ahead"]),
        conversation_url(scene["now"]),
        conversation_url(scene["ahead"], "change/"),
        conversation_url(scene["ahead"], "cancel/"),
        conversation_url(scene["ahead"], "calendar.ics"),
    ):
        assert_only_partners_may_open(client, cast, url)


def test_nobody_but_the_partners_schedules(client, cast):
    when = (timezone.now() + timedelta(days=3)).date().isoformat()
    data = {"date": when, "start_time": "10:00", "duration_minutes": "45", "location": "Here"}
    url = f"/pairings/{cast.pairing.pk}/conversations/"
    assert_refused_to_everyone_but_the_partners(client, cast, url, data)
    for who, hour in zip(PARTNERS, ("10:00", "14:00"), strict=True):
        own = {**data, "start_time": hour}  # the same slot twice would clash
        assert response_as(client, cast, who, url, method="post", data=own).status_code == 302
    assert Conversation.objects.filter(status=ConversationStatus.PLANNED).count() == 2


def test_nobody_but_the_partners_changes_or_cancels(client, cast, scene):
    ahead = scene["ahead"]
    local = timezone.localtime(ahead.starts_at + timedelta(hours=1))
    change = {
        "date": local.date().isoformat(),
        "start_time": local.strftime("%H:%M"),
        "duration_minutes": "45",
        "location": "Elsewhere",
    }
    assert_refused_to_everyone_but_the_partners(
        client, cast, conversation_url(ahead, "change/"), change
    )
    assert_refused_to_everyone_but_the_partners(
        client, cast, conversation_url(ahead, "cancel/"), {}
    )
    response = response_as(
        client, cast, "bob", conversation_url(ahead, "change/"), method="post", data=change
    )
    assert response.status_code == 302
    response = response_as(client, cast, "alice", conversation_url(ahead, "cancel/"), method="post")
    assert response.status_code == 302
    ahead.refresh_from_db()
    assert ahead.location == "Elsewhere" and ahead.status == ConversationStatus.CANCELLED


def test_nobody_but_the_partners_writes_the_shared_notes(client, cast, scene):
    url = conversation_url(scene["ahead"], "notes/")
    assert_refused_to_everyone_but_the_partners(
        client, cast, url, {"shared_notes": "Intruder", "based_on": ""}
    )
    for who in PARTNERS:
        data = {"shared_notes": f"Notes by {who}", "based_on": ""}
        if who == "bob":
            data["based_on"] = "Notes by alice"
        response = response_as(client, cast, who, url, method="post", data=data)
        assert response.status_code == 302
    scene["ahead"].refresh_from_db()
    assert scene["ahead"].shared_notes == "Notes by bob"


def test_nobody_but_the_partners_logs_what_they_learned(client, cast, scene):
    data = {
        "learned-TOTAL_FORMS": "1",
        "learned-INITIAL_FORMS": "0",
        "learned-MIN_NUM_FORMS": "0",
        "learned-MAX_NUM_FORMS": "10",
        "learned-0-skill": "Python scripting",
        "learned-0-value_rating": "5",
    }
    url = conversation_url(scene["now"], "learned/")
    assert_refused_to_everyone_but_the_partners(client, cast, url, data)
    for who in PARTNERS:
        assert response_as(client, cast, who, url, method="post", data=data).status_code == 302
    logged = Exchange.objects.filter(skill__name="Python scripting")
    assert {(e.learner.user.email, e.teacher.user.email) for e in logged} == {
        ("alice@example.org", "bob@example.org"),
        ("bob@example.org", "alice@example.org"),
    }


def test_only_the_owner_of_a_line_changes_or_removes_it(client, cast, scene):
    line, partners_line = scene["alices_line"], scene["bobs_line"]
    edit = conversation_url(scene["now"], f"learned/{line.pk}/")
    remove = edit + "remove/"
    data = {"value_rating": "1", "note": "Changed by someone else"}
    assert_refused_to_everyone_but_the_partners(client, cast, edit, data)
    assert_refused_to_everyone_but_the_partners(client, cast, remove, {})
    # Bob, the partner, sees Alice's line but cannot change it: for him it is not there.
    before = snapshot()
    assert response_as(client, cast, "bob", edit, method="post", data=data).status_code == 404
    assert response_as(client, cast, "bob", remove, method="post").status_code == 404
    assert snapshot() == before
    assert response_as(client, cast, "alice", edit, method="post", data=data).status_code == 302
    assert response_as(client, cast, "alice", remove, method="post").status_code == 302
    assert list(Exchange.objects.all()) == [partners_line]


def test_nobody_but_the_partners_marks_a_prompt(client, cast, scene):
    url = f"/pairings/{cast.pairing.pk}/conversations/prompts/{scene['prompt']}/used/"
    assert_refused_to_everyone_but_the_partners(client, cast, url, {"used": "1"})
    assert (
        response_as(client, cast, "bob", url, method="post", data={"used": "1"}).status_code == 302
    )
    assert PromptUse.objects.get().marked_by == cast.bob_p
    assert (
        response_as(client, cast, "alice", url, method="post", data={"used": "0"}).status_code
        == 302
    )
    assert not PromptUse.objects.exists()


def test_a_conversation_of_another_pairing_is_a_404_even_for_a_partner(client, cast, scene):
    """Swapping the pairing id in a URL does not reach another pair's conversation."""
    someone = ParticipantFactory(program=cast.river)
    other = planned(cast, pairing=pairing_of(cast.charlie_p, someone), logged_by=cast.charlie_p)
    forged = f"/pairings/{cast.pairing.pk}/conversations/{other.pk}/"
    for rest in ("", "calendar.ics", "change/", "cancel/"):
        assert response_as(client, cast, "alice", forged + rest).status_code == 404
    before = snapshot()
    assert response_as(client, cast, "alice", forged + "cancel/", method="post").status_code == 404
    assert snapshot() == before

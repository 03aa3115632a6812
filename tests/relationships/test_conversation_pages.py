"""The conversation pages as the partners use them: forms, time zones, feedback, queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import ConversationFactory, exchange, skill
from tests.relationships.conversation_helpers import conversation_url, planned, started
from twoway.pairing.models import PairingStatus
from twoway.pairing.selectors import pairing_for_partner
from twoway.profiles.models import Skill, SkillStatus
from twoway.relationships.models import Conversation, ConversationStatus, Exchange, PromptUse
from twoway.relationships.selectors.conversations import conversations_upcoming
from twoway.relationships.selectors.prompts import prompts_for

pytestmark = pytest.mark.django_db

SUMMER = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)


def page_of(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def list_url(cast) -> str:
    return f"/pairings/{cast.pairing.pk}/conversations/"


def schedule_form(**changes) -> dict:
    when = timezone.now() + timedelta(days=3)
    return {
        "date": when.date().isoformat(),
        "start_time": "10:00",
        "duration_minutes": "45",
        "location": "Room 4.12",
        **changes,
    }


def live_in(user, zone: str) -> None:
    """The person's own timezone (pages) and the one their profile shares with a partner."""
    user.timezone = zone
    user.save()
    user.profile.timezone = zone
    user.profile.save()


# --- Time zones ---------------------------------------------------------------------------


def test_a_time_typed_in_new_york_is_stored_in_utc_and_shown_in_london_time(client, cast):
    live_in(cast.alice, "America/New_York")
    live_in(cast.bob, "Europe/London")
    with time_machine.travel(SUMMER, tick=False):
        client.force_login(cast.alice)
        response = client.post(list_url(cast), schedule_form(date="2027-06-15", start_time="09:00"))
        assert response.status_code == 302
        conversation = Conversation.objects.get()
        # 09:00 in New York in June (UTC-4) is 13:00 UTC, and 14:00 in London (UTC+1).
        assert conversation.starts_at == datetime(2027, 6, 15, 13, 0, tzinfo=UTC)
        bob_page = page_of(client, cast.bob, list_url(cast))
        assert "Tuesday 15 June 2027, 14:00–14:45" in bob_page
        assert "Times in Europe/London" in bob_page
        assert "(Tue 09:00 for Alice)" in bob_page  # Alice shares her location and timezone
        alice_page = page_of(client, cast.alice, conversation_url(conversation))
        assert "Tuesday 15 June 2027, 09:00–09:45" in alice_page
        assert "(Tue 14:00 for Bob)" in alice_page


def test_the_partners_clock_shows_only_when_they_share_their_timezone(client, cast):
    live_in(cast.alice, "America/New_York")
    live_in(cast.bob, "Europe/London")
    cast.alice.profile.shared_with_partner = ["job_title"]
    cast.alice.profile.save()
    conversation = planned(cast)
    assert "for Alice)" not in page_of(client, cast.bob, conversation_url(conversation))


def test_a_time_the_clocks_skip_is_refused_next_to_the_start_time(client, cast):
    live_in(cast.alice, "Europe/London")
    with time_machine.travel(datetime(2027, 3, 1, tzinfo=UTC), tick=False):
        client.force_login(cast.alice)
        response = client.post(list_url(cast), schedule_form(date="2027-03-28", start_time="01:30"))
    assert response.status_code == 200
    assert "the clocks go forward then" in response.context["form"].errors["start_time"][0]
    assert not Conversation.objects.exists()


# --- Scheduling, changing, cancelling -----------------------------------------------------


def test_an_empty_pairing_says_how_to_start(client, cast):
    page = page_of(client, cast.alice, list_url(cast))
    assert "No conversations yet: schedule your first with Bob." in page
    assert "Schedule a conversation" in page
    assert "Prompts for your next conversation" in page


def test_scheduling_sends_you_to_the_conversation_with_feedback(client, cast):
    client.force_login(cast.alice)
    response = client.post(list_url(cast), schedule_form(), follow=True)
    page = response.content.decode()
    assert "Scheduled. We told Bob." in page
    assert "Add to calendar (.ics)" in page
    assert "Change time or place" in page


def test_a_bad_schedule_shows_errors_next_to_the_fields_and_keeps_what_was_typed(client, cast):
    client.force_login(cast.alice)
    far = (timezone.now() + timedelta(days=500)).date().isoformat()
    response = client.post(list_url(cast), schedule_form(date="", location="Room 9"))
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert 'value="Room 9"' in response.content.decode()
    response = client.post(list_url(cast), schedule_form(date=far, location="Room 9"))
    assert "within the next year" in response.context["form"].errors["date"][0]
    assert not Conversation.objects.exists()


def test_a_closed_pairing_shows_its_history_without_a_schedule_form(client, cast):
    started(cast)
    cast.pairing.status = PairingStatus.COMPLETED
    cast.pairing.save()
    page = page_of(client, cast.bob, list_url(cast))
    assert "Schedule a conversation" not in page
    assert "no longer open" in page
    client.force_login(cast.bob)
    response = client.post(list_url(cast), schedule_form(), follow=True)
    assert "not open" in response.content.decode()
    assert Conversation.objects.count() == 1


def test_changing_the_time_tells_the_partner_and_says_so(client, cast):
    conversation = planned(cast)
    client.force_login(cast.bob)
    url = conversation_url(conversation, "change/")
    form = client.get(url).context["form"]
    data = {**form.initial, "start_time": "16:15", "focus_skills": []}
    data["date"] = data["date"].isoformat()
    response = client.post(url, data, follow=True)
    assert "Changed. We told Alice." in response.content.decode()
    conversation.refresh_from_db()
    assert timezone.localtime(conversation.starts_at, UTC).strftime("%H:%M") == "16:15"
    assert conversation.sequence == 1


def test_cancelling_asks_first_then_cancels(client, cast):
    conversation = planned(cast)
    page = page_of(client, cast.alice, conversation_url(conversation, "cancel/"))
    assert "We will tell Bob that you cancelled it." in page
    assert Conversation.objects.get().status == ConversationStatus.PLANNED
    response = client.post(conversation_url(conversation, "cancel/"), follow=True)
    assert "Cancelled. We told Bob." in response.content.decode()
    assert "This conversation was cancelled" in response.content.decode()
    assert Conversation.objects.get().status == ConversationStatus.CANCELLED


# --- Shared notes -------------------------------------------------------------------------


def test_shared_notes_say_who_sees_them_and_save_with_feedback(client, cast):
    conversation = planned(cast)
    page = page_of(client, cast.alice, conversation_url(conversation))
    assert "Visible to both of you" in page
    response = client.post(
        conversation_url(conversation, "notes/"),
        {"shared_notes": "Our agenda", "based_on": ""},
        follow=True,
    )
    assert "Notes saved." in response.content.decode()
    assert "Our agenda" in page_of(client, cast.bob, conversation_url(conversation))


def test_notes_changed_meanwhile_keep_both_versions_on_the_page(client, cast):
    conversation = planned(cast, shared_notes="Bob's version")
    client.force_login(cast.alice)
    response = client.post(
        conversation_url(conversation, "notes/"),
        {"shared_notes": "Alice's version", "based_on": ""},
    )
    page = response.content.decode()
    assert "Bob changed these notes while you were editing" in page
    assert "Alice&#x27;s version" in page and "Bob&#x27;s version" in page
    # Saving again builds on Bob's version, on purpose.
    assert response.context["notes_form"]["based_on"].value() == "Bob's version"
    assert Conversation.objects.get().shared_notes == "Bob's version"


# --- The ledger on the page ---------------------------------------------------------------


def learned_form(*rows: dict) -> dict:
    data = {
        "learned-TOTAL_FORMS": str(len(rows)),
        "learned-INITIAL_FORMS": "0",
        "learned-MIN_NUM_FORMS": "0",
        "learned-MAX_NUM_FORMS": "10",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"learned-{index}-{key}"] = value
    return data


def test_before_it_starts_the_page_explains_the_ledger_instead_of_a_form(client, cast):
    page = page_of(client, cast.alice, conversation_url(planned(cast)))
    assert "Once the conversation has started, each of you logs here" in page
    assert "Log what I learned" not in page


def test_logging_shows_both_directions_by_name_with_ratings(client, cast):
    conversation = started(cast)
    client.force_login(cast.alice)
    response = client.post(
        conversation_url(conversation, "learned/"),
        learned_form({"skill": "Python scripting", "value_rating": "5", "note": "Loops"}),
        follow=True,
    )
    page = response.content.decode()
    assert "Logged what you learned: Python scripting. Bob can see it." in page
    assert "What you learned from Bob" in page
    bob_page = page_of(client, cast.bob, conversation_url(conversation))
    assert "What Alice learned from you" in bob_page
    assert "Python scripting" in bob_page and "Invaluable" in bob_page and "Loops" in bob_page


def test_a_bad_row_is_marked_next_to_its_field_and_the_rows_keep_what_was_typed(client, cast):
    conversation = started(cast)
    client.force_login(cast.alice)
    response = client.post(
        conversation_url(conversation, "learned/"),
        learned_form(
            {"skill": "SQL", "value_rating": "4", "note": "Joins at last"},
            {"skill": "Underwater basket weaving", "value_rating": "9"},
        ),
    )
    assert response.status_code == 200
    rows = response.context["learned"].forms
    assert rows[1].errors["value_rating"]
    page = response.content.decode()
    assert "Joins at last" in page and 'value="Underwater basket weaving"' in page
    assert not Exchange.objects.exists()
    # Nothing half-written: the new skill of the refused row was not kept either.
    assert not Skill.objects.filter(name="Underwater basket weaving").exists()


def test_a_skill_the_vocabulary_lacks_is_logged_and_flagged_for_curation(client, cast):
    conversation = started(cast)
    client.force_login(cast.alice)
    client.post(
        conversation_url(conversation, "learned/"),
        learned_form({"skill": "underwater basket weaving", "value_rating": "3"}),
    )
    skill = Skill.objects.get(name="Underwater basket weaving")
    assert skill.status == SkillStatus.PROPOSED and skill.proposed_by == cast.alice
    assert Exchange.objects.get().skill == skill


def test_an_empty_log_says_what_to_do(client, cast):
    conversation = started(cast)
    client.force_login(cast.alice)
    response = client.post(conversation_url(conversation, "learned/"), learned_form({}, {}))
    assert "Add at least one thing you learned" in response.content.decode()


def test_changing_and_removing_a_line_give_feedback(client, cast):
    conversation = started(cast)
    line = exchange(conversation, cast.bob_p, cast.alice_p, skill=skill("SQL"), value_rating=2)
    client.force_login(cast.alice)
    url = conversation_url(conversation, f"learned/{line.pk}/")
    response = client.post(url, {"value_rating": "4", "note": "Better now"}, follow=True)
    assert "Saved your change to SQL." in response.content.decode()
    line.refresh_from_db()
    assert (line.value_rating, line.note) == (4, "Better now")
    response = client.post(url, {"value_rating": "", "note": "Kept"})
    assert "value_rating" in response.context["edit_forms"][0][1].errors
    assert "Kept" in response.content.decode()
    response = client.post(url + "remove/", follow=True)
    assert "Removed SQL from what you learned." in response.content.decode()
    assert not Exchange.objects.exists()


def test_the_log_form_suggests_what_the_partner_teaches_and_offers(client, cast):
    cast.pairing.explanation = {
        "a_teaches_b": [{"skill": "Budgeting", "offered_skill": "Budgeting", "match": "exact"}],
        "b_teaches_a": [{"skill": "SQL", "offered_skill": "SQL", "match": "exact"}],
    }
    cast.pairing.save()
    cast.bob_p.offers.create(skill=skill("Python scripting"), proficiency=4)
    alice_is_a = cast.pairing.participant_a_id == cast.alice_p.pk
    page = page_of(client, cast.alice, conversation_url(started(cast)))
    expected = "SQL, Python scripting" if alice_is_a else "Budgeting, Python scripting"
    assert f"Suggested, from what Bob can teach you: {expected}." in page


# --- Prompts on the page ------------------------------------------------------------------


def prompt_url(cast, prompt_id: str) -> str:
    return f"/pairings/{cast.pairing.pk}/conversations/prompts/{prompt_id}/used/"


def test_marking_a_prompt_with_htmx_redraws_only_that_prompt(client, cast):
    prompt = prompts_for(pairing_for_partner(cast.alice, cast.pairing.pk), limit=1)[0].prompt
    client.force_login(cast.alice)
    response = client.post(
        prompt_url(cast, prompt.id),
        {"used": "1", "next": list_url(cast)},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<li class="prompt used" id="prompt-{prompt.id}"')
    assert "Mark as not used" in page and "Marked as used." in page
    assert PromptUse.objects.filter(prompt_id=prompt.id).exists()


def test_marking_a_prompt_without_javascript_returns_to_the_page_with_feedback(client, cast):
    prompt = prompts_for(pairing_for_partner(cast.alice, cast.pairing.pk), limit=1)[0].prompt
    client.force_login(cast.alice)
    response = client.post(prompt_url(cast, prompt.id), {"used": "1", "next": list_url(cast)})
    assert response["Location"] == list_url(cast)
    response = client.post(
        prompt_url(cast, prompt.id), {"used": "0", "next": "https://evil.example/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == list_url(cast)  # never off-site
    assert "Marked as not used." in response.content.decode()
    assert not PromptUse.objects.exists()


def test_the_prompt_library_lists_every_theme_with_the_pairs_marks(client, cast):
    prompt = prompts_for(pairing_for_partner(cast.alice, cast.pairing.pk), limit=1)[0].prompt
    PromptUse.objects.create(pairing=cast.pairing, prompt_id=prompt.id, marked_by=cast.bob_p)
    page = page_of(client, cast.alice, f"/pairings/{cast.pairing.pk}/conversations/prompts/")
    for theme in ("Getting to know each other", "Sharing mistakes", "Technology"):
        assert theme in page
    assert f'<li class="prompt used" id="prompt-{prompt.id}">' in page


# --- Queries ------------------------------------------------------------------------------

# session, user, pairing; focus choices (explained skills, offers); upcoming, its focus skills
# and exchanges; past, its focus skills and exchanges; prompts (held count, the pair's skills,
# marks); pulse due (the tab's badge); the navigation.
CONVERSATIONS_PAGE_QUERIES = 16
# session, user, pairing, conversation + focus skills, ledger, suggestions (partner's offers),
# vocabulary, pulse due (the tab's badge), the navigation.
CONVERSATION_PAGE_QUERIES = 10


def add_history(cast, count: int) -> None:
    """An explained pairing with held conversations, a line each way, and planned ones ahead."""
    cast.pairing.explanation = {
        "a_teaches_b": [{"skill": "Budgeting", "offered_skill": "Budgeting", "match": "exact"}],
        "b_teaches_a": [{"skill": "SQL", "offered_skill": "SQL", "match": "exact"}],
    }
    cast.pairing.save()
    for n in range(count):
        held = ConversationFactory(
            pairing=cast.pairing,
            logged_by=cast.alice_p,
            starts_at=timezone.now() - timedelta(days=n + 1),
        )
        held.focus_skills.add(skill("SQL"))
        exchange(held, cast.bob_p, cast.alice_p, skill=skill("SQL"), value_rating=4)
        exchange(held, cast.alice_p, cast.bob_p, skill=skill("Budgeting"), value_rating=5)
        ahead = planned(cast, starts_in=timedelta(days=n + 1))
        ahead.focus_skills.add(skill("Budgeting"))


@pytest.mark.parametrize("count", [2, 20])
def test_the_conversations_page_reads_in_constant_queries(
    client, cast, count, django_assert_num_queries
):
    add_history(cast, count)
    client.force_login(cast.alice)
    with django_assert_num_queries(CONVERSATIONS_PAGE_QUERIES):
        response = client.get(list_url(cast))
    assert len(response.context["past"]) == count
    assert len(response.context["upcoming"]) == count


@pytest.mark.parametrize("lines", [2, 20])
def test_the_conversation_page_reads_in_constant_queries(
    client, cast, lines, django_assert_num_queries
):
    conversation = started(cast)
    names = list(Skill.objects.order_by("name").values_list("name", flat=True)[: lines * 2])
    for name in names[:lines]:
        exchange(conversation, cast.bob_p, cast.alice_p, skill=skill(name), value_rating=4)
    for name in names[lines:]:
        exchange(conversation, cast.alice_p, cast.bob_p, skill=skill(name), value_rating=3)
    client.force_login(cast.alice)
    with django_assert_num_queries(CONVERSATION_PAGE_QUERIES):
        response = client.get(conversation_url(conversation))
    assert len(response.context["ledger"].i_learned) == lines
    assert len(response.context["ledger"].partner_learned) == lines


def test_upcoming_includes_a_conversation_under_way(cast):
    conversation = started(cast, duration_minutes=90)
    upcoming = conversations_upcoming(pairing_for_partner(cast.alice, cast.pairing.pk))
    assert [item.conversation for item in upcoming] == [conversation]


def test_a_log_refused_after_the_partner_cancelled_says_why_at_the_top(client, cast):
    conversation = started(cast)
    client.force_login(cast.bob)
    client.post(conversation_url(conversation, "cancel/"), follow=True)
    client.force_login(cast.alice)
    response = client.post(
        conversation_url(conversation, "learned/"),
        learned_form({"skill": "SQL", "value_rating": "4"}),
        follow=True,
    )
    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["This conversation was cancelled, so there is nothing to log."]
    assert not Exchange.objects.exists()

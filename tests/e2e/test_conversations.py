"""After a conversation, both partners log what they learned from each other, in a browser;
and a prompt is marked used in place, with htmx under the strict CSP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import assert_fits_a_phone, sign_in
from twoway.accounts.models import User
from twoway.demo.seed import seed_demo
from twoway.pairing.models import Pairing
from twoway.pairing.selectors import pairing_for_partner
from twoway.relationships.models import Conversation, ConversationStatus, Exchange, PromptUse

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pilot_pair(live_server):
    """Margaret and Jamie of the demo pilot, with a conversation that began an hour ago."""
    summary = seed_demo(people=120, seed=7)
    margaret = User.objects.get(full_name="Margaret Lindqvist")
    jamie = User.objects.get(full_name="Jamie Chen")
    pairing = Pairing.objects.filter(
        participant_a__user__in=[margaret, jamie], participant_b__user__in=[margaret, jamie]
    ).get()
    side = pairing_for_partner(margaret, pairing.pk)
    conversation = Conversation.objects.create(
        pairing=pairing,
        starts_at=timezone.now() - timedelta(hours=1),
        duration_minutes=45,
        location="Finance floor, room 4.12",
        logged_by=side.me,
    )
    return summary, margaret, jamie, conversation


def log_one(page, skill: str, rating: int, note: str) -> None:
    row = page.get_by_role("group", name="Skill 1")
    row.get_by_label("Skill").fill(skill)
    row.locator(f"label:has(input[value='{rating}'])").click()
    row.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Log what I learned").click()


def test_both_partners_log_what_they_learned_and_see_each_others_lines(
    browser, page, live_server, pilot_pair, screenshot
):
    summary, margaret, jamie, conversation = pilot_pair
    url = f"{live_server.url}/pairings/{conversation.pairing_id}/conversations/{conversation.pk}/"

    sign_in(page, live_server, margaret.email, summary.password)
    page.goto(f"{live_server.url}/pairings/{conversation.pairing_id}/conversations/")
    page.get_by_role("heading", name="Coming up").wait_for()
    screenshot("conversations-list-margaret")
    page.goto(url)
    page.get_by_role("heading", name="What you learned from Jamie").wait_for()
    log_one(page, "Python scripting", 5, "Automating the month-end export.")
    page.get_by_text("Logged what you learned: Python scripting. Jamie can see it.").wait_for()
    assert page.get_by_text("Invaluable").first.is_visible()
    screenshot("conversation-margaret-logged")

    # Jamie, in a browser of their own, sees Margaret's line and logs theirs.
    jamie_context = browser.new_context(viewport={"width": 1280, "height": 900})
    jamie_page = jamie_context.new_page()
    sign_in(jamie_page, live_server, jamie.email, summary.password)
    jamie_page.goto(url)
    their_side = jamie_page.get_by_role("region", name="What Margaret learned from you")
    their_side.get_by_text("Python scripting").wait_for()
    assert "Automating the month-end export." in their_side.inner_text()
    log_one(jamie_page, "How things really get done", 4, "Who to ask before the budget meeting.")
    jamie_page.get_by_text("Logged what you learned: How things really get done.").wait_for()
    jamie_context.close()

    page.reload()
    mine = page.get_by_role("region", name="What Jamie learned from you")
    mine.get_by_text("How things really get done").wait_for()
    assert "Very useful" in mine.inner_text()
    screenshot("conversation-both-logged-desktop")
    assert_fits_a_phone(page)
    screenshot("conversation-both-logged-phone")
    page.goto(f"{live_server.url}/pairings/{conversation.pairing_id}/conversations/")
    assert_fits_a_phone(page)
    screenshot("conversations-list-phone")

    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.HELD
    lines = Exchange.objects.filter(conversation=conversation)
    assert {(e.learner.user, e.teacher.user, e.value_rating) for e in lines} == {
        (margaret, jamie, 5),
        (jamie, margaret, 4),
    }


def test_a_prompt_is_marked_used_in_place_and_keeps_the_focus(page, live_server, pilot_pair):
    summary, margaret, _, conversation = pilot_pair
    sign_in(page, live_server, margaret.email, summary.password)
    page.goto(f"{live_server.url}/pairings/{conversation.pairing_id}/conversations/")
    first = page.locator("li.prompt").first
    prompt_id = first.get_attribute("id")
    first.get_by_role("button", name="Mark as used").click()
    page.locator(f"#{prompt_id}.used").wait_for()
    assert page.locator(f"#{prompt_id}").get_by_text("Used", exact=True).is_visible()
    # htmx swapped the prompt alone, and the keyboard focus stayed on its button.
    assert page.evaluate("document.activeElement.id") == f"{prompt_id}-mark"
    assert page.url.endswith("/conversations/")
    assert PromptUse.objects.filter(prompt_id=prompt_id.removeprefix("prompt-")).exists()

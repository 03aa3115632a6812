"""Jamie keeps a private journal and sends a pulse; Margaret cannot read Jamie's entry."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.e2e.conftest import assert_fits_a_phone, sign_in
from twoway.demo.seed import seed_demo
from twoway.pairing.models import Pairing
from twoway.relationships.models import Conversation, ConversationStatus, JournalEntry, Pulse

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo(live_server):
    return seed_demo(people=120, seed=7)


def sign_out(page) -> None:
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()


def on_desktop_and_phone(page, screenshot, name: str) -> None:
    page.set_viewport_size(DESKTOP)
    screenshot(f"{name}-desktop")
    assert_fits_a_phone(page)
    screenshot(f"{name}-phone")
    page.set_viewport_size(DESKTOP)


def person(demo, role: str):
    return next(s for s in demo.sign_ins if s.role == role)


def test_journal_and_pulse_journey(page, live_server, demo, screenshot):
    jamie, margaret = person(demo, "participant (junior)"), person(demo, "participant (senior)")
    pairing = Pairing.objects.get(
        participant_a__user__email__in=[jamie.email, margaret.email],
        participant_b__user__email__in=[jamie.email, margaret.email],
    )
    # Jamie's pulse is due: the last one is cleared so the demo's dates do not matter.
    Pulse.objects.filter(pairing=pairing, author__user__email=jamie.email).delete()
    # Their next conversation is about a skill an older entry of Jamie's is tagged with.
    planned = Conversation.objects.filter(
        pairing=pairing, status=ConversationStatus.PLANNED, starts_at__gt=timezone.now()
    ).earliest("starts_at")
    focus = planned.focus_skills.first()
    older = JournalEntry.objects.filter(author__user__email=jamie.email).earliest("created_at")
    older.skills.set([focus])

    sign_in(page, live_server, jamie.email, demo.password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Journal").click()
    page.get_by_role("heading", name="Your journal").wait_for()
    assert "Only you can ever read your journal" in page.content()

    page.get_by_role("link", name="New entry").click()
    page.get_by_label("Title (optional)").fill("How approvals really work")
    page.get_by_label("Your entry").fill(
        "Margaret walked me through who signs off a budget change. Ask finance early."
    )
    page.locator("input[name=skills]").first.check()
    page.get_by_label("The conversation it is about (optional)").select_option(index=1)
    page.get_by_role("button", name="Save to my journal").click()
    page.get_by_text("Saved to your journal").wait_for()
    entry_url = page.url
    assert "about your conversation with Margaret" in page.content()
    on_desktop_and_phone(page, screenshot, "journal-entry")

    page.get_by_role("link", name="Your journal").click()
    page.get_by_label("Search your entries").fill("approvals")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="1 entry matching “approvals”").wait_for()
    page.get_by_role("link", name="Show all entries").click()
    page.get_by_role("heading", name="Your entries").wait_for()
    revisit = page.get_by_role("region", name="Revisit")
    assert older.title in revisit.inner_text()
    assert f"Tagged {focus.name}, which you plan to cover with Margaret on" in revisit.inner_text()
    on_desktop_and_phone(page, screenshot, "journal")

    page.goto(f"{live_server.url}/pairings/{pairing.pk}/pulse/")
    tabs = page.get_by_role("navigation", name="This pairing")
    assert "Due" in tabs.get_by_role("link", name="Pulse").inner_text()
    assert "Only your coordinators may read this; Margaret never can." in page.content()
    for question, choice in (("fit", 4), ("trust", 5), ("value_received", 4), ("value_given", 3)):
        page.locator(f"label[for=id_{question}_{choice - 1}]").click()
    page.get_by_label("Anything else your coordinators should know? (optional)").fill(
        "Going well; I would like more time on forecasting."
    )
    on_desktop_and_phone(page, screenshot, "pulse-form")
    page.get_by_role("button", name="Send to my coordinators").click()
    page.get_by_role("heading", name="Your next pulse is due on").wait_for()
    assert "Due" not in tabs.get_by_role("link", name="Pulse").inner_text()
    on_desktop_and_phone(page, screenshot, "pulse-sent")

    sign_out(page)
    sign_in(page, live_server, margaret.email, demo.password)
    page.goto(entry_url)
    page.get_by_role("heading", name="Page not found").wait_for()
    assert "approvals" not in page.content()
    screenshot("journal-entry-partner-not-found")

"""The whole participant journey in a real browser, from invitation to a two-way balance.

Nia is invited, completes her profile, and is proposed a pairing with Omar (as a
matching run would propose it). Both accept, set the agreement together, meet,
and each logs what they learned from the other; the balance then shows value in
both directions. Omar cannot open Nia's journal entry. Screenshots of each page
go to test-artifacts/; with TWOWAY_README_SCREENSHOTS set, the README's copies in
docs/screenshots/ are refreshed too.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.e2e.conftest import (
    ARTIFACTS,
    assert_fits_a_phone,
    invitation_link,
    pick_suggestion,
    rate,
    sign_in,
)
from tests.factories import (
    TEST_PASSWORD,
    ParticipantFactory,
    ProfileFactory,
    ProgramFactory,
    UserFactory,
    skill,
)
from twoway.pairing.models import Pairing, PairingStatus
from twoway.pairing.services import pairing_propose
from twoway.profiles.models import Gap, Offer
from twoway.programs.models import Participant

pytestmark = pytest.mark.django_db(transaction=True)

README_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def harbour(live_server):
    """A pilot with a coordinator and Omar, a senior participant whose profile is done."""
    program = ProgramFactory(name="Harbour Pilot", slug="harbour-pilot", ends_on=None)
    coordinator = UserFactory(email="cora@example.org", full_name="Cora Ordinator")
    ProfileFactory(user=coordinator, department="People")
    program.coordinators.add(coordinator)
    omar = UserFactory(email="omar@example.org", full_name="Omar Haddad", timezone="Europe/London")
    ProfileFactory(user=omar, department="Finance", level=6, job_title="Head of Planning")
    omar_p = ParticipantFactory(program=program, user=omar, profile_completed_at=timezone.now())
    for name in ("How things really get done", "Stakeholder management"):
        Offer.objects.create(participant=omar_p, skill=skill(name), proficiency=5)
    Gap.objects.create(participant=omar_p, skill=skill("Data visualisation"), priority=5)
    link = invitation_link(
        live_server,
        program=program,
        invited_by=coordinator,
        email="nia@example.org",
        full_name="Nia Newcomer",
    )
    return omar_p, link


def shots(page, name: str) -> None:
    """Screenshots of `page` at desktop width and at 390 px, with no horizontal scrolling."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(ARTIFACTS / f"journey-{name}.png"), full_page=True)
    assert_fits_a_phone(page)
    page.screenshot(path=str(ARTIFACTS / f"journey-{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def complete_profile(page, link: str) -> None:
    page.goto(link)
    page.get_by_label("Your name").fill("Nia Newcomer")
    page.get_by_label("Choose a password").fill(TEST_PASSWORD)
    page.get_by_label("The same password again").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("heading", name="About you", level=1).wait_for()
    page.get_by_role("textbox", name="Role title").fill("Data analyst")
    page.get_by_role("combobox", name="Department").fill("Operations")
    page.get_by_role("combobox", name="Level").select_option("2")
    page.get_by_role("combobox", name="Location").fill("Lisbon")
    page.get_by_role("combobox", name="Timezone").select_option("Europe/Lisbon")
    page.get_by_role("textbox", name="Languages").fill("Portuguese, English")
    page.get_by_role("textbox", name="Interests").fill("Climbing, podcasts")
    shots(page, "1-onboarding-about")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="What you can offer", level=1).wait_for()
    rows = page.locator("fieldset.skill-row")
    pick_suggestion(page, rows.nth(0), "datav", "Data visualisation")
    rate(rows.nth(0), 4)
    rows.nth(0).get_by_label("Why it matters to the business").fill(
        "Clear charts make the monthly planning review faster."
    )
    shots(page, "2-onboarding-offers")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="What you want to learn", level=1).wait_for()
    pick_suggestion(page, rows.nth(0), "stakeh", "Stakeholder management")
    rate(rows.nth(0), 4)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="Practicalities", level=1).wait_for()
    page.get_by_label("Video call").check()
    page.get_by_label("When can you usually meet?").fill("Tuesday afternoons")
    page.get_by_role("button", name="Save and finish").click()
    page.get_by_text("Your profile for Harbour Pilot is complete").wait_for()


def propose(omar_p) -> Pairing:
    """What a matching run proposes: Omar and Nia, with the explanation in its format."""
    nia_p = Participant.objects.get(user__email="nia@example.org")
    omar_is_a = omar_p.pk < nia_p.pk  # the pair is stored with the smaller id as A

    def as_a_then_b(omars, nias):
        return (omars, nias) if omar_is_a else (nias, omars)

    a_teaches, b_teaches = as_a_then_b(
        [{"skill": "Stakeholder management", "match": "exact"}],
        [{"skill": "Data visualisation", "match": "exact"}],
    )
    departments, levels = as_a_then_b("Finance", "Operations"), as_a_then_b("6", "2")
    return pairing_propose(
        first=omar_p,
        second=nia_p,
        score=0.82,
        explanation={
            "a_teaches_b": a_teaches,
            "b_teaches_a": b_teaches,
            "bridges": [
                {"kind": "department", "a": departments[0], "b": departments[1]},
                {"kind": "level", "a": levels[0], "b": levels[1]},
            ],
            "common_ground": [{"kind": "language", "value": "English"}],
        },
    )


def accept(page, live_server, partner: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Review the proposal").click()
    page.get_by_role("heading", name=f"What you will learn from {partner}").wait_for()
    page.get_by_role("button", name="Accept the pairing").click()


def log_learned(page, skill_name: str, rating: int) -> None:
    row = page.get_by_role("group", name="Skill 1")
    row.get_by_label("Skill").fill(skill_name)
    row.locator(f"label:has(input[value='{rating}'])").click()
    page.get_by_role("button", name="Log what I learned").click()
    page.get_by_text(f"Logged what you learned: {skill_name}.").wait_for()


def test_from_invitation_to_a_balanced_two_way_relationship(browser, page, live_server, harbour):
    omar_p, link = harbour
    omar_context = browser.new_context(viewport=DESKTOP)
    omar = omar_context.new_page()

    # 1. Nia accepts the invitation and completes her profile.
    complete_profile(page, link)

    # 2. The matching proposes Omar; each accepts on their own.
    pairing = propose(omar_p)
    page.goto(f"{live_server.url}/")
    page.get_by_text("Respond to your proposed pairing with Omar Haddad").wait_for()
    shots(page, "3-home-proposal")
    accept(page, live_server, "Omar")
    page.get_by_text("We will tell you when Omar accepts too").wait_for()
    sign_in(omar, live_server, "omar@example.org", TEST_PASSWORD)
    accept(omar, live_server, "Nia")
    omar.get_by_text("You are paired with Nia").wait_for()
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.ACCEPTED
    # They accepted yesterday, so that today's conversation can already have happened.
    yesterday = timezone.now() - timedelta(days=1)
    Pairing.objects.filter(pk=pairing.pk).update(
        accepted_at=yesterday, accepted_by_a_at=yesterday, accepted_by_b_at=yesterday
    )

    # 3. Nia writes the agreement, named by person; Omar confirms it.
    page.goto(f"{live_server.url}/pairings/{pairing.pk}/agreement/edit/")
    page.get_by_label("What you help Omar learn").fill("Charts that make the planning review clear")
    page.get_by_label("What Omar helps you learn").fill("Getting a proposal through the committee")
    page.get_by_label("Long-term").check()
    page.get_by_label("How you will know it worked").fill("Each of us changes one habit at work.")
    page.get_by_label("I will keep what we share confidential").check()
    page.get_by_role("button", name="Save and confirm").click()
    page.get_by_text("Omar is asked to confirm it too").wait_for()
    omar.goto(f"{live_server.url}/pairings/{pairing.pk}/agreement/")
    omar.get_by_label("I will keep what we share confidential").check()
    omar.get_by_role("button", name="Confirm version 1").click()
    omar.get_by_text("Confirmed by both of you").wait_for()
    shots(omar, "4-agreement")
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.ACTIVE

    # 4. Nia records the conversation they had an hour ago; both log what they learned.
    lisbon = (timezone.now() - timedelta(hours=1)).astimezone(ZoneInfo("Europe/Lisbon"))
    page.goto(f"{live_server.url}/pairings/{pairing.pk}/conversations/")
    page.get_by_label("Date").fill(lisbon.strftime("%Y-%m-%d"))
    page.get_by_label("Start time").fill(lisbon.strftime("%H:%M"))
    page.get_by_label("Place or video link").fill("Planning room, 3rd floor")
    page.get_by_role("button", name="Schedule").click()
    page.get_by_role("heading", name="What you learned from Omar").wait_for()
    conversation_url = page.url
    log_learned(page, "Stakeholder management", 5)
    omar.goto(conversation_url)
    log_learned(omar, "Data visualisation", 4)
    page.reload()
    shots(page, "5-conversation-ledger")

    # 5. The balance shows value flowing both ways.
    page.goto(f"{live_server.url}/pairings/{pairing.pk}/")
    balance = page.get_by_role("region", name="How value flows between you")
    balance.wait_for()
    assert "value you received: your ratings of 1 thing learned" in balance.inner_text()
    assert "value Omar received: Omar's ratings of 1 thing learned" in balance.inner_text()
    assert "80%" in balance.inner_text()  # 4 against 5
    assert balance.locator("svg.chart").is_visible()
    shots(page, "6-pairing-overview")

    # 6. Nia's journal entry is hers alone: Omar's browser gets "not found".
    page.goto(f"{live_server.url}/journal/new/")
    page.get_by_label("Your entry").fill("Omar's trick: talk to the committee chair first.")
    page.get_by_role("button", name="Save to my journal").click()
    page.get_by_text("Omar's trick").first.wait_for()
    entry_url = page.url
    assert re.search(r"/journal/\d+/$", entry_url)
    shots(page, "7-journal")
    response = omar.goto(entry_url)
    assert response.status == 404
    assert "Page not found" in omar.content()
    assert "committee chair" not in omar.content()
    omar_context.close()

    _refresh_readme_screenshots()


def _refresh_readme_screenshots() -> None:
    if not os.environ.get("TWOWAY_README_SCREENSHOTS"):
        return
    README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name in (
        "2-onboarding-offers",
        "3-home-proposal",
        "4-agreement",
        "5-conversation-ledger",
        "6-pairing-overview",
        "6-pairing-overview-phone",
        "7-journal",
    ):
        shutil.copy(ARTIFACTS / f"journey-{name}.png", README_SCREENSHOTS / f"{name}.png")

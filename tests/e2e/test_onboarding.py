"""A newcomer accepts an invitation and completes their profile in four steps."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_fits_a_phone, invitation_link, pick_suggestion, rate
from tests.factories import ProfileFactory, ProgramFactory, UserFactory
from twoway.profiles.models import SkillStatus
from twoway.programs.models import Participant

pytestmark = pytest.mark.django_db(transaction=True)


def _invitation_link(live_server) -> str:
    """A coordinator invites Nia to the Harbour Pilot; the link from her e-mail."""
    program = ProgramFactory(name="Harbour Pilot", slug="harbour-pilot")
    coordinator = UserFactory(email="coord@example.org", full_name="Cora Ordinator")
    ProfileFactory(user=coordinator, department="People")
    program.coordinators.add(coordinator)
    return invitation_link(
        live_server,
        program=program,
        invited_by=coordinator,
        email="nia@example.org",
        full_name="Nia Newcomer",
    )


def test_newcomer_completes_the_four_steps_and_lands_home(page, live_server, screenshot):
    link = _invitation_link(live_server)
    page.goto(link)
    page.get_by_label("Your name").fill("Nia Newcomer")
    page.get_by_label("Choose a password").fill("a long pass phrase")
    page.get_by_label("The same password again").fill("a long pass phrase")
    page.get_by_role("button", name="Create my account").click()

    # Step 1: about you.
    page.get_by_role("heading", name="About you", level=1).wait_for()
    assert "Welcome to Harbour Pilot." in page.content()
    page.get_by_role("textbox", name="Role title").fill("Data analyst")
    page.get_by_role("combobox", name="Department").fill("Operations")
    page.get_by_role("combobox", name="Level").select_option("2")
    page.get_by_role("combobox", name="Location").fill("Lisbon")
    page.get_by_role("combobox", name="Timezone").select_option("Europe/Lisbon")
    page.get_by_role("textbox", name="Languages").fill("Portuguese, English")
    page.get_by_role("textbox", name="Interests").fill("Climbing, podcasts")
    screenshot("onboarding-1-about")
    page.get_by_role("button", name="Save and continue").click()

    # Step 2: what you can offer, with the autocomplete, "Add another" and "Remove".
    page.get_by_role("heading", name="What you can offer", level=1).wait_for()
    rows = page.locator("fieldset.skill-row")
    pick_suggestion(page, rows.nth(0), "datav", "Data visualisation")
    rate(rows.nth(0), 4)
    rows.nth(0).get_by_label("Why it matters to the business").fill(
        "Clear charts make the monthly operations review faster."
    )
    # An alias is offered too: typing "dataviz" suggests the canonical skill.
    field = rows.nth(1).get_by_label("Skill or perspective")
    field.press_sequentially("excel", delay=30)
    page.locator('#skill-suggestions option[value="Spreadsheets"]').wait_for(state="attached")
    rate(rows.nth(1), 5)
    pick_suggestion(page, rows.nth(2), "short-f", "Short-form video")
    rate(rows.nth(2), 3)
    with page.expect_request(lambda request: request.method == "POST") as adding:
        page.get_by_role("button", name="Add another").click()
    assert adding.value.headers.get("hx-request") == "true"  # only the rows are redrawn
    rows.nth(3).wait_for()
    new_field = rows.nth(3).get_by_label("Skill or perspective")
    assert new_field.evaluate("element => element === document.activeElement")
    new_field.fill("Harbour tide tables")
    rate(rows.nth(3), 4)
    page.get_by_role("button", name="Remove row 3").click()
    expect(rows).to_have_count(3)
    assert "Short-form video" not in [
        rows.nth(i).get_by_label("Skill or perspective").input_value() for i in range(3)
    ]
    screenshot("onboarding-2-offers")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("onboarding-2-offers-phone")
    assert_fits_a_phone(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Save and continue").click()

    # Step 3: what you want to learn.
    page.get_by_role("heading", name="What you want to learn", level=1).wait_for()
    pick_suggestion(page, rows.nth(0), "how things", "How things really get done")
    rate(rows.nth(0), 5)
    pick_suggestion(page, rows.nth(1), "stakeh", "Stakeholder management")
    rate(rows.nth(1), 3)
    screenshot("onboarding-3-gaps")
    page.get_by_role("button", name="Save and continue").click()

    # Step 4: practicalities; the last open step finishes the profile.
    page.get_by_role("heading", name="Practicalities", level=1).wait_for()
    page.get_by_label("Video call").check()
    page.get_by_label("When can you usually meet?").fill("Tuesday or Thursday afternoons")
    screenshot("onboarding-4-practicalities")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("onboarding-4-practicalities-phone")
    assert_fits_a_phone(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Save and finish").click()

    page.get_by_text("Your profile for Harbour Pilot is complete").wait_for()
    assert page.url == f"{live_server.url}/"
    participant = Participant.objects.get(user__email="nia@example.org")
    assert participant.profile_completed_at is not None
    offers = {offer.skill.name: offer for offer in participant.offers.select_related("skill")}
    assert set(offers) == {"Data visualisation", "Spreadsheets", "Harbour tide tables"}
    assert offers["Harbour tide tables"].skill.status == SkillStatus.PROPOSED
    assert [gap.skill.name for gap in participant.gaps.select_related("skill")] == [
        "How things really get done",
        "Stakeholder management",
    ]

    # The profile page shows it all, with a link to edit each part.
    page.get_by_role("link", name="Profile", exact=True).click()
    page.get_by_role("heading", name="Your profile").wait_for()
    assert "Harbour tide tables" in page.content()
    screenshot("profile-page")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("profile-page-phone")
    assert_fits_a_phone(page)

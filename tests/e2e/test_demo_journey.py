"""A newcomer signs in to the demo organisation in a real browser."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import sign_in
from twoway.demo.seed import seed_demo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(live_server):
    return seed_demo(people=120, seed=7)


def test_coordinator_signs_in_and_sees_the_pilot(page, live_server, demo, screenshot):
    coordinator = demo.sign_ins[0]
    sign_in(page, live_server, coordinator.email, demo.password)
    card = page.locator("[data-program=two-way-pilot]")
    card.wait_for()
    assert "Two-Way Mentoring Pilot" in card.inner_text()
    assert card.locator(".badge", has_text="Pilot").is_visible()
    assert "active pairs" in card.inner_text()
    assert page.locator("[data-program=reciprocal-mentoring-2027]").is_visible()
    screenshot("home-coordinator")


def test_junior_participant_sees_their_senior_partner(page, live_server, demo, screenshot):
    junior = next(s for s in demo.sign_ins if s.role == "participant (junior)")
    sign_in(page, live_server, junior.email, demo.password)
    card = page.locator(".pairing-card", has_text="Margaret Lindqvist")
    card.wait_for()
    assert "Two-Way Mentoring Pilot" in card.inner_text()
    assert "Active" in card.inner_text()
    screenshot("home-participant")


def test_wrong_password_shows_an_error_and_sign_out_works(page, live_server, demo):
    sign_in(page, live_server, demo.sign_ins[0].email, "wrong password", wait=False)
    assert "do not match an account" in page.content()
    sign_in(page, live_server, demo.sign_ins[0].email, demo.password)
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()
    assert page.url.startswith(f"{live_server.url}/accounts/sign-in/")

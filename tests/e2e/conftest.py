"""Browser tests: Debian's chromium driven by Playwright against a live server.

Under CI a missing browser is a failure; elsewhere the tests are skipped.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core import mail

from twoway.accounts.services import invitation_create

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Chromium's background services try to reach the internet, which is closed here.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI requires the browser tests, and {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright():
    # Playwright's sync API runs an event loop in the test thread, which makes
    # Django refuse ORM calls; those calls are still synchronous and safe here.
    # (tests/commands.py keeps the variable away from the commands other tests run.)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def page(browser):
    """A browser tab that fails the test on any Content-Security-Policy violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not violations, f"the page broke its Content-Security-Policy: {violations}"


def assert_fits_a_phone(page) -> None:
    """No horizontal scrolling at 390 px wide."""
    page.set_viewport_size({"width": 390, "height": 844})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px wider than a 390 px phone"


@pytest.fixture
def screenshot(page):
    def take(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in(page, live_server, email: str, password: str, *, wait: bool = True) -> None:
    """Sign in through the form; by default wait for the home page's greeting."""
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if wait:
        page.get_by_role("heading", name="Hello").wait_for()


def invitation_link(live_server, *, program, invited_by, email: str, full_name: str) -> str:
    """Invite someone as a participant; the single-use link from their e-mail."""
    invitation_create(
        program=program,
        email=email,
        role="participant",
        invited_by=invited_by,
        full_name=full_name,
        accept_url_for=lambda token: f"{live_server.url}/accounts/invitations/{token}/",
    )
    return re.search(r"https?://\S+/accounts/invitations/\S+/", mail.outbox[-1].body).group(0)


def pick_suggestion(page, row, typed: str, suggestion: str) -> None:
    """Type part of a skill, wait for the vocabulary's suggestion, and take it."""
    field = row.get_by_label("Skill or perspective")
    field.click()
    field.press_sequentially(typed, delay=30)
    page.locator(f'#skill-suggestions option[value="{suggestion}"]').wait_for(state="attached")
    field.fill(suggestion)


def rate(row, value: int) -> None:
    row.locator(".rating label", has_text=str(value)).click()

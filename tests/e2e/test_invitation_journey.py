"""A coordinator invites a colleague, who joins through the e-mailed link."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.e2e.conftest import sign_in
from tests.factories import TEST_PASSWORD, ProfileFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_invited_colleague_joins_the_program(browser, page, live_server, screenshot):
    program = ProgramFactory(name="Harbour Pilot", slug="harbour-pilot")
    coordinator = UserFactory(email="coord@example.org", full_name="Cora Ordinator")
    ProfileFactory(user=coordinator)
    program.coordinators.add(coordinator)

    sign_in(page, live_server, "coord@example.org", TEST_PASSWORD)
    page.get_by_role("link", name="Invite people").click()
    page.get_by_label("E-mail address").fill("newcomer@example.org")
    page.get_by_label("Name").fill("Nia Newcomer")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Invitation sent to newcomer@example.org").wait_for()

    link = re.search(r"https?://\S+/accounts/invitations/\S+/", mail.outbox[-1].body).group(0)
    newcomer = browser.new_context().new_page()
    newcomer.goto(link)
    newcomer.get_by_label("Your name").fill("Nia Newcomer")
    newcomer.get_by_label("Choose a password").fill("a long pass phrase")
    newcomer.get_by_label("The same password again").fill("a long pass phrase")
    newcomer.get_by_role("button", name="Create my account").click()
    newcomer.get_by_text("Welcome to Harbour Pilot").wait_for()
    # A new participant starts on their profile for the program.
    assert newcomer.url.endswith("/welcome/harbour-pilot/about/")

    newcomer.goto(link)  # the link works once
    assert "already been used" in newcomer.content()
    newcomer.context.close()

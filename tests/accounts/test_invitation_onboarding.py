"""After accepting an invitation, a participant starts on their profile for the program."""

from __future__ import annotations

import pytest

from tests.accounts.test_invitations import _account_form, _invite

pytestmark = pytest.mark.django_db


def test_a_new_participant_goes_to_the_programs_onboarding(client, cast):
    link = _invite(client, cast)
    response = client.post(link, _account_form("New Comer"), follow=True)
    assert [url for url, _ in response.redirect_chain] == [
        "/welcome/river/",
        "/welcome/river/about/",
    ]
    assert "Welcome to River." in [str(m) for m in response.context["messages"]]


def test_a_signed_in_colleague_joining_as_participant_goes_to_the_onboarding(client, cast):
    link = _invite(client, cast, email="erin@example.org")
    client.force_login(cast.erin)
    response = client.post(link)
    # Erin already has a profile, so "About you" is done and the offers come next.
    assert response["Location"] == "/welcome/river/"
    assert client.get(response["Location"])["Location"] == "/welcome/river/offers/"


@pytest.mark.parametrize("role", ["coordinator", "sponsor"])
def test_coordinators_and_sponsors_still_go_home(client, cast, role):
    link = _invite(client, cast, email="new-role@example.org", role=role)
    response = client.post(link, _account_form("New Role"))
    assert response["Location"] == "/"

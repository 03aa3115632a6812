"""Forms that cannot be handled as sent still get a clear answer."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_form_posted_after_the_session_ended_returns_to_its_page_after_sign_in(client, cast):
    goals = f"/pairings/{cast.pairing.pk}/goals/"
    response = client.post(goals + "add/", {"title": "x"}, HTTP_REFERER="http://testserver" + goals)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/sign-in/?next={goals.replace('/', '%2F')}"


def test_a_form_posted_from_elsewhere_returns_home_after_sign_in(client, cast):
    url = f"/pairings/{cast.pairing.pk}/goals/add/"
    response = client.post(url, {}, HTTP_REFERER="https://evil.example/phish/")
    assert response["Location"] == "/accounts/sign-in/?next=%2F"


def test_an_address_that_only_takes_forms_says_so(client, cast):
    client.force_login(cast.alice)
    response = client.get(f"/pairings/{cast.pairing.pk}/accept/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "only receives forms" in response.content.decode()


def test_a_form_without_its_csrf_cookie_gets_a_page_that_says_what_to_do(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.alice)
    response = browser.post("/notifications/read-all/")
    assert response.status_code == 403
    assert "Nothing was saved" in response.content.decode()
    assert "DEBUG" not in response.content.decode()

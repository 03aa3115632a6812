"""Every page is served under a strict Content-Security-Policy and a Permissions-Policy."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/accounts/sign-in/", "/accounts/password-reset/"])
def test_pages_forbid_inline_script_and_style(client, url):
    policy = client.get(url)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_pages_switch_off_unused_browser_features(client):
    policy = client.get("/accounts/sign-in/")["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy


def test_signed_in_pages_carry_the_policy_too(client, cast):
    client.force_login(cast.alice)
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]

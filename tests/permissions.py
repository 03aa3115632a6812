"""The permission matrix every page and action of a pair's space is tested against.

The fixed cast (tests/conftest.py): alice and bob are the partners; charlie is
another participant of their program; dana coordinates it; erin coordinates
another program; sam sponsors it; root is a staff admin.
"""

from __future__ import annotations

PARTNERS = ("alice", "bob")
# Everyone signed in who is not a partner: none of them may open a pair's space.
OUTSIDERS = ("charlie", "dana", "erin", "sam", "root")


def _request(client, url: str, method: str, data: dict | None):
    return client.get(url) if method == "get" else client.post(url, data or {})


def response_as(client, cast, who: str, url: str, *, method: str = "get", data=None):
    client.logout()
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    return _request(client, url, method, data)


def assert_outsiders_get_404(client, cast, url: str, *, method: str = "get", data=None):
    """Not a partner: the same 404 as for a pairing that does not exist."""
    for who in OUTSIDERS:
        response = response_as(client, cast, who, url, method=method, data=data)
        assert response.status_code == 404, f"{who} got {response.status_code} for {url}"


def assert_anonymous_sent_to_sign_in(client, url: str, *, method: str = "get", data=None):
    client.logout()
    response = _request(client, url, method, data)
    assert response.status_code == 302, f"anonymous got {response.status_code} for {url}"
    assert response["Location"].startswith("/accounts/sign-in/")


def assert_partners_may_open(client, cast, url: str) -> None:
    for who in PARTNERS:
        response = response_as(client, cast, who, url)
        assert response.status_code == 200, f"{who} got {response.status_code} for {url}"


def assert_only_partners_may_open(client, cast, url: str) -> None:
    assert_partners_may_open(client, cast, url)
    assert_outsiders_get_404(client, cast, url)
    assert_anonymous_sent_to_sign_in(client, url)

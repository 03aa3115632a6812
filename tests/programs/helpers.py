"""Permission checks for the pages only a program's coordinators may open."""

from __future__ import annotations

from tests.permissions import assert_anonymous_sent_to_sign_in, response_as

# Everyone in the cast who does not coordinate "river": participants, a partner, the
# other program's coordinator, the sponsor and a staff admin.
NOT_COORDINATORS = ("alice", "bob", "charlie", "erin", "sam", "root")


def assert_only_coordinators_may_open(client, cast, url: str, *, method="get", data=None):
    assert_anonymous_sent_to_sign_in(client, url, method=method, data=data)
    for who in NOT_COORDINATORS:
        response = response_as(client, cast, who, url, method=method, data=data)
        assert response.status_code == 404, f"{who} got {response.status_code} for {url}"
    response = response_as(client, cast, "dana", url, method=method, data=data)
    assert response.status_code in (200, 302), f"dana got {response.status_code} for {url}"


def setup_post_data(form) -> dict:
    """What the browser would post for an unbound form: every field's initial value."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data

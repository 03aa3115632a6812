"""Who may open a program's pages: the permission matrix for the program frame."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def overview(client, program):
    return client.get(reverse("programs:overview", args=[program.slug]))


def test_anonymous_visitor_is_sent_to_sign_in(client, cast):
    response = overview(client, cast.river)
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]


@pytest.mark.parametrize("who", ["alice", "charlie", "root", "erin"])
def test_people_who_neither_run_nor_sponsor_it_get_404(client, cast, who):
    client.force_login(getattr(cast, who))
    assert overview(client, cast.river).status_code == 404


def test_the_coordinator_sees_the_rules_in_words(client, cast):
    client.force_login(cast.dana)
    response = overview(client, cast.river)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Two-way learning" in text
    assert "Required: each partner can teach the other something they want" in text


def test_a_sponsor_sees_the_overview_but_only_the_tabs_for_sponsors(client, cast):
    client.force_login(cast.sam)
    response = overview(client, cast.river)
    assert response.status_code == 200
    assert [tab["key"] for tab in response.context["tabs"]] == ["overview", "reports"]
    assert response.context["coordinates"] is False

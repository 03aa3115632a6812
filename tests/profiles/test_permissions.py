"""Onboarding and the profile are always the signed-in person's own.

The fixed cast: alice, bob and charlie take part in "river"; dana coordinates it;
erin coordinates "lake"; sam sponsors river; root is staff.
"""

from __future__ import annotations

import pytest

from tests.factories import skill
from tests.permissions import assert_anonymous_sent_to_sign_in, response_as
from tests.profiles.helpers import ABOUT_FORM, PRACTICALITIES_FORM, rows_form
from twoway.profiles.models import Offer, Profile

pytestmark = pytest.mark.django_db

PARTICIPANTS = ("alice", "bob", "charlie")
NOT_ENROLLED = ("dana", "erin", "sam", "root")

# Each page of a program's profile, with what a browser would post to it.
PROGRAM_PAGES = [
    ("/welcome/river/", None),
    ("/welcome/river/about/", ABOUT_FORM),
    ("/welcome/river/offers/", rows_form("offers", [("SQL", 3, "")])),
    ("/welcome/river/gaps/", rows_form("gaps", [("SQL", 3, "")])),
    ("/welcome/river/practicalities/", PRACTICALITIES_FORM),
    ("/profile/river/offers/", rows_form("offers", [("SQL", 3, "")])),
    ("/profile/river/gaps/", rows_form("gaps", [("SQL", 3, "")])),
    ("/profile/river/practicalities/", PRACTICALITIES_FORM),
]
# Pages that are always the signed-in person's own: no URL names anyone else.
OWN_PAGES = [
    ("get", "/profile/", None),
    ("get", "/profile/about/", None),
    ("post", "/profile/about/", ABOUT_FORM),
    ("post", "/profile/sharing/", {"shared": []}),
    ("get", "/skills/suggest/?q=data", None),
]


@pytest.mark.parametrize(("url", "data"), PROGRAM_PAGES)
def test_each_participant_opens_their_own_onboarding(client, cast, url, data):
    for who in PARTICIPANTS:
        response = response_as(client, cast, who, url)
        assert response.status_code in (200, 302), f"{who} got {response.status_code}"


@pytest.mark.parametrize(("url", "data"), PROGRAM_PAGES)
def test_nobody_outside_the_program_opens_or_posts_to_it(client, cast, url, data):
    before = (Offer.objects.count(), list(Profile.objects.values_list("department", flat=True)))
    for who in NOT_ENROLLED:
        response = response_as(client, cast, who, url)
        assert response.status_code == 404, f"{who} got {response.status_code} for {url}"
        if data is not None:
            response = response_as(client, cast, who, url, method="post", data=data)
            assert response.status_code == 404, f"{who} posting got {response.status_code}"
    assert (Offer.objects.count(), list(Profile.objects.values_list("department", flat=True))) == (
        before
    )


@pytest.mark.parametrize(("url", "data"), PROGRAM_PAGES)
def test_anonymous_is_sent_to_sign_in(client, cast, url, data):
    assert_anonymous_sent_to_sign_in(client, url)
    if data is not None:
        assert_anonymous_sent_to_sign_in(client, url, method="post", data=data)


@pytest.mark.parametrize(("method", "url", "data"), OWN_PAGES)
def test_anonymous_is_sent_to_sign_in_from_the_own_pages(client, cast, method, url, data):
    assert_anonymous_sent_to_sign_in(client, url, method=method, data=data)


def test_a_participant_of_another_program_gets_404(client, cast):
    response = response_as(client, cast, "alice", "/welcome/lake/")
    assert response.status_code == 404
    response = response_as(client, cast, "alice", "/profile/lake/offers/")
    assert response.status_code == 404


def test_posting_to_the_onboarding_changes_only_ones_own_offers(client, cast):
    Offer.objects.create(participant=cast.alice_p, skill=skill("Budgeting"), proficiency=5)
    response_as(
        client,
        cast,
        "charlie",
        "/welcome/river/offers/",
        method="post",
        data=rows_form("offers", [("SQL", 3, "")]),
    )
    assert [o.skill.name for o in cast.charlie_p.offers.select_related("skill")] == ["SQL"]
    assert [o.skill.name for o in cast.alice_p.offers.select_related("skill")] == ["Budgeting"]


@pytest.mark.parametrize("who", ["alice", "dana", "sam", "root"])
def test_everyone_signed_in_edits_only_their_own_about_you(client, cast, who):
    others = {
        p.user.email: p.department for p in Profile.objects.exclude(user__email__startswith=who)
    }
    response = response_as(client, cast, who, "/profile/about/", method="post", data=ABOUT_FORM)
    assert response["Location"] == "/profile/"
    assert Profile.objects.get(user__email=f"{who}@example.org").department == "Operations"
    assert {
        p.user.email: p.department for p in Profile.objects.exclude(user__email__startswith=who)
    } == others


def test_sharing_changes_only_ones_own_choices(client, cast):
    response_as(client, cast, "bob", "/profile/sharing/", method="post", data={"shared": []})
    assert Profile.objects.get(user=cast.bob).shared_with_partner == []
    assert Profile.objects.get(user=cast.alice).shared_with_partner != []

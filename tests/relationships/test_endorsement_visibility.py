"""An endorsement shows on its recipient's profile only when the recipient chooses."""

from __future__ import annotations

import pytest

from tests.factories import ParticipantFactory
from tests.permissions import OUTSIDERS, assert_anonymous_sent_to_sign_in, response_as
from twoway.relationships.models import Endorsement, EndorsementKind
from twoway.relationships.selectors.endorsements import endorsements_shown_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def for_bob(cast):
    """alice recommended bob; it is hidden until bob decides."""
    return Endorsement.objects.create(
        pairing=cast.pairing,
        author=cast.alice_p,
        recipient=cast.bob_p,
        kind=EndorsementKind.RECOMMENDATION,
        text="Bob is ready to lead the data team.",
    )


def visibility_url(endorsement) -> str:
    return f"/endorsements/{endorsement.pk}/visibility/"


def test_a_new_endorsement_is_hidden_until_the_recipient_shows_it(client, cast, for_bob):
    assert list(endorsements_shown_for(cast.bob_p)) == []
    page = response_as(client, cast, "bob", "/endorsements/").content.decode()
    assert "Alice Example recommends you" in page and "Hidden" in page
    response = client.post(visibility_url(for_bob), {"shown": "1"}, follow=True)
    assert "Shown on your profile." in response.content.decode()
    assert list(endorsements_shown_for(cast.bob_p)) == [for_bob]
    client.post(visibility_url(for_bob), {"shown": "0"})
    assert list(endorsements_shown_for(cast.bob_p)) == []


def test_showing_with_htmx_swaps_only_the_endorsement(client, cast, for_bob):
    client.force_login(cast.bob)
    response = client.post(visibility_url(for_bob), {"shown": "1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.startswith(f'<article class="card endorsement" id="endorsement-{for_bob.pk}"')
    assert "Now shown on your profile." in html and "Hide from my profile" in html
    for_bob.refresh_from_db()
    assert for_bob.shown_on_profile


def test_nobody_but_the_recipient_shows_or_hides_it(client, cast, for_bob):
    # the author (alice) and everyone else get the same 404 as for no endorsement
    for who in ("alice", *OUTSIDERS):
        response = response_as(
            client, cast, who, visibility_url(for_bob), method="post", data={"shown": "1"}
        )
        assert response.status_code == 404, who
    assert_anonymous_sent_to_sign_in(
        client, visibility_url(for_bob), method="post", data={"shown": "1"}
    )
    for_bob.refresh_from_db()
    assert not for_bob.shown_on_profile


def test_the_endorsements_page_lists_only_what_the_person_received(client, cast, for_bob):
    for who in ("alice", "charlie", "dana"):
        page = response_as(client, cast, who, "/endorsements/").content.decode()
        assert "ready to lead the data team" not in page, who
        assert "No endorsements yet." in page
    assert_anonymous_sent_to_sign_in(client, "/endorsements/")


def test_hidden_endorsements_never_reach_the_profile_selector(cast, for_bob):
    shown = Endorsement.objects.create(
        pairing=cast.pairing,
        author=cast.alice_p,
        recipient=cast.bob_p,
        kind=EndorsementKind.RECOMMENDATION,
        text="Shown one",
        shown_on_profile=True,
    )
    assert list(endorsements_shown_for(cast.bob_p)) == [shown]
    assert list(endorsements_shown_for(cast.alice_p)) == []


def test_shown_endorsements_follow_the_person_into_other_programs(cast, for_bob):
    for_bob.shown_on_profile = True
    for_bob.save()
    bob_on_the_lake = ParticipantFactory(program=cast.lake, user=cast.bob)
    assert list(endorsements_shown_for(bob_on_the_lake)) == [for_bob]


def test_the_received_page_takes_the_same_queries_however_many(
    client, cast, for_bob, django_assert_num_queries
):
    for n in range(10):
        Endorsement.objects.create(
            pairing=cast.pairing,
            author=cast.alice_p,
            recipient=cast.bob_p,
            kind=EndorsementKind.RECOMMENDATION,
            text=f"Note {n}",
        )
    client.force_login(cast.bob)
    # session, user, endorsements, the navigation (bell and journal link)
    with django_assert_num_queries(4):
        response = client.get("/endorsements/")
    assert response.content.decode().count('class="card endorsement"') == 11

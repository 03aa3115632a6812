"""Each partner accepts or declines a proposal on their own; a decline ends it."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.factories import ParticipantFactory, pairing_of
from tests.permissions import (
    assert_anonymous_sent_to_sign_in,
    assert_only_partners_may_open,
    assert_outsiders_get_404,
)
from twoway.core.errors import ActionError
from twoway.notifications.models import Notification
from twoway.pairing.models import Decline, Pairing, PairingStatus
from twoway.pairing.services import pairing_propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(cast):
    """alice and bob's earlier pairing has completed; a new run proposes them again."""
    cast.pairing.status = PairingStatus.COMPLETED
    cast.pairing.save()
    return pairing_of(
        cast.alice_p,
        cast.bob_p,
        status=PairingStatus.PROPOSED,
        explanation={
            "a_teaches_b": [{"skill": "Budgeting", "offered_skill": "Budgeting", "match": "exact"}],
            "b_teaches_a": [
                {"skill": "Python", "offered_skill": "Data analysis", "match": "related"}
            ],
            "bridges": [
                {"kind": "department", "a": "Finance", "b": "Engineering"},
                {"kind": "generation", "a": "1971", "b": "1999"},
            ],
            "common_ground": [{"kind": "interest", "value": "chess"}],
        },
    )


def test_only_the_two_partners_open_a_proposal(client, cast, proposal):
    assert_only_partners_may_open(client, cast, f"/pairings/{proposal.pk}/")


def test_the_proposal_explains_both_directions_by_name(client, cast, proposal):
    client.force_login(cast.bob)
    page = client.get(f"/pairings/{proposal.pk}/").content.decode()
    assert "What you will learn from Alice" in page
    assert "What Alice will learn from you" in page
    assert "Accept the pairing" in page
    assert "Budgeting" in page and "Python" in page
    assert "a related skill" in page


def test_birth_years_never_show_and_unshared_fields_are_left_out(client, cast, proposal):
    profile = cast.alice.profile
    profile.shared_with_partner = ["job_title"]
    profile.save()
    client.force_login(cast.bob)
    page = client.get(f"/pairings/{proposal.pk}/").content.decode()
    assert "1971" not in page and "1999" not in page
    assert "works in Finance" not in page and "works in Engineering" not in page
    assert "chess" not in page


def test_acceptance_by_one_partner_waits_for_the_other(client, cast, proposal):
    client.force_login(cast.alice)
    response = client.post(f"/pairings/{proposal.pk}/accept/", follow=True)
    proposal.refresh_from_db()
    assert proposal.status == PairingStatus.PROPOSED
    assert "We will tell you when Bob accepts too" in response.content.decode()
    assert Notification.objects.filter(recipient=cast.bob, kind="pairing_accepted").exists()


def test_acceptance_by_both_starts_the_pairing(client, cast, proposal):
    for who in (cast.alice, cast.bob):
        client.force_login(who)
        client.post(f"/pairings/{proposal.pk}/accept/")
    proposal.refresh_from_db()
    assert proposal.status == PairingStatus.ACCEPTED
    assert proposal.accepted_by_a_at and proposal.accepted_by_b_at and proposal.accepted_at


def test_acceptance_beyond_capacity_is_refused_with_a_clear_message(client, cast, proposal):
    proposal.delete()
    cast.pairing.status = PairingStatus.ACTIVE
    cast.pairing.save()  # alice is taken again, and the program allows one partner
    other = pairing_of(cast.alice_p, cast.charlie_p, status=PairingStatus.PROPOSED)
    client.force_login(cast.charlie)
    client.post(f"/pairings/{other.pk}/accept/")
    client.force_login(cast.alice)
    response = client.post(f"/pairings/{other.pk}/accept/", follow=True)
    other.refresh_from_db()
    assert other.status == PairingStatus.PROPOSED
    assert other.accepted_by_a_at is None or other.accepted_by_b_at is None
    assert "as many partners as the program allows" in response.content.decode()


def test_outsiders_cannot_accept_or_decline(client, cast, proposal):
    assert_outsiders_get_404(client, cast, f"/pairings/{proposal.pk}/accept/", method="post")
    decline = {"reason": "fit"}
    assert_outsiders_get_404(
        client, cast, f"/pairings/{proposal.pk}/decline/", method="post", data=decline
    )
    assert_anonymous_sent_to_sign_in(client, f"/pairings/{proposal.pk}/accept/", method="post")
    proposal.refresh_from_db()
    assert proposal.status == PairingStatus.PROPOSED
    assert proposal.accepted_by_a_at is None and proposal.accepted_by_b_at is None


def test_a_decline_needs_a_reason_and_keeps_what_was_typed(client, cast, proposal):
    client.force_login(cast.bob)
    response = client.post(f"/pairings/{proposal.pk}/decline/", {"detail": "Bad timing"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required" in page and "Bad timing" in page
    proposal.refresh_from_db()
    assert proposal.status == PairingStatus.PROPOSED


def test_a_decline_ends_the_proposal_and_its_reason_reaches_coordinators_only(
    client, cast, proposal, django_capture_on_commit_callbacks
):
    client.force_login(cast.bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/pairings/{proposal.pk}/decline/",
            {"reason": "conflict", "detail": "We sit on the same budget committee."},
        )
    assert {m.to[0] for m in mail.outbox} == {"alice@example.org", "dana@example.org"}
    proposal.refresh_from_db()
    assert proposal.status == PairingStatus.DECLINED
    decline = Decline.objects.get(pairing=proposal)
    assert decline.declined_by == cast.bob_p
    # The partner hears of a neutral outcome; nobody's e-mail or bell carries the reason.
    client.force_login(cast.alice)
    page = client.get(f"/pairings/{proposal.pk}/").content.decode()
    assert "did not go ahead" in page
    assert "budget committee" not in page and "conflict" not in page.lower()
    notes = Notification.objects.all()
    assert notes.filter(recipient=cast.dana).exists()
    for text in [n.title + n.body for n in notes] + [m.body for m in mail.outbox]:
        assert "budget committee" not in text


def test_the_partner_of_a_closed_pairing_may_ask_for_a_new_partner(client, cast, proposal):
    client.force_login(cast.bob)
    client.post(f"/pairings/{proposal.pk}/decline/", {"reason": "timing"})
    client.force_login(cast.alice)
    client.post(f"/pairings/{proposal.pk}/rematch/")
    cast.alice_p.refresh_from_db()
    assert cast.alice_p.rematch_requested_at is not None


def test_only_a_partner_asks_for_a_new_partner_from_a_closed_pairing(client, cast, proposal):
    client.force_login(cast.bob)
    client.post(f"/pairings/{proposal.pk}/decline/", {"reason": "timing"})
    url = f"/pairings/{proposal.pk}/rematch/"
    assert_outsiders_get_404(client, cast, url, method="post")
    assert_anonymous_sent_to_sign_in(client, url, method="post")
    cast.charlie_p.refresh_from_db()
    assert cast.charlie_p.rematch_requested_at is None


def test_a_new_participant_not_in_the_pairing_is_an_outsider_too(client, cast, proposal):
    newcomer = ParticipantFactory(program=cast.river)
    client.force_login(newcomer.user)
    assert client.get(f"/pairings/{proposal.pk}/").status_code == 404


def test_a_proposal_tells_both_people_who_and_where_to_look(
    cast, django_capture_on_commit_callbacks
):
    cast.pairing.status = PairingStatus.COMPLETED
    cast.pairing.save()
    with django_capture_on_commit_callbacks(execute=True):
        pairing = pairing_propose(first=cast.bob_p, second=cast.alice_p, score=0.7, explanation={})
    assert (pairing.participant_a, pairing.participant_b) == tuple(
        sorted((cast.alice_p, cast.bob_p), key=lambda p: p.pk)
    )
    to_alice = Notification.objects.get(recipient=cast.alice, kind="pairing_proposed")
    assert "Bob Example" in to_alice.title and to_alice.link == f"/pairings/{pairing.pk}/"
    assert Notification.objects.filter(recipient=cast.bob, kind="pairing_proposed").exists()
    assert {m.to[0] for m in mail.outbox} == {"alice@example.org", "bob@example.org"}


@pytest.mark.parametrize(
    ("other", "message"),
    [("bob_p", "already have an open pairing"), ("alice_p", "paired with themselves")],
)
def test_a_proposal_that_cannot_be_is_refused_and_nothing_is_written(cast, other, message):
    before = Pairing.objects.count()
    with pytest.raises(ActionError, match=message):
        pairing_propose(first=cast.alice_p, second=getattr(cast, other), explanation={})
    assert Pairing.objects.count() == before
    assert not Notification.objects.exists()


def test_the_explanation_is_turned_round_when_the_pair_is_stored_the_other_way(cast):
    cast.pairing.status = PairingStatus.COMPLETED
    cast.pairing.save()
    high, low = sorted((cast.alice_p, cast.bob_p), key=lambda p: -p.pk)
    explanation = {
        "a_teaches_b": [{"skill": "Taught by the first"}],
        "b_teaches_a": [{"skill": "Taught by the second"}],
        "bridges": [{"kind": "department", "a": "First's", "b": "Second's"}],
    }
    pairing = pairing_propose(first=high, second=low, explanation=explanation)
    assert pairing.participant_a == low
    assert pairing.explanation["a_teaches_b"] == [{"skill": "Taught by the second"}]
    assert pairing.explanation["bridges"][0] == {
        "kind": "department",
        "a": "Second's",
        "b": "First's",
    }


def test_a_rematch_is_asked_for_only_once_the_pairing_has_closed(client, cast):
    client.force_login(cast.alice)
    response = client.post(f"/pairings/{cast.pairing.pk}/rematch/", follow=True)
    assert "once this pairing has closed" in response.content.decode()
    cast.alice_p.refresh_from_db()
    assert cast.alice_p.rematch_requested_at is None


def test_people_of_two_programs_are_never_proposed_to_each_other(cast):
    outsider = ParticipantFactory(program=cast.lake)
    with pytest.raises(ActionError, match="same program"):
        pairing_propose(first=cast.charlie_p, second=outsider, explanation={})


def test_asking_for_a_new_partner_tells_the_coordinators(client, cast, proposal):
    client.force_login(cast.bob)
    client.post(f"/pairings/{proposal.pk}/decline/", {"reason": "timing"})
    client.force_login(cast.alice)
    client.post(f"/pairings/{proposal.pk}/rematch/")
    note = Notification.objects.get(recipient=cast.dana, kind="rematch_requested")
    assert note.title == "Alice Example would like a new partner in River."
    assert not Notification.objects.filter(recipient=cast.erin).exists()

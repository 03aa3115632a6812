"""Endorsing a partner: for a skill the ledger says they taught you, or a recommendation."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import ConversationFactory, exchange, skill
from tests.permissions import (
    assert_anonymous_sent_to_sign_in,
    assert_only_partners_may_open,
    assert_outsiders_get_404,
    response_as,
)
from twoway.core.errors import ActionError
from twoway.notifications.models import Notification, NotificationKind
from twoway.pairing.models import PairingStatus
from twoway.pairing.selectors import side_of
from twoway.relationships.models import ConversationStatus, Endorsement
from twoway.relationships.services.endorsements import endorsement_create

pytestmark = pytest.mark.django_db

PRAISE = "Bob made data analysis click for me in one afternoon."


@pytest.fixture
def bob_taught_alice(cast):
    """The ledger: in a held conversation, bob taught alice Data analysis."""
    conversation = ConversationFactory(pairing=cast.pairing)
    exchange(conversation, cast.bob_p, cast.alice_p, skill=skill("Data analysis"))
    exchange(conversation, cast.alice_p, cast.bob_p, skill=skill("Budgeting"))
    return conversation


def url(cast) -> str:
    return f"/pairings/{cast.pairing.pk}/endorse/"


def alice_side(cast):
    return side_of(cast.pairing, cast.alice)


def test_a_partner_endorses_a_skill_the_ledger_says_they_were_taught(
    client, cast, bob_taught_alice, django_capture_on_commit_callbacks
):
    client.force_login(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(cast),
            {"kind": "skill", "skill": skill("Data analysis").pk, "text": PRAISE},
            follow=True,
        )
    assert "Bob has been told" in response.content.decode()
    saved = Endorsement.objects.get()
    assert (saved.author, saved.recipient, saved.skill.name) == (
        cast.alice_p,
        cast.bob_p,
        "Data analysis",
    )
    assert saved.text == PRAISE and not saved.shown_on_profile
    [note] = Notification.objects.filter(recipient=cast.bob)
    assert note.kind == NotificationKind.ENDORSED
    assert note.title == "Alice endorsed you for Data analysis."
    assert note.link == "/endorsements/"
    [message] = mail.outbox
    assert message.to == ["bob@example.org"]
    assert PRAISE not in note.title + note.body + message.subject + message.body
    assert "What you wrote about Bob" in response.content.decode()
    assert PRAISE in response.content.decode()


def test_a_recommendation_needs_words_and_keeps_the_choice(client, cast, bob_taught_alice):
    response = response_as(
        client, cast, "alice", url(cast), method="post", data={"kind": "recommendation"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Write your recommendation." in page
    assert 'value="recommendation" required id="id_kind_1" checked' in page
    assert not Endorsement.objects.exists() and not Notification.objects.exists()


def test_a_recommendation_is_sent_with_its_words(client, cast):
    response_as(
        client,
        cast,
        "alice",
        url(cast),
        method="post",
        data={"kind": "recommendation", "text": "Ready to lead a team."},
    )
    saved = Endorsement.objects.get()
    assert (saved.kind, saved.skill, saved.text) == (
        "recommendation",
        None,
        "Ready to lead a team.",
    )
    assert Notification.objects.get().title == "Alice endorsed you with a recommendation."


def test_only_a_skill_the_partner_taught_you_can_be_endorsed(cast, bob_taught_alice):
    # Budgeting went the other way (alice taught bob); Negotiation was never taught.
    for name in ("Budgeting", "Negotiation"):
        with pytest.raises(ActionError) as refused:
            endorsement_create(side=alice_side(cast), kind="skill", skill_id=skill(name).pk)
        assert refused.value.field == "skill"
    with pytest.raises(ActionError) as refused:
        endorsement_create(side=alice_side(cast), kind="skill")
    assert refused.value.field == "skill"
    assert not Endorsement.objects.exists() and not Notification.objects.exists()


def test_a_lesson_of_a_cancelled_conversation_does_not_count(cast, bob_taught_alice):
    bob_taught_alice.status = ConversationStatus.CANCELLED
    bob_taught_alice.cancelled_at = timezone.now()
    bob_taught_alice.save()
    with pytest.raises(ActionError):
        endorsement_create(side=alice_side(cast), kind="skill", skill_id=skill("Data analysis").pk)
    assert not Endorsement.objects.exists()


def test_a_skill_is_endorsed_once(cast, bob_taught_alice):
    data_analysis = skill("Data analysis").pk
    endorsement_create(side=alice_side(cast), kind="skill", skill_id=data_analysis)
    with pytest.raises(ActionError) as refused:
        endorsement_create(side=alice_side(cast), kind="skill", skill_id=data_analysis)
    assert refused.value.field == "skill" and "already" in refused.value.message
    assert Endorsement.objects.count() == 1


def test_an_unknown_kind_is_refused_naming_it(cast):
    with pytest.raises(ActionError) as refused:
        endorsement_create(side=alice_side(cast), kind="fan_mail", text="Hi")
    assert refused.value.field == "kind"
    assert not Endorsement.objects.exists()


def test_without_a_lesson_on_record_the_page_offers_a_recommendation_only(client, cast):
    page = response_as(client, cast, "alice", url(cast)).content.decode()
    assert "none is recorded yet" in page
    assert "Recommend Bob for a role or opportunity" in page
    assert "Endorse a skill Bob taught you" not in page
    assert "Nothing yet. Your first endorsement will be listed here." in page


def test_the_form_lists_the_skills_the_partner_taught(client, cast, bob_taught_alice):
    page = response_as(client, cast, "alice", url(cast)).content.decode()
    assert ">Data analysis</option>" in page and ">Budgeting</option>" not in page


@pytest.mark.parametrize("status", [PairingStatus.PROPOSED, PairingStatus.EXITED])
def test_endorsing_needs_a_relationship_that_happened(cast, bob_taught_alice, status):
    cast.pairing.status = status
    cast.pairing.save()
    with pytest.raises(ActionError):
        endorsement_create(side=alice_side(cast), kind="recommendation", text="Great")
    assert not Endorsement.objects.exists()


def test_a_completed_pairing_can_still_be_endorsed(cast, bob_taught_alice):
    cast.pairing.status = PairingStatus.COMPLETED
    cast.pairing.save()
    endorsement_create(side=alice_side(cast), kind="recommendation", text="Great")
    assert Endorsement.objects.count() == 1


def test_only_the_partners_open_the_endorse_page_or_endorse(client, cast, bob_taught_alice):
    assert_only_partners_may_open(client, cast, url(cast))
    data = {"kind": "recommendation", "text": "Sneaky"}
    assert_outsiders_get_404(client, cast, url(cast), method="post", data=data)
    assert_anonymous_sent_to_sign_in(client, url(cast), method="post", data=data)
    assert not Endorsement.objects.exists()

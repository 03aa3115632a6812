"""The home page shows real data for whoever signs in, in a constant number of queries."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import (
    ConversationFactory,
    ParticipantFactory,
    ProfileFactory,
    ProgramFactory,
    exchange,
    pairing_of,
)
from twoway.accounts.models import User
from twoway.pairing.models import PairingStatus
from twoway.profiles.models import Offer
from twoway.profiles.services import skill_propose
from twoway.relationships.models import Pulse

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_participant_sees_partner_and_program(client, cast):
    client.force_login(cast.alice)
    page = client.get("/").content.decode()
    assert "Your pairings" in page
    assert "Bob Example" in page
    assert "River" in page
    assert "Charlie Example" not in page


def test_partner_sees_the_pairing_from_the_other_side(client, cast):
    client.force_login(cast.bob)
    page = client.get("/").content.decode()
    assert "Alice Example" in page


def test_unpaired_participant_sees_an_empty_state(client, cast):
    client.force_login(cast.charlie)
    page = client.get("/").content.decode()
    assert "You have no partner yet" in page


def test_exited_pairing_is_shown_to_partners_as_a_neutral_closure(client, cast):
    cast.pairing.status = PairingStatus.EXITED
    cast.pairing.save()
    client.force_login(cast.bob)
    page = client.get("/").content.decode()
    assert "Closed" in page
    assert "Exited" not in page and "exited" not in page


def test_coordinator_sees_program_counts(client, cast):
    client.force_login(cast.dana)
    response = client.get("/")
    [program] = response.context["coordinated"]
    assert program.name == "River"
    assert program.participant_count == 3
    assert program.live_pairing_count == 1
    assert "Programs you coordinate" in response.content.decode()


def test_coordinator_of_another_program_does_not_see_it(client, cast):
    client.force_login(cast.erin)
    response = client.get("/")
    assert [p.name for p in response.context["coordinated"]] == ["Lake"]
    assert "River" not in response.content.decode()


def test_sponsor_sees_aggregates_only(client, cast):
    client.force_login(cast.sam)
    response = client.get("/")
    [program] = response.context["sponsored"]
    assert program.live_pairing_count == 1
    page = response.content.decode()
    assert "Alice Example" not in page and "Bob Example" not in page


def test_person_without_programs_sees_an_empty_state(client, cast):
    nobody = ProfileFactory().user
    client.force_login(nobody)
    assert "not part of any program yet" in client.get("/").content.decode()


def test_staff_admin_without_programs_is_pointed_to_the_admin(client, cast):
    client.force_login(cast.root)
    page = client.get("/").content.decode()
    assert "You are a staff admin" in page and 'href="/admin/"' in page


def _queries_for_home(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_home_queries_do_not_grow_with_the_data(client, cast):
    small_participant = _queries_for_home(client, cast.alice)
    small_coordinator = _queries_for_home(client, cast.dana)
    for _ in range(3):
        program = ProgramFactory(capacity=3)
        program.coordinators.add(cast.dana)
        mine = ParticipantFactory(program=program, user=cast.alice)
        for _ in range(3):
            pairing_of(mine, ParticipantFactory(program=program))
    assert _queries_for_home(client, cast.alice) == small_participant
    assert _queries_for_home(client, cast.dana) == small_coordinator


def test_a_broken_timezone_does_not_lock_the_person_out(client, cast):
    User.objects.filter(pk=cast.alice.pk).update(timezone="America")  # a folder, not a zone
    client.force_login(cast.alice)
    assert client.get("/").status_code == 200


def test_timezones_are_validated_on_input(cast):
    cast.alice.timezone = "Mars/Olympus"
    with pytest.raises(ValidationError, match="not a known IANA timezone"):
        cast.alice.full_clean()


def test_a_proposal_waiting_for_me_is_the_first_thing_to_do(client, cast):
    cast.pairing.status = PairingStatus.COMPLETED
    cast.pairing.save()
    proposal = pairing_of(cast.alice_p, cast.bob_p, status=PairingStatus.PROPOSED)
    client.force_login(cast.alice)
    [task, *_] = client.get("/").context["tasks"]
    assert task.title == "Respond to your proposed pairing with Bob Example"
    assert task.url == f"/pairings/{proposal.pk}/"


def agreement_tasks(client) -> list:
    return [t for t in client.get("/").context["tasks"] if "agreement" in t.title]


def test_an_agreement_to_write_or_confirm_is_on_the_list(client, cast):
    client.force_login(cast.bob)
    [task] = agreement_tasks(client)
    assert task.title == "Set your agreement with Alice"
    client.force_login(cast.alice)
    client.post(
        f"/pairings/{cast.pairing.pk}/agreement/edit/",
        {
            "i_teach": "Budgets",
            "partner_teaches": "Automation",
            "format": "long_term",
            "checkin_every_days": "14",
            "success_measures": "One change each.",
            "confidentiality": "Between us.",
            "acknowledge": "on",
        },
    )
    assert agreement_tasks(client) == []  # alice wrote and confirmed it
    client.force_login(cast.bob)
    [task] = agreement_tasks(client)
    assert task.title == "Confirm your agreement with Alice" and task.urgent


def test_an_unfinished_profile_is_on_the_list_until_it_is_complete(client, cast):
    client.force_login(cast.charlie)
    [task] = client.get("/").context["tasks"]
    assert task.title == "Complete your profile for River"
    assert task.url == "/welcome/river/"
    cast.charlie_p.profile_completed_at = timezone.now()
    cast.charlie_p.save()
    assert client.get("/").context["tasks"] == []


def test_a_due_pulse_and_a_conversation_to_log_are_on_the_list(client, cast):
    conversation = ConversationFactory(pairing=cast.pairing)  # held three days ago
    client.force_login(cast.alice)
    titles = [t.title for t in client.get("/").context["tasks"]]
    assert "Answer your pulse on your pairing with Bob" in titles
    assert "Log what you learned from Bob" in titles
    exchange(conversation, cast.bob_p, cast.alice_p, value_rating=4)
    Pulse.objects.create(
        pairing=cast.pairing, author=cast.alice_p, fit=4, trust=4, value_given=4, value_received=4
    )
    titles = [t.title for t in client.get("/").context["tasks"]]
    assert "Answer your pulse on your pairing with Bob" not in titles
    assert "Log what you learned from Bob" not in titles


HOME_QUERIES_PARTICIPANT = 12  # session, user, participations, coordinated, sponsored,
# pairings with counts, next conversations, latest agreements, pulses due, conversations to
# log, programs one can join, the navigation (unread count, has a journal)


def test_the_participant_home_page_runs_a_fixed_number_of_queries(
    client, cast, django_assert_num_queries
):
    client.force_login(cast.alice)
    with django_assert_num_queries(HOME_QUERIES_PARTICIPANT):
        client.get("/")


def test_coordinators_see_the_skills_participants_proposed(client, cast):
    skill = skill_propose(name="Grant writing", user=cast.charlie)
    Offer.objects.create(participant=cast.charlie_p, skill=skill, proficiency=4)
    client.force_login(cast.dana)
    page = client.get("/").content.decode()
    assert "New skills to curate" in page and "Grant writing" in page
    assert "named by Charlie Example" in page
    for who in (cast.alice, cast.erin):  # a participant; another program's coordinator
        client.force_login(who)
        assert "Grant writing" not in client.get("/").content.decode()


def test_programs_one_can_join_add_no_query_however_many_there_are(
    client, cast, django_assert_num_queries
):
    ProgramFactory.create_batch(3, open_enrolment=True)
    client.force_login(cast.alice)
    with django_assert_num_queries(HOME_QUERIES_PARTICIPANT):
        response = client.get("/")
    assert len(response.context["joinable"]) == 3

"""From pilot to full rollout: what carries over, and what stays in the pilot."""

import pytest
from django.urls import reverse

from tests.factories import ProgramFactory
from twoway.core.errors import ActionError
from twoway.pairing.models import Pairing
from twoway.profiles.models import Gap, Offer, Skill
from twoway.programs.models import AuditAction, Participant, Program, ProgramStatus
from twoway.programs.setup_services import program_roll_out

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot(cast):
    Program.objects.filter(pk=cast.river.pk).update(
        is_pilot=True, pilot_size=20, capacity=2, rules={"min_level_gap": 2}, self_match=True
    )
    cast.river.refresh_from_db()
    skill, other = Skill.objects.order_by("name")[:2]
    Offer.objects.create(participant=cast.alice_p, skill=other, proficiency=4, business_value="$")
    Gap.objects.create(participant=cast.alice_p, skill=skill, priority=5, note="soon")
    Participant.objects.filter(pk=cast.alice_p.pk).update(availability="Tuesdays")
    return cast.river


def test_a_rollout_copies_settings_team_and_participants_but_not_pairings(cast, pilot):
    program = program_roll_out(
        pilot=pilot, by=cast.dana, name="River for all", slug="river-all", close_pilot=True
    )
    assert (program.is_pilot, program.status, program.rolled_out_from) == (
        False,
        ProgramStatus.ENROLLING,
        pilot,
    )
    assert (program.capacity, program.self_match, program.purpose) == (2, True, pilot.purpose)
    assert program.matching_rules().min_level_gap == 2
    assert list(program.coordinators.all()) == [cast.dana]
    assert list(program.sponsors.all()) == [cast.sam]
    assert set(program.audit_events.values_list("action", flat=True)) == {
        AuditAction.COORDINATOR_ADDED,
        AuditAction.SPONSOR_ADDED,
    }
    skill, other = Skill.objects.order_by("name")[:2]
    alice = Participant.objects.get(program=program, user=cast.alice)
    assert alice.availability == "Tuesdays"
    assert [(o.skill.name, o.proficiency, o.business_value) for o in alice.offers.all()] == [
        (other.name, 4, "$")
    ]
    assert [(g.skill.name, g.priority, g.note) for g in alice.gaps.all()] == [
        (skill.name, 5, "soon")
    ]
    assert program.participants.count() == 3
    assert not Pairing.objects.filter(program=program).exists()
    assert Pairing.objects.filter(program=pilot).count() == 1
    pilot.refresh_from_db()
    assert pilot.status == ProgramStatus.CLOSED


def test_a_program_that_is_not_a_pilot_is_refused(cast):
    with pytest.raises(ActionError, match="not a pilot"):
        program_roll_out(pilot=cast.river, by=cast.dana, name="X", slug="x", close_pilot=False)
    assert not Program.objects.filter(slug="x").exists()


def test_a_taken_address_is_refused_and_nothing_is_written(cast, pilot):
    ProgramFactory(slug="taken")
    with pytest.raises(ActionError) as error:
        program_roll_out(pilot=pilot, by=cast.dana, name="X", slug="taken", close_pilot=True)
    assert error.value.field == "slug"
    pilot.refresh_from_db()
    assert pilot.status == ProgramStatus.RUNNING
    assert Program.objects.count() == 3


def test_the_rollout_page_shows_the_plan_and_lands_on_the_new_program(client, cast, pilot):
    client.force_login(cast.dana)
    url = reverse("programs:rollout", args=[pilot.slug])
    text = client.get(url).content.decode()
    assert "3 enrolled participants" in text and "Its 1 pairing," in text
    response = client.post(url, {"name": "River for all", "slug": ""})
    new = Program.objects.get(name="River for all")
    assert response["Location"] == reverse("programs:setup", args=[new.slug])
    pilot.refresh_from_db()
    assert pilot.status == ProgramStatus.RUNNING  # the box was not ticked


def test_the_rollout_page_of_a_program_that_is_not_a_pilot_says_so(client, cast):
    client.force_login(cast.dana)
    response = client.get(reverse("programs:rollout", args=["river"]), follow=True)
    assert "is not a pilot" in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "erin", "sam", "root"])
def test_only_coordinators_may_roll_out(client, cast, pilot, who):
    client.force_login(getattr(cast, who))
    url = reverse("programs:rollout", args=[pilot.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Mine"}).status_code == 404


def test_a_pilot_is_rolled_out_once_so_a_double_submit_copies_nobody_twice(cast, pilot):
    program_roll_out(pilot=pilot, by=cast.dana, name="River for all", slug="", close_pilot=False)
    with pytest.raises(ActionError, match="already rolled out into River for all"):
        program_roll_out(
            pilot=pilot, by=cast.dana, name="River for all", slug="", close_pilot=False
        )
    assert Program.objects.filter(rolled_out_from=pilot).count() == 1
    assert Participant.objects.filter(program__rolled_out_from=pilot).count() == 3


def test_the_rollout_page_of_a_pilot_already_rolled_out_says_into_what(client, cast, pilot):
    program_roll_out(pilot=pilot, by=cast.dana, name="River for all", slug="", close_pilot=False)
    client.force_login(cast.dana)
    response = client.get(reverse("programs:rollout", args=[pilot.slug]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("programs:setup", args=[pilot.slug])
    assert "already rolled out into River for all" in response.content.decode()


def test_an_address_taken_at_the_same_moment_is_refused_and_nothing_is_written(
    cast, pilot, monkeypatch
):
    from twoway.programs import setup_services

    ProgramFactory(slug="taken")
    monkeypatch.setattr(setup_services, "_slug_problems", lambda slug, program: [])
    with pytest.raises(ActionError) as error:
        program_roll_out(pilot=pilot, by=cast.dana, name="X", slug="taken", close_pilot=True)

    assert error.value.field == "slug"
    pilot.refresh_from_db()
    assert pilot.status == ProgramStatus.RUNNING
    assert not Participant.objects.filter(program__slug="taken").exists()


def test_the_setup_page_offers_the_rollout_only_until_the_pilot_is_rolled_out(
    client, cast, pilot, django_assert_num_queries
):
    client.force_login(cast.dana)
    url = reverse("programs:setup", args=[pilot.slug])
    assert "Plan the full rollout" in client.get(url).content.decode()

    program_roll_out(pilot=pilot, by=cast.dana, name="River for all", slug="", close_pilot=False)
    with django_assert_num_queries(PILOT_SETUP_QUERIES):
        page = client.get(url).content.decode()

    assert "Plan the full rollout" not in page
    assert "Rolled out into" in page and reverse("programs:setup", args=["river-for-all"]) in page


# The setup page's queries, and one more for a pilot: has it been rolled out?
PILOT_SETUP_QUERIES = 5

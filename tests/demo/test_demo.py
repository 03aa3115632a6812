"""The demo organisation: realistic, deterministic per seed, and idempotent."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.db.models import Count, F, Max, Q

from twoway.accounts.models import User
from twoway.demo.seed import DRAFT_SLUG, PILOT_SLUG, seed_demo
from twoway.pairing.models import (
    Exit,
    MatchingRun,
    Pairing,
    PairingStatus,
    PairRule,
    ProposedPair,
    RunStatus,
)
from twoway.pairing.selectors import side_of
from twoway.profiles.models import Gap, Offer, Profile
from twoway.profiles.selectors import skills_awaiting_curation
from twoway.programs.models import Program, ProgramStatus
from twoway.relationships.models import Exchange, Goal, Pulse
from twoway.relationships.selectors.balance import balance_of
from twoway.relationships.selectors.conversations import conversation_next
from twoway.relationships.selectors.journal import revisit_suggestions
from twoway.relationships.selectors.pulses import pulses_due_among

pytestmark = pytest.mark.django_db(transaction=False)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "profiles", "programs", "pairing", "relationships"}
    }


@pytest.fixture
def demo():
    return seed_demo(people=240, seed=7, now=NOW)


def test_seeding_twice_gives_the_same_row_counts(demo):
    first = _row_counts()
    seed_demo(people=240, seed=7, now=NOW)
    assert _row_counts() == first
    assert first["accounts.User"] == 241  # 240 people and a staff admin


def test_same_seed_gives_the_same_people_and_pairs(demo):
    def snapshot():
        people = list(User.objects.order_by("email").values_list("email", "profile__level"))
        pairs = sorted(
            Pairing.objects.values_list("participant_a__user__email", "participant_b__user__email")
        )
        return people, pairs

    first = snapshot()
    seed_demo(people=240, seed=7, now=NOW)
    assert snapshot() == first
    seed_demo(people=240, seed=8, now=NOW)
    assert snapshot() != first


def test_the_organisation_looks_like_a_company(demo):
    profiles = Profile.objects.all()
    departments = Counter(profiles.values_list("department", flat=True))
    assert 8 <= len(departments) <= 10
    assert set(profiles.values_list("level", flat=True)) == set(range(1, 9))
    assert 3 <= profiles.values("timezone").distinct().count() <= 4
    # Exactly one person, the chief executive, has no manager; everyone else reports
    # to someone more senior, so the tree has no cycles.
    assert profiles.filter(manager__isnull=True).count() == 1
    for profile in profiles.select_related("manager__profile").exclude(manager=None):
        assert profile.manager.profile.level > profile.level
    # Tenure and generation follow level.
    juniors = profiles.filter(level__lte=2)
    seniors = profiles.filter(level__gte=6)
    assert _mean(juniors, "birth_year") > _mean(seniors, "birth_year") + 10
    assert max(p.hired_on for p in seniors) > min(p.hired_on for p in seniors)  # varied
    assert _mean(juniors, "hired_on_ordinal") > _mean(seniors, "hired_on_ordinal")


def _mean(profiles, field: str) -> float:
    if field == "hired_on_ordinal":
        values = [p.hired_on.toordinal() for p in profiles]
    else:
        values = [getattr(p, field) for p in profiles]
    return sum(values) / len(values)


def test_the_pilot_shows_what_a_coordinator_must_notice(demo):
    pilot = Program.objects.get(slug=PILOT_SLUG)
    assert pilot.is_pilot and pilot.status == ProgramStatus.RUNNING
    pairings = Pairing.objects.filter(program=pilot)
    assert pairings.filter(status=PairingStatus.ACTIVE).count() >= 20
    assert Exit.objects.filter(pairing__program=pilot).count() == 1
    assert Pulse.objects.filter(pairing__program=pilot).exists()

    directions = pairings.annotate(
        taught_by_a=Count(
            "conversations__exchanges",
            filter=Q(conversations__exchanges__teacher=F("participant_a")),
        ),
        taught_by_b=Count(
            "conversations__exchanges",
            filter=Q(conversations__exchanges__teacher=F("participant_b")),
        ),
    )
    one_way = [p for p in directions if (p.taught_by_a == 0) != (p.taught_by_b == 0)]
    balanced = [p for p in directions if p.taught_by_a and p.taught_by_b]
    assert len(one_way) == 3
    assert len(balanced) > 20
    # In every one-way pair, the junior is the only one who teaches.
    for pairing in one_way:
        teacher = Exchange.objects.filter(conversation__pairing=pairing).first().teacher
        partner = (
            pairing.participant_b if teacher == pairing.participant_a else pairing.participant_a
        )
        assert teacher.user.profile.level < partner.user.profile.level


def test_one_pair_has_stalled(demo):
    pilot = Program.objects.get(slug=PILOT_SLUG)
    last_met = (
        Pairing.objects.filter(program=pilot, status=PairingStatus.ACTIVE)
        .annotate(last=Max("conversations__starts_at"))
        .values_list("last", flat=True)
    )
    stale = [when for when in last_met if (NOW - when).days > 35]
    assert len(stale) == 1


def test_the_draft_program_is_enrolling_with_one_proposal_for_jamie(demo):
    draft = Program.objects.get(slug=DRAFT_SLUG)
    assert draft.status == ProgramStatus.ENROLLING
    assert draft.participants.count() == 80
    [proposal] = Pairing.objects.filter(program=draft)
    assert proposal.status == PairingStatus.PROPOSED
    jamie = User.objects.get(email="jamie.chen@harbourline.example")
    side = side_of(proposal, jamie)
    assert side is not None and side.partner.user.profile.level >= 5
    # Learning can flow both ways: each offers something the other wants.
    assert proposal.explanation["a_teaches_b"] and proposal.explanation["b_teaches_a"]
    # Three offers each, plus two skills that people named and the vocabulary lacked.
    assert Offer.objects.filter(participant__program=draft).count() == 242
    assert Gap.objects.filter(participant__program=draft).count() == 240


def test_the_printed_demo_accounts_can_sign_in(demo, client):
    for sign_in in demo.sign_ins:
        form = {"username": sign_in.email, "password": demo.password}
        assert client.post("/accounts/sign-in/", form).status_code == 302, sign_in
        client.logout()
    coordinator = User.objects.get(email=demo.sign_ins[0].email)
    assert coordinator.coordinated_programs.filter(slug=PILOT_SLUG).exists()


def _spotlight_sides():
    margaret = User.objects.get(email="margaret.lindqvist@harbourline.example")
    jamie = User.objects.get(email="jamie.chen@harbourline.example")
    [pairing] = [
        p for p in Pairing.objects.filter(program__slug=PILOT_SLUG) if side_of(p, margaret)
    ]
    return side_of(pairing, margaret), side_of(pairing, jamie)


@time_machine.travel(NOW, tick=False)
def test_margaret_and_jamie_find_every_page_filled(demo):
    margaret, jamie = _spotlight_sides()
    assert margaret.partner.user == jamie.me.user
    # A conversation coming up tomorrow, and what they plan to cover.
    upcoming = conversation_next(margaret)
    assert upcoming is not None and NOW < upcoming.starts_at < NOW + timedelta(days=2)
    assert upcoming.focus_skills.exists()
    # A lopsided ledger: Margaret, who received more, is nudged to give back.
    seen_by_margaret = balance_of(margaret)
    assert seen_by_margaret.lopsided and seen_by_margaret.nudge is not None
    assert balance_of(jamie).nudge is None
    # A pulse is due for Margaret; journal entries to revisit; goals tied to gaps.
    assert pulses_due_among([margaret], now=NOW) == {margaret.pairing.pk}
    assert revisit_suggestions(margaret.me.user, now=NOW)
    assert revisit_suggestions(jamie.me.user, now=NOW)
    assert all(g.skill_id for g in Goal.objects.filter(pairing=margaret.pairing))
    # The bell has news for Margaret: the conversation coming up and the due pulse.
    kinds = set(margaret.me.user.notifications.values_list("kind", flat=True))
    assert {"conversation_upcoming", "pulse_due"} <= kinds
    # Jamie has a proposal to answer in the next program.
    mine = Q(participant_a__user=jamie.me.user) | Q(participant_b__user=jamie.me.user)
    assert Pairing.objects.filter(
        mine, program__slug=DRAFT_SLUG, status=PairingStatus.PROPOSED
    ).exists()


def test_skills_people_proposed_wait_for_curation(demo):
    coordinator = User.objects.get(email=demo.sign_ins[0].email)
    names = {skill.name for skill in skills_awaiting_curation(coordinator).skills}
    assert names == {"British Sign Language", "Grant writing"}


def test_the_pilot_pairings_come_from_a_published_matching_run(demo):
    pilot = Program.objects.get(slug=PILOT_SLUG)
    [run] = MatchingRun.objects.filter(program=pilot)
    assert (
        run.status == RunStatus.PUBLISHED and run.published_at < pilot.pairings.first().started_at
    )
    proposed = {
        (pair.participant_a_id, pair.participant_b_id): pair.explanation
        for pair in ProposedPair.objects.filter(run=run)
    }
    made = {(p.participant_a_id, p.participant_b_id): p.explanation for p in pilot.pairings.all()}
    assert made == proposed  # every pairing, with the engine's own explanation
    # The pilot requires two-way learning: the engine found something in each direction.
    assert all(e["a_teaches_b"] and e["b_teaches_a"] for e in made.values())
    # Only the printed pair was locked by the coordinator; its lock was used up.
    [locked] = ProposedPair.objects.filter(run=run, locked=True)
    names = {locked.participant_a.user.full_name, locked.participant_b.user.full_name}
    assert names == {"Margaret Lindqvist", "Jamie Chen"}
    assert not PairRule.objects.filter(program=pilot).exists()

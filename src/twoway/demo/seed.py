"""Write the demo organisation and its two programs to the database.

Idempotent: a second run removes the previous demo rows and writes the same
data again, so row counts do not grow. Everything happens in one transaction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from twoway.accounts.models import User
from twoway.demo import org, proposals, spotlight
from twoway.demo.matching import pilot_matching_publish
from twoway.demo.relationships import PairPlan, PilotWriter, practicalities
from twoway.matching.rules import default_rules_mapping
from twoway.pairing.models import Pairing
from twoway.profiles.models import Gap, Offer, Profile, Skill, SkillStatus, TypicalGiver
from twoway.profiles.services import skill_propose
from twoway.programs.models import (
    Cadence,
    Participant,
    Program,
    ProgramStatus,
)
from twoway.relationships.services.reminders import reminders_send_due

PILOT_SLUG = "two-way-pilot"
DRAFT_SLUG = "reciprocal-mentoring-2027"
DEMO_SLUGS = (PILOT_SLUG, DRAFT_SLUG)
PILOT_PAIRS = 30
DRAFT_PARTICIPANTS = 80
STAFF_ADMIN = ("Robin Hale", "robin.hale@" + org.EMAIL_DOMAIN)


@dataclass(frozen=True)
class SignIn:
    role: str
    name: str
    email: str


@dataclass(frozen=True)
class DemoSummary:
    people: int
    programs: int
    pilot_pairings: int
    draft_participants: int
    password: str
    sign_ins: list[SignIn]


@transaction.atomic
def seed_demo(*, people: int = 240, seed: int = 7, now: datetime | None = None) -> DemoSummary:
    now = now or timezone.now()
    _remove_previous_demo()
    persons, named = org.build_organisation(people=people, seed=seed, today=now.date())
    users = _create_users(persons)
    _create_profiles(persons, users)
    skills = _skills_by_giver()
    rng = random.Random(f"{seed}:programs")
    coordinator, ceo = users[named["coordinator"].key], users[named["ceo"].key]

    pilot = _create_program(
        PILOT,
        starts_on=now.date() - timedelta(days=70),
        weeks=26,
        coordinator=coordinator,
        sponsor=ceo,
    )
    drawn = _plan_pilot_pairs(rng, persons, named, skills)
    writer = PilotWriter(rng=rng, program=pilot, now=now, users=users)
    writer.enrol(drawn)
    senior, junior = (
        writer.participants[named["senior"].key],
        writer.participants[named["junior"].key],
    )
    run = pilot_matching_publish(
        program=pilot,
        coordinator=coordinator,
        locked=(senior, junior),
        run_at=writer.start() - timedelta(days=12),
    )
    pairings = _spotlight_first(list(run.program.pairings.order_by("pk")), senior)
    plans = writer.plans_for(pairings, kinds=_pair_kinds(len(pairings)))
    writer.live(plans, pairings)
    spotlight.light_up(
        pairing=Pairing.objects.get(participant_a__in=[senior, junior], program=pilot),
        senior=senior,
        junior=junior,
        now=now,
    )

    # What the worker would have announced by now (the bell shows it; no e-mails).
    reminders_send_due(now=now, email=False)

    draft = _create_program(
        DRAFT,
        starts_on=_first_of_the_month_after_next(now.date()),
        weeks=39,
        coordinator=coordinator,
        sponsor=ceo,
    )
    draft_count = _enrol_draft(rng, draft, persons, named, users, skills, now)
    proposals.propose_a_partner_to(
        Participant.objects.get(program=draft, user=users[named["junior"].key]),
        avoid={users[named["senior"].key].pk},
    )

    return DemoSummary(
        people=len(persons),
        programs=2,
        pilot_pairings=Pairing.objects.filter(program=pilot).count(),
        draft_participants=draft_count,
        password=org.PASSWORD,
        sign_ins=[
            SignIn("coordinator", named["coordinator"].full_name, named["coordinator"].email),
            SignIn("participant (senior)", named["senior"].full_name, named["senior"].email),
            SignIn("participant (junior)", named["junior"].full_name, named["junior"].email),
            SignIn("sponsor", named["ceo"].full_name, named["ceo"].email),
            SignIn("staff admin", *STAFF_ADMIN),
        ],
    )


def _remove_previous_demo() -> None:
    # Pairings protect their participants, so they go first.
    Pairing.objects.filter(program__slug__in=DEMO_SLUGS).delete()
    Program.objects.filter(slug__in=DEMO_SLUGS).delete()
    demo_people = User.objects.filter(email__endswith="@" + org.EMAIL_DOMAIN)
    # Skills the demo's people proposed go with them (offers protect skills, and went first).
    Skill.objects.filter(status=SkillStatus.PROPOSED, proposed_by__in=demo_people).delete()
    demo_people.delete()


def _create_users(persons: list[org.Person]) -> dict[int, User]:
    # One Argon2 hash for everyone: hashing 240 passwords one by one would take
    # most of a minute, and every demo account shares the printed password.
    password = make_password(org.PASSWORD)
    created = User.objects.bulk_create(
        User(email=p.email, full_name=p.full_name, timezone=p.office.timezone, password=password)
        for p in persons
    )
    admin_name, admin_email = STAFF_ADMIN
    User.objects.create(
        email=admin_email,
        full_name=admin_name,
        timezone="Europe/London",
        password=password,
        is_staff=True,
        is_superuser=True,
    )
    return {person.key: user for person, user in zip(persons, created, strict=True)}


def _create_profiles(persons: list[org.Person], users: dict[int, User]) -> None:
    Profile.objects.bulk_create(
        Profile(
            user=users[p.key],
            job_title=p.job_title,
            department=p.department,
            level=p.level,
            hired_on=p.hired_on,
            birth_year=p.birth_year,
            location=p.office.name,
            timezone=p.office.timezone,
            languages=p.languages,
            manager=users[p.manager_key] if p.manager_key is not None else None,
            interests=p.interests,
            resource_groups=p.resource_groups,
        )
        for p in persons
    )


def _skills_by_giver() -> dict[str, list[Skill]]:
    by_giver: dict[str, list[Skill]] = {giver: [] for giver in TypicalGiver.values}
    for skill in Skill.objects.order_by("name"):
        by_giver[skill.typical_giver].append(skill)
    return by_giver


PILOT = dict(
    name="Two-Way Mentoring Pilot",
    slug=PILOT_SLUG,
    purpose=(
        "Pair senior leaders with early-career colleagues from other departments so "
        "that know-how flows down and new technology and fresh perspectives flow up. "
        "A six-month pilot before we open the program to everyone."
    ),
    is_pilot=True,
    status=ProgramStatus.RUNNING,
    cadence_days=Cadence.FORTNIGHTLY,
    pulse_interval_days=28,
    capacity=1,
    pilot_size=60,
    rules={**default_rules_mapping(), "cross_department": "required", "min_level_gap": 2},
)
DRAFT = dict(
    name="Reciprocal Mentoring 2027",
    slug=DRAFT_SLUG,
    purpose=(
        "Open to everyone at Harbourline: each person teaches what they know best and "
        "learns what they need next, across departments, levels and offices."
    ),
    is_pilot=False,
    status=ProgramStatus.ENROLLING,
    cadence_days=Cadence.MONTHLY,
    pulse_interval_days=42,
    capacity=2,
    open_enrolment=True,
    rules={**default_rules_mapping(), "reciprocity": "preferred"},
)


def _create_program(
    fields: dict, *, starts_on: date, weeks: int, coordinator: User, sponsor: User
) -> Program:
    program = Program.objects.create(
        **fields, starts_on=starts_on, ends_on=starts_on + timedelta(weeks=weeks)
    )
    program.coordinators.add(coordinator)
    program.sponsors.add(sponsor)
    return program


def _first_of_the_month_after_next(today: date) -> date:
    return (today.replace(day=1) + timedelta(days=62)).replace(day=1)


def _in_reporting_line(a: org.Person, b: org.Person, by_key: dict[int, org.Person]) -> bool:
    def chain(person: org.Person) -> set[int]:
        keys, current = set(), person
        while current.manager_key is not None:
            keys.add(current.manager_key)
            current = by_key[current.manager_key]
        return keys

    return a.key in chain(b) or b.key in chain(a)


def _plan_pilot_pairs(
    rng: random.Random,
    persons: list[org.Person],
    named: dict[str, org.Person],
    skills: dict[str, list[Skill]],
) -> list[PairPlan]:
    """Senior–junior pairs across departments, outside each other's reporting line."""
    by_key = {p.key: p for p in persons}
    staff = {named["coordinator"].key, named["ceo"].key}
    seniors = [p for p in persons if p.level >= 5 and p.key not in staff]
    juniors = [p for p in persons if p.level <= 3 and p.key not in staff]
    rng.shuffle(seniors)
    rng.shuffle(juniors)
    # The printed demo accounts are a pair, so signing in as either shows a live pairing.
    seniors.remove(named["senior"])
    juniors.remove(named["junior"])
    seniors.insert(0, named["senior"])
    juniors.insert(0, named["junior"])

    pairs: list[tuple[org.Person, org.Person]] = []
    for senior in seniors[: min(PILOT_PAIRS, len(seniors))]:
        junior = next(
            (
                j
                for j in juniors
                if j.department != senior.department and not _in_reporting_line(senior, j, by_key)
            ),
            None,
        )
        if junior is not None:
            juniors.remove(junior)
            pairs.append((senior, junior))
    return [
        PairPlan.draw(rng, senior=s, junior=j, kind=kind, skills=skills)
        for (s, j), kind in zip(pairs, _pair_kinds(len(pairs)), strict=True)
    ]


def _spotlight_first(pairings: list[Pairing], senior: Participant) -> list[Pairing]:
    """The printed accounts' pairing leads: the story gives it the first kind."""
    theirs = [p for p in pairings if senior.pk in (p.participant_a_id, p.participant_b_id)]
    return theirs + [p for p in pairings if p not in theirs]


def _pair_kinds(count: int) -> list[str]:
    """Mostly balanced pairs, plus the situations a coordinator must notice.

    The first pair is the printed demo accounts (Margaret and Jamie): lopsided, so
    that signing in as either shows the nudge to rebalance.
    """
    special = ["one_way", "one_way", "one_way", "stalled", "exited", "completed", "completed"]
    kinds = ["lopsided", *special[: max(0, count - 1)]]
    return (kinds + ["balanced"] * count)[:count]


def _enrol_draft(
    rng: random.Random,
    program: Program,
    persons: list[org.Person],
    named: dict[str, org.Person],
    users: dict[int, User],
    skills: dict[str, list[Skill]],
    now: datetime,
) -> int:
    staff = {named["coordinator"].key, named["ceo"].key}
    pool = [p for p in persons if p.key not in staff and p is not named["junior"]]
    chosen = [named["junior"], *rng.sample(pool, min(DRAFT_PARTICIPANTS - 1, len(pool)))]
    participants = Participant.objects.bulk_create(
        Participant(
            program=program,
            user=users[p.key],
            motivation=rng.choice(MOTIVATIONS),
            enrolled_at=now - timedelta(days=rng.randint(1, 20)),
            **practicalities(rng),
            profile_completed_at=now - timedelta(days=1),
        )
        for p in chosen
    )
    offers, gaps = [], []
    for person, participant in zip(chosen, participants, strict=True):
        teaches, learns = ("senior", "junior") if person.level >= 4 else ("junior", "senior")
        for skill in rng.sample(skills[teaches] + skills["any"][:20], 3):
            offers.append(
                Offer(participant=participant, skill=skill, proficiency=rng.randint(3, 5))
            )
        taken = {o.skill_id for o in offers if o.participant is participant}
        for skill in rng.sample([s for s in skills[learns] if s.pk not in taken], 3):
            gaps.append(Gap(participant=participant, skill=skill, priority=rng.randint(2, 5)))
    Offer.objects.bulk_create(offers)
    Gap.objects.bulk_create(gaps)
    _propose_new_skills(participants[1:3])
    return len(participants)


# Skills people named that the shipped vocabulary lacks; coordinators curate them.
PROPOSED_SKILLS = (("British Sign Language", 4), ("Grant writing", 5))


def _propose_new_skills(participants: list[Participant]) -> None:
    for participant, (name, proficiency) in zip(participants, PROPOSED_SKILLS, strict=False):
        skill = skill_propose(name=name, user=participant.user)
        Offer.objects.create(participant=participant, skill=skill, proficiency=proficiency)


MOTIVATIONS = (
    "I want to understand how decisions really get made here, and I can share how my "
    "generation uses new tools.",
    "I'd like a fresh perspective on my team's blind spots, and I can help someone navigate "
    "their next career step.",
    "Learning from someone outside my department is the fastest way to see the whole business.",
    "I have picked up a lot about AI tools and would love to swap that for advice on "
    "stakeholder management.",
    "I want to stay close to what early-career colleagues experience every day.",
)

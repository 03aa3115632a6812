"""The life of the demo pilot: pairings, agreements, conversations and the
two-way ledger, with the situations a coordinator has to notice."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from twoway.accounts.models import User
from twoway.demo.matching import ACCEPTANCE_FIELDS, accept_both
from twoway.demo.org import Person
from twoway.pairing.models import Exit, ExitReason, Pairing, PairingStatus
from twoway.profiles.models import Gap, Offer, Skill
from twoway.programs.models import Cadence, MeetingMode, Participant, Program
from twoway.relationships.models import (
    Agreement,
    AgreementFormat,
    Conversation,
    ConversationStatus,
    Endorsement,
    EndorsementKind,
    Exchange,
    Goal,
    GoalCheckIn,
    GoalStatus,
    JournalEntry,
    Pulse,
)

STATUS_BY_KIND = {
    "balanced": PairingStatus.ACTIVE,
    "lopsided": PairingStatus.ACTIVE,  # the senior has taught once; the junior every time
    "one_way": PairingStatus.ACTIVE,  # only the junior ever teaches
    "stalled": PairingStatus.ACTIVE,  # stopped meeting weeks ago
    "exited": PairingStatus.EXITED,
    "completed": PairingStatus.COMPLETED,
}
CONVERSATIONS_BY_KIND = {"stalled": 2, "exited": 1, "completed": 3}


@dataclass
class PairPlan:
    senior: Person
    junior: Person
    kind: str
    senior_offers: list[Skill]
    junior_offers: list[Skill]
    senior_gaps: list[Skill]
    junior_gaps: list[Skill]

    @classmethod
    def draw(
        cls, rng: random.Random, *, senior: Person, junior: Person, kind: str, skills
    ) -> PairPlan:
        # Each side wants two of the three things the other offers: a reciprocal match.
        senior_offers = rng.sample(skills["senior"], 3)
        junior_offers = rng.sample(skills["junior"], 3)
        senior_extra = rng.choice([s for s in skills["junior"] if s not in junior_offers])
        junior_extra = rng.choice([s for s in skills["senior"] if s not in senior_offers])
        return cls(
            senior=senior,
            junior=junior,
            kind=kind,
            senior_offers=senior_offers,
            junior_offers=junior_offers,
            senior_gaps=[*junior_offers[:2], senior_extra],
            junior_gaps=[*senior_offers[:2], junior_extra],
        )


class PilotWriter:
    def __init__(self, *, rng: random.Random, program: Program, now: datetime, users):
        self.rng = rng
        self.program = program
        self.now = now
        self.users: dict[int, User] = users
        self.participants: dict[int, Participant] = {}
        self._person: dict[int, Person] = {}
        self._offers: dict[int, list[Skill]] = {}

    def enrol(self, plans: list[PairPlan]) -> None:
        """Everyone in the plans joins the pilot with a completed profile."""
        self._enrol(plans)
        self._offers_and_gaps(plans)

    def live(self, plans: list[PairPlan], pairings: list[Pairing]) -> None:
        """The weeks since the pilot began, for the pairings the matching run made."""
        pairings = self._accepted(plans, pairings)
        conversations = self._conversations(plans, pairings)
        self._exchanges(plans, pairings, conversations)
        self._agreements(plans, pairings)
        self._pulses(plans, pairings)
        self._goals(plans, pairings)
        self._exits(plans, pairings)
        self._endorsements(plans, pairings)
        self._journals(plans, pairings)

    # --- people -------------------------------------------------------------

    def _enrol(self, plans: list[PairPlan]) -> None:
        people = [p for plan in plans for p in (plan.senior, plan.junior)]
        created = Participant.objects.bulk_create(
            Participant(
                program=self.program,
                user=self.users[p.key],
                **practicalities(self.rng),
                enrolled_at=(enrolled := self.start() - timedelta(days=self.rng.randint(7, 21))),
                profile_completed_at=enrolled + timedelta(days=2),
            )
            for p in people
        )
        self.participants = {p.key: part for p, part in zip(people, created, strict=True)}
        self._person = {p.key: p for p in people}

    def _offers_and_gaps(self, plans: list[PairPlan]) -> None:
        offers, gaps = [], []
        for plan in plans:
            for person, teaches, learns in (
                (plan.senior, plan.senior_offers, plan.senior_gaps),
                (plan.junior, plan.junior_offers, plan.junior_gaps),
            ):
                part = self.participants[person.key]
                self._offers[person.key] = teaches
                offers += [
                    Offer(participant=part, skill=s, proficiency=self.rng.randint(3, 5))
                    for s in teaches
                ]
                gaps += [
                    Gap(participant=part, skill=s, priority=5 - i) for i, s in enumerate(learns)
                ]
        Offer.objects.bulk_create(offers)
        Gap.objects.bulk_create(gaps)

    # --- pairings -----------------------------------------------------------

    def plans_for(self, pairings: list[Pairing], *, kinds: list[str]) -> list[PairPlan]:
        """One plan per pairing the engine made: who is the senior, which story the
        pairing tells, and the skills that flow each way as the engine explained them."""
        person_of = {part.pk: self._person[key] for key, part in self.participants.items()}
        names = {
            item["skill"]
            for pairing in pairings
            for side in ("a_teaches_b", "b_teaches_a")
            for item in pairing.explanation.get(side, [])
        }
        skills = {skill.name: skill for skill in Skill.objects.filter(name__in=names)}
        plans = []
        for pairing, kind in zip(pairings, kinds, strict=True):
            a, b = person_of[pairing.participant_a_id], person_of[pairing.participant_b_id]
            teaches = {
                a.key: [skills[t["skill"]] for t in pairing.explanation.get("a_teaches_b", [])],
                b.key: [skills[t["skill"]] for t in pairing.explanation.get("b_teaches_a", [])],
            }
            senior, junior = (a, b) if a.level >= b.level else (b, a)
            plans.append(
                PairPlan(
                    senior=senior,
                    junior=junior,
                    kind=kind,
                    senior_offers=self._offers[senior.key],
                    junior_offers=self._offers[junior.key],
                    senior_gaps=teaches[junior.key],
                    junior_gaps=teaches[senior.key],
                )
            )
        return plans

    def start(self) -> datetime:
        start = self.program.starts_on
        return self.now.replace(year=start.year, month=start.month, day=start.day, hour=9, minute=0)

    def _accepted(self, plans: list[PairPlan], pairings: list[Pairing]) -> list[Pairing]:
        for plan, pairing in zip(plans, pairings, strict=True):
            started = self.start() + timedelta(days=self.rng.randint(3, 10))
            accept_both(pairing, started=started, status=STATUS_BY_KIND[plan.kind])
        Pairing.objects.bulk_update(pairings, ACCEPTANCE_FIELDS)
        return pairings

    def _parts(self, plan: PairPlan) -> tuple[Participant, Participant]:
        return self.participants[plan.senior.key], self.participants[plan.junior.key]

    # --- meetings and the ledger -----------------------------------------------

    def _conversation_times(self, plan: PairPlan, pairing: Pairing) -> list[datetime]:
        limit = CONVERSATIONS_BY_KIND.get(plan.kind, 99)
        times, when = [], pairing.started_at + timedelta(days=1, hours=self.rng.randint(0, 6))
        while when < self.now - timedelta(days=1) and len(times) < limit:
            times.append(when)
            when += timedelta(days=14 + self.rng.randint(-3, 3), hours=self.rng.randint(-2, 2))
        return times

    def _conversations(self, plans, pairings) -> dict[int, list[Conversation]]:
        rows = []
        for plan, pairing in zip(plans, pairings, strict=True):
            for when in self._conversation_times(plan, pairing):
                rows.append(
                    Conversation(
                        pairing=pairing,
                        starts_at=when,
                        status=ConversationStatus.HELD,
                        duration_minutes=self.rng.choice((30, 45, 45, 60)),
                        shared_notes=self.rng.choice(SHARED_NOTES),
                        logged_by=self.rng.choice((pairing.participant_a, pairing.participant_b)),
                    )
                )
        by_pairing: dict[int, list[Conversation]] = {}
        for conversation in Conversation.objects.bulk_create(rows):
            by_pairing.setdefault(conversation.pairing_id, []).append(conversation)
        return by_pairing

    def _exchanges(self, plans, pairings, conversations) -> None:
        exchanges = []
        for plan, pairing in zip(plans, pairings, strict=True):
            senior, junior = self._parts(plan)
            for index, conversation in enumerate(conversations.get(pairing.pk, [])):
                lessons = [(junior, senior, self.rng.choice(plan.senior_gaps[:2]))]
                if plan.kind != "one_way" and (plan.kind != "lopsided" or index == 1):
                    lessons.append((senior, junior, self.rng.choice(plan.junior_gaps[:2])))
                topics = []
                for teacher, learner, skill in lessons:
                    exchanges.append(
                        Exchange(
                            conversation=conversation,
                            teacher=teacher,
                            learner=learner,
                            logged_by=learner,
                            skill=skill,
                            value_rating=self.rng.choice((3, 4, 4, 5, 5)),
                        )
                    )
                    topics.append(skill.name)
                conversation.topics = topics
        Exchange.objects.bulk_create(exchanges)
        Conversation.objects.bulk_update(
            [c for group in conversations.values() for c in group], ["topics"]
        )

    def _agreements(self, plans, pairings) -> None:
        rows = []
        for plan, pairing in zip(plans, pairings, strict=True):
            a_is_senior = pairing.participant_a_id == self.participants[plan.senior.key].pk
            senior_goal = ", ".join(s.name for s in plan.junior_gaps[:2])
            junior_goal = ", ".join(s.name for s in plan.senior_gaps[:2])
            confirmed = pairing.started_at - timedelta(days=1)
            rows.append(
                Agreement(
                    pairing=pairing,
                    objective_a_to_b=senior_goal if a_is_senior else junior_goal,
                    objective_b_to_a=junior_goal if a_is_senior else senior_goal,
                    format=(
                        AgreementFormat.FEW_WEEKS
                        if plan.kind == "completed"
                        else AgreementFormat.LONG_TERM
                    ),
                    ends_on=(
                        pairing.started_at + timedelta(weeks=6 if plan.kind == "completed" else 24)
                    ).date(),
                    written_by=pairing.participant_a,
                    checkin_every_days=14,
                    success_measures=self.rng.choice(SUCCESS_MEASURES),
                    confirmed_by_a_at=confirmed,
                    # The stalled pair never finished setting expectations.
                    confirmed_by_b_at=None if plan.kind == "stalled" else confirmed,
                    created_at=confirmed - timedelta(days=1),
                    updated_at=confirmed,
                )
            )
        Agreement.objects.bulk_create(rows)

    # --- confidential signals ------------------------------------------------

    def _pulses(self, plans, pairings) -> None:
        rows = []
        interval = timedelta(days=self.program.pulse_interval_days)
        for plan, pairing in zip(plans, pairings, strict=True):
            senior, junior = self._parts(plan)
            when = self.start() + interval
            while when < self.now and (
                pairing.status != PairingStatus.EXITED or when < self._exit_time(pairing)
            ):
                for author in (senior, junior):
                    if plan.kind in {"one_way", "stalled"} or self.rng.random() < 0.7:
                        rows.append(self._pulse(plan.kind, pairing, author, author is senior, when))
                when += interval
        Pulse.objects.bulk_create(rows)

    def _pulse(self, kind: str, pairing, author, is_senior: bool, when: datetime) -> Pulse:
        r = self.rng.randint
        if kind in ("one_way", "lopsided"):
            # The junior gives and gets little back; the senior is happy.
            fit, trust, given, received = (
                (4, 4, r(2, 3), r(4, 5)) if is_senior else (r(2, 3), 3, r(4, 5), r(1, 2))
            )
        elif kind == "stalled":
            fit, trust, given, received = r(2, 3), 3, 2, 2
        else:
            fit, trust, given, received = r(4, 5), r(4, 5), r(3, 5), r(3, 5)
        return Pulse(
            pairing=pairing,
            author=author,
            fit=fit,
            trust=trust,
            value_given=given,
            value_received=received,
            comment=self.rng.choice(PULSE_COMMENTS[kind]),
            submitted_at=when + timedelta(hours=r(1, 72)),
        )

    def _exit_time(self, pairing: Pairing) -> datetime:
        return pairing.started_at + timedelta(days=20)

    def _exits(self, plans, pairings) -> None:
        for plan, pairing in zip(plans, pairings, strict=True):
            if plan.kind == "exited":
                Exit.objects.create(
                    pairing=pairing,
                    requested_by=self.participants[plan.junior.key],
                    reason=ExitReason.SCHEDULE,
                    detail=(
                        "Our calendars never lined up after my team's reorganisation. "
                        "I'd like to try again with someone in my timezone."
                    ),
                    wants_rematch=True,
                    created_at=self._exit_time(pairing),
                )
                Pairing.objects.filter(pk=pairing.pk).update(ended_at=self._exit_time(pairing))
            elif plan.kind == "completed":
                last = Conversation.objects.filter(pairing=pairing).order_by("-starts_at").first()
                Pairing.objects.filter(pk=pairing.pk).update(
                    ended_at=last.starts_at + timedelta(days=1)
                )

    # --- growth ----------------------------------------------------------------

    def _goals(self, plans, pairings) -> None:
        goals, check_ins = [], []
        for plan, pairing in zip(plans, pairings, strict=True):
            if plan.kind == "exited":
                continue
            senior, junior = self._parts(plan)
            for owner, skill in ((senior, plan.senior_gaps[0]), (junior, plan.junior_gaps[0])):
                done = plan.kind == "completed"
                goal = Goal(
                    pairing=pairing,
                    owner=owner,
                    skill=skill,
                    title=f"Get confident with {skill.name.lower()}",
                    status=GoalStatus.ACHIEVED if done else GoalStatus.OPEN,
                    created_at=pairing.started_at + timedelta(days=2),
                )
                goals.append(goal)
        Goal.objects.bulk_create(goals)
        for goal in goals:
            progress = 100 if goal.status == GoalStatus.ACHIEVED else self.rng.randint(20, 70)
            for step, share in enumerate((0.5, 1.0), start=1):
                check_ins.append(
                    GoalCheckIn(
                        goal=goal,
                        progress_percent=round(progress * share),
                        note=self.rng.choice(CHECK_IN_NOTES),
                        created_at=goal.created_at + timedelta(days=18 * step),
                    )
                )
        GoalCheckIn.objects.bulk_create(c for c in check_ins if c.created_at < self.now)

    def _endorsements(self, plans, pairings) -> None:
        rows = []
        for plan, pairing in zip(plans, pairings, strict=True):
            senior, junior = self._parts(plan)
            if plan.kind == "completed" or plan is plans[0]:
                rows += [
                    Endorsement(
                        pairing=pairing,
                        author=junior,
                        recipient=senior,
                        kind=EndorsementKind.SKILL,
                        skill=plan.senior_offers[0],
                        text=f"Explained {plan.senior_offers[0].name.lower()} better than a book.",
                    ),
                    Endorsement(
                        pairing=pairing,
                        author=senior,
                        recipient=junior,
                        kind=EndorsementKind.RECOMMENDATION,
                        text="Ready for a stretch role: sharp, curious, and changed how we work.",
                    ),
                ]
        Endorsement.objects.bulk_create(rows)

    def _journals(self, plans, pairings) -> None:
        rows = []
        for index, (plan, pairing) in enumerate(zip(plans, pairings, strict=True)):
            for author in self._parts(plan):
                entries = 2 if index == 0 else int(self.rng.random() < 0.3)
                for n in range(entries):
                    rows.append(
                        JournalEntry(
                            author=author,
                            pairing=pairing,
                            title=self.rng.choice(JOURNAL_TITLES),
                            body=self.rng.choice(JOURNAL_BODIES),
                            created_at=pairing.started_at + timedelta(days=10 + 15 * n),
                        )
                    )
        JournalEntry.objects.bulk_create(r for r in rows if r.created_at < self.now)


AVAILABILITY = (
    "Tuesday or Thursday afternoons",
    "Mornings before ten, any weekday",
    "Wednesdays over lunch",
    "Late afternoons, Monday to Thursday",
    "Fridays are best; otherwise early mornings",
)


CADENCES = (Cadence.FORTNIGHTLY, Cadence.FORTNIGHTLY, Cadence.MONTHLY)


def practicalities(rng: random.Random) -> dict:
    """How a demo person likes to meet: the last step of their profile."""
    return {
        "preferred_meeting_mode": rng.choice(MeetingMode.values),
        "preferred_cadence_days": rng.choice(
            (Cadence.FORTNIGHTLY, Cadence.FORTNIGHTLY, Cadence.MONTHLY)
        ),
        "availability": rng.choice(AVAILABILITY),
    }


SHARED_NOTES = (
    "Walked through a real example from this week; agreed to try it before next time.",
    "Swapped stories of mistakes we learned from. Next: one small experiment each.",
    "Challenged each other's assumptions about how the other's team works.",
    "Short session, but we fixed the date for a deeper dive.",
    "Shadowed a meeting together and debriefed afterwards.",
)
SUCCESS_MEASURES = (
    "Each of us can point to one thing we now do differently at work.",
    "By the end, both of us have run one small experiment using what we learned.",
    "We rate the value of each session and expect both directions to average 4 or more.",
)
PULSE_COMMENTS = {
    "balanced": ("", "Good momentum.", "Learning a lot both ways.", ""),
    "lopsided": (
        "I enjoy our sessions, though I mostly end up explaining the tools.",
        "I am learning a great deal; I need to bring more to the table.",
        "",
    ),
    "one_way": (
        "I mostly explain tools; I'm not sure what I'm getting back yet.",
        "Sessions feel like tech support.",
        "Very useful for me.",
    ),
    "stalled": ("We keep rescheduling.", "Hard to find time this quarter.", ""),
    "exited": ("", "Scheduling is hard across our teams."),
    "completed": ("Great pairing; we achieved what we set out to.", ""),
}
CHECK_IN_NOTES = (
    "Tried it in a real meeting; went better than expected.",
    "Still early, but I know what to practise next.",
    "Made progress; need one more session on the details.",
)
JOURNAL_TITLES = (
    "What surprised me",
    "Before the budget review",
    "A mistake worth remembering",
    "Questions for next time",
)
JOURNAL_BODIES = (
    "I assumed the other side of the business worked like mine. It doesn't, and that explains "
    "a lot.",
    "Note to self: ask open questions first, advice second.",
    "Revisit this before my next big decision: who else should be in the room?",
    "I was nervous about sharing this, but it helped to say it out loud.",
)

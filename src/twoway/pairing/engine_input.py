"""What the matching engine is given for a program, read from the database.

Everything is read in a fixed number of queries, whatever the program's size: the
participants with their profiles, their offers, their gaps, the program's earlier
pairings (and those of the pilot it rolls out), the coordinators' pair rules and
the skill vocabulary.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from twoway.matching import Gap, MatchInput, Offer, Participant, Rules
from twoway.matching.vocabulary import Skill as EngineSkill
from twoway.matching.vocabulary import Vocabulary
from twoway.pairing.models import (
    OPEN_STATUSES,
    Pairing,
    PairRule,
    PairRuleKind,
    Suggestion,
)
from twoway.profiles.models import Gap as GapRow
from twoway.profiles.models import Offer as OfferRow
from twoway.profiles.models import Profile, Skill, SkillAlias, SkillStatus
from twoway.programs.models import Participant as ParticipantRow
from twoway.programs.models import ParticipantStatus, Program

DAYS_PER_YEAR = 365.25


@dataclass
class EngineInput:
    """The engine's input for one run, and what the app must know around it.

    `match_input` holds the people the solver may pair (those with a place left);
    `everyone` also holds people whose places are all taken, so that a locked pair
    or a swap can be scored for them too. `locked` are the coordinators' locked
    pairs that this run keeps as they are (engine ids, in canonical order).
    """

    match_input: MatchInput
    everyone: MatchInput
    vocabulary: Vocabulary
    left_out: list[dict] = field(default_factory=list)
    locked: list[tuple[str, str]] = field(default_factory=list)


def engine_id(participant_id: int) -> str:
    return str(participant_id)


def engine_vocabulary() -> Vocabulary:
    """The organisation's curated skills with their aliases and clusters (two queries).

    Skills a participant proposed and nobody curated yet are left to the engine, which
    matches an unknown name with itself only.
    """
    aliases: dict[int, list[str]] = {}
    for skill_id, name in SkillAlias.objects.values_list("skill_id", "name"):
        aliases.setdefault(skill_id, []).append(name)
    skills = Skill.objects.filter(status=SkillStatus.CURATED).order_by("id")
    return Vocabulary.from_skills(
        EngineSkill(
            name=skill.name,
            cluster=skill.cluster or None,
            category=skill.category or None,
            aliases=tuple(aliases.get(skill.pk, ())),
            typical_giver=skill.typical_giver,
        )
        for skill in skills.only("id", "name", "cluster", "category", "typical_giver")
    )


def engine_input_for(
    program: Program, *, only: Iterable[int] | None = None, rules: Rules | None = None
) -> EngineInput:
    """The engine input for a run on `program` (or a rematch of the participants `only`).

    - People who have not completed their profile, or have withdrawn, are not read.
    - Capacity is the program's minus each person's open pairings (proposed, accepted,
      active); people with no place left go into `left_out` with the reason, unless a
      locked pair this run keeps took their last place.
    - Pairs never repeated: every earlier pairing of this program and of the pilot it
      rolls out from (whatever its status), and the pairs coordinators forbade.
    """
    rules = rules if rules is not None else program.matching_rules()
    people = _participants(program, only)
    by_user = {person.user_id: person for person in people}
    history = _pairing_history(program)
    open_count = Counter()
    for row in history:
        if row["program_id"] == program.pk and row["status"] in OPEN_STATUSES:
            open_count[row["participant_a_id"]] += 1
            open_count[row["participant_b_id"]] += 1
    rule_rows = list(
        PairRule.objects.filter(program=program).values_list(
            "participant_a_id", "participant_b_id", "kind"
        )
    )
    ids = {person.pk for person in people}
    paired_here = {
        (row["participant_a_id"], row["participant_b_id"])
        for row in history
        if row["program_id"] == program.pk
    }
    # A lock is done with once its pair has been published.
    locked = [
        (a, b)
        for a, b, kind in rule_rows
        if kind == PairRuleKind.LOCK and a in ids and b in ids and (a, b) not in paired_here
    ]
    places = {person.pk: program.capacity - open_count[person.pk] for person in people}
    locked = _locks_with_places(locked, places)
    for a, b in locked:
        places[a] -= 1
        places[b] -= 1
    # A locked pair is kept as it is, so the solver must not propose it a second time;
    # `everyone` (used to score the locked pairs themselves) does not exclude it.
    excluded = _earlier_pairs(history, by_user) | {
        (engine_id(a), engine_id(b)) for a, b, kind in rule_rows if kind == PairRuleKind.FORBID
    }
    locked_ids = {(engine_id(a), engine_id(b)) for a, b in locked}
    skills = _skills_of(ids)
    managers = _managers()
    depth = rules.exclude_reporting_line

    def engine_people(present: list[ParticipantRow]) -> tuple[Participant, ...]:
        users = {person.user_id: person for person in present}
        return tuple(
            _engine_participant(
                person,
                skills,
                max(places[person.pk], 0),
                reporting_line=_reporting_line(person.user_id, managers, users, depth),
            )
            for person in present
        )

    everyone = engine_people(people)
    with_places = engine_people([person for person in people if places[person.pk] > 0])
    # People in a locked pair are paired by this run, even when the lock took their
    # last place; only those whose places were all taken before it are left out.
    in_locks = {person for pair in locked for person in pair}
    left_out = [
        {
            "participant": person.pk,
            "reason": _no_place_reason(open_count[person.pk], program.capacity),
            "no_place": True,  # not considered by the run, unlike people it left unpaired
        }
        for person in people
        if places[person.pk] <= 0 and person.pk not in in_locks
    ]
    solver_rules = dataclasses.replace(rules, exclude_pairs=tuple(sorted(excluded | locked_ids)))
    return EngineInput(
        match_input=MatchInput(participants=with_places, rules=solver_rules),
        everyone=MatchInput(
            participants=everyone,
            rules=dataclasses.replace(rules, exclude_pairs=tuple(sorted(excluded))),
        ),
        vocabulary=engine_vocabulary(),
        left_out=left_out,
        locked=sorted(locked_ids),
    )


def _participants(program: Program, only: Iterable[int] | None) -> list[ParticipantRow]:
    people = ParticipantRow.objects.filter(
        program=program,
        status=ParticipantStatus.ENROLLED,
        profile_completed_at__isnull=False,
        user__profile__isnull=False,
    ).select_related("user__profile")
    if only is not None:
        people = people.filter(pk__in=list(only))
    return list(people.order_by("pk"))


def _pairing_history(program: Program) -> list[dict]:
    """Every pairing of the program and of its pilot, with both partners' user ids."""
    programs = Q(program=program)
    if program.rolled_out_from_id:
        programs |= Q(program_id=program.rolled_out_from_id)
    return list(
        Pairing.objects.filter(programs).values(
            "program_id",
            "status",
            "participant_a_id",
            "participant_b_id",
            "participant_a__user_id",
            "participant_b__user_id",
        )
    )


def _earlier_pairs(history: list[dict], by_user: dict) -> set[tuple[str, str]]:
    """Earlier pairings as pairs of this run's engine ids, matched by person (user).

    A pilot's participants are other rows than the rollout's, so the same two people
    are recognised by their users.
    """
    pairs = set()
    for row in history:
        first = by_user.get(row["participant_a__user_id"])
        second = by_user.get(row["participant_b__user_id"])
        if first is not None and second is not None:
            low, high = sorted((first.pk, second.pk))
            pairs.add((engine_id(low), engine_id(high)))
    return pairs


def _locks_with_places(locked: list[tuple[int, int]], places: dict[int, int]):
    """The locked pairs that fit: each takes a place of both people, first come first."""
    kept, left = [], dict(places)
    for a, b in sorted(locked):
        if left[a] > 0 and left[b] > 0:
            kept.append((a, b))
            left[a] -= 1
            left[b] -= 1
    return kept


def _no_place_reason(open_pairings: int, capacity: int) -> str:
    return (
        f"already has {open_pairings} open pairing{'s' if open_pairings != 1 else ''} "
        f"(proposed, accepted or active); the program allows {capacity}"
    )


def _skills_of(participant_ids: set[int]) -> dict[int, tuple[list[Offer], list[Gap]]]:
    """Offers and gaps of every participant, in two queries."""
    skills: dict[int, tuple[list[Offer], list[Gap]]] = {pk: ([], []) for pk in participant_ids}
    offers = OfferRow.objects.filter(participant_id__in=participant_ids).values_list(
        "participant_id", "skill__name", "proficiency"
    )
    for participant_id, name, proficiency in offers.order_by("participant_id", "id"):
        skills[participant_id][0].append(Offer(skill=name, proficiency=proficiency))
    gaps = GapRow.objects.filter(participant_id__in=participant_ids).values_list(
        "participant_id", "skill__name", "priority"
    )
    for participant_id, name, priority in gaps.order_by("participant_id", "id"):
        skills[participant_id][1].append(Gap(skill=name, priority=priority))
    return skills


def _tenure_years(hired_on: date | None, today: date) -> float:
    return 0.0 if hired_on is None else max(0.0, (today - hired_on).days / DAYS_PER_YEAR)


def _managers() -> dict[int, int]:
    """Everyone's manager (user id -> user id), across the organisation (one query):
    a reporting line may pass through people who are not in the program."""
    return dict(Profile.objects.filter(manager__isnull=False).values_list("user_id", "manager_id"))


@dataclass(frozen=True)
class ReportingLine:
    manager_id: str | None  # the direct manager, when they are in the input
    avoid: tuple[str, ...]  # people further up, reached through someone who is not


def _reporting_line(user_id: int, managers: dict[int, int], present: dict, depth: int):
    """The engine follows the manager chain only among the people it is given. Where the
    chain passes through someone absent (not enrolled, no place left, not in a rematch),
    the people above them (up to `depth` levels) are passed as people to avoid instead,
    so that nobody is paired within their reporting line either way."""
    direct = present.get(managers.get(user_id))
    avoid, intact, current = [], True, user_id
    for _ in range(depth):
        current = managers.get(current)
        if current is None:
            break
        if current not in present:
            intact = False
        elif not intact:
            avoid.append(engine_id(present[current].pk))
    return ReportingLine(
        manager_id=engine_id(direct.pk) if direct is not None else None, avoid=tuple(avoid)
    )


def _engine_participant(
    person: ParticipantRow, skills, places: int, *, reporting_line: ReportingLine
) -> Participant:
    profile = person.user.profile
    offers, gaps = skills[person.pk]
    return Participant(
        id=engine_id(person.pk),
        department=profile.department,
        level=profile.level,
        tenure_years=_tenure_years(profile.hired_on, timezone.localdate()),
        birth_year=profile.birth_year,
        location=profile.location,
        timezone=profile.timezone or "UTC",
        languages=tuple(profile.languages or ()),
        manager_id=reporting_line.manager_id,
        interests=tuple(profile.interests or ()),
        offers=tuple(offers),
        gaps=tuple(gaps),
        avoid=reporting_line.avoid,
        capacity=places,
    )


def round_preferences(round_id: int) -> dict[int, tuple[int, ...]]:
    """Participant id -> the people they chose, first choice first, for everyone who ranked.

    Someone who ranked nobody has an empty tuple: the stable mode then leaves them out
    rather than pair them with someone they did not choose.
    """
    preferences: dict[int, list[tuple[int, int]]] = {}
    rows = Suggestion.objects.filter(round_id=round_id, ranked_at__isnull=False).values_list(
        "participant_id", "suggested_id", "preference"
    )
    for participant_id, suggested_id, preference in rows:
        chosen = preferences.setdefault(participant_id, [])
        if preference is not None:
            chosen.append((preference, suggested_id))
    return {
        participant_id: tuple(suggested for _, suggested in sorted(chosen))
        for participant_id, chosen in preferences.items()
    }


def with_preferences(match_input: MatchInput, preferences: dict[int, tuple[int, ...]]):
    """The input with each ranker's stated preferences (people still in the input only);
    people who did not rank keep None, and the stable mode ranks their candidates by score."""
    present = {participant.id for participant in match_input.participants}
    people = tuple(
        dataclasses.replace(
            participant,
            preferences=tuple(
                engine_id(other)
                for other in preferences[int(participant.id)]
                if engine_id(other) in present
            ),
        )
        if int(participant.id) in preferences
        else participant
        for participant in match_input.participants
    )
    return dataclasses.replace(match_input, participants=people)

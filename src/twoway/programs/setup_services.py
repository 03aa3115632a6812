"""Writes that set a program up: create it, edit it, staff its team, roll a pilot out.

Every check lives in `program_problems`, which the setup form also calls, so the page
shows every problem at once and a caller that skips the form is refused the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from twoway.core.errors import ActionError, NotFound
from twoway.matching.errors import InputError
from twoway.matching.formats import parse_rules
from twoway.matching.rules import RULES_BY_NAME, rules_to_mapping
from twoway.notifications.models import NotificationKind
from twoway.notifications.services import Note, notify
from twoway.pairing.models import LIVE_STATUSES, Pairing
from twoway.profiles.models import Gap, Offer
from twoway.programs.models import (
    AT_RISK_RATING_RANGE,
    CAPACITY_RANGE,
    ONE_WAY_BALANCE_RANGE,
    PILOT_SIZE_RANGE,
    PULSE_INTERVAL_RANGE,
    STALLED_AFTER_RANGE,
    AuditAction,
    AuditEvent,
    Cadence,
    Participant,
    ParticipantStatus,
    Program,
    ProgramStatus,
)

# What a coordinator may set on a program (the rules are one more field, `rules`).
EDITABLE_FIELDS: tuple[str, ...] = (
    "name",
    "slug",
    "purpose",
    "is_pilot",
    "pilot_size",
    "status",
    "starts_on",
    "ends_on",
    "cadence_days",
    "pulse_interval_days",
    "capacity",
    "open_enrolment",
    "self_match",
    "stalled_after_days",
    "one_way_below_balance",
    "at_risk_rating_at_most",
    "rules",
)

# What a full rollout takes over from its pilot, besides the team and the participants.
CARRIED_OVER_FIELDS: tuple[str, ...] = (
    "purpose",
    "cadence_days",
    "pulse_interval_days",
    "capacity",
    "open_enrolment",
    "self_match",
    "rules",
    "stalled_after_days",
    "one_way_below_balance",
    "at_risk_rating_at_most",
)

_RANGES: dict[str, tuple[float, float]] = {
    "capacity": CAPACITY_RANGE,
    "pulse_interval_days": PULSE_INTERVAL_RANGE,
    "stalled_after_days": STALLED_AFTER_RANGE,
    "one_way_below_balance": ONE_WAY_BALANCE_RANGE,
    "at_risk_rating_at_most": AT_RISK_RATING_RANGE,
}

# Paths under /programs/ that are pages, not programs.
RESERVED_SLUGS = frozenset({"new"})

_ENGINE_MESSAGE = re.compile(r"^rules: field '(?P<name>[^']+)': (?P<message>.*)$")


class Role:
    COORDINATOR = "coordinator"
    SPONSOR = "sponsor"
    ALL = (COORDINATOR, SPONSOR)


ROLE_FIELD = {Role.COORDINATOR: "coordinators", Role.SPONSOR: "sponsors"}
_ROLE_ACTIONS = {
    Role.COORDINATOR: (AuditAction.COORDINATOR_ADDED, AuditAction.COORDINATOR_REMOVED),
    Role.SPONSOR: (AuditAction.SPONSOR_ADDED, AuditAction.SPONSOR_REMOVED),
}


# --- checks ---------------------------------------------------------------------------


def may_create_programs(user) -> bool:
    """Staff admins, and anyone already trusted to coordinate a program."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.coordinated_programs.exists()


def rule_problems(rules: dict[str, Any]) -> list[ActionError]:
    """The engine's verdict on a rules mapping, one error per rule (field = the rule name)."""
    try:
        parse_rules(rules)
    except InputError as error:
        return [_engine_problem(message) for message in error.problems]
    return []


def _engine_problem(message: str) -> ActionError:
    match = _ENGINE_MESSAGE.match(message)
    if match is None:
        return ActionError(message, field="rules")
    text = match["message"]
    # The engine names other rules by their code name; a coordinator knows their labels.
    for name, spec in RULES_BY_NAME.items():
        text = re.sub(rf"\b{name}\b", f"“{spec.label}”", text)
    return ActionError(text[:1].upper() + text[1:] + ".", field=match["name"])


def program_problems(
    values: dict[str, Any], *, program: Program | None = None
) -> list[ActionError]:
    """Every reason the program `values` (after the change) cannot be saved."""
    problems = []
    if not str(values.get("name") or "").strip():
        problems.append(ActionError("Give the program a name.", field="name"))
    if not str(values.get("purpose") or "").strip():
        problems.append(
            ActionError("Say why the program exists and what it should change.", field="purpose")
        )
    problems += _slug_problems(values.get("slug"), program)
    problems += _pilot_problems(values.get("is_pilot"), values.get("pilot_size"))
    problems += _pilot_size_below_enrolled(values, program)
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if isinstance(starts_on, date) and isinstance(ends_on, date) and ends_on < starts_on:
        problems.append(ActionError("The end date must be on or after the start.", field="ends_on"))
    if values.get("status") not in ProgramStatus.values:
        problems.append(ActionError("Choose a status.", field="status"))
    if values.get("cadence_days") not in Cadence.values:
        problems.append(ActionError("Choose how often pairs meet.", field="cadence_days"))
    for field, (low, high) in _RANGES.items():
        value = values.get(field)
        if not isinstance(value, int | float) or not low <= value <= high:
            problems.append(ActionError(f"Enter a number from {low:g} to {high:g}.", field=field))
    problems += rule_problems(values.get("rules") or {})
    return problems


def _pilot_size_below_enrolled(values: dict[str, Any], program: Program | None):
    size = values.get("pilot_size")
    if program is None or not values.get("is_pilot") or not isinstance(size, int):
        return []
    enrolled = Participant.objects.filter(
        program=program, status=ParticipantStatus.ENROLLED
    ).count()
    if size >= enrolled:
        return []
    return [
        ActionError(
            f"{enrolled} people are already enrolled: the pilot size cannot be under that.",
            field="pilot_size",
        )
    ]


def _slug_problems(slug: Any, program: Program | None) -> list[ActionError]:
    if not slug or slugify(slug) != slug:
        return [
            ActionError(
                "Use lower-case letters, digits and hyphens only, e.g. spring-pilot.",
                field="slug",
            )
        ]
    if slug in RESERVED_SLUGS:
        return [ActionError(f"“{slug}” is reserved; choose another web address.", field="slug")]
    taken = Program.objects.filter(slug=slug)
    if program is not None:
        taken = taken.exclude(pk=program.pk)
    if taken.exists():
        return [ActionError("Another program already uses this web address.", field="slug")]
    return []


def _pilot_problems(is_pilot: Any, pilot_size: Any) -> list[ActionError]:
    low, high = PILOT_SIZE_RANGE
    if is_pilot and pilot_size is None:
        return [ActionError("Say how many people the pilot takes.", field="pilot_size")]
    if is_pilot and not low <= pilot_size <= high:
        return [ActionError(f"A pilot takes from {low} to {high} people.", field="pilot_size")]
    if not is_pilot and pilot_size is not None:
        return [
            ActionError(
                "Only a pilot has a pilot size: tick “pilot” or leave this empty.",
                field="pilot_size",
            )
        ]
    return []


def _refuse_if_invalid(values: dict[str, Any], program: Program | None) -> None:
    problems = program_problems(values, program=program)
    if problems:
        raise problems[0]


def _stored_rules(values: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The rules as the engine reads them, keeping anything stored besides the scalars."""
    return {**current, **rules_to_mapping(parse_rules(values.get("rules") or {}))}


def unique_slug(name: str) -> str:
    """A free web address made from `name` (program-2, program-3 … when taken)."""
    base = slugify(name)[:50] or "program"
    if base in RESERVED_SLUGS:
        base = f"{base}-program"
    taken = set(Program.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- creating and editing -------------------------------------------------------------


def program_create(*, by, **fields) -> Program:
    """A new program in draft, coordinated by its creator (an audited grant)."""
    if not may_create_programs(by):
        raise NotFound("No such page.")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ActionError(f"Unknown program field: {', '.join(sorted(unknown))}.")
    defaults = Program()
    values = {name: getattr(defaults, name) for name in EDITABLE_FIELDS} | fields
    values["slug"] = values.get("slug") or unique_slug(values.get("name") or "")
    _refuse_if_invalid(values, None)
    values["rules"] = _stored_rules(values, {})
    with transaction.atomic():
        program = _program_created(**values)
        _role_add(program=program, by=by, user=by, role=Role.COORDINATOR)
    return program


def _program_created(**values) -> Program:
    """Create the program; a web address taken a moment ago (two people creating the
    same program at once passed the check together) is refused like the check does."""
    try:
        with transaction.atomic():
            return Program.objects.create(**values)
    except IntegrityError as error:
        if "slug" not in str(error):
            raise
        raise ActionError("Another program already uses this web address.", field="slug") from error


def program_update(*, program: Program, by, **fields) -> Program:
    """Change a program's settings; refuses a capacity below anyone's live pairings."""
    _refuse_unless_coordinator(program, by)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ActionError(f"Unknown program field: {', '.join(sorted(unknown))}.")
    values = {name: getattr(program, name) for name in EDITABLE_FIELDS} | fields
    _refuse_if_invalid(values, program)
    values["rules"] = _stored_rules(values, program.rules)
    with transaction.atomic():
        # Edit a fresh copy: a refused save must not leave the caller's object changed.
        fresh = Program.objects.select_for_update().get(pk=program.pk)
        for name, value in values.items():
            setattr(fresh, name, value)
        try:
            with transaction.atomic():
                fresh.save(update_fields=list(values))
        except IntegrityError as error:
            if "program_capacity_covers_live_pairings" not in str(error):
                raise
            raise _capacity_error(program) from error
    for name, value in values.items():
        setattr(program, name, value)
    return program


def _capacity_error(program: Program) -> ActionError:
    most = most_live_pairings_of_one_participant(program)
    return ActionError(
        f"Someone in this program already has {most} live pairings, so the capacity "
        f"cannot go below {most}. Close some of their pairings first.",
        field="capacity",
    )


def most_live_pairings_of_one_participant(program: Program) -> int:
    """What the capacity may not go below (the same count the database trigger makes)."""
    live = Pairing.objects.filter(program=program, status__in=LIVE_STATUSES)
    ends = Counter()
    for a, b in live.values_list("participant_a_id", "participant_b_id"):
        ends.update((a, b))
    return max(ends.values(), default=0)


def _refuse_unless_coordinator(program: Program, user) -> None:
    if not program.coordinators.filter(pk=user.pk).exists():
        raise NotFound("No such program.")


# --- the team -------------------------------------------------------------------------


def program_role_grant(*, program: Program, by, user, role: str) -> None:
    """Make `user` a coordinator or sponsor; audited, and they are told."""
    _refuse_unless_coordinator(program, by)
    _check_role(role)
    with transaction.atomic():
        Program.objects.select_for_update().filter(pk=program.pk).first()
        if getattr(program, ROLE_FIELD[role]).filter(pk=user.pk).exists():
            raise ActionError(f"{user.full_name} is already a {role} of {program.name}.")
        _role_add(program=program, by=by, user=user, role=role)


def program_role_revoke(*, program: Program, by, user, role: str) -> None:
    """Take a role away; a program always keeps at least one coordinator."""
    _refuse_unless_coordinator(program, by)
    _check_role(role)
    with transaction.atomic():
        # The program's row puts two coordinators removing each other in line.
        Program.objects.select_for_update().filter(pk=program.pk).first()
        holders = getattr(program, ROLE_FIELD[role])
        if not holders.filter(pk=user.pk).exists():
            raise ActionError(f"{user.full_name} is not a {role} of {program.name}.")
        if role == Role.COORDINATOR and holders.count() == 1:
            raise ActionError(
                "A program needs at least one coordinator: add another before removing "
                f"{user.full_name}."
            )
        _role_remove(program=program, by=by, user=user, role=role)


def program_roles_set(*, program: Program, by, role: str, users) -> None:
    """Make the holders of `role` exactly `users`, each change audited as a grant or
    a removal. The Django admin saves roles through this."""
    _check_role(role)
    wanted = {user.pk: user for user in users}
    with transaction.atomic():
        Program.objects.select_for_update().filter(pk=program.pk).first()
        current = {user.pk: user for user in getattr(program, ROLE_FIELD[role]).all()}
        if role == Role.COORDINATOR and current and not wanted:
            raise ActionError("A program needs at least one coordinator.")
        for pk in wanted.keys() - current.keys():
            _role_add(program=program, by=by, user=wanted[pk], role=role)
        for pk in current.keys() - wanted.keys():
            _role_remove(program=program, by=by, user=current[pk], role=role)


def _check_role(role: str) -> None:
    if role not in Role.ALL:
        raise ActionError(f"Choose a role: {' or '.join(Role.ALL)}.", field="role")


def program_role_accept_invitation(*, program: Program, user, role: str, invited_by) -> None:
    """The role an invitation offered, taken up by the invited person; audited with the
    inviter as the one who granted it. (They accepted it themselves: no notification.)"""
    _check_role(role)
    if getattr(program, ROLE_FIELD[role]).filter(pk=user.pk).exists():
        return
    getattr(program, ROLE_FIELD[role]).add(user)
    AuditEvent.objects.create(
        program=program,
        actor=invited_by,
        action=_ROLE_ACTIONS[role][0],
        subject=user,
        detail="accepted an invitation",
    )


def _role_add(*, program: Program, by, user, role: str, detail: str = "") -> None:
    getattr(program, ROLE_FIELD[role]).add(user)
    AuditEvent.objects.create(
        program=program, actor=by, action=_ROLE_ACTIONS[role][0], subject=user, detail=detail
    )
    if user.pk == by.pk:
        return
    what = (
        "coordinate it: set it up, enrol people, run the matching and watch how pairs are doing"
        if role == Role.COORDINATOR
        else "sponsor it: you can read its aggregate reports"
    )
    note = Note(
        NotificationKind.ROLE_GRANTED,
        f"You are now a {role} of {program.name}",
        f"{by.full_name} asked you to {what}.",
        reverse("programs:overview", args=[program.slug]),
    )
    notify(recipients=[user], note=note)


def _role_remove(*, program: Program, by, user, role: str) -> None:
    getattr(program, ROLE_FIELD[role]).remove(user)
    AuditEvent.objects.create(
        program=program, actor=by, action=_ROLE_ACTIONS[role][1], subject=user
    )


# --- pilot to full rollout ------------------------------------------------------------


def program_roll_out(*, pilot: Program, by, name: str, slug: str, close_pilot: bool) -> Program:
    """Scale a pilot up: a new program with the pilot's settings, team and participants
    (profiles, offers and gaps), in one transaction. Pairings stay in the pilot."""
    _refuse_unless_coordinator(pilot, by)
    if not pilot.is_pilot:
        raise ActionError(f"{pilot.name} is not a pilot, so there is nothing to roll out.")
    values = {name_: getattr(pilot, name_) for name_ in EDITABLE_FIELDS} | {
        "name": name.strip(),
        "slug": slug.strip() or unique_slug(name),
        "is_pilot": False,
        "pilot_size": None,
        "status": ProgramStatus.ENROLLING,
        "starts_on": None,
        "ends_on": None,
    }
    problems = [p for p in program_problems(values) if p.field in {"name", "slug"}]
    if problems:
        raise problems[0]
    with transaction.atomic():
        # The pilot's row puts a double submit, or two coordinators, in line: the
        # second finds the rollout made and copies the team and people no second time.
        Program.objects.select_for_update().filter(pk=pilot.pk).first()
        _refuse_if_rolled_out(pilot)
        program = _program_created(
            name=values["name"],
            slug=values["slug"],
            status=ProgramStatus.ENROLLING,
            rolled_out_from=pilot,
            **{field: getattr(pilot, field) for field in CARRIED_OVER_FIELDS},
        )
        detail = f"carried over from the pilot {pilot.name}"[:200]
        for role, field in ROLE_FIELD.items():
            for user in getattr(pilot, field).all():
                _role_add(program=program, by=by, user=user, role=role, detail=detail)
        _copy_participants(pilot, program)
        if close_pilot and pilot.status != ProgramStatus.CLOSED:
            Program.objects.filter(pk=pilot.pk).update(status=ProgramStatus.CLOSED)
            pilot.status = ProgramStatus.CLOSED
    return program


def _refuse_if_rolled_out(pilot: Program) -> None:
    earlier = pilot.rollouts.order_by("pk").first()
    if earlier is not None:
        raise ActionError(
            f"{pilot.name} was already rolled out into {earlier.name}; invite more people there."
        )


def _copy_participants(pilot: Program, program: Program) -> None:
    """The pilot's enrolled people, with their practicalities, offers and gaps.

    A fixed number of queries, however many people the pilot had.
    """
    originals = list(Participant.objects.filter(program=pilot, status=ParticipantStatus.ENROLLED))
    now = timezone.now()
    copies = Participant.objects.bulk_create(
        Participant(
            program=program,
            user_id=original.user_id,
            motivation=original.motivation,
            enrolled_at=now,
            preferred_meeting_mode=original.preferred_meeting_mode,
            preferred_cadence_days=original.preferred_cadence_days,
            availability=original.availability,
            profile_completed_at=original.profile_completed_at,
        )
        for original in originals
    )
    new_id = {original.pk: copy.pk for original, copy in zip(originals, copies, strict=True)}
    Offer.objects.bulk_create(
        Offer(
            participant_id=new_id[offer.participant_id],
            skill_id=offer.skill_id,
            proficiency=offer.proficiency,
            business_value=offer.business_value,
        )
        for offer in Offer.objects.filter(participant__in=new_id.keys())
    )
    Gap.objects.bulk_create(
        Gap(
            participant_id=new_id[gap.participant_id],
            skill_id=gap.skill_id,
            priority=gap.priority,
            note=gap.note,
        )
        for gap in Gap.objects.filter(participant__in=new_id.keys())
    )


def pairings_staying_in(pilot: Program) -> int:
    return Pairing.objects.filter(program=pilot).count()

"""Writes for profiles: about you, sharing, offers and gaps, practicalities, completion.

Every service validates its whole input before it writes, and raises
`ActionError` (or `RowsInvalid` for lists of rows) with messages that are safe
to show and name the field or row at fault.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone as django_timezone
from django.utils.text import slugify

from twoway.accounts.models import User
from twoway.core.errors import ActionError
from twoway.core.models import RATING_MAX, RATING_MIN
from twoway.core.validators import validate_timezone
from twoway.profiles.models import (
    LEVEL_MAX,
    LEVEL_MIN,
    Gap,
    Offer,
    Profile,
    SharedField,
    Skill,
    SkillAlias,
    SkillCategory,
    SkillStatus,
    normalise_skill_name,
)
from twoway.profiles.selectors import completion_now
from twoway.programs.models import Cadence, MeetingMode, Participant, ParticipantStatus

# Limits that keep one person's profile readable, and a form post bounded.
MAX_ROWS = 20
MAX_LIST_ITEMS = 20
MAX_LIST_ITEM_LENGTH = 60
MAX_TEXT_LENGTH = 2000
SKILL_NAME_MAX_LENGTH = Skill._meta.get_field("name").max_length


# --- About you --------------------------------------------------------------------


@transaction.atomic
def profile_save(
    *,
    user: User,
    job_title: str,
    department: str,
    level: int,
    location: str,
    timezone: str,
    languages: Sequence[str],
    interests: Sequence[str],
    resource_groups: Sequence[str] = (),
    bio: str = "",
    shared: Iterable[str] | None = None,
) -> Profile:
    """Create or update the person's profile (step "About you").

    `shared`, when given, is what a partner sees (see `profile_sharing_save`).
    The profile's timezone is also the one pages are shown in, so the user's
    own timezone follows it.
    """
    fields = {
        "job_title": _required_text(job_title, "job_title", "Enter your role title."),
        "department": _required_text(department, "department", "Enter your department."),
        "location": _required_text(location, "location", "Enter where you are based."),
        "level": _level(level),
        "timezone": _timezone(timezone),
        "languages": _required_list(languages, "languages", "Name at least one language."),
        "interests": _required_list(interests, "interests", "Name at least one interest."),
        "resource_groups": _clean_list(resource_groups, "resource_groups"),
        "bio": _limited_text(bio, "bio"),
    }
    if shared is not None:
        fields["shared_with_partner"] = _shared_fields(shared)
    profile, _ = Profile.objects.update_or_create(user=user, defaults=fields)
    if user.timezone != profile.timezone:
        user.timezone = profile.timezone
        user.save(update_fields=["timezone"])
    for participant in Participant.objects.filter(user=user, status=ParticipantStatus.ENROLLED):
        profile_completion_record(participant=participant)
    return profile


def _required_text(value: str, field: str, message: str) -> str:
    value = _limited_text(value, field, max_length=Profile._meta.get_field(field).max_length)
    if not value:
        raise ActionError(message, field=field)
    return value


def _limited_text(value: str, field: str, *, max_length: int = MAX_TEXT_LENGTH) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        raise ActionError(f"Keep this under {max_length} characters.", field=field)
    return value


def _level(level) -> int:
    if not isinstance(level, int) or not LEVEL_MIN <= level <= LEVEL_MAX:
        raise ActionError(f"Choose a level from {LEVEL_MIN} to {LEVEL_MAX}.", field="level")
    return level


def _timezone(name: str) -> str:
    try:
        validate_timezone(name)
    except ValidationError:
        raise ActionError(
            "Choose your timezone from the list, such as Europe/London.", field="timezone"
        ) from None
    return name


def _required_list(items: Iterable[str], field: str, message: str) -> list[str]:
    cleaned = _clean_list(items, field)
    if not cleaned:
        raise ActionError(message, field=field)
    return cleaned


def _clean_list(items: Iterable[str], field: str) -> list[str]:
    """Trimmed, without blanks or repeats (ignoring case), in the order given."""
    cleaned, seen = [], set()
    for item in items:
        item = " ".join(str(item).split())
        if not item or item.casefold() in seen:
            continue
        if len(item) > MAX_LIST_ITEM_LENGTH:
            raise ActionError(
                f"“{item[:20]}…” is too long: keep each one under "
                f"{MAX_LIST_ITEM_LENGTH} characters.",
                field=field,
            )
        seen.add(item.casefold())
        cleaned.append(item)
    if len(cleaned) > MAX_LIST_ITEMS:
        raise ActionError(f"List at most {MAX_LIST_ITEMS}.", field=field)
    return cleaned


@transaction.atomic
def profile_sharing_save(*, user: User, shared: Iterable[str]) -> Profile:
    """Choose which parts of the profile a partner sees (name and skills always show)."""
    chosen = _shared_fields(shared)
    profile = Profile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        raise ActionError("Fill in “About you” first; then choose what your partner sees.")
    profile.shared_with_partner = chosen
    profile.save(update_fields=["shared_with_partner"])
    return profile


def _shared_fields(shared: Iterable[str]) -> list[str]:
    chosen = set(shared)
    unknown = chosen - set(SharedField.values)
    if unknown:
        raise ActionError(
            f"“{sorted(unknown)[0]}” is not a part of a profile you can share.", field="shared"
        )
    # Stored in the order of the choices, so the same choice always reads the same.
    return [value for value in SharedField.values if value in chosen]


# --- Skills -------------------------------------------------------------------------


def skill_find(name: str) -> Skill | None:
    """The skill a typed name means: by normalised name or alias, or None."""
    key = normalise_skill_name(name)
    if not key:
        return None
    return skills_by_name([key]).get(key)


def skills_by_name(keys: Iterable[str]) -> dict[str, Skill]:
    """Skills by normalised name, looked up by name and by alias in two queries."""
    keys = set(keys)
    found = {
        skill.normalised_name: skill for skill in Skill.objects.filter(normalised_name__in=keys)
    }
    for alias in SkillAlias.objects.filter(normalised_name__in=keys - found.keys()).select_related(
        "skill"
    ):
        found[alias.normalised_name] = alias.skill
    return found


def skill_resolve(*, name: str, user: User) -> Skill:
    """The skill a typed name means; a name the vocabulary lacks becomes a proposed skill.

    The new skill works at once (it matches itself) and waits for a coordinator
    to give it a category and cluster, or merge it into a curated skill.
    """
    skill = skill_find(name)
    if skill is not None:
        return skill
    return skill_propose(name=name, user=user)


def skill_propose(*, name: str, user: User, field: str = "skill") -> Skill:
    """A skill the vocabulary lacks, added as proposed (or the one someone just proposed)."""
    display = _display_name(name)
    if not display:
        raise ActionError("Enter a skill.", field=field)
    if len(display) > SKILL_NAME_MAX_LENGTH:
        raise ActionError(
            f"Keep a skill's name under {SKILL_NAME_MAX_LENGTH} characters.", field=field
        )
    return _propose_skill(display, user)


def _propose_skill(display: str, user: User) -> Skill:
    key = normalise_skill_name(display)
    try:
        # A savepoint: if someone proposes the same skill at the same moment,
        # their row wins and this transaction carries on with it.
        with transaction.atomic():
            return Skill.objects.create(
                name=display,
                category=SkillCategory.UNCATEGORISED,
                cluster=_own_cluster(key),
                status=SkillStatus.PROPOSED,
                proposed_by=user,
            )
    except IntegrityError:
        return Skill.objects.get(normalised_name=key)


def _display_name(name: str) -> str:
    """How a new skill is written: spacing tidied, and a capital if typed all in lower case."""
    display = " ".join(name.split())
    if display.islower():
        display = display[0].upper() + display[1:]
    return display


def _own_cluster(key: str) -> str:
    """A cluster of its own: skills in one cluster earn partial credit for each other,
    and an uncurated skill should match nothing but itself until someone curates it."""
    digest = hashlib.sha1(key.encode()).hexdigest()[:8]
    return f"proposed-{slugify(key)[:22]}-{digest}"


# --- Offers and gaps ------------------------------------------------------------------


@dataclass(frozen=True)
class SkillRow:
    """One row of the offers or gaps list, as typed.

    `rating` is the proficiency of an offer or the priority of a gap; `text` is
    why an offer matters to the business, or a note on a gap.
    """

    skill: str = ""
    rating: int | None = None
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.skill.strip() or self.rating is not None or self.text.strip())


@dataclass(frozen=True)
class RowError:
    row: int  # as the person sees it, from 1
    field: str  # "skill", "rating" or "text"
    problem: str  # "choose a skill."

    @property
    def message(self) -> str:
        """The problem with its row named: "Row 2: choose a skill." """
        return f"Row {self.row}: {self.problem}"

    @property
    def beside_the_field(self) -> str:
        """Next to the field, the row goes without saying: "Choose a skill." """
        return self.problem[0].upper() + self.problem[1:]


class RowsInvalid(ActionError):
    """Some rows cannot be saved; nothing was written. Each error names its row."""

    def __init__(self, errors: list[RowError]):
        super().__init__(" ".join(error.message for error in errors))
        self.errors = errors


@dataclass(frozen=True)
class _RowKind:
    model: type[Offer] | type[Gap]
    rating_field: str
    text_field: str
    rating_words: str
    none_message: str
    other_side: str  # "offers" or "gaps": a skill may not be on both lists
    both_message: str


_OFFERS = _RowKind(
    model=Offer,
    rating_field="proficiency",
    text_field="business_value",
    rating_words="how well you know",
    none_message="List at least one skill you can offer: it is what your partner learns from you.",
    other_side="gaps",
    both_message="{name} is also on your list of things to learn: keep it on one list.",
)
_GAPS = _RowKind(
    model=Gap,
    rating_field="priority",
    text_field="note",
    rating_words="how much you want to learn",
    none_message="List at least one thing you want to learn.",
    other_side="offers",
    both_message="you already offer {name}: keep it on one list.",
)


def offers_save(*, participant: Participant, rows: Sequence[SkillRow], user: User) -> list[Offer]:
    """Replace the participant's offers with the rows given (step "What you can offer")."""
    return _rows_save(_OFFERS, participant=participant, rows=rows, user=user)


def gaps_save(*, participant: Participant, rows: Sequence[SkillRow], user: User) -> list[Gap]:
    """Replace the participant's gaps with the rows given (step "Your gaps")."""
    return _rows_save(_GAPS, participant=participant, rows=rows, user=user)


@transaction.atomic
def _rows_save(kind: _RowKind, *, participant: Participant, rows: Sequence[SkillRow], user):
    """Validate every row, then write them all: a skill in no row any more is removed.

    Rows left completely empty are ignored. Nothing is written unless all rows are
    valid, new skills included.
    """
    _check_own_participation(participant, user)
    # Locked, so that a double submit writes the list once, not twice side by side.
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if not row.is_empty]
    if len(numbered) > MAX_ROWS:
        raise ActionError(f"List at most {MAX_ROWS} skills.")
    if not numbered:
        raise ActionError(kind.none_message)
    known = skills_by_name(normalise_skill_name(row.skill) for _, row in numbered)
    _check_rows(kind, numbered, known, _skills_on_other_list(kind, participant))
    existing = {item.skill_id: item for item in kind.model.objects.filter(participant=participant)}
    saved, kept = [], set()
    for _, row in numbered:
        skill = known.get(normalise_skill_name(row.skill)) or _propose_skill(
            _display_name(row.skill), user
        )
        item = existing.get(skill.pk) or kind.model(participant=participant, skill=skill)
        setattr(item, kind.rating_field, row.rating)
        setattr(item, kind.text_field, row.text.strip())
        item.save()
        saved.append(item)
        kept.add(skill.pk)
    kind.model.objects.filter(participant=participant).exclude(skill__in=kept).delete()
    profile_completion_record(participant=participant)
    return saved


def _check_own_participation(participant: Participant, user: User) -> None:
    # Views only ever pass the signed-in person's own participation; this says so.
    if participant.user_id != user.pk:
        raise ActionError("You can only change your own profile.")


def _skills_on_other_list(kind: _RowKind, participant: Participant) -> set[int]:
    """Skills on the participant's other list: nobody both teaches and wants a skill."""
    return set(getattr(participant, kind.other_side).values_list("skill_id", flat=True))


def _check_rows(
    kind: _RowKind,
    numbered: list[tuple[int, SkillRow]],
    known: dict[str, Skill],
    on_other_list: set[int],
) -> None:
    errors: list[RowError] = []
    first_row_of: dict[object, int] = {}
    for number, row in numbered:
        key = normalise_skill_name(row.skill)
        skill = known.get(key)
        name = skill.name if skill else _display_name(row.skill)
        if not key:
            errors.append(RowError(number, "skill", "choose a skill."))
        elif len(name) > SKILL_NAME_MAX_LENGTH:
            errors.append(
                RowError(
                    number,
                    "skill",
                    f"keep a skill's name under {SKILL_NAME_MAX_LENGTH} characters.",
                )
            )
        else:
            # An alias and its skill's name are the same skill.
            identity = skill.pk if skill else key
            if identity in first_row_of:
                errors.append(
                    RowError(
                        number,
                        "skill",
                        f"you listed {name} twice (also in row {first_row_of[identity]}).",
                    )
                )
            first_row_of.setdefault(identity, number)
            if skill is not None and skill.pk in on_other_list:
                errors.append(RowError(number, "skill", kind.both_message.format(name=name)))
        if row.rating is None or not RATING_MIN <= row.rating <= RATING_MAX:
            what = name if key else "it"
            errors.append(
                RowError(
                    number,
                    "rating",
                    f"choose {kind.rating_words} {what}, from {RATING_MIN} to {RATING_MAX}.",
                )
            )
        if len(row.text.strip()) > MAX_TEXT_LENGTH:
            errors.append(
                RowError(number, "text", f"keep this under {MAX_TEXT_LENGTH} characters.")
            )
    if errors:
        raise RowsInvalid(errors)


# --- Practicalities ------------------------------------------------------------------


@transaction.atomic
def practicalities_save(
    *,
    participant: Participant,
    user: User,
    meeting_mode: str,
    cadence_days: int | None,
    availability: str = "",
) -> Participant:
    """How and how often the person likes to meet, and when they can (step "Practicalities")."""
    _check_own_participation(participant, user)
    if meeting_mode not in MeetingMode.values:
        raise ActionError("Choose how you prefer to meet.", field="meeting_mode")
    if cadence_days not in Cadence.values:
        raise ActionError("Choose how often you would like to meet.", field="cadence_days")
    participant.preferred_meeting_mode = meeting_mode
    participant.preferred_cadence_days = cadence_days
    participant.availability = _limited_text(availability, "availability")
    participant.save(
        update_fields=["preferred_meeting_mode", "preferred_cadence_days", "availability"]
    )
    profile_completion_record(participant=participant)
    return participant


# --- Completion --------------------------------------------------------------------------


def profile_completion_record(*, participant: Participant) -> bool:
    """Stamp `profile_completed_at` the first time all four steps are done.

    Returns whether the profile is complete now. The stamp stays once set: it
    records when the person was first ready to be matched.
    """
    complete = completion_now(participant).is_complete
    if complete and participant.profile_completed_at is None:
        participant.profile_completed_at = django_timezone.now()
        Participant.objects.filter(pk=participant.pk, profile_completed_at__isnull=True).update(
            profile_completed_at=participant.profile_completed_at
        )
    return complete

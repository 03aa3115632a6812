"""Reads about people's profiles, offers and gaps. What a partner may see is decided here."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)

from twoway.core.errors import NotFound
from twoway.profiles.models import (
    Gap,
    Offer,
    Profile,
    SharedField,
    Skill,
    SkillAlias,
    SkillStatus,
    normalise_skill_name,
)
from twoway.programs.models import Participant, ParticipantStatus

# --- What a partner sees ----------------------------------------------------------------


@dataclass(frozen=True)
class SharedProfile:
    """The parts of a participant's profile their partner may see.

    Name, offers and gaps always show (they are what the pairing is about);
    everything else only when the person chose to share it.
    """

    name: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    resource_groups: list[str] = field(default_factory=list)
    bio: str = ""
    offers: list[Offer] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)


def shared_profile(participant: Participant) -> SharedProfile:
    """What a partner sees of `participant` (user and profile already loaded)."""
    offers = list(participant.offers.select_related("skill"))
    gaps = list(participant.gaps.select_related("skill"))
    return _shared(participant.user, offers=offers, gaps=gaps)


def _shared(user, *, offers: list[Offer], gaps: list[Gap]) -> SharedProfile:
    profile = getattr(user, "profile", None)
    if profile is None:
        return SharedProfile(name=user.full_name, offers=offers, gaps=gaps)
    shared = set(profile.shared_with_partner)
    facts = []
    if SharedField.JOB_TITLE in shared and profile.job_title:
        facts.append(("Role", profile.job_title))
    if SharedField.DEPARTMENT in shared:
        facts.append(("Department", profile.department))
    if SharedField.LEVEL in shared:
        facts.append(("Level", str(profile.level)))
    if SharedField.LOCATION in shared:
        facts.append(("Location", f"{profile.location} ({profile.timezone})"))
    return SharedProfile(
        name=user.full_name,
        facts=facts,
        languages=list(profile.languages) if SharedField.LANGUAGES in shared else [],
        interests=list(profile.interests) if SharedField.INTERESTS in shared else [],
        resource_groups=(
            list(profile.resource_groups) if SharedField.RESOURCE_GROUPS in shared else []
        ),
        bio=profile.bio if SharedField.BIO in shared else "",
        offers=offers,
        gaps=gaps,
    )


def shareable_values(profile: Profile) -> dict[str, str]:
    """Each part of the profile a person may share, in words, to show them what they share."""

    def listed(items: list[str]) -> str:
        return ", ".join(items) or "none listed"

    bio = profile.bio.strip()
    return {
        SharedField.JOB_TITLE: profile.job_title or "not given",
        SharedField.DEPARTMENT: profile.department,
        SharedField.LEVEL: str(profile.level),
        SharedField.LOCATION: f"{profile.location} ({profile.timezone})",
        SharedField.LANGUAGES: listed(profile.languages),
        SharedField.INTERESTS: listed(profile.interests),
        SharedField.RESOURCE_GROUPS: listed(profile.resource_groups),
        SharedField.BIO: (bio[:60] + "…" if len(bio) > 60 else bio) or "not written",
    }


# --- Onboarding: the four steps and which are done ----------------------------------------

# (key, title) of each step of the profile, in order.
STEPS = (
    ("about", "About you"),
    ("offers", "What you can offer"),
    ("gaps", "What you want to learn"),
    ("practicalities", "Practicalities"),
)
STEP_TITLES = dict(STEPS)


@dataclass(frozen=True)
class ProfileCompletion:
    """Which steps of a participant's profile are done."""

    done: frozenset[str]

    @property
    def is_complete(self) -> bool:
        return len(self.done) == len(STEPS)

    @property
    def next_step(self) -> str | None:
        """The first step not done yet, or None when the profile is complete."""
        return next((key for key, _ in STEPS if key not in self.done), None)

    def next_step_after(self, current: str) -> str | None:
        """The first step not done after `current`, then from the start; None when complete."""
        keys = [key for key, _ in STEPS]
        start = keys.index(current) + 1
        for key in keys[start:] + keys[:start]:
            if key not in self.done:
                return key
        return None


def _with_completion_flags(participants):
    """Annotate `has_profile`, `has_offers` and `has_gaps`: completion in the same query."""
    return participants.annotate(
        has_profile=Exists(Profile.objects.filter(user=OuterRef("user"))),
        has_offers=Exists(Offer.objects.filter(participant=OuterRef("pk"))),
        has_gaps=Exists(Gap.objects.filter(participant=OuterRef("pk"))),
    )


def completion_now(participant: Participant) -> ProfileCompletion:
    """Which steps are done, read afresh from the database (one query)."""
    return completion_of(
        _with_completion_flags(Participant.objects.filter(pk=participant.pk)).get()
    )


def completion_of(participant: Participant) -> ProfileCompletion:
    """Which steps are done, from a participant loaded with the completion flags."""
    done = {
        "about": participant.has_profile,
        "offers": participant.has_offers,
        "gaps": participant.has_gaps,
        "practicalities": bool(
            participant.preferred_meeting_mode and participant.preferred_cadence_days
        ),
    }
    return ProfileCompletion(done=frozenset(key for key, is_done in done.items() if is_done))


def participation_for(user, slug: str) -> Participant:
    """The signed-in person's own enrolment in the program, with completion flags.

    Anyone not enrolled there gets NotFound, the same answer as for a program
    that does not exist.
    """
    if not user.is_authenticated:
        raise NotFound("No such program")
    participant = (
        _with_completion_flags(Participant.objects.select_related("program"))
        .filter(user=user, program__slug=slug, status=ParticipantStatus.ENROLLED)
        .first()
    )
    if participant is None:
        raise NotFound("No such program")
    return participant


def profile_of(user) -> Profile | None:
    return Profile.objects.filter(user=user).first()


@dataclass(frozen=True)
class ProfilePage:
    """Everything /profile/ shows: the person's profile and each program's part of it."""

    profile: Profile | None
    participations: list[Participant]


def profile_page(user) -> ProfilePage:
    """The person's own profile and, per program, offers, gaps and practicalities.

    Three queries whatever the number of programs, offers and gaps.
    """
    participations = list(
        _with_completion_flags(Participant.objects.select_related("program"))
        .filter(user=user, status=ParticipantStatus.ENROLLED)
        .prefetch_related(
            Prefetch("offers", queryset=Offer.objects.select_related("skill")),
            Prefetch("gaps", queryset=Gap.objects.select_related("skill")),
        )
        .order_by("program__name")
    )
    for participant in participations:
        participant.completion = completion_of(participant)
    return ProfilePage(profile=profile_of(user), participations=participations)


def offers_of(participant: Participant) -> list[Offer]:
    return list(participant.offers.select_related("skill"))


def gaps_of(participant: Participant) -> list[Gap]:
    return list(participant.gaps.select_related("skill"))


def known_departments() -> list[str]:
    """Departments already in use, offered as suggestions: the matching rules compare
    departments by name, so one spelling per department matters."""
    return list(
        Profile.objects.order_by("department").values_list("department", flat=True).distinct()
    )


def known_locations() -> list[str]:
    return list(Profile.objects.order_by("location").values_list("location", flat=True).distinct())


# --- The skill vocabulary -------------------------------------------------------------------


@dataclass(frozen=True)
class SkillSuggestion:
    """One autocomplete suggestion: the skill's name, and the alias that matched if any."""

    name: str
    alias: str = ""
    proposed: bool = False


SUGGESTION_LIMIT = 10


def _suggestible(user, *, path: str = "") -> Q:
    """The vocabulary a person is offered: curated skills, and the ones they proposed.

    A proposed skill is whatever someone typed, perhaps about themselves; it is
    never suggested to anyone else before a coordinator curates it.
    """
    return Q(**{f"{path}status": SkillStatus.CURATED}) | Q(**{f"{path}proposed_by": user})


def skill_suggestions(text: str, *, user, limit: int = SUGGESTION_LIMIT) -> list[SkillSuggestion]:
    """Skills whose name or alias contains the text, ignoring case and spacing.

    Prefix matches (of the name or an alias) come first, then curated before
    proposed skills, then by the skill's name.
    Two queries (names, aliases) whatever the size of the vocabulary.
    """
    key = normalise_skill_name(text)
    if not key:
        return []
    ranked: dict[int, tuple[tuple, SkillSuggestion]] = {}
    skills = _ranked(
        Skill.objects.filter(_suggestible(user), normalised_name__contains=key), key, skill=""
    )
    for skill in skills[:limit]:
        rank = (skill.prefix_rank, skill.status_rank, skill.normalised_name)
        ranked[skill.pk] = (rank, SkillSuggestion(skill.name, proposed=_proposed(skill)))
    aliases = _ranked(
        SkillAlias.objects.filter(
            _suggestible(user, path="skill__"), normalised_name__contains=key
        ).select_related("skill"),
        key,
        skill="skill__",
    )
    for alias in aliases[:limit]:
        skill = alias.skill
        rank = (alias.prefix_rank, alias.status_rank, skill.normalised_name)
        # A skill found by its own name as well keeps the better of the two ranks.
        if skill.pk not in ranked or rank < ranked[skill.pk][0]:
            suggestion = SkillSuggestion(skill.name, alias=alias.name, proposed=_proposed(skill))
            ranked[skill.pk] = (rank, suggestion)
    best = sorted(ranked.values(), key=lambda item: item[0])[:limit]
    return [suggestion for _, suggestion in best]


def _ranked(queryset, key: str, *, skill: str):
    """Ordered as the suggestions are: prefix matches of the matched name first, then
    curated skills, then by the skill's name (`skill` is the path to the skill)."""
    return queryset.annotate(
        prefix_rank=Case(
            When(normalised_name__startswith=key, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        status_rank=Case(
            When(**{f"{skill}status": SkillStatus.CURATED}, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    ).order_by("prefix_rank", "status_rank", f"{skill}normalised_name")


def _proposed(skill: Skill) -> bool:
    return skill.status == SkillStatus.PROPOSED


@dataclass(frozen=True)
class SkillsAwaitingCuration:
    count: int
    skills: list[Skill]  # oldest first, with `proposed_by` and `uses` (offers, gaps, ledger)


def skills_awaiting_curation(coordinator, *, limit: int = 50) -> SkillsAwaitingCuration:
    """Skills that participants of the coordinator's programs named and the vocabulary
    lacked, for the coordinator to curate.

    Only their own programs' people: a proposed skill is free text, sometimes about
    the person, and another program's coordinator has no business reading it.
    """
    programs = coordinator.coordinated_programs.values("pk")
    proposed = (
        Skill.objects.filter(status=SkillStatus.PROPOSED)
        .filter(
            Q(offers__participant__program__in=programs)
            | Q(gaps__participant__program__in=programs)
            | Q(exchanges__conversation__pairing__program__in=programs)
        )
        .distinct()
    )
    skills = list(
        proposed.select_related("proposed_by")
        .annotate(
            offer_count=Count("offers", distinct=True),
            gap_count=Count("gaps", distinct=True),
            exchange_count=Count("exchanges", distinct=True),
        )
        .order_by("created_at", "name")[:limit]
    )
    for skill in skills:
        skill.uses = skill.offer_count + skill.gap_count + skill.exchange_count
    return SkillsAwaitingCuration(count=proposed.count(), skills=skills)

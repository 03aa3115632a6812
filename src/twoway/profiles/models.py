"""Who people are (profile), what they can teach (offers) and want to learn (gaps)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone as django_timezone

from twoway.core.models import between, one_of, rating
from twoway.core.validators import validate_timezone

LEVEL_MIN, LEVEL_MAX = 1, 10


def normalise_skill_name(name: str) -> str:
    """The key used to match skill names: case, spacing, hyphens and underscores ignored."""
    return re.sub(r"[\s\-_]+", " ", name).strip().casefold()


class SkillCategory(models.TextChoices):
    TECHNOLOGY = "technology", "Technology"
    ORGANISATIONAL = "organisational", "Organisational know-how"
    LEADERSHIP = "leadership", "Leadership"
    CAREER = "career", "Career"
    PERSPECTIVE = "perspective", "Perspective"
    CRAFT = "craft", "Craft"
    BUSINESS = "business", "Business"
    # Skills that participants name and the vocabulary lacks wait here until a
    # coordinator gives them a real category (or merges them into a curated skill).
    UNCATEGORISED = "uncategorised", "Uncategorised (to be curated)"


class SkillStatus(models.TextChoices):
    CURATED = "curated", "In the vocabulary"
    PROPOSED = "proposed", "Proposed by a participant, to be curated"


class TypicalGiver(models.TextChoices):
    SENIOR = "senior", "Usually offered by seniors"
    JUNIOR = "junior", "Usually offered by juniors"
    ANY = "any", "Offered at any level"


class Skill(models.Model):
    """An entry of the skill vocabulary."""

    name = models.CharField(max_length=80, unique=True)
    normalised_name = models.CharField(max_length=80, unique=True, editable=False)
    category = models.CharField(max_length=20, choices=SkillCategory.choices)
    cluster = models.SlugField(
        max_length=40, help_text="Related skills share a cluster and match each other partly."
    )
    typical_giver = models.CharField(
        max_length=10, choices=TypicalGiver.choices, default=TypicalGiver.ANY
    )
    description = models.TextField(blank=True)
    # A participant may name a skill the vocabulary lacks; it works at once and
    # waits for a coordinator to give it a category and cluster, or merge it.
    status = models.CharField(
        max_length=10, choices=SkillStatus.choices, default=SkillStatus.CURATED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            one_of("category", SkillCategory, name="skill_category_valid"),
            one_of("typical_giver", TypicalGiver, name="skill_typical_giver_valid"),
            one_of("status", SkillStatus, name="skill_status_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.normalised_name = normalise_skill_name(self.name)
        super().save(*args, **kwargs)


class SkillAlias(models.Model):
    """Another name for a skill; names and aliases are one namespace when matching."""

    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=80)
    normalised_name = models.CharField(max_length=80, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "skill aliases"

    def __str__(self) -> str:
        return f"{self.name} → {self.skill}"

    def save(self, *args, **kwargs):
        self.normalised_name = normalise_skill_name(self.name)
        super().save(*args, **kwargs)


class SharedField(models.TextChoices):
    """Parts of a profile a person may show their partner."""

    JOB_TITLE = "job_title", "Role title"
    DEPARTMENT = "department", "Department"
    LEVEL = "level", "Level"
    LOCATION = "location", "Location and timezone"
    LANGUAGES = "languages", "Languages"
    INTERESTS = "interests", "Interests"
    RESOURCE_GROUPS = "resource_groups", "Employee resource groups"
    BIO = "bio", "About me"


# Resource groups can reveal what someone has not chosen to tell a colleague.
DEFAULT_SHARED = [field for field in SharedField.values if field != SharedField.RESOURCE_GROUPS]


def _default_shared() -> list[str]:
    return list(DEFAULT_SHARED)


class Profile(models.Model):
    """Where a person sits in the organisation; shared by all their programs."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    job_title = models.CharField(max_length=120, blank=True)
    department = models.CharField(max_length=80)
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(LEVEL_MIN), MaxValueValidator(LEVEL_MAX)],
        help_text="1 is entry level; 8 is executive.",
    )
    hired_on = models.DateField(
        null=True, blank=True, help_text="Start date with the organisation, for tenure."
    )
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    location = models.CharField(max_length=80, help_text="Office or city")
    timezone = models.CharField(
        max_length=64, validators=[validate_timezone], help_text="IANA name, e.g. Europe/London"
    )
    languages = models.JSONField(default=list, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direct_reports",
    )
    interests = models.JSONField(default=list, blank=True)
    resource_groups = models.JSONField(
        default=list, blank=True, help_text="Employee resource groups the person belongs to"
    )
    bio = models.TextField(blank=True)
    shared_with_partner = models.JSONField(
        default=_default_shared,
        blank=True,
        help_text="The parts of this profile a partner sees; name and skills always show.",
    )

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            between("level", LEVEL_MIN, LEVEL_MAX, name="profile_level_in_range"),
            between("birth_year", 1900, 2100, name="profile_birth_year_plausible"),
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("user")), name="profile_not_own_manager"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.department}, L{self.level})"


class Offer(models.Model):
    """A skill or perspective a participant can teach in a program."""

    participant = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="offers"
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="offers")
    proficiency = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    business_value = models.TextField(blank=True, help_text="Why this matters to the business")

    class Meta:
        ordering = ["-proficiency", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "skill"], name="offer_once_per_skill"),
            rating("proficiency", name="offer_proficiency_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} offers {self.skill} ({self.proficiency}/5)"


class Gap(models.Model):
    """A skill or perspective a participant wants to learn in a program."""

    participant = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="gaps"
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="gaps")
    priority = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-priority", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "skill"], name="gap_once_per_skill"),
            rating("priority", name="gap_priority_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} wants {self.skill} (priority {self.priority})"

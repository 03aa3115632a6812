"""Programs (reciprocal mentoring schemes) and the people enrolled in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from twoway.core.models import between, one_of


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ENROLLING = "enrolling", "Enrolling"
    RUNNING = "running", "Running"
    CLOSED = "closed", "Closed"


class CrossDepartment(models.TextChoices):
    REQUIRED = "required", "Required: partners come from different departments"
    PREFERRED = "preferred", "Preferred: a bonus for different departments"
    IGNORE = "ignore", "Ignore department"


class Reciprocity(models.TextChoices):
    REQUIRED = "required", "Required: each partner can teach the other something they want"
    PREFERRED = "preferred", "Preferred: one-way pairs score far lower"


class Cadence(models.IntegerChoices):
    WEEKLY = 7, "Weekly"
    FORTNIGHTLY = 14, "Every two weeks"
    MONTHLY = 30, "Monthly"


class Program(models.Model):
    """A reciprocal mentoring scheme, with its matching rules and rhythm."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    purpose = models.TextField(help_text="Why the program exists and what it should change.")
    is_pilot = models.BooleanField(
        default=False, help_text="Pilots start small and are evaluated before scaling up."
    )
    status = models.CharField(
        max_length=12, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    cadence_days = models.PositiveSmallIntegerField(
        choices=Cadence.choices,
        default=Cadence.FORTNIGHTLY,
        help_text="How often pairs are expected to meet.",
    )
    pulse_interval_days = models.PositiveSmallIntegerField(
        default=28, help_text="How often each partner is asked for a pulse."
    )
    capacity = models.PositiveSmallIntegerField(
        default=1, help_text="The most live pairings one participant may have."
    )

    # Matching rules, handed to twoway.matching when pairs are proposed.
    cross_department = models.CharField(
        max_length=10, choices=CrossDepartment.choices, default=CrossDepartment.REQUIRED
    )
    exclude_reporting_line = models.PositiveSmallIntegerField(
        default=2, help_text="Levels up and down the manager chain that may not be paired."
    )
    min_level_gap = models.PositiveSmallIntegerField(default=0)
    max_level_gap = models.PositiveSmallIntegerField(null=True, blank=True)
    require_common_language = models.BooleanField(default=True)
    min_timezone_overlap_hours = models.PositiveSmallIntegerField(default=2)
    reciprocity = models.CharField(
        max_length=10, choices=Reciprocity.choices, default=Reciprocity.REQUIRED
    )

    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_programs", blank=True
    )
    sponsors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="sponsored_programs",
        blank=True,
        help_text="Senior leaders who see aggregate reports only.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="program_ends_after_it_starts",
            ),
            between("capacity", 1, 10, name="program_capacity_1_to_10"),
            between("pulse_interval_days", 7, 365, name="program_pulse_interval_sane"),
            between("exclude_reporting_line", 0, 10, name="program_reporting_line_0_to_10"),
            between("min_timezone_overlap_hours", 0, 8, name="program_timezone_overlap_0_to_8"),
            models.CheckConstraint(
                condition=models.Q(max_level_gap__isnull=True)
                | models.Q(max_level_gap__gte=models.F("min_level_gap")),
                name="program_level_gap_range",
            ),
            one_of("status", ProgramStatus, name="program_status_valid"),
            one_of("cadence_days", Cadence, name="program_cadence_valid"),
            one_of("cross_department", CrossDepartment, name="program_cross_department_valid"),
            one_of("reciprocity", Reciprocity, name="program_reciprocity_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    EITHER = "either", "Either suits me"


class ParticipantStatus(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Participant(models.Model):
    """A person enrolled in a program: both a mentor and a mentee there."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    status = models.CharField(
        max_length=10, choices=ParticipantStatus.choices, default=ParticipantStatus.ENROLLED
    )
    motivation = models.TextField(blank=True, help_text="What the person hopes to get and give.")
    enrolled_at = models.DateTimeField(default=timezone.now)

    # Practicalities, the last step of the profile.
    preferred_meeting_mode = models.CharField(
        max_length=10, choices=MeetingMode.choices, blank=True
    )
    preferred_cadence_days = models.PositiveSmallIntegerField(
        choices=Cadence.choices, null=True, blank=True
    )
    availability = models.TextField(
        blank=True, help_text="When you can usually meet, e.g. Tuesday or Thursday afternoons."
    )
    profile_completed_at = models.DateTimeField(null=True, blank=True)
    rematch_requested_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the person asks for a new partner."
    )

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user"], name="participant_once_per_program"
            ),
            one_of("status", ParticipantStatus, name="participant_status_valid"),
            one_of(
                "preferred_meeting_mode",
                MeetingMode,
                name="participant_meeting_mode_valid",
                blank=True,
            ),
            models.CheckConstraint(
                condition=models.Q(preferred_cadence_days__in=Cadence.values)
                | models.Q(preferred_cadence_days__isnull=True),
                name="participant_cadence_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.program}"

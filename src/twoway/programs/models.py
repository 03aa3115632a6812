"""Programs (reciprocal mentoring schemes) and the people enrolled in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from twoway.core.models import between, one_of, worker_is_late
from twoway.matching import Rules
from twoway.matching.formats import parse_rules
from twoway.matching.rules import default_rules_mapping


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ENROLLING = "enrolling", "Enrolling"
    RUNNING = "running", "Running"
    CLOSED = "closed", "Closed"


class Cadence(models.IntegerChoices):
    WEEKLY = 7, "Weekly"
    FORTNIGHTLY = 14, "Every two weeks"
    MONTHLY = 30, "Monthly"


# The ranges the database enforces on a program; the setup form and services read them
# from here so that a page never accepts what the database would refuse.
CAPACITY_RANGE = (1, 10)
PILOT_SIZE_RANGE = (2, 10000)
PULSE_INTERVAL_RANGE = (7, 365)
STALLED_AFTER_RANGE = (7, 365)
ONE_WAY_BALANCE_RANGE = (0, 1)
AT_RISK_RATING_RANGE = (1, 5)


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

    pilot_size = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How many people the pilot takes (pilots only)."
    )
    open_enrolment = models.BooleanField(
        default=False,
        help_text="Anyone in the organisation may apply; coordinators approve or decline.",
    )
    self_match = models.BooleanField(
        default=False,
        help_text="Participants rank their best suggestions before the coordinator runs "
        "the stable matching on those rankings.",
    )
    # The matching rules as the engine defines them (twoway.matching.rules): one JSON
    # object, so a rule added to the engine needs no column here.
    rules = models.JSONField(default=default_rules_mapping)

    # When a pairing is flagged on the health dashboard.
    stalled_after_days = models.PositiveSmallIntegerField(
        default=28, help_text="A pair is stalled after this many days without a conversation."
    )
    one_way_below_balance = models.FloatField(
        default=0.5,
        help_text="A pair is one-way when, after 3 exchanges, the smaller direction's value "
        "is under this share of the larger one's (0 to 1).",
    )
    at_risk_rating_at_most = models.PositiveSmallIntegerField(
        default=2,
        help_text="A pair is at risk when a partner's latest pulse rates anything this low "
        "or lower (1 to 5).",
    )
    rolled_out_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rollouts",
        help_text="The pilot this program scales up.",
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
            between("capacity", *CAPACITY_RANGE, name="program_capacity_1_to_10"),
            between(
                "pulse_interval_days", *PULSE_INTERVAL_RANGE, name="program_pulse_interval_sane"
            ),
            models.CheckConstraint(
                condition=models.Q(pilot_size__isnull=True)
                | models.Q(
                    is_pilot=True,
                    pilot_size__gte=PILOT_SIZE_RANGE[0],
                    pilot_size__lte=PILOT_SIZE_RANGE[1],
                ),
                name="program_pilot_size_for_pilots_2_to_10000",
            ),
            between("stalled_after_days", *STALLED_AFTER_RANGE, name="program_stalled_after_sane"),
            between(
                "one_way_below_balance",
                *ONE_WAY_BALANCE_RANGE,
                name="program_one_way_balance_0_to_1",
            ),
            between(
                "at_risk_rating_at_most",
                *AT_RISK_RATING_RANGE,
                name="program_at_risk_rating_1_to_5",
            ),
            one_of("status", ProgramStatus, name="program_status_valid"),
            one_of("cadence_days", Cadence, name="program_cadence_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def matching_rules(self) -> Rules:
        """The engine's rules for this program (engine defaults for any rule not stored)."""
        return parse_rules(self.rules)


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


class AuditAction(models.TextChoices):
    COORDINATOR_ADDED = "coordinator_added", "Coordinator added"
    COORDINATOR_REMOVED = "coordinator_removed", "Coordinator removed"
    SPONSOR_ADDED = "sponsor_added", "Sponsor added"
    SPONSOR_REMOVED = "sponsor_removed", "Sponsor removed"
    EXIT_REASON_VIEWED = "exit_reason_viewed", "Exit reason read"
    PULSE_VIEWED = "pulse_viewed", "Pulses read"


class AuditEvent(models.Model):
    """Who did something sensitive in a program, and when: granting a role, reading a
    confidential reason. Rows are only ever added (services never update them)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="audit_events",
    )
    action = models.CharField(max_length=24, choices=AuditAction.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The person the action concerns.",
    )
    # A pairing id, not a foreign key: pairing depends on programs, not the reverse.
    pairing_id = models.PositiveBigIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "-created_at"])]
        constraints = [one_of("action", AuditAction, name="auditevent_action_valid")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} in {self.program_id} at {self.created_at}"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class Application(models.Model):
    """Open enrolment: a person asks to join a program; its coordinators decide."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    offer = models.TextField(help_text="What I can teach.")
    learn = models.TextField(help_text="What I want to learn.")
    why = models.TextField(help_text="Why I want to join.")
    status = models.CharField(
        max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(
        blank=True, help_text="Shown to the applicant with the decision."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            one_of("status", ApplicationStatus, name="application_status_valid"),
            models.UniqueConstraint(
                fields=["program", "user"],
                condition=models.Q(status="pending"),
                name="application_one_pending_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} applies to {self.program}"


# --- Enrolment: CSV imports -------------------------------------------------------------


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", "Checking the rows"
    INVALID = "invalid", "Problems found"
    READY = "ready", "Ready to import"
    SAVING = "saving", "Saving"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed: nothing was saved"


class ImportBatch(models.Model):
    """One uploaded HRIS export: checked in the background, then saved whole or not at all.

    The CSV text is kept so the check and the save read exactly what was uploaded.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="import_batches")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=200)
    csv_text = models.TextField()
    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.VALIDATING
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    rows_saved = models.PositiveIntegerField(default=0)
    # [{"row": 3, "column": "email", "message": "..."}], in file order.
    problems = models.JSONField(default=list, blank=True)
    # {"new_accounts": N, "existing_accounts": M, "error": "..."}
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            one_of("status", ImportStatus, name="importbatch_status_valid"),
            models.CheckConstraint(
                condition=models.Q(rows_checked__lte=models.F("rows_total"))
                & models.Q(rows_saved__lte=models.F("rows_total")),
                name="importbatch_progress_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} into {self.program_id} ({self.status})"

    @property
    def is_working(self) -> bool:
        return self.status in (ImportStatus.VALIDATING, ImportStatus.SAVING)

    @property
    def waiting_for_worker(self) -> bool:
        """Uploaded a while ago and no row checked yet: is the worker running?"""
        return (
            self.status == ImportStatus.VALIDATING
            and not self.rows_checked
            and worker_is_late(self.created_at)
        )

"""Everything a pair does together: agreement, conversations, the two-way ledger, and
the private and confidential signals around it."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db import models
from django.utils import timezone

from twoway.core.models import between, one_of, rating

DEFAULT_CONFIDENTIALITY = "What we share stays between us unless we both agree otherwise."


class AgreementFormat(models.TextChoices):
    ONE_OFF = "one_off", "One-off conversation"
    FEW_WEEKS = "few_weeks", "A few weeks"
    LONG_TERM = "long_term", "Long-term"


class Agreement(models.Model):
    """One version of the expectations a pair sets together.

    Both partners confirm a version. Changing it after either has confirmed
    makes a new version that both confirm again, so the history stays visible
    to the pair; a database trigger keeps a version that both confirmed from
    being edited in place.
    """

    pairing = models.ForeignKey(
        "pairing.Pairing", on_delete=models.CASCADE, related_name="agreements"
    )
    version = models.PositiveSmallIntegerField(default=1)
    objective_a_to_b = models.TextField(help_text="What partner A helps partner B learn.")
    objective_b_to_a = models.TextField(help_text="What partner B helps partner A learn.")
    format = models.CharField(max_length=10, choices=AgreementFormat.choices)
    ends_on = models.DateField(null=True, blank=True)
    checkin_every_days = models.PositiveSmallIntegerField(default=14)
    success_measures = models.TextField(help_text="How the pair will know it worked.")
    confidentiality = models.TextField(default=DEFAULT_CONFIDENTIALITY)
    written_by = models.ForeignKey(
        "programs.Participant", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_by_a_at = models.DateTimeField(null=True, blank=True)
    confirmed_by_b_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pairing", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "version"], name="agreement_version_once"),
            between("version", 1, 1000, name="agreement_version_positive"),
            between("checkin_every_days", 1, 90, name="agreement_checkin_1_to_90_days"),
            one_of("format", AgreementFormat, name="agreement_format_valid"),
        ]

    def __str__(self) -> str:
        return f"Agreement {self.pk} v{self.version}"

    @property
    def confirmed_by_both(self) -> bool:
        return self.confirmed_by_a_at is not None and self.confirmed_by_b_at is not None


class ConversationStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Conversation(models.Model):
    """One meeting of a pair: planned, then held or cancelled."""

    pairing = models.ForeignKey(
        "pairing.Pairing", on_delete=models.CASCADE, related_name="conversations"
    )
    # Stable across reschedules and cancellation, so calendars update the one event.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.PLANNED
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    location = models.CharField(
        max_length=300, blank=True, help_text="A place, or a link to the video call."
    )
    focus_skills = models.ManyToManyField(
        "profiles.Skill", blank=True, related_name="+", help_text="What the pair plans to cover."
    )
    topics = models.JSONField(default=list, blank=True)
    shared_notes = models.TextField(blank=True, help_text="Visible to both partners.")
    logged_by = models.ForeignKey(
        "programs.Participant",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text="The partner who scheduled or recorded it.",
    )
    # Calendar apps apply an update only when its SEQUENCE is higher than the last.
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["pairing", "starts_at"], name="conversation_pairing_start")]
        constraints = [
            between("duration_minutes", 1, 600, name="conversation_duration_sane"),
            one_of("status", ConversationStatus, name="conversation_status_valid"),
            models.CheckConstraint(
                condition=models.Q(status=ConversationStatus.CANCELLED)
                | models.Q(cancelled_at__isnull=True),
                name="conversation_cancelled_at_only_when_cancelled",
            ),
        ]

    def __str__(self) -> str:
        return f"Conversation {self.pk} on {self.starts_at:%Y-%m-%d}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class Exchange(models.Model):
    """One line of the two-way ledger: in a conversation, the teacher taught the
    learner a skill, and the learner rated its value. Balance comes from here.

    Database triggers (see migrations 0002 and 0003) check that teacher and
    learner are the two partners of the conversation's pairing, and that the
    person who logged the line is one of them.
    """

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="exchanges"
    )
    teacher = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="exchanges_taught"
    )
    learner = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="exchanges_learned"
    )
    logged_by = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="exchanges_logged"
    )
    skill = models.ForeignKey("profiles.Skill", on_delete=models.PROTECT, related_name="exchanges")
    value_rating = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The learner's rating of the value, 1 to 5."
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["conversation", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(teacher=models.F("learner")),
                name="exchange_teacher_is_not_learner",
            ),
            models.UniqueConstraint(
                fields=["conversation", "teacher", "skill"], name="exchange_once_per_lesson"
            ),
            rating("value_rating", name="exchange_value_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"Exchange {self.pk}"


class JournalEntry(models.Model):
    """A private reflection. Only its author ever reads it."""

    author = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="journal_entries"
    )
    pairing = models.ForeignKey(
        "pairing.Pairing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    skills = models.ManyToManyField("profiles.Skill", blank=True, related_name="+")
    title = models.CharField(max_length=140, blank=True)
    body = models.TextField()
    revisit_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "journal entries"

    def __str__(self) -> str:
        # Never the title: the admin lists related rows by str() when deleting a person.
        return f"Journal entry {self.pk}"


class GoalStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACHIEVED = "achieved", "Achieved"
    DROPPED = "dropped", "Dropped"


class Goal(models.Model):
    """What a participant wants from the pairing; both partners have goals."""

    pairing = models.ForeignKey("pairing.Pairing", on_delete=models.CASCADE, related_name="goals")
    owner = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="goals"
    )
    skill = models.ForeignKey(
        "profiles.Skill",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The gap this goal works on.",
    )
    title = models.CharField(max_length=140)
    description = models.TextField(blank=True)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [one_of("status", GoalStatus, name="goal_status_valid")]

    def __str__(self) -> str:
        return self.title


class GoalCheckIn(models.Model):
    """A progress note on a goal."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    progress_percent = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [between("progress_percent", 0, 100, name="goal_checkin_progress_0_to_100")]

    def __str__(self) -> str:
        return f"{self.goal}: {self.progress_percent}%"


class Pulse(models.Model):
    """A short health check by one partner. Coordinators see it; the partner never does."""

    pairing = models.ForeignKey("pairing.Pairing", on_delete=models.CASCADE, related_name="pulses")
    author = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="pulses"
    )
    fit = models.PositiveSmallIntegerField()
    trust = models.PositiveSmallIntegerField()
    value_given = models.PositiveSmallIntegerField()
    value_received = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, help_text="Seen by coordinators, never the partner.")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            rating("fit", name="pulse_fit_1_to_5"),
            rating("trust", name="pulse_trust_1_to_5"),
            rating("value_given", name="pulse_value_given_1_to_5"),
            rating("value_received", name="pulse_value_received_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"Pulse {self.pk}"  # no author or date: pulses are confidential


class EndorsementKind(models.TextChoices):
    SKILL = "skill", "Endorses a skill"
    RECOMMENDATION = "recommendation", "Recommends for a role or opportunity"


class Endorsement(models.Model):
    """One partner advocating for the other."""

    pairing = models.ForeignKey(
        "pairing.Pairing", on_delete=models.CASCADE, related_name="endorsements"
    )
    author = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="endorsements_given"
    )
    recipient = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="endorsements_received"
    )
    kind = models.CharField(max_length=20, choices=EndorsementKind.choices)
    skill = models.ForeignKey(
        "profiles.Skill", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    shown_on_profile = models.BooleanField(
        default=False, help_text="The recipient decides whether it shows on their profile."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(author=models.F("recipient")),
                name="endorsement_not_of_oneself",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="skill") | models.Q(skill__isnull=False),
                name="endorsement_of_skill_names_skill",
            ),
            one_of("kind", EndorsementKind, name="endorsement_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.author.user} endorses {self.recipient.user}"


class PromptUse(models.Model):
    """A conversation prompt the pair has marked as used."""

    pairing = models.ForeignKey(
        "pairing.Pairing", on_delete=models.CASCADE, related_name="prompt_uses"
    )
    prompt_id = models.SlugField(max_length=60)
    marked_by = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "prompt_id"], name="prompt_used_once")
        ]

    def __str__(self) -> str:
        return f"Prompt {self.prompt_id} used"

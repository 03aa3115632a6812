"""Everything a pair does together: agreement, conversations, the two-way ledger, and
the private and confidential signals around it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from twoway.core.models import between, one_of, rating


class AgreementFormat(models.TextChoices):
    ONE_OFF = "one_off", "One-off conversation"
    FEW_WEEKS = "few_weeks", "A few weeks"
    LONG_TERM = "long_term", "Long-term"


class Agreement(models.Model):
    """The expectations a pair sets together; both partners must confirm them."""

    pairing = models.OneToOneField(
        "pairing.Pairing", on_delete=models.CASCADE, related_name="agreement"
    )
    objective_a_to_b = models.TextField(help_text="What A helps B learn.")
    objective_b_to_a = models.TextField(help_text="What B helps A learn.")
    format = models.CharField(max_length=10, choices=AgreementFormat.choices)
    duration_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    checkin_every_days = models.PositiveSmallIntegerField(default=14)
    success_measures = models.TextField(help_text="How the pair will know it worked.")
    confidentiality = models.TextField(
        default="What we share stays between us unless we both agree otherwise."
    )
    confirmed_by_a_at = models.DateTimeField(null=True, blank=True)
    confirmed_by_b_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            between("duration_weeks", 1, 260, name="agreement_duration_1_to_260_weeks"),
            between("checkin_every_days", 1, 90, name="agreement_checkin_1_to_90_days"),
            one_of("format", AgreementFormat, name="agreement_format_valid"),
        ]

    def __str__(self) -> str:
        return f"Agreement of {self.pairing}"


class Conversation(models.Model):
    """One meeting of a pair."""

    pairing = models.ForeignKey(
        "pairing.Pairing", on_delete=models.CASCADE, related_name="conversations"
    )
    occurred_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    topics = models.JSONField(default=list, blank=True)
    shared_notes = models.TextField(blank=True, help_text="Visible to both partners.")
    logged_by = models.ForeignKey(
        "programs.Participant", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["pairing", "occurred_at"])]
        constraints = [
            between("duration_minutes", 1, 600, name="conversation_duration_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.pairing} on {self.occurred_at:%Y-%m-%d}"


class Exchange(models.Model):
    """One line of the two-way ledger: in a conversation, the teacher taught the
    learner a skill, and the learner rated its value. Balance comes from here.

    A database trigger (see migration 0002) checks that teacher and learner are
    the two partners of the conversation's pairing.
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
            rating("value_rating", name="exchange_value_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.teacher.user} taught {self.learner.user} {self.skill}"


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
    title = models.CharField(max_length=140, blank=True)
    body = models.TextField()
    revisit_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

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

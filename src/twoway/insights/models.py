"""What the health side of insights remembers: flags as first seen, digests sent,
exits dealt with, and what coordinators did to a pairing.

The flags themselves are computed from the pairings (selectors/health.py); these
rows only record when each was first seen and cleared, so the weekly digest can
tell coordinators what is new, and so that nothing is sent twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from twoway.core.models import one_of


class FlagKind(models.TextChoices):
    STALLED = "stalled", "Stalled"
    ONE_WAY = "one_way", "One-way"
    AT_RISK = "at_risk", "At risk"
    EXIT_REQUESTED = "exit_requested", "Exit requested"


class FlagRecord(models.Model):
    """A flag on a pairing from the moment it was first seen until it cleared."""

    pairing = models.ForeignKey(
        "pairing.Pairing", on_delete=models.CASCADE, related_name="flag_records"
    )
    kind = models.CharField(max_length=20, choices=FlagKind.choices)
    raised_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["raised_at"])]
        constraints = [
            # Two workers recording the same flag at once: the second insert fails.
            models.UniqueConstraint(
                fields=["pairing", "kind"],
                condition=models.Q(cleared_at__isnull=True),
                name="flagrecord_open_once_per_pairing_and_kind",
            ),
            one_of("kind", FlagKind, name="flagrecord_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on pairing {self.pairing_id}"


class DigestSent(models.Model):
    """One coordinator's weekly digest of new flags; one row per ISO week, sent or not."""

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flag_digests"
    )
    week = models.CharField(max_length=8, help_text="The ISO week, e.g. 2026-W48.")
    sent_at = models.DateTimeField(default=timezone.now)
    flags = models.PositiveIntegerField(default=0, help_text="How many new flags it listed.")

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["coordinator", "week"], name="digest_once_a_week"),
        ]

    def __str__(self) -> str:
        return f"Digest {self.week} for {self.coordinator_id}"


class ExitReview(models.Model):
    """A coordinator has dealt with an exit, a decline, or a request for a new partner.

    Exactly one of `exit`, `decline` or (`participant`, `rematch_requested_at`) is
    set. A request for a new partner is keyed by its time, so a later request by
    the same person is a new item in the queue.
    """

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="exit_reviews"
    )
    exit = models.OneToOneField(
        "pairing.Exit", on_delete=models.CASCADE, null=True, blank=True, related_name="review"
    )
    decline = models.OneToOneField(
        "pairing.Decline", on_delete=models.CASCADE, null=True, blank=True, related_name="review"
    )
    participant = models.ForeignKey(
        "programs.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rematch_reviews",
    )
    rematch_requested_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    exit__isnull=False,
                    decline__isnull=True,
                    participant__isnull=True,
                    rematch_requested_at__isnull=True,
                )
                | models.Q(
                    exit__isnull=True,
                    decline__isnull=False,
                    participant__isnull=True,
                    rematch_requested_at__isnull=True,
                )
                | models.Q(
                    exit__isnull=True,
                    decline__isnull=True,
                    participant__isnull=False,
                    rematch_requested_at__isnull=False,
                ),
                name="exitreview_one_item",
            ),
            models.UniqueConstraint(
                fields=["participant", "rematch_requested_at"],
                condition=models.Q(participant__isnull=False),
                name="exitreview_rematch_request_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Review {self.pk}"  # no names: what it reviews is confidential


class ActionKind(models.TextChoices):
    NUDGE = "nudge", "Nudged"
    PAUSE = "pause", "Paused"
    RESUME = "resume", "Resumed"
    CLOSE = "close", "Closed"


class CoordinatorAction(models.Model):
    """Something a coordinator did to a pairing from the health dashboard.

    `on_day` (UTC) makes "one nudge a day per pairing" a database rule, so two
    coordinators clicking at the same moment send one nudge, not two.
    """

    pairing = models.ForeignKey(
        "pairing.Pairing", on_delete=models.CASCADE, related_name="coordinator_actions"
    )
    kind = models.CharField(max_length=10, choices=ActionKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    on_day = models.DateField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["pairing", "kind", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "on_day"],
                condition=models.Q(kind="nudge"),
                name="coordinatoraction_one_nudge_a_day",
            ),
            one_of("kind", ActionKind, name="coordinatoraction_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} pairing {self.pairing_id}"

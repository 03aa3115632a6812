"""Pairings of two participants, and the confidential way out of one."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from twoway.core.models import one_of


class PairingStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    EXITED = "exited", "Closed"  # partners see a neutral closure, never "exited"


# Statuses that take one of a participant's places (the program's capacity).
LIVE_STATUSES = (PairingStatus.ACCEPTED, PairingStatus.ACTIVE)


class Pairing(models.Model):
    """Two participants matched in a program.

    The pair is stored once, in canonical order (participant_a has the smaller
    id), so "A with B" and "B with A" cannot both exist. A database trigger
    (see migration 0002) keeps both partners in the pairing's program and
    holds each participant to the program's capacity of live pairings.
    """

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="pairings"
    )
    participant_a = models.ForeignKey(
        "programs.Participant", on_delete=models.RESTRICT, related_name="pairings_as_a"
    )
    participant_b = models.ForeignKey(
        "programs.Participant", on_delete=models.RESTRICT, related_name="pairings_as_b"
    )
    status = models.CharField(
        max_length=10, choices=PairingStatus.choices, default=PairingStatus.PROPOSED
    )
    score = models.FloatField(default=0.0)
    explanation = models.JSONField(
        default=dict,
        blank=True,
        help_text="What each partner teaches the other, differences bridged, common ground.",
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            # Strictly a < b: one pair, one row, and nobody paired with themselves.
            models.CheckConstraint(
                condition=models.Q(participant_a__lt=models.F("participant_b")),
                name="pairing_canonical_order",
            ),
            models.UniqueConstraint(
                fields=["program", "participant_a", "participant_b"],
                name="pairing_once_per_program",
            ),
            one_of("status", PairingStatus, name="pairing_status_valid"),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.participant_a.user} ↔ {self.participant_b.user}"


class ExitReason(models.TextChoices):
    SCHEDULE = "schedule", "We could not find time"
    FIT = "fit", "Not a good fit"
    GOALS_MET = "goals_met", "Goals already met"
    TRUST = "trust", "I did not feel safe being open"
    ROLE_CHANGE = "role_change", "A change of role or leave"
    OTHER = "other", "Another reason"


class Exit(models.Model):
    """A confidential, no-fault way out of a pairing.

    The partner sees only a neutral closure; the reason is for the author and
    the program's coordinators, who can rematch.
    """

    pairing = models.OneToOneField(Pairing, on_delete=models.CASCADE, related_name="exit")
    requested_by = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="exits_requested"
    )
    reason = models.CharField(max_length=20, choices=ExitReason.choices)
    detail = models.TextField(blank=True, help_text="Seen by coordinators only.")
    wants_rematch = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [one_of("reason", ExitReason, name="exit_reason_valid")]

    def __str__(self) -> str:
        # Shown by the admin when it lists what a deletion takes along: no names.
        return f"Exit {self.pk}"

"""Pairings of two participants, and the confidential way out of one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from twoway.core.models import one_of, worker_is_late


class PairingStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    DECLINED = "declined", "Did not go ahead"  # the partner never learns who declined, or why
    EXITED = "exited", "Closed"  # partners see a neutral closure, never "exited"


# Statuses that take one of a participant's places (the program's capacity).
LIVE_STATUSES = (PairingStatus.ACCEPTED, PairingStatus.ACTIVE)
# A pair has at most one open pairing in a program at a time; once it has ended,
# a later matching run may propose the same two people again.
OPEN_STATUSES = (PairingStatus.PROPOSED, *LIVE_STATUSES)
ENDED_STATUSES = (PairingStatus.COMPLETED, PairingStatus.DECLINED, PairingStatus.EXITED)


class Pairing(models.Model):
    """Two participants matched in a program.

    The pair is stored once, in canonical order (participant_a has the smaller
    id), so "A with B" and "B with A" cannot both be open. A database trigger
    (see migration 0002) keeps both partners in the pairing's program and
    holds each participant to the program's capacity of live pairings.

    Lifecycle: a matching run proposes the pairing; each partner accepts it
    separately (a decline by either ends it); once both have accepted it is
    accepted and takes a place; once both have confirmed the agreement it is
    active; it ends completed, or exited through the confidential way out.
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
    accepted_by_a_at = models.DateTimeField(null=True, blank=True)
    accepted_by_b_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True, help_text="When both had accepted.")
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set while a coordinator has paused an active pairing: no flags, no reminders.",
    )

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
                condition=models.Q(status__in=OPEN_STATUSES),
                name="pairing_open_once_per_program",
            ),
            # A pairing takes someone's place only with their own acceptance.
            models.CheckConstraint(
                condition=~models.Q(status__in=LIVE_STATUSES)
                | models.Q(accepted_by_a_at__isnull=False, accepted_by_b_at__isnull=False),
                name="pairing_live_only_when_both_accepted",
            ),
            one_of("status", PairingStatus, name="pairing_status_valid"),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.participant_a.user} ↔ {self.participant_b.user}"


class DeclineReason(models.TextChoices):
    TIMING = "timing", "The timing is wrong for me"
    FIT = "fit", "I don't think we would work well together"
    CONFLICT = "conflict", "We already work closely, or there is a conflict of interest"
    NEEDS = "needs", "What we could learn from each other is not what I need"
    OTHER = "other", "Another reason"


class Decline(models.Model):
    """One partner saying no to a proposal, which ends it.

    The partner sees only that the proposal did not go ahead; the reason is for
    the program's coordinators, who can propose someone else.
    """

    pairing = models.OneToOneField(Pairing, on_delete=models.CASCADE, related_name="decline")
    declined_by = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="declines"
    )
    reason = models.CharField(max_length=20, choices=DeclineReason.choices)
    detail = models.TextField(blank=True, help_text="Seen by coordinators only.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [one_of("reason", DeclineReason, name="decline_reason_valid")]

    def __str__(self) -> str:
        return f"Decline {self.pk}"  # no names: the reason is confidential


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


# --- Matching runs ----------------------------------------------------------------------


class RunMode(models.TextChoices):
    OPTIMAL = "optimal", "Best total fit"
    PARTICIPATION = "participation", "Pair as many people as possible"
    STABLE = "stable", "Stable (nobody would both rather swap)"


class RunScope(models.TextChoices):
    PROGRAM = "program", "Whole program"
    REMATCH = "rematch", "Rematch of chosen people"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Ready to review"
    FAILED = "failed", "Failed"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"


# A run that is finished and not published can still be changed and published.
REVIEWABLE = RunStatus.SUCCEEDED
FINISHED_STATUSES = (
    RunStatus.SUCCEEDED,
    RunStatus.FAILED,
    RunStatus.PUBLISHED,
    RunStatus.SUPERSEDED,
)


class MatchingRun(models.Model):
    """One run of the matching engine on a program: what went in, how it went, what came out.

    Runs stay in the history; publishing one turns its proposed pairs into pairings.
    """

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="matching_runs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    mode = models.CharField(max_length=14, choices=RunMode.choices, default=RunMode.OPTIMAL)
    scope = models.CharField(max_length=10, choices=RunScope.choices, default=RunScope.PROGRAM)
    only = models.JSONField(
        default=list, blank=True, help_text="For a rematch: the participant ids it is for."
    )
    rules = models.JSONField(default=dict, help_text="The matching rules used (a snapshot).")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    phase = models.CharField(max_length=40, blank=True)
    stats = models.JSONField(default=dict, blank=True, help_text="The engine's statistics.")
    unmatched = models.JSONField(
        default=list,
        blank=True,
        help_text="People not paired, each {participant, reason}; left-out people included.",
    )
    error = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    self_match_round = models.ForeignKey(
        "SelfMatchRound",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="runs",
        help_text="Set when the run uses the participants' rankings of a self-match round.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="matchingrun_progress_0_to_100"
            ),
            one_of("status", RunStatus, name="matchingrun_status_valid"),
            one_of("mode", RunMode, name="matchingrun_mode_valid"),
            one_of("scope", RunScope, name="matchingrun_scope_valid"),
        ]

    def __str__(self) -> str:
        return f"Matching run {self.pk} of {self.program_id}"

    @property
    def in_progress(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def waiting_for_worker(self) -> bool:
        """Queued, and nobody has picked it up for a while: is the worker running?"""
        return self.status == RunStatus.QUEUED and worker_is_late(self.created_at)

    @property
    def reviewable(self) -> bool:
        return self.status == REVIEWABLE


class ProposedPair(models.Model):
    """A pair a run proposes, before it is published as a Pairing.

    Stored in canonical order (participant_a has the smaller id), with the engine's
    explanation facing that way, as `Pairing.explanation` is. The flags are kept so
    that the preview's shares and level-gap counts are aggregates, not a loop.
    """

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="pairs")
    participant_a = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="+"
    )
    participant_b = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField()
    explanation = models.JSONField(default=dict, blank=True)
    locked = models.BooleanField(default=False)
    two_way = models.BooleanField(default=False)
    cross_department = models.BooleanField(default=False)
    level_gap = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participant_a__lt=models.F("participant_b")),
                name="proposedpair_canonical_order",
            ),
            models.UniqueConstraint(
                fields=["run", "participant_a", "participant_b"], name="proposedpair_once_per_run"
            ),
        ]
        indexes = [models.Index(fields=["run", "-score"])]

    def __str__(self) -> str:
        return f"Proposed pair {self.pk} in run {self.run_id}"


class PairRuleKind(models.TextChoices):
    LOCK = "lock", "Locked: kept by every new run"
    FORBID = "forbid", "Forbidden: never proposed"


class PairRule(models.Model):
    """A coordinator's decision about two participants, which every later run respects."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="pair_rules"
    )
    participant_a = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="+"
    )
    participant_b = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=6, choices=PairRuleKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participant_a__lt=models.F("participant_b")),
                name="pairrule_canonical_order",
            ),
            models.UniqueConstraint(
                fields=["program", "participant_a", "participant_b"], name="pairrule_once_per_pair"
            ),
            one_of("kind", PairRuleKind, name="pairrule_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} pair in {self.program_id}"


# --- Self-match rounds -------------------------------------------------------------------


class SelfMatchRound(models.Model):
    """Participants rank their best suggestions; the stable mode then runs on the rankings."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="self_match_rounds"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program"],
                condition=models.Q(closed_at__isnull=True),
                name="selfmatchround_one_open_per_program",
            )
        ]

    def __str__(self) -> str:
        return f"Self-match round {self.pk} of {self.program_id}"


class Suggestion(models.Model):
    """One suggested partner for a participant in a round, and where they ranked them.

    The explanation faces the participant (they are A). `preference` is 1 for their
    first choice and empty for someone they would rather not be paired with (or
    before they rank); `ranked_at` is set on all their suggestions when they rank.
    """

    round = models.ForeignKey(SelfMatchRound, on_delete=models.CASCADE, related_name="suggestions")
    participant = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="+"
    )
    suggested = models.ForeignKey(
        "programs.Participant", on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(help_text="1 is the engine's best suggestion.")
    score = models.FloatField()
    explanation = models.JSONField(default=dict, blank=True)
    preference = models.PositiveSmallIntegerField(null=True, blank=True)
    ranked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "participant", "suggested"], name="suggestion_once_per_round"
            ),
            models.CheckConstraint(
                condition=~models.Q(participant=models.F("suggested")),
                name="suggestion_not_oneself",
            ),
        ]
        indexes = [models.Index(fields=["round", "participant"])]

    def __str__(self) -> str:
        return f"Suggestion {self.pk} in round {self.round_id}"

"""In-app notifications: the bell, and the e-mail copy of each.

A notification says that something happened and links to it. Its title and
body are written by the service that raises it and never quote private text:
no journal entry, pulse comment, decline or exit reason ever reaches one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from twoway.core.models import one_of


class NotificationKind(models.TextChoices):
    PAIRING_PROPOSED = "pairing_proposed", "A new pairing proposal"
    PAIRING_ACCEPTED = "pairing_accepted", "Your partner accepted"
    PAIRING_DECLINED = "pairing_declined", "A proposal did not go ahead"
    AGREEMENT_CHANGED = "agreement_changed", "Your partner changed the agreement"
    AGREEMENT_CONFIRMED = "agreement_confirmed", "Your partner confirmed the agreement"
    CONVERSATION_SCHEDULED = "conversation_scheduled", "A conversation was scheduled or changed"
    CONVERSATION_UPCOMING = "conversation_upcoming", "An upcoming conversation"
    PULSE_DUE = "pulse_due", "A pulse is due"
    PAIRING_CLOSED = "pairing_closed", "A pairing was closed"
    EXIT_REQUESTED = "exit_requested", "A pairing in your program was closed"
    REMATCH_REQUESTED = "rematch_requested", "Someone would like a new partner"
    ENDORSED = "endorsed", "Your partner endorsed you"
    ROLE_GRANTED = "role_granted", "You were given a role in a program"
    APPLICATION_RECEIVED = "application_received", "Someone applied to join a program"
    APPLICATION_DECIDED = "application_decided", "Your application was decided"
    PROFILE_REMINDER = "profile_reminder", "Please complete your profile"
    IMPORT_FINISHED = "import_finished", "A participant import finished"
    MATCHING_RUN_FINISHED = "matching_run_finished", "A matching run finished"
    SUGGESTIONS_READY = "suggestions_ready", "Rank your suggested partners"
    COORDINATOR_NUDGE = "coordinator_nudge", "A note from your coordinator"
    PAIRING_PAUSED = "pairing_paused", "A pairing was paused or resumed"
    FLAGS_DIGEST = "flags_digest", "New flags in your programs"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True, help_text="A path inside Twoway.")
    # Reminders are raised by a periodic job; the key makes raising one twice a no-op.
    dedupe_key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_raised_once",
            ),
            one_of("kind", NotificationKind, name="notification_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"Notification {self.pk}"

"""The pairing lifecycle: each partner accepts or declines separately, and an ended
pairing no longer stops a later run from proposing the same two people."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import Coalesce


def accepted_by_both_when_past_proposal(apps, schema_editor):
    # Before this migration one acceptance stood for both partners.
    Pairing = apps.get_model("pairing", "Pairing")
    accepted = Coalesce("accepted_at", "started_at", "proposed_at")
    Pairing.objects.exclude(status="proposed").update(
        accepted_by_a_at=accepted, accepted_by_b_at=accepted
    )


class Migration(migrations.Migration):
    dependencies = [
        ("pairing", "0002_integrity_triggers"),
        ("programs", "0002_lifecycle"),
    ]

    operations = [
        migrations.CreateModel(
            name="Decline",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("timing", "The timing is wrong for me"),
                            ("fit", "I don't think we would work well together"),
                            (
                                "conflict",
                                "We already work closely, or there is a conflict of interest",
                            ),
                            ("needs", "What we could learn from each other is not what I need"),
                            ("other", "Another reason"),
                        ],
                        max_length=20,
                    ),
                ),
                ("detail", models.TextField(blank=True, help_text="Seen by coordinators only.")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["-created_at"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="pairing",
            name="pairing_once_per_program",
        ),
        migrations.RemoveConstraint(
            model_name="pairing",
            name="pairing_status_valid",
        ),
        migrations.AddField(
            model_name="pairing",
            name="accepted_by_a_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="pairing",
            name="accepted_by_b_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(accepted_by_both_when_past_proposal, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="pairing",
            name="accepted_at",
            field=models.DateTimeField(blank=True, help_text="When both had accepted.", null=True),
        ),
        migrations.AlterField(
            model_name="pairing",
            name="status",
            field=models.CharField(
                choices=[
                    ("proposed", "Proposed"),
                    ("accepted", "Accepted"),
                    ("active", "Active"),
                    ("completed", "Completed"),
                    ("declined", "Did not go ahead"),
                    ("exited", "Closed"),
                ],
                default="proposed",
                max_length=10,
            ),
        ),
        migrations.AddConstraint(
            model_name="pairing",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ("proposed", "accepted", "active"))),
                fields=("program", "participant_a", "participant_b"),
                name="pairing_open_once_per_program",
            ),
        ),
        migrations.AddConstraint(
            model_name="pairing",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ("accepted", "active")), _negated=True),
                    models.Q(
                        ("accepted_by_a_at__isnull", False), ("accepted_by_b_at__isnull", False)
                    ),
                    _connector="OR",
                ),
                name="pairing_live_only_when_both_accepted",
            ),
        ),
        migrations.AddConstraint(
            model_name="pairing",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        ["proposed", "accepted", "active", "completed", "declined", "exited"],
                    )
                ),
                name="pairing_status_valid",
            ),
        ),
        migrations.AddField(
            model_name="decline",
            name="declined_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="declines",
                to="programs.participant",
            ),
        ),
        migrations.AddField(
            model_name="decline",
            name="pairing",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="decline",
                to="pairing.pairing",
            ),
        ),
        migrations.AddConstraint(
            model_name="decline",
            constraint=models.CheckConstraint(
                condition=models.Q(("reason__in", ["timing", "fit", "conflict", "needs", "other"])),
                name="decline_reason_valid",
            ),
        ),
    ]

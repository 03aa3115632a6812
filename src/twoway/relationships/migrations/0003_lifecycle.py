"""Agreement versions with an end date, planned and cancelled conversations with a
stable calendar UID, who logged each exchange, and links for journal and goals."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pairing", "0003_lifecycle"),
        ("profiles", "0002_lifecycle"),
        ("programs", "0002_lifecycle"),
        ("relationships", "0002_partner_triggers"),
    ]

    operations = [
        migrations.CreateModel(
            name="PromptUse",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("prompt_id", models.SlugField(max_length=60)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["created_at"],
            },
        ),
        migrations.AlterModelOptions(
            name="agreement",
            options={"ordering": ["pairing", "-version"]},
        ),
        migrations.AlterModelOptions(
            name="conversation",
            options={"ordering": ["-starts_at"]},
        ),
        migrations.RemoveConstraint(
            model_name="agreement",
            name="agreement_duration_1_to_260_weeks",
        ),
        migrations.RemoveIndex(
            model_name="conversation",
            name="relationshi_pairing_37fb14_idx",
        ),
        migrations.RenameField(
            model_name="conversation",
            old_name="occurred_at",
            new_name="starts_at",
        ),
        migrations.AddField(
            model_name="agreement",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="agreement",
            name="ends_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="agreement",
            name="version",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="agreement",
            name="written_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="programs.participant",
            ),
        ),
        migrations.AddField(
            model_name="conversation",
            name="cancelled_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="conversation",
            name="focus_skills",
            field=models.ManyToManyField(
                blank=True,
                help_text="What the pair plans to cover.",
                related_name="+",
                to="profiles.skill",
            ),
        ),
        migrations.AddField(
            model_name="conversation",
            name="location",
            field=models.CharField(
                blank=True, help_text="A place, or a link to the video call.", max_length=300
            ),
        ),
        migrations.AddField(
            model_name="conversation",
            name="sequence",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="conversation",
            name="status",
            field=models.CharField(
                choices=[("planned", "Planned"), ("held", "Held"), ("cancelled", "Cancelled")],
                default="planned",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="conversation",
            name="uid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="conversation",
            name="updated_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="endorsement",
            name="shown_on_profile",
            field=models.BooleanField(
                default=False, help_text="The recipient decides whether it shows on their profile."
            ),
        ),
        migrations.AddField(
            model_name="exchange",
            name="logged_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="exchanges_logged",
                to="programs.participant",
            ),
        ),
        migrations.AddField(
            model_name="goal",
            name="skill",
            field=models.ForeignKey(
                blank=True,
                help_text="The gap this goal works on.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="profiles.skill",
            ),
        ),
        migrations.AddField(
            model_name="journalentry",
            name="conversation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="relationships.conversation",
            ),
        ),
        migrations.AddField(
            model_name="journalentry",
            name="skills",
            field=models.ManyToManyField(blank=True, related_name="+", to="profiles.skill"),
        ),
        migrations.AddField(
            model_name="journalentry",
            name="updated_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="agreement",
            name="objective_a_to_b",
            field=models.TextField(help_text="What partner A helps partner B learn."),
        ),
        migrations.AlterField(
            model_name="agreement",
            name="objective_b_to_a",
            field=models.TextField(help_text="What partner B helps partner A learn."),
        ),
        migrations.AlterField(
            model_name="agreement",
            name="pairing",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="agreements",
                to="pairing.pairing",
            ),
        ),
        migrations.AlterField(
            model_name="conversation",
            name="logged_by",
            field=models.ForeignKey(
                help_text="The partner who scheduled or recorded it.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="programs.participant",
            ),
        ),
        migrations.AddIndex(
            model_name="conversation",
            index=models.Index(fields=["pairing", "starts_at"], name="conversation_pairing_start"),
        ),
        migrations.AddConstraint(
            model_name="agreement",
            constraint=models.UniqueConstraint(
                fields=("pairing", "version"), name="agreement_version_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="agreement",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("version__gte", 1), ("version__lte", 1000)),
                    ("version__isnull", True),
                    _connector="OR",
                ),
                name="agreement_version_positive",
            ),
        ),
        migrations.AddConstraint(
            model_name="conversation",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["planned", "held", "cancelled"])),
                name="conversation_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="conversation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "cancelled"), ("cancelled_at__isnull", True), _connector="OR"
                ),
                name="conversation_cancelled_at_only_when_cancelled",
            ),
        ),
        migrations.AddConstraint(
            model_name="exchange",
            constraint=models.UniqueConstraint(
                fields=("conversation", "teacher", "skill"), name="exchange_once_per_lesson"
            ),
        ),
        migrations.AddField(
            model_name="promptuse",
            name="marked_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="programs.participant",
            ),
        ),
        migrations.AddField(
            model_name="promptuse",
            name="pairing",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="prompt_uses",
                to="pairing.pairing",
            ),
        ),
        migrations.AddConstraint(
            model_name="promptuse",
            constraint=models.UniqueConstraint(
                fields=("pairing", "prompt_id"), name="prompt_used_once"
            ),
        ),
    ]

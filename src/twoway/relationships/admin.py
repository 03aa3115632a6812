from django.contrib import admin

from twoway.relationships.models import Agreement, Conversation

# Journal entries (author only), pulses (author and coordinators) and the contents
# of conversations between partners are private, so they are not in the admin.


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["pairing", "format", "confirmed_by_a_at", "confirmed_by_b_at"]
    fields = [
        "pairing",
        "format",
        "duration_weeks",
        "checkin_every_days",
        "confirmed_by_a_at",
        "confirmed_by_b_at",
    ]
    raw_id_fields = ["pairing"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["pairing", "occurred_at", "duration_minutes"]
    fields = ["pairing", "occurred_at", "duration_minutes"]
    raw_id_fields = ["pairing"]

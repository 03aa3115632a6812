from django.contrib import admin

from twoway.relationships.models import Agreement, Conversation

# Journal entries (author only), pulses (author and coordinators) and the contents
# of conversations between partners are private, so they are not in the admin.


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["pairing", "version", "format", "confirmed_by_a_at", "confirmed_by_b_at"]
    fields = [
        "pairing",
        "version",
        "format",
        "ends_on",
        "checkin_every_days",
        "confirmed_by_a_at",
        "confirmed_by_b_at",
    ]
    raw_id_fields = ["pairing"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["pairing", "status", "starts_at", "duration_minutes"]
    fields = ["pairing", "status", "starts_at", "duration_minutes"]
    raw_id_fields = ["pairing"]

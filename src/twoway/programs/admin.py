from django.contrib import admin

from twoway.programs.models import Participant, Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "is_pilot", "starts_on", "ends_on", "capacity"]
    list_filter = ["status", "is_pilot"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["coordinators", "sponsors"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "status", "enrolled_at"]
    list_filter = ["program", "status"]
    search_fields = ["user__full_name", "user__email"]
    list_select_related = ["user", "program"]
    raw_id_fields = ["user"]

from django import forms
from django.contrib import admin

from twoway.programs.models import Participant, Program
from twoway.programs.setup_services import ROLE_FIELD, Role, program_roles_set


class ProgramAdminForm(forms.ModelForm):
    """The admin's program form (ModelAdmin supplies the model and fields)."""

    def clean_coordinators(self):
        coordinators = self.cleaned_data["coordinators"]
        had_some = self.instance.pk and self.instance.coordinators.exists()
        if had_some and not coordinators:
            raise forms.ValidationError("A program needs at least one coordinator.")
        return coordinators


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    form = ProgramAdminForm
    list_display = ["name", "status", "is_pilot", "starts_on", "ends_on", "capacity"]
    list_filter = ["status", "is_pilot"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["coordinators", "sponsors"]

    def save_related(self, request, form, formsets, change):
        """Roles go through the same service as the Team page, so that a staff admin
        who grants a role (even to themselves) leaves the same audit record."""
        wanted = {role: form.cleaned_data.pop(field) for role, field in ROLE_FIELD.items()}
        super().save_related(request, form, formsets, change)
        for role in (Role.COORDINATOR, Role.SPONSOR):
            program_roles_set(program=form.instance, by=request.user, role=role, users=wanted[role])


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "status", "enrolled_at"]
    list_filter = ["program", "status"]
    search_fields = ["user__full_name", "user__email"]
    list_select_related = ["user", "program"]
    raw_id_fields = ["user"]

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from twoway.accounts.models import Invitation, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "is_staff", "is_active", "last_login"]
    search_fields = ["full_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "preferred_name", "timezone"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "program", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "program"]
    search_fields = ["email"]
    # Invitations carry a secret; they are created from the program's page, which e-mails it.
    readonly_fields = ["token_hash", "accepted_at", "accepted_by"]

    def has_add_permission(self, request):
        return False

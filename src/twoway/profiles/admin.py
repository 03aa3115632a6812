from django.contrib import admin

from twoway.profiles.models import Gap, Offer, Profile, Skill, SkillAlias


class SkillAliasInline(admin.TabularInline):
    model = SkillAlias
    extra = 1


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "category", "cluster", "typical_giver"]
    list_filter = ["status", "category", "typical_giver"]
    search_fields = ["name", "aliases__name", "cluster"]
    inlines = [SkillAliasInline]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    # Resource groups and the bio are the person's to share; staff have no need of them.
    exclude = ["resource_groups", "bio"]
    list_display = ["user", "job_title", "department", "level", "location"]
    list_filter = ["department", "level", "location"]
    search_fields = ["user__full_name", "user__email", "job_title"]
    autocomplete_fields = ["user", "manager"]
    list_select_related = ["user"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["participant", "skill", "proficiency"]
    list_select_related = ["participant__user", "participant__program", "skill"]
    autocomplete_fields = ["skill"]
    raw_id_fields = ["participant"]


@admin.register(Gap)
class GapAdmin(admin.ModelAdmin):
    list_display = ["participant", "skill", "priority"]
    list_select_related = ["participant__user", "participant__program", "skill"]
    autocomplete_fields = ["skill"]
    raw_id_fields = ["participant"]

from django.contrib import admin

from twoway.pairing.models import Pairing

# Exit reasons are confidential to the author and the program's coordinators,
# so exits are deliberately not in the admin.


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "program", "status", "score", "started_at"]
    list_filter = ["program", "status"]
    list_select_related = ["program", "participant_a__user", "participant_b__user"]
    raw_id_fields = ["participant_a", "participant_b"]

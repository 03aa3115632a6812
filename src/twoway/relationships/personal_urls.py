"""Pages of one person rather than of a pair: their private journal, and the
endorsements they received (which they show on their profile or not)."""

from django.urls import path

from twoway.relationships.views import growth, journal

app_name = "personal"

urlpatterns = [
    path("journal/", journal.journal_list, name="journal"),
    path("journal/new/", journal.journal_new, name="journal-new"),
    path("journal/<int:entry_id>/", journal.journal_entry, name="journal-entry"),
    path("journal/<int:entry_id>/edit/", journal.journal_edit, name="journal-edit"),
    path("journal/<int:entry_id>/delete/", journal.journal_delete, name="journal-delete"),
    path(
        "journal/<int:entry_id>/revisited/",
        journal.journal_revisited,
        name="journal-revisited",
    ),
    path("endorsements/", growth.endorsements_page, name="endorsements"),
    path(
        "endorsements/<int:endorsement_id>/visibility/",
        growth.endorsement_visibility,
        name="endorsement-visibility",
    ),
]

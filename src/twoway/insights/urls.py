from django.urls import path

from twoway.insights.views import exits as exit_views
from twoway.insights.views import health as health_views
from twoway.insights.views import reports

app_name = "insights"

urlpatterns = [
    # Health: the dashboard, the actions on a pairing, its pulses; the exits queue.
    path("<slug:slug>/health/", health_views.health, name="health"),
    path(
        "<slug:slug>/health/<int:pairing_id>/pulses/",
        health_views.pulses,
        name="pairing-pulses",
    ),
    path(
        "<slug:slug>/health/<int:pairing_id>/rematch/",
        health_views.pairing_rematch,
        name="pairing-rematch",
    ),
    path(
        "<slug:slug>/health/<int:pairing_id>/<slug:action>/",
        health_views.pairing_action,
        name="pairing-action",
    ),
    path("<slug:slug>/exits/", exit_views.exits, name="exits"),
    path(
        "<slug:slug>/exits/<slug:kind>/<int:item_id>/reason/",
        exit_views.exit_reason,
        name="exit-reason",
    ),
    path(
        "<slug:slug>/exits/<slug:kind>/<int:item_id>/dealt-with/",
        exit_views.exit_review,
        name="exit-review",
    ),
    path(
        "<slug:slug>/exits/<slug:kind>/<int:item_id>/rematch/",
        exit_views.exit_rematch,
        name="exit-rematch",
    ),
    # Reports: aggregates for coordinators and sponsors, and their CSV exports.
    path("<slug:slug>/reports/", reports.reports, name="reports"),
    path("<slug:slug>/reports/figures.csv", reports.report_figures_csv, name="report-figures-csv"),
    path("<slug:slug>/reports/pairings.csv", reports.pairing_list_csv, name="pairing-list-csv"),
]

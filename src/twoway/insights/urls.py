from django.urls import path

from twoway.insights.views import exits as exit_views
from twoway.insights.views import health as health_views

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
]

from django.urls import path

from twoway.relationships.views import growth, pair

app_name = "relationships"

urlpatterns = [
    path("<int:pairing_id>/", pair.pairing_overview, name="pairing"),
    path("<int:pairing_id>/goals/", growth.goals_page, name="goals"),
    path("<int:pairing_id>/goals/add/", growth.goal_add, name="goal-add"),
    path(
        "<int:pairing_id>/goals/<int:goal_id>/check-in/",
        growth.goal_check_in_view,
        name="goal-check-in",
    ),
    path(
        "<int:pairing_id>/goals/<int:goal_id>/<slug:action>/",
        growth.goal_status_view,
        name="goal-status",
    ),
    path("<int:pairing_id>/pulse/", growth.pulse_view, name="pulse"),
    path("<int:pairing_id>/endorse/", growth.endorse_view, name="endorse"),
]

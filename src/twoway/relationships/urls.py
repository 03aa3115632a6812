from django.urls import path

from twoway.relationships.views import agreement, growth, pair

app_name = "relationships"

urlpatterns = [
    path("<int:pairing_id>/", pair.pairing_overview, name="pairing"),
    path("<int:pairing_id>/agreement/", agreement.agreement_page, name="agreement"),
    path("<int:pairing_id>/agreement/edit/", agreement.agreement_edit, name="agreement-edit"),
    path(
        "<int:pairing_id>/agreement/versions/<int:version>/",
        agreement.agreement_version_page,
        name="agreement-version",
    ),
    path(
        "<int:pairing_id>/agreement/versions/<int:version>/confirm/",
        agreement.agreement_confirm_view,
        name="agreement-confirm",
    ),
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

from django.urls import path

from twoway.programs import application_views, setup_views, views

app_name = "programs"

urlpatterns = [
    # Before "<slug>/": "new" is a reserved slug (setup_services.RESERVED_SLUGS).
    path("new/", setup_views.program_new, name="new"),
    path("<slug:slug>/", views.overview, name="overview"),
    path("<slug:slug>/setup/", setup_views.setup, name="setup"),
    path("<slug:slug>/rollout/", setup_views.rollout, name="rollout"),
    path("<slug:slug>/team/", setup_views.team, name="team"),
    path(
        "<slug:slug>/team/<str:role>/<int:user_id>/remove/",
        setup_views.team_remove,
        name="team-remove",
    ),
    path("<slug:slug>/apply/", application_views.apply, name="apply"),
    path("<slug:slug>/applications/", application_views.applications, name="applications"),
    path(
        "<slug:slug>/applications/<int:application_id>/approve/",
        application_views.application_approve_view,
        name="application-approve",
    ),
    path(
        "<slug:slug>/applications/<int:application_id>/decline/",
        application_views.application_decline_view,
        name="application-decline",
    ),
]

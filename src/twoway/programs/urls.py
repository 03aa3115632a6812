from django.urls import path

from twoway.programs import application_views, enrolment_views, setup_views, views

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
    # Enrolment: the People tab.
    path("<slug:slug>/people/", enrolment_views.people, name="people"),
    path("<slug:slug>/people/invite/", enrolment_views.people_invite, name="people-invite"),
    path("<slug:slug>/people/remind/", enrolment_views.people_remind, name="people-remind"),
    path("<slug:slug>/people/import/", enrolment_views.import_upload, name="import-upload"),
    path(
        "<slug:slug>/people/import/template.csv",
        enrolment_views.import_template,
        name="import-template",
    ),
    path("<slug:slug>/people/import/<int:batch_id>/", enrolment_views.import_detail, name="import"),
    path(
        "<slug:slug>/people/import/<int:batch_id>/progress/",
        enrolment_views.import_progress,
        name="import-progress",
    ),
    path(
        "<slug:slug>/people/import/<int:batch_id>/problems.csv",
        enrolment_views.import_problems,
        name="import-problems",
    ),
    path(
        "<slug:slug>/people/import/<int:batch_id>/save/",
        enrolment_views.import_save,
        name="import-save",
    ),
]

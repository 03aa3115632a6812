from django.urls import path

from twoway.programs import enrolment_views, views

app_name = "programs"

urlpatterns = [
    path("<slug:slug>/", views.overview, name="overview"),
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

"""The coordinators' matching pages, under /programs/<slug>/matching/."""

from django.urls import path

from twoway.pairing import run_views as views

app_name = "matching"

urlpatterns = [
    path("<slug:slug>/matching/", views.runs_view, name="runs"),
    path("<slug:slug>/matching/runs/<int:run_id>/", views.run_view, name="run"),
    path(
        "<slug:slug>/matching/runs/<int:run_id>/progress/",
        views.run_progress_view,
        name="progress",
    ),
    path("<slug:slug>/matching/runs/<int:run_id>/publish/", views.run_publish_view, name="publish"),
    path(
        "<slug:slug>/matching/runs/<int:run_id>/pairs/<int:pair_id>/lock/",
        views.pair_lock_view,
        name="lock",
    ),
    path(
        "<slug:slug>/matching/runs/<int:run_id>/pairs/<int:pair_id>/forbid/",
        views.pair_forbid_view,
        name="forbid",
    ),
    path(
        "<slug:slug>/matching/runs/<int:run_id>/pairs/<int:pair_id>/swap/",
        views.pair_swap_view,
        name="swap",
    ),
    path("<slug:slug>/matching/round/", views.round_open_view, name="round-open"),
    path("<slug:slug>/matching/round/run/", views.round_run_view, name="round-run"),
    path("<slug:slug>/suggestions/", views.suggestions_view, name="suggestions"),
    path(
        "<slug:slug>/matching/rules/<int:rule_id>/remove/",
        views.pair_rule_remove_view,
        name="remove-rule",
    ),
]

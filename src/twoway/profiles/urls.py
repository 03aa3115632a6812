from django.urls import path

from twoway.profiles import views

app_name = "profiles"

urlpatterns = [
    # Onboarding: the home page links to "profiles:welcome" while a profile is unfinished.
    path("welcome/<slug:slug>/", views.welcome, name="welcome"),
    path("welcome/<slug:slug>/about/", views.welcome_about, name="welcome-about"),
    path("welcome/<slug:slug>/offers/", views.welcome_offers, name="welcome-offers"),
    path("welcome/<slug:slug>/gaps/", views.welcome_gaps, name="welcome-gaps"),
    path(
        "welcome/<slug:slug>/practicalities/",
        views.welcome_practicalities,
        name="welcome-practicalities",
    ),
    # The person's own profile, and the same steps in edit mode.
    path("profile/", views.profile, name="profile"),
    path("profile/about/", views.edit_about, name="edit-about"),
    path("profile/sharing/", views.sharing, name="sharing"),
    path("profile/<slug:slug>/offers/", views.edit_offers, name="edit-offers"),
    path("profile/<slug:slug>/gaps/", views.edit_gaps, name="edit-gaps"),
    path(
        "profile/<slug:slug>/practicalities/",
        views.edit_practicalities,
        name="edit-practicalities",
    ),
    path("skills/suggest/", views.skill_suggest, name="skill-suggest"),
]

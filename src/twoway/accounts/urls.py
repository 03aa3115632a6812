from django.urls import path

from twoway.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept-invitation"),
    path(
        "programs/<slug:slug>/invitations/",
        views.program_invitations,
        name="program-invitations",
    ),
]

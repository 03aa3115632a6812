from django.contrib import admin
from django.urls import include, path

from twoway.home import views as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("accounts/", include("twoway.accounts.urls")),
    path("programs/", include("twoway.programs.urls")),
    path("programs/", include("twoway.insights.urls")),
    path("programs/", include("twoway.pairing.run_urls")),
    path("pairings/", include("twoway.pairing.urls")),
    path("pairings/", include("twoway.relationships.urls")),
    path("notifications/", include("twoway.notifications.urls")),
    path("", include("twoway.relationships.personal_urls")),
    path("", include("twoway.profiles.urls")),
    path("admin/", admin.site.urls),
]

from django.contrib import admin
from django.urls import include, path

from twoway.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/", include("twoway.accounts.urls")),
    path("admin/", admin.site.urls),
]

from django.urls import path

from twoway.programs import views

app_name = "programs"

urlpatterns = [
    path("<slug:slug>/", views.overview, name="overview"),
]

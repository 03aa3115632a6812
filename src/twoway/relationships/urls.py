from django.urls import path

from twoway.relationships.views import pair

app_name = "relationships"

urlpatterns = [
    path("<int:pairing_id>/", pair.pairing_overview, name="pairing"),
]

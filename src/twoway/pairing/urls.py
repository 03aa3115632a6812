from django.urls import path

from twoway.pairing import views

app_name = "pairing"

urlpatterns = [
    path("<int:pairing_id>/accept/", views.pairing_accept_view, name="accept"),
    path("<int:pairing_id>/decline/", views.pairing_decline_view, name="decline"),
    path("<int:pairing_id>/close/", views.pairing_close_view, name="close"),
    path("<int:pairing_id>/rematch/", views.pairing_rematch_view, name="rematch"),
]

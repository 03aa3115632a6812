from django.urls import path

from twoway.relationships.views import agreement, pair

app_name = "relationships"

urlpatterns = [
    path("<int:pairing_id>/", pair.pairing_overview, name="pairing"),
    path("<int:pairing_id>/agreement/", agreement.agreement_page, name="agreement"),
    path("<int:pairing_id>/agreement/edit/", agreement.agreement_edit, name="agreement-edit"),
    path(
        "<int:pairing_id>/agreement/versions/<int:version>/",
        agreement.agreement_version_page,
        name="agreement-version",
    ),
    path(
        "<int:pairing_id>/agreement/versions/<int:version>/confirm/",
        agreement.agreement_confirm_view,
        name="agreement-confirm",
    ),
]

import html

import pytest

pytestmark = pytest.mark.django_db


def test_unknown_address_gets_twoways_own_404_page(client, cast):
    client.force_login(cast.alice)
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "URLconf" not in response.content.decode()  # not Django's debug page


def test_forbidden_page_explains_itself(client, cast):
    client.force_login(cast.alice)
    response = client.get("/accounts/programs/river/invitations/")
    assert response.status_code == 403
    assert "Only the program's coordinators can invite people." in html.unescape(
        response.content.decode()
    )

import re

import pytest
from django.core import mail

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_argon2_is_the_configured_password_hasher():
    # The suite swaps in a fast hasher (conftest); the shipped setting must lead with Argon2.
    from twoway.config import settings as shipped

    assert shipped.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_sign_in_with_e_mail_and_password_in_any_case(client, cast):
    response = client.post(
        "/accounts/sign-in/", {"username": "ALICE@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"] == cast.alice


def test_wrong_password_gets_a_clear_error_and_no_session(client, cast):
    response = client.post(
        "/accounts/sign-in/", {"username": "alice@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_returns_to_the_page_asked_for(client, cast):
    response = client.post(
        "/accounts/sign-in/?next=/accounts/programs/river/invitations/",
        {
            "username": "dana@example.org",
            "password": TEST_PASSWORD,
            "next": "/accounts/programs/river/invitations/",
        },
    )
    assert response["Location"] == "/accounts/programs/river/invitations/"


def test_sign_out_ends_the_session(client, cast):
    client.force_login(cast.alice)
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_sign_out_by_get_is_refused(client, cast):
    # A link on another site must not be able to sign people out.
    client.force_login(cast.alice)
    assert client.get("/accounts/sign-out/").status_code == 405


def test_argon2_hash_verifies_a_real_password(settings):
    from django.contrib.auth.hashers import check_password, make_password

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    encoded = make_password("s3cret-phrase")
    assert encoded.startswith("argon2$")
    assert check_password("s3cret-phrase", encoded)


def test_forgotten_password_can_be_reset_by_e_mail(client, cast):
    response = client.post("/accounts/password-reset/", {"email": "alice@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    [message] = mail.outbox
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    new = {"new_password1": "a brand new phrase", "new_password2": "a brand new phrase"}
    done = client.post(form_page.redirect_chain[-1][0], new)
    assert done["Location"] == "/accounts/password-reset/complete/"
    assert client.login(username="alice@example.org", password="a brand new phrase")


def test_password_reset_for_an_unknown_address_reveals_nothing(client, cast):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert not mail.outbox

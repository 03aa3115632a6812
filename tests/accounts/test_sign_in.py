import re
from datetime import timedelta

import pytest
from django.core import mail

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_argon2_is_the_configured_password_hasher():
    # The suite swaps in a fast hasher (conftest); the shipped setting must lead with Argon2.
    from twoway.config import settings as shipped

    assert shipped.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def sign_in(client, email: str, password: str, **extra):
    return client.post("/accounts/sign-in/", {"username": email, "password": password}, **extra)


def test_sign_in_with_e_mail_and_password_in_any_case(client, cast):
    response = sign_in(client, "ALICE@example.org", TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"] == cast.alice


def test_wrong_password_gets_a_clear_error_and_no_session(client, cast):
    response = sign_in(client, "alice@example.org", "nope")
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
    signed_in = sign_in(client, "alice@example.org", "a brand new phrase")
    assert signed_in.status_code == 302


def test_password_reset_for_an_unknown_address_reveals_nothing(client, cast):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert not mail.outbox


def test_repeated_wrong_passwords_lock_the_account_out_from_that_address(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "alice@example.org", "guess").status_code == 200
    locked = sign_in(client, "Alice@Example.org", "guess")  # case does not reset the count
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    # The right password is refused too until the pause is over, without hashing it.
    assert sign_in(client, "alice@example.org", TEST_PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lock_out_is_per_account_and_address(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice@example.org", "guess")
    assert sign_in(client, "bob@example.org", TEST_PASSWORD).status_code == 302
    elsewhere = sign_in(client, "alice@example.org", TEST_PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert elsewhere.status_code == 302


def test_the_lock_out_ends_after_the_cool_off(client, cast, settings):
    import time_machine
    from django.utils import timezone

    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice@example.org", "guess")
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert sign_in(client, "alice@example.org", TEST_PASSWORD).status_code == 302


def test_a_forged_forwarded_for_header_does_not_dodge_the_lock_out(client, cast, settings):
    settings.BEHIND_PROXY = True
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice@example.org", "guess", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 9.9.9.9")
    again = sign_in(client, "alice@example.org", "guess", HTTP_X_FORWARDED_FOR="8.8.8.8, 9.9.9.9")
    assert again.status_code == 429


def test_an_address_guessing_many_accounts_is_paused_too(client, cast, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 6
    for n in range(5):  # one wrong password each for five accounts: none is locked alone
        assert sign_in(client, f"someone{n}@example.org", "guess").status_code == 200
    assert sign_in(client, "someone5@example.org", "guess").status_code == 429  # the sixth
    assert sign_in(client, "alice@example.org", TEST_PASSWORD).status_code == 429
    elsewhere = sign_in(client, "alice@example.org", TEST_PASSWORD, REMOTE_ADDR="10.9.8.7")
    assert elsewhere.status_code == 302

"""Request helpers every app shares."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address sign-in throttling counts attempts by.

    X-Forwarded-For is trusted only behind our own proxy (TWOWAY_BEHIND_PROXY),
    and then only its last entry, the one that proxy appended: anything before it
    was written by the client and could be forged to dodge a lock-out.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_PROXY and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


def sign_in_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The account a sign-in attempt is for, as throttling counts it.

    Both sign-in forms (ours and the admin's) post the address as "username";
    the credentials name it after the user model's field ("email") or not at all
    depending on the caller, so the posted form comes first. Addresses sign in in
    any case, so they are counted in one case: otherwise "ALICE@..." would get a
    fresh set of guesses.
    """
    credentials = credentials or {}
    posted = getattr(request, "POST", {})
    name = posted.get("username") or credentials.get("username") or credentials.get("email")
    return (name or "").strip().lower()

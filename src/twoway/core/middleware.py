"""Show times in the signed-in person's timezone; everything is stored in UTC."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.shortcuts import render, resolve_url
from django.utils import timezone

from twoway.core.timezones import zone_or_none
from twoway.core.views import healthz

HEALTH_PATH = "/healthz"


class UserTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone = zone_or_none(user.timezone) if user is not None and user.is_authenticated else None
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Switch off browser features Twoway never uses, for every page it serves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class HealthCheckMiddleware:
    """Answer /healthz before anything else looks at the request.

    Load balancers call it by IP address and over plain HTTP, which host
    validation and the HTTPS redirect would refuse.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == HEALTH_PATH:
            return healthz(request)
        return self.get_response(request)


class FormAfterSignInMiddleware:
    """Answers for forms that cannot be handled as sent.

    - A form posted after the session ended is sent to sign in; afterwards the
      person returns to the page the form was on (its address only takes posts).
    - An address that only takes forms, opened directly, gets a page that says
      so, instead of an empty "405".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "POST" and response.status_code == 302:
            return self._back_to_the_form_page(request, response)
        if response.status_code == 405 and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response

    @staticmethod
    def _back_to_the_form_page(request, response):
        sign_in = resolve_url(settings.LOGIN_URL)
        if not response["Location"].startswith(sign_in + "?"):
            return response
        referer = urlsplit(request.META.get("HTTP_REFERER", ""))
        same_site = referer.netloc == request.get_host() and referer.path
        back = referer.path if same_site else "/"
        response["Location"] = f"{sign_in}?{urlencode({'next': back})}"
        return response

"""Show times in the signed-in person's timezone; everything is stored in UTC."""

from __future__ import annotations

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

"""Sign-in throttling: django-axes' lock-out, plus one per address across accounts.

Axes locks an account out from one address after a few wrong passwords. A
client guessing many accounts from one address would never hit that, and every
guess would still cost an Argon2 hash; so an address that piles up wrong
passwords for any accounts is paused as well. Its limit is higher, because an
office behind one address shares it.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


class SignInThrottle(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self._address_is_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # Axes flags the request for its lock-out answer (HTTP 429) by its own count;
        # flag it for the address's count as well.
        not_yet_flagged = request is not None and not request.axes_locked_out
        if not_yet_flagged and self._address_is_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials

    def _address_is_locked(self, request) -> bool:
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return False
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        failures = AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=since
        ).aggregate(total=Sum("failures_since_start"))["total"]
        return (failures or 0) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT

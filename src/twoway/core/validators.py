import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError


@cache
def _known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _known_timezones():
        raise ValidationError(
            "'%(value)s' is not a known IANA timezone, such as Europe/London.",
            params={"value": value},
        )

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import validate_email


@cache
def _known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _known_timezones():
        raise ValidationError(
            "'%(value)s' is not a known IANA timezone, such as Europe/London.",
            params={"value": value},
        )


def is_email(value: str) -> bool:
    """Whether Django's e-mail validator accepts `value` (for lists checked row by row)."""
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True

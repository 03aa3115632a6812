"""Shared model helpers."""

from datetime import timedelta

from django.db import models
from django.utils import timezone

# A second submit of the same form within this long is taken for a double click.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)


def made_just_now(rows: models.QuerySet):
    """The row that a first submit of the same form made moments ago, or None.

    Call it under a lock that puts the two submits in line (the pairing's or the
    author's row), with `rows` filtered to what the form says.
    """
    return rows.filter(created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW).first()


# A background task nobody has picked up after this long suggests no worker is running.
WORKER_LATE = timedelta(minutes=1)


def worker_is_late(queued_at) -> bool:
    """Whether a task queued at `queued_at` has waited longer than a worker would take."""
    return queued_at is not None and queued_at < timezone.now() - WORKER_LATE


def between(field: str, low: int, high: int, *, name: str) -> models.CheckConstraint:
    """A database check that `field` lies in [low, high] (NULL passes, as in SQL)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": low, f"{field}__lte": high})
        | models.Q(**{f"{field}__isnull": True}),
        name=name,
    )


RATING_MIN, RATING_MAX = 1, 5


def rating(field: str, *, name: str) -> models.CheckConstraint:
    """Ratings, proficiencies and priorities all run from 1 to 5."""
    return between(field, RATING_MIN, RATING_MAX, name=name)


def one_of(
    field: str, choices: type[models.Choices], *, name: str, blank: bool = False
) -> models.CheckConstraint:
    """A database check that `field` holds one of its choices, whoever writes the row.

    With `blank`, the empty string ("not said") is allowed too.
    """
    allowed = [*choices.values, ""] if blank else choices.values
    return models.CheckConstraint(condition=models.Q(**{f"{field}__in": allowed}), name=name)

"""Shared model helpers."""

from django.db import models


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

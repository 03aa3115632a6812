"""Errors the matching engine reports to its callers."""

from __future__ import annotations

import reprlib
from typing import Any


class InputError(Exception):
    """The input is invalid. `problems` holds one message per problem found.

    Readers collect every problem they can find before raising, so that a user fixes
    their file in one pass rather than one error at a time.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = _SHORT_REPR.maxlong = 60
_SHORT_REPR.maxlevel = 3


def shown(value: Any) -> str:
    """A value as an error message quotes it: short, on one line, whatever its size."""
    return _SHORT_REPR.repr(value)


def quoted(text: str) -> str:
    """A name (an id, a field) in quotes, or as a short repr when it would not print well."""
    if text.isprintable() and len(text) <= 60:
        return f"'{text}'"
    return shown(text)

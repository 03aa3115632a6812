"""Errors the matching engine reports to its callers."""

from __future__ import annotations


class InputError(Exception):
    """The input is invalid. `problems` holds one message per problem found.

    Readers collect every problem they can find before raising, so that a user fixes
    their file in one pass rather than one error at a time.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems

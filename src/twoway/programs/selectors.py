"""Reads about programs, including who may do what in one."""

from __future__ import annotations

from twoway.programs.models import Program


def can_coordinate(user, program: Program) -> bool:
    """Only the program's own coordinators run it.

    Staff admins are deliberately not included: coordinators see pulses and exit
    reasons, and being staff must not be a way to read them.
    """
    if not user.is_authenticated:
        return False
    return program.coordinators.filter(pk=user.pk).exists()

"""Reads about programs, including who may do what in one."""

from __future__ import annotations

from twoway.programs.models import Program


def can_coordinate(user, program: Program) -> bool:
    """Coordinators of this program, and staff admins, run it."""
    if not user.is_authenticated:
        return False
    return user.is_staff or program.coordinators.filter(pk=user.pk).exists()

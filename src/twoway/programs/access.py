"""Who may open a program's pages: its coordinators run it; its sponsors read reports.

Anyone else gets the same 404 as for a program that does not exist, so the pages do
not reveal which programs exist. Staff admins are not coordinators by right: reading
pulses and exit reasons must not come with the admin role.
"""

from __future__ import annotations

from enum import Enum
from functools import wraps

from django.contrib.auth.decorators import login_required

from twoway.core.errors import NotFound
from twoway.programs.models import Program


class Access(Enum):
    COORDINATE = "coordinate"  # the program's coordinators
    REPORT = "report"  # coordinators and sponsors: aggregates only


def program_for(user, slug: str, access: Access) -> Program:
    """The program if `user` has `access` to it, else NotFound."""
    programs = Program.objects.filter(slug=slug)
    if access is Access.COORDINATE:
        programs = programs.filter(coordinators=user)
    else:
        programs = programs.filter(coordinators=user) | programs.filter(sponsors=user)
    program = programs.distinct().first()
    if program is None:
        raise NotFound("No such program.")
    program.viewer_coordinates = (
        access is Access.COORDINATE or program.coordinators.filter(pk=user.pk).exists()
    )
    return program


def program_view(access: Access = Access.COORDINATE):
    """Resolve `slug` to the program, checking the signed-in user's access.

    The view receives `program` instead of the slug.
    """

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, slug: str, *args, **kwargs):
            return view(request, program_for(request.user, slug, access), *args, **kwargs)

        return wrapper

    return decorate

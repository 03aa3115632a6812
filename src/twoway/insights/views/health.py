"""The health dashboard and the actions on a pairing: coordinators only."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from twoway.core.errors import ActionError, NotFound
from twoway.insights.forms import HealthFilterForm
from twoway.insights.selectors.health import health_page
from twoway.insights.services.actions import (
    pairing_close,
    pairing_nudge,
    pairing_pause,
    pairing_resume,
)
from twoway.insights.services.exits import pairing_pulses_read
from twoway.insights.services.rematch import rematch_start_for_pairing
from twoway.insights.views.exits import rematch_started
from twoway.pairing.selectors import pairing_in_program
from twoway.programs.access import Access, program_view
from twoway.programs.models import Program
from twoway.programs.views import program_context


@require_GET
@program_view(Access.COORDINATE)
def health(request: HttpRequest, program: Program) -> HttpResponse:
    form = HealthFilterForm(request.GET)
    chosen = form.choices_made()
    page = health_page(
        program, viewer=request.user, page_number=request.GET.get("page") or 1, **chosen
    )
    context = program_context(
        request,
        program,
        tab="health",
        form=form,
        chosen=chosen,
        health=page,
        filtering=bool(chosen["flag"] or chosen["status"]),
        matching_url=reverse("matching:runs", args=[program.slug]),
        back=request.get_full_path(),
    )
    return render(request, "insights/health/page.html", context)


ACTIONS = {
    "nudge": (pairing_nudge, "Nudged: both partners got a note from you by e-mail and in Twoway."),
    "pause": (
        pairing_pause,
        "Paused: no flags and no reminders until you resume it. Both were told.",
    ),
    "resume": (pairing_resume, "Resumed: both partners were told, and a stall counts from today."),
    "close": (
        pairing_close,
        "Closed: the pairing is completed, planned conversations were cancelled, and both "
        "partners were told.",
    ),
}


def _back_to_health(request: HttpRequest, program: Program):
    """Back to the dashboard as the coordinator left it: same sort, filters and page."""
    health_url = reverse("insights:health", args=[program.slug])
    back = request.POST.get("back", "")
    if back.startswith(health_url) and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        return redirect(back)
    return redirect(health_url)


@require_POST
@program_view(Access.COORDINATE)
def pairing_action(request: HttpRequest, program: Program, pairing_id: int, action: str):
    if action not in ACTIONS:
        raise NotFound("No such action.")
    act, done = ACTIONS[action]
    try:
        act(pairing=pairing_in_program(program, pairing_id), by=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _back_to_health(request, program)


@require_POST
@program_view(Access.COORDINATE)
def pulses(request: HttpRequest, program: Program, pairing_id: int) -> HttpResponse:
    """Read a pairing's pulses: recorded in the audit log, then shown."""
    try:
        read = pairing_pulses_read(program=program, viewer=request.user, pairing_id=pairing_id)
    except ActionError as error:
        if request.htmx:
            return render(request, "insights/health/_refused.html", {"message": error.message})
        messages.error(request, error.message)
        return _back_to_health(request, program)
    if request.htmx:
        return render(request, "insights/health/_pulses.html", {"pulses": read})
    context = program_context(
        request, program, tab="health", pulses=read, pairing=pairing_in_program(program, pairing_id)
    )
    return render(request, "insights/health/pulses.html", context)


@require_POST
@program_view(Access.COORDINATE)
def pairing_rematch(request: HttpRequest, program: Program, pairing_id: int):
    """Find new partners for both partners of a pairing that ended (or is being left)."""
    try:
        rematch = rematch_start_for_pairing(program=program, by=request.user, pairing_id=pairing_id)
    except ActionError as error:
        messages.error(request, error.message)
        return _back_to_health(request, program)
    return rematch_started(request, program, rematch)

"""The exits queue: coordinators only. Reasons are shown only after an audited read."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from twoway.core.errors import ActionError
from twoway.insights.selectors.exits import exit_queue
from twoway.insights.services.exits import exit_reason_read, exit_review_mark
from twoway.insights.services.rematch import Rematch, rematch_start_for_item
from twoway.programs.access import Access, program_view
from twoway.programs.models import Program
from twoway.programs.views import program_context


@require_GET
@program_view(Access.COORDINATE)
def exits(request: HttpRequest, program: Program) -> HttpResponse:
    context = program_context(
        request, program, tab="exits", queue=exit_queue(program, viewer=request.user)
    )
    return render(request, "insights/health/exits.html", context)


@require_POST
@program_view(Access.COORDINATE)
def exit_reason(request: HttpRequest, program: Program, kind: str, item_id: int) -> HttpResponse:
    try:
        reason = exit_reason_read(program=program, viewer=request.user, kind=kind, item_id=item_id)
    except ActionError as error:
        if request.htmx:
            return render(request, "insights/health/_refused.html", {"message": error.message})
        messages.error(request, error.message)
        return redirect("insights:exits", slug=program.slug)
    if request.htmx:
        return render(request, "insights/health/_reason.html", {"reason": reason})
    context = program_context(request, program, tab="exits", reason=reason)
    return render(request, "insights/health/reason.html", context)


@require_POST
@program_view(Access.COORDINATE)
def exit_review(request: HttpRequest, program: Program, kind: str, item_id: int):
    try:
        exit_review_mark(program=program, by=request.user, kind=kind, item_id=item_id)
    except ActionError as error:
        messages.info(request, error.message)
    else:
        messages.success(request, "Marked as dealt with. It has moved to the list below.")
    return redirect("insights:exits", slug=program.slug)


def rematch_started(request: HttpRequest, program: Program, rematch: Rematch):
    """To the run's page, which shows its progress, with what was started."""
    names = " and ".join(rematch.seekers)
    others = f"{rematch.others} other {'person' if rematch.others == 1 else 'people'}"
    messages.success(
        request,
        f"Finding a new partner for {names}: the matching runs with the {others} waiting "
        "for a partner, never pairing anyone with an earlier partner. This is marked as "
        "dealt with in the exits queue. Nobody is told anything until you publish the "
        "proposal on this page.",
    )
    return redirect("matching:run", slug=program.slug, run_id=rematch.run.pk)


@require_POST
@program_view(Access.COORDINATE)
def exit_rematch(request: HttpRequest, program: Program, kind: str, item_id: int):
    try:
        rematch = rematch_start_for_item(
            program=program, by=request.user, kind=kind, item_id=item_id
        )
    except ActionError as error:
        messages.error(request, error.message)
        return redirect("insights:exits", slug=program.slug)
    return rematch_started(request, program, rematch)

"""Open enrolment: the page to apply, and the coordinators' queue of applications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from twoway.core.errors import ActionError, NotFound
from twoway.programs.access import Access, program_view
from twoway.programs.application_services import (
    application_approve,
    application_decline,
    application_submit,
    takes_applications,
)
from twoway.programs.models import (
    Application,
    ApplicationStatus,
    Participant,
    ParticipantStatus,
    Program,
)
from twoway.programs.setup_forms import ApplicationForm, DeclineForm
from twoway.programs.setup_selectors import application_queue, latest_application
from twoway.programs.views import program_context


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    program = Program.objects.filter(slug=slug).first()
    if program is None or not takes_applications(program):
        raise NotFound("No such program.")
    enrolled = Participant.objects.filter(
        program=program, user=request.user, status=ParticipantStatus.ENROLLED
    ).exists()
    previous = latest_application(program, request.user)
    pending = previous is not None and previous.status == ApplicationStatus.PENDING
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and not (enrolled or pending) and form.is_valid():
        try:
            application_submit(program=program, user=request.user, **form.cleaned_data)
        except ActionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                f"Your application to {program.name} is sent. The coordinators will decide; "
                "you will find their answer under the bell.",
            )
            return redirect("home")
    context = {
        "program": program,
        "form": form,
        "enrolled": enrolled,
        "pending": pending,
        "previous": previous,
        "nav": "home",
    }
    return render(request, "programs/apply.html", context)


@program_view(Access.COORDINATE)
def applications(request: HttpRequest, program: Program) -> HttpResponse:
    context = program_context(
        request,
        program,
        tab="applications",
        queue=application_queue(program),
        decline_form=DeclineForm(),
    )
    return render(request, "programs/applications.html", context)


def _application_of(program: Program, application_id: int) -> Application:
    application = Application.objects.filter(pk=application_id, program=program).first()
    if application is None:
        raise NotFound("No such application.")
    return application


@program_view(Access.COORDINATE)
@require_POST
def application_approve_view(
    request: HttpRequest, program: Program, application_id: int
) -> HttpResponse:
    application = _application_of(program, application_id)
    try:
        application = application_approve(application=application, by=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{application.user.full_name} is enrolled. We asked them to complete their profile.",
        )
    return redirect("programs:applications", slug=program.slug)


@program_view(Access.COORDINATE)
@require_POST
def application_decline_view(
    request: HttpRequest, program: Program, application_id: int
) -> HttpResponse:
    application = _application_of(program, application_id)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["note"][0])
        return redirect("programs:applications", slug=program.slug)
    try:
        application = application_decline(
            application=application, by=request.user, note=form.cleaned_data["note"]
        )
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Declined. {application.user.full_name} is told, with your note if any."
        )
    return redirect("programs:applications", slug=program.slug)

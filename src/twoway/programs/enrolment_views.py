"""The People tab: who is enrolled, inviting by list, reminders, and CSV imports.

Views only translate: read the request, call a service or selector, answer.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from twoway.core.csv_export import csv_response
from twoway.core.errors import ActionError
from twoway.profiles.models import LEVEL_MAX, LEVEL_MIN
from twoway.programs import enrolment, imports
from twoway.programs.access import Access, program_view
from twoway.programs.enrolment_forms import ImportUploadForm, InviteListForm
from twoway.programs.models import ImportBatch, Program
from twoway.programs.people import (
    PEOPLE_FILTERS,
    import_of,
    imports_of,
    people_counts,
    people_page,
)
from twoway.programs.places import pilot_places
from twoway.programs.views import program_context


def _people_url(program: Program) -> str:
    return reverse("programs:people", args=[program.slug])


@program_view(Access.COORDINATE)
def people(request, program: Program):
    show = request.GET.get("show", "all")
    if show not in dict(PEOPLE_FILTERS):
        show = "all"
    search = request.GET.get("q", "").strip()
    page = people_page(program, show=show, search=search, page=request.GET.get("page", 1))
    counts = people_counts(program)
    context = program_context(
        request,
        program,
        tab="people",
        page=page,
        counts=counts,
        filters=[(key, label, counts[key]) for key, label in PEOPLE_FILTERS],
        show=show,
        search=search,
        imports=imports_of(program),
    )
    return render(request, "programs/enrolment/people.html", context)


@program_view(Access.COORDINATE)
@require_http_methods(["GET", "POST"])
def people_invite(request, program: Program):
    form = InviteListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = enrolment.enrolment_invite_list(
                program=program,
                text=form.cleaned_data["addresses"],
                invited_by=request.user,
                accept_url_for=lambda token: request.build_absolute_uri(
                    reverse("accounts:accept-invitation", args=[token])
                ),
            )
        except ActionError as error:
            form.add_error("addresses", error.message)
        else:
            _say_who_was_invited(request, outcome)
            return redirect(_people_url(program))
    context = program_context(
        request, program, tab="people", form=form, places=pilot_places(program)
    )
    return render(request, "programs/enrolment/invite.html", context)


def _say_who_was_invited(request, outcome: enrolment.InviteOutcome) -> None:
    invited = len(outcome.invited)
    if invited:
        messages.success(request, f"Invitation{'s' if invited != 1 else ''} sent to {invited}.")
    if outcome.already_in:
        names = ", ".join(address.email for address in outcome.already_in)
        messages.info(request, f"Already enrolled, so not invited again: {names}.")


@program_view(Access.COORDINATE)
@require_POST
def people_remind(request, program: Program):
    outcome = enrolment.profile_reminders_send(program=program)
    if not outcome.reminded and not outcome.skipped:
        messages.info(request, "Everyone enrolled has completed their profile: nobody to remind.")
    else:
        text = f"Reminded {outcome.reminded} {_people(outcome.reminded)} to complete their profile."
        if outcome.skipped:
            text += f" {outcome.skipped} {_people(outcome.skipped)} already had a reminder today."
        messages.success(request, text)
    return redirect(_people_url(program))


def _people(count: int) -> str:
    return "person" if count == 1 else "people"


@program_view(Access.COORDINATE)
@require_http_methods(["GET", "POST"])
def import_upload(request, program: Program):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = imports.import_upload(
                program=program,
                uploaded_by=request.user,
                filename=upload.name,
                content=_read_at_most(upload, imports.MAX_UPLOAD_BYTES),
            )
        except ActionError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, f"{batch.filename} uploaded; every row is being checked.")
            return redirect("programs:import", slug=program.slug, batch_id=batch.pk)
    context = program_context(
        request,
        program,
        tab="people",
        form=form,
        imports=imports_of(program, limit=20),
        level_min=LEVEL_MIN,
        level_max=LEVEL_MAX,
    )
    return render(request, "programs/enrolment/import_upload.html", context)


def _read_at_most(upload, limit: int) -> bytes:
    """The file's bytes, reading one byte past the limit so the service can refuse it
    without holding a huge upload in memory."""
    return upload.read(limit + 1)


@program_view(Access.COORDINATE)
def import_template(request, program: Program):
    response = HttpResponse(imports.import_template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="twoway-people-template.csv"'
    return response


def _batch_context(request, program: Program, batch: ImportBatch) -> dict:
    return program_context(
        request,
        program,
        tab="people",
        batch=batch,
        problems=[imports.problem_text(p) for p in batch.problems[: imports.PROBLEMS_SHOWN]],
        more_problems=max(len(batch.problems) - imports.PROBLEMS_SHOWN, 0),
        people_count=imports.people_in(batch),
    )


@program_view(Access.COORDINATE)
def import_detail(request, program: Program, batch_id: int):
    batch = import_of(program, batch_id)
    return render(
        request, "programs/enrolment/import_detail.html", _batch_context(request, program, batch)
    )


@program_view(Access.COORDINATE)
def import_progress(request, program: Program, batch_id: int):
    """The fragment the batch page polls; once finished it no longer asks to be polled."""
    batch = import_of(program, batch_id)
    return render(
        request, "programs/enrolment/_import_status.html", _batch_context(request, program, batch)
    )


@program_view(Access.COORDINATE)
def import_problems(request, program: Program, batch_id: int):
    """Every problem of a batch as CSV, for files with more than the page shows."""
    batch = import_of(program, batch_id)
    # Columns and messages quote the uploaded file: escaped, as they open in a spreadsheet.
    rows = [("row", "column", "problem")]
    rows += [(p["row"], p["column"], p["message"]) for p in batch.problems]
    return csv_response(f"problems-{batch.pk}.csv", rows)


@program_view(Access.COORDINATE)
@require_POST
def import_save(request, program: Program, batch_id: int):
    batch = import_of(program, batch_id)
    try:
        imports.import_commit_start(batch=batch)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        rows = imports.people_in(batch)
        messages.success(request, f"Saving {rows} {_people(rows)}…")
    return redirect("programs:import", slug=program.slug, batch_id=batch.pk)

"""Pages to set a program up: create it, its settings, its team, and the full rollout."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from twoway.accounts.models import User
from twoway.core.errors import ActionError, NotFound
from twoway.programs.access import Access, program_view
from twoway.programs.models import Program
from twoway.programs.setup_forms import (
    ProgramNewForm,
    ProgramSetupForm,
    RoleForm,
    RolloutForm,
)
from twoway.programs.setup_selectors import audit_log, rollout_plan
from twoway.programs.setup_services import (
    ROLE_FIELD,
    Role,
    may_create_programs,
    program_create,
    program_role_grant,
    program_role_revoke,
    program_roll_out,
    program_update,
)
from twoway.programs.views import program_context


def _show_error(form, error: ActionError) -> None:
    """A service's refusal next to the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def program_new(request: HttpRequest) -> HttpResponse:
    if not may_create_programs(request.user):
        raise NotFound("No such page.")
    form = ProgramNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = program_create(by=request.user, **form.changes())
        except ActionError as error:
            _show_error(form, error)
        else:
            messages.success(
                request,
                f"{program.name} is created, in draft, and you coordinate it. "
                "Set its rhythm and matching rules below, then add your team.",
            )
            return redirect("programs:setup", slug=program.slug)
    return render(request, "programs/new.html", {"form": form, "nav": "home"})


@program_view(Access.COORDINATE)
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest, program: Program) -> HttpResponse:
    form = ProgramSetupForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            program_update(program=program, by=request.user, **form.changes())
        except ActionError as error:
            _show_error(form, error)
        else:
            messages.success(request, "Saved. The next matching run uses these settings.")
            return redirect("programs:setup", slug=program.slug)
    # A pilot is rolled out once: afterwards the page points to its rollout instead.
    rolled_out_into = program.rollouts.order_by("pk").first() if program.is_pilot else None
    context = program_context(
        request, program, tab="setup", form=form, rolled_out_into=rolled_out_into
    )
    return render(request, "programs/setup.html", context)


def _team_page(request: HttpRequest, program: Program, form: RoleForm) -> HttpResponse:
    context = program_context(
        request,
        program,
        tab="team",
        form=form,
        coordinators=list(program.coordinators.order_by("full_name")),
        sponsors=list(program.sponsors.order_by("full_name")),
        audit=audit_log(program),
    )
    return render(request, "programs/team.html", context)


@program_view(Access.COORDINATE)
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, program: Program) -> HttpResponse:
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email, role = form.cleaned_data["email"], form.cleaned_data["role"]
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            form.add_error("email", f"No account uses {email}. Invite them, or check the address.")
        else:
            try:
                program_role_grant(program=program, by=request.user, user=user, role=role)
            except ActionError as error:
                _show_error(form, error)
            else:
                messages.success(request, f"{user.full_name} is now a {role}. We told them.")
                return redirect("programs:team", slug=program.slug)
    return _team_page(request, program, form)


@program_view(Access.COORDINATE)
@require_POST
def team_remove(request: HttpRequest, program: Program, role: str, user_id: int) -> HttpResponse:
    if role not in Role.ALL:
        raise NotFound("No such role.")
    user = getattr(program, ROLE_FIELD[role]).filter(pk=user_id).first()
    if user is None:
        raise NotFound("No such person.")
    try:
        program_role_revoke(program=program, by=request.user, user=user, role=role)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{user.full_name} is no longer a {role} of {program.name}.")
    if user.pk == request.user.pk and role == Role.COORDINATOR:
        return redirect("home")
    return redirect("programs:team", slug=program.slug)


@program_view(Access.COORDINATE)
@require_http_methods(["GET", "POST"])
def rollout(request: HttpRequest, program: Program) -> HttpResponse:
    if not program.is_pilot:
        messages.error(
            request,
            f"{program.name} is not a pilot, so there is nothing to roll out. "
            "Only a pilot can be scaled up into a full program.",
        )
        return redirect("programs:setup", slug=program.slug)
    rolled_out = program.rollouts.order_by("pk").first()
    if rolled_out is not None:
        messages.info(
            request,
            f"{program.name} was already rolled out into {rolled_out.name}; a pilot is "
            "rolled out once. Invite more people there.",
        )
        return redirect("programs:setup", slug=program.slug)
    form = RolloutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = program_roll_out(pilot=program, by=request.user, **form.cleaned_data)
        except ActionError as error:
            _show_error(form, error)
        else:
            messages.success(
                request,
                f"{new.name} is created from the pilot and is enrolling. Its participants "
                "kept their profiles; run the matching when you are ready.",
            )
            return redirect("programs:setup", slug=new.slug)
    context = program_context(
        request,
        program,
        tab="setup",
        form=form,
        plan=rollout_plan(program),
        coordinators=list(program.coordinators.order_by("full_name")),
        sponsors=list(program.sponsors.order_by("full_name")),
    )
    return render(request, "programs/rollout.html", context)

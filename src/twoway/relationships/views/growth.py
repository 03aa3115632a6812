"""A pair's growth: goals with check-ins, the confidential pulse, and endorsements.

Goals are shared by the two partners. A pulse page shows its author their own
pulses only; the partner's never reach it. Endorsements are written in the
pair's space and shown or hidden by their recipient on their own page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from twoway.core.errors import ActionError, NotFound
from twoway.pairing.selectors import PairSide
from twoway.pairing.views import form_or_action_error, pair_context, pair_view
from twoway.relationships.growth_forms import (
    CheckInForm,
    EndorsementForm,
    GoalForm,
    PulseForm,
)
from twoway.relationships.selectors.endorsements import (
    endorsements_given,
    endorsements_received,
    skills_partner_taught_me,
)
from twoway.relationships.selectors.goals import gaps_for_goals, goals_of_pairing
from twoway.relationships.selectors.pulses import pulse_page
from twoway.relationships.services.endorsements import (
    endorsement_create,
    endorsement_set_shown,
)
from twoway.relationships.services.goals import (
    goal_achieve,
    goal_check_in,
    goal_create,
    goal_drop,
    goal_reopen,
)
from twoway.relationships.services.pulses import pulse_submit


def _refused(request: HttpRequest, form, error: ActionError, *, then: str, side: PairSide):
    """A refusal about a field goes next to it (None: show the form again); a refusal
    of the whole action goes above the page named `then` (its redirect)."""
    if error.field in form.fields:
        form.add_error(error.field, error.message)
        return None
    messages.error(request, error.message)
    return redirect(then, pairing_id=side.pairing.pk)


# --- Goals -------------------------------------------------------------------------


def _goals_page(
    request: HttpRequest,
    side: PairSide,
    *,
    goal_form: GoalForm | None = None,
    bound_check_in: tuple[int, CheckInForm] | None = None,
) -> HttpResponse:
    """The goals page; a form that failed is shown again, with its errors and input."""
    goals = goals_of_pairing(side)
    partner_name = side.partner.user.display_name
    check_ins = {
        view.goal.pk: CheckInForm(
            goal_id=view.goal.pk,
            partner_name=partner_name,
            initial={"progress_percent": view.progress},
        )
        for view in goals.mine
    }
    if bound_check_in is not None:
        goal_id, form = bound_check_in
        if goal_id not in check_ins:
            raise NotFound("No such goal of yours")
        check_ins[goal_id] = form
    context = pair_context(
        side,
        tab="goals",
        goals=goals,
        mine=[(view, check_ins[view.goal.pk]) for view in goals.mine],
        goal_form=goal_form or GoalForm(gaps=gaps_for_goals(side)),
    )
    return render(request, "relationships/goals/page.html", context)


@require_GET
@pair_view
def goals_page(request: HttpRequest, side: PairSide) -> HttpResponse:
    return _goals_page(request, side)


@require_POST
@pair_view
def goal_add(request: HttpRequest, side: PairSide) -> HttpResponse:
    form = GoalForm(request.POST, gaps=gaps_for_goals(side))
    if form.is_valid():
        try:
            data = form.cleaned_data
            goal_create(
                side=side,
                skill_id=data["skill"],
                title=data["title"],
                description=data["description"],
                target_date=data["target_date"],
            )
        except ActionError as error:
            if refused := _refused(request, form, error, then="relationships:goals", side=side):
                return refused
        else:
            messages.success(
                request, f"Goal added. {side.partner.user.display_name} can see it too."
            )
            return redirect("relationships:goals", pairing_id=side.pairing.pk)
    return _goals_page(request, side, goal_form=form)


@require_POST
@pair_view
def goal_check_in_view(request: HttpRequest, side: PairSide, goal_id: int) -> HttpResponse:
    form = CheckInForm(request.POST, goal_id=goal_id, partner_name=side.partner.user.display_name)
    if form.is_valid():
        try:
            goal_check_in(side=side, goal_id=goal_id, **form.cleaned_data)
        except ActionError as error:
            if refused := _refused(request, form, error, then="relationships:goals", side=side):
                return refused
        else:
            messages.success(request, "Check-in saved.")
            return redirect("relationships:goals", pairing_id=side.pairing.pk)
    return _goals_page(request, side, bound_check_in=(goal_id, form))


GOAL_ACTIONS = {
    "achieve": (goal_achieve, "Goal achieved. Well done!"),
    "drop": (goal_drop, "Goal dropped. You can reopen it at any time."),
    "reopen": (goal_reopen, "Goal reopened."),
}


@require_POST
@pair_view
def goal_status_view(
    request: HttpRequest, side: PairSide, goal_id: int, action: str
) -> HttpResponse:
    if action not in GOAL_ACTIONS:
        raise NotFound("No such action")
    service, done = GOAL_ACTIONS[action]
    try:
        service(side=side, goal_id=goal_id)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("relationships:goals", pairing_id=side.pairing.pk)


# --- Pulse -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@never_cache
@pair_view
def pulse_view(request: HttpRequest, side: PairSide) -> HttpResponse:
    partner_name = side.partner.user.display_name
    form = PulseForm(request.POST or None, partner_name=partner_name)
    if request.method == "POST" and form.is_valid():
        try:
            pulse_submit(side=side, **form.cleaned_data)
        except ActionError as error:
            if refused := _refused(request, form, error, then="relationships:pulse", side=side):
                return refused
        else:
            messages.success(
                request, f"Thank you. Only your coordinators may read it; {partner_name} never can."
            )
            return redirect("relationships:pulse", pairing_id=side.pairing.pk)
    context = pair_context(side, tab="pulse", pulse=pulse_page(side), form=form)
    return render(request, "relationships/pulse/page.html", context)


# --- Endorsements ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@pair_view
def endorse_view(request: HttpRequest, side: PairSide) -> HttpResponse:
    partner_name = side.partner.user.display_name
    form = EndorsementForm(
        request.POST or None, partner_name=partner_name, skills=skills_partner_taught_me(side)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            endorsement_create(
                side=side, kind=data["kind"], text=data["text"], skill_id=data.get("skill")
            )
        except ActionError as error:
            form_or_action_error(form, error)
        else:
            messages.success(
                request,
                f"Thank you. {partner_name} has been told, and decides whether it shows "
                "on their profile.",
            )
            return redirect("relationships:endorse", pairing_id=side.pairing.pk)
    context = pair_context(side, tab="overview", form=form, given=endorsements_given(side))
    return render(request, "relationships/endorsements/endorse.html", context)


@require_GET
@login_required
def endorsements_page(request: HttpRequest) -> HttpResponse:
    context = {"nav": "endorsements", "endorsements": endorsements_received(request.user)}
    return render(request, "relationships/endorsements/received.html", context)


@require_POST
@login_required
def endorsement_visibility(request: HttpRequest, endorsement_id: int) -> HttpResponse:
    shown = request.POST.get("shown") == "1"
    endorsement = endorsement_set_shown(
        user=request.user, endorsement_id=endorsement_id, shown=shown
    )
    if request.htmx:
        # Swap just this endorsement; the message is announced by its live region.
        context = {"endorsement": endorsement, "just_changed": True}
        return render(request, "relationships/endorsements/_received_item.html", context)
    messages.success(request, "Shown on your profile." if shown else "Hidden from your profile.")
    return redirect("personal:endorsements")

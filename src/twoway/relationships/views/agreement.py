"""The agreement of a pair: set together, confirmed by both, with its versions kept."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from twoway.core.errors import ActionError
from twoway.pairing.models import PairingStatus
from twoway.pairing.selectors import PairSide, explanation_in_words
from twoway.pairing.views import form_or_action_error, pair_context, pair_view
from twoway.relationships.forms import AcknowledgeForm, AgreementForm
from twoway.relationships.selectors.agreements import (
    agreement_current,
    agreement_history,
    agreement_version,
)
from twoway.relationships.services.agreements import (
    Saved,
    Terms,
    agreement_confirm,
    agreement_save,
)


@require_GET
@pair_view
def agreement_page(request: HttpRequest, side: PairSide) -> HttpResponse:
    history = agreement_history(side)
    context = pair_context(
        side,
        tab="agreement",
        current=history[0] if history else None,
        history=history,
        confirm_form=AcknowledgeForm(),
    )
    return render(request, "relationships/agreement/page.html", context)


def _initial_terms(side: PairSide) -> dict:
    """Start from the current version, or from what the matching found each can teach."""
    current = agreement_current(side)
    if current is not None:
        i_teach, partner_teaches = side.mine_then_partners(
            current.objective_a_to_b, current.objective_b_to_a
        )
        return {
            "i_teach": i_teach,
            "partner_teaches": partner_teaches,
            "format": current.format,
            "ends_on": current.ends_on,
            "checkin_every_days": current.checkin_every_days,
            "success_measures": current.success_measures,
            "confidentiality": current.confidentiality,
        }
    words = explanation_in_words(side)
    return {
        "i_teach": ", ".join(lesson.skill for lesson in words.partner_learns),
        "partner_teaches": ", ".join(lesson.skill for lesson in words.i_learn),
        "ends_on": side.pairing.program.ends_on,
        "checkin_every_days": side.pairing.program.cadence_days,
    }


@require_http_methods(["GET", "POST"])
@pair_view
def agreement_edit(request: HttpRequest, side: PairSide) -> HttpResponse:
    names = {"me": side.me.user.display_name, "partner": side.partner.user.display_name}
    form = AgreementForm(request.POST or None, initial=_initial_terms(side), **names)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "acknowledge"}
        try:
            saved = agreement_save(side=side, terms=Terms(**data))
        except ActionError as error:
            form_or_action_error(form, error)
        else:
            messages.success(request, _saved_message(saved, names["partner"]))
            return redirect("relationships:agreement", pairing_id=side.pairing.pk)
    context = pair_context(side, tab="agreement", form=form, is_new=not agreement_current(side))
    return render(request, "relationships/agreement/edit.html", context)


def _saved_message(saved: Saved, partner: str) -> str:
    agreement = saved.agreement
    if saved.new_version:
        return (
            f"Saved as version {agreement.version} and confirmed by you. "
            f"{partner} is asked to confirm it too."
        )
    if agreement.confirmed_by_both:
        return f"Nothing had changed: version {agreement.version} stands, confirmed by both."
    return f"Nothing had changed: you confirmed version {agreement.version}."


@require_POST
@pair_view
def agreement_confirm_view(request: HttpRequest, side: PairSide, version: int) -> HttpResponse:
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["acknowledge"][0])
        return redirect("relationships:agreement", pairing_id=side.pairing.pk)
    was_under_way = side.pairing.status == PairingStatus.ACTIVE
    try:
        agreement = agreement_confirm(side=side, version=version)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        if agreement.confirmed_by_both and was_under_way:
            messages.success(request, f"Confirmed by both of you: version {version} stands.")
        elif agreement.confirmed_by_both:
            messages.success(request, "Confirmed by both of you. Your pairing is under way.")
        else:
            messages.success(request, "Confirmed. We will let you know when your partner confirms.")
    return redirect("relationships:agreement", pairing_id=side.pairing.pk)


@require_GET
@pair_view
def agreement_version_page(request: HttpRequest, side: PairSide, version: int) -> HttpResponse:
    context = pair_context(side, tab="agreement", view=agreement_version(side, version))
    return render(request, "relationships/agreement/version.html", context)

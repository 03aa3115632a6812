"""Pages of a pairing: accepting or declining a proposal, and the confidential way out.

Also what every page of a pair's space shares (its pages live in the
relationships app): who may open it, and its frame.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from twoway.core.errors import ActionError
from twoway.pairing import services
from twoway.pairing.forms import DeclineForm, ExitForm
from twoway.pairing.models import LIVE_STATUSES, PairingStatus
from twoway.pairing.selectors import PairSide, closed_neutrally, pairing_for_partner
from twoway.programs.services import participant_request_rematch


def pair_view(view):
    """Resolve `pairing_id` to the signed-in partner's side, or answer 404.

    The view receives `side` instead of the id. Anonymous visitors are sent to
    sign in; anyone who is not one of the two partners gets the same 404 as for
    a pairing that does not exist.
    """

    @login_required
    @wraps(view)
    def wrapper(request, pairing_id: int, *args, **kwargs):
        side = pairing_for_partner(request.user, pairing_id)
        return view(request, side, *args, **kwargs)

    return wrapper


# The tabs of a pair's space, in order: (key, label, URL name).
PAIR_TABS = (
    ("overview", "Overview", "relationships:pairing"),
    ("agreement", "Agreement", "relationships:agreement"),
    ("conversations", "Conversations", "relationships:conversations"),
    ("goals", "Goals", "relationships:goals"),
    ("pulse", "Pulse", "relationships:pulse"),
)


def _tab_badges(side: PairSide) -> dict[str, str]:
    """Words shown beside a tab's label, such as a pulse that is due."""
    # Imported here: the relationships app imports this module for pair_view.
    from twoway.relationships.selectors.pulses import pulse_is_due

    return {"pulse": "Due"} if pulse_is_due(side) else {}


def pair_context(side: PairSide, *, tab: str, **extra) -> dict:
    """The frame of every pair page: partner, status and the tab that is open."""
    pairing = side.pairing
    badges = _tab_badges(side)
    return {
        "tabs": [
            {
                "key": key,
                "label": label,
                "url": reverse(name, args=[pairing.pk]),
                "badge": badges.get(key),
            }
            for key, label, name in PAIR_TABS
        ],
        "side": side,
        "pairing": pairing,
        "partner": side.partner,
        "partner_name": side.partner.user.display_name,
        "tab": tab,
        "is_live": pairing.status in (PairingStatus.ACCEPTED, PairingStatus.ACTIVE),
        "is_proposed": pairing.status == PairingStatus.PROPOSED,
        "pulse_due": "pulse" in badges,
        "nav": "home",
        **extra,
    }


# --- Proposal and the way out -------------------------------------------------


def form_or_action_error(form, error: ActionError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


@require_POST
@pair_view
def pairing_accept_view(request: HttpRequest, side: PairSide) -> HttpResponse:
    try:
        pairing = services.pairing_accept(side=side)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        if pairing.status == PairingStatus.ACCEPTED:
            messages.success(
                request,
                f"You are paired with {side.partner.user.display_name}. "
                "Next: agree together what each of you wants to learn.",
            )
        else:
            messages.success(
                request,
                f"You accepted. We will tell you when {side.partner.user.display_name} "
                "accepts too.",
            )
    return redirect("relationships:pairing", pairing_id=side.pairing.pk)


@require_http_methods(["GET", "POST"])
@pair_view
def pairing_decline_view(request: HttpRequest, side: PairSide) -> HttpResponse:
    if side.pairing.status != PairingStatus.PROPOSED:
        messages.error(request, "This proposal is no longer open.")
        return redirect("relationships:pairing", pairing_id=side.pairing.pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pairing_decline(side=side, **form.cleaned_data)
        except ActionError as error:
            form_or_action_error(form, error)
        else:
            messages.success(
                request,
                "You declined the proposal. Your coordinators have been told and can suggest "
                "someone else.",
            )
            return redirect("home")
    context = pair_context(side, tab="overview", form=form)
    return render(request, "pairing/decline.html", context)


@require_http_methods(["GET", "POST"])
@pair_view
def pairing_close_view(request: HttpRequest, side: PairSide) -> HttpResponse:
    if side.pairing.status not in LIVE_STATUSES:
        messages.error(request, "This pairing is not open, so there is nothing to close.")
        return redirect("relationships:pairing", pairing_id=side.pairing.pk)
    form = ExitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pairing_exit(side=side, **form.cleaned_data)
        except ActionError as error:
            form_or_action_error(form, error)
        else:
            messages.success(
                request,
                "Your pairing is closed. Your coordinator has been told, confidentially.",
            )
            return redirect("home")
    context = pair_context(side, tab="overview", form=form)
    return render(request, "pairing/close.html", context)


@require_POST
@pair_view
def pairing_rematch_view(request: HttpRequest, side: PairSide) -> HttpResponse:
    if not closed_neutrally(side.pairing):
        messages.error(request, "You can ask for a new partner once this pairing has closed.")
        return redirect("relationships:pairing", pairing_id=side.pairing.pk)
    participant_request_rematch(participant=side.me)
    messages.success(
        request, "Thank you. Your coordinators have been told that you would like a new partner."
    )
    return redirect("relationships:pairing", pairing_id=side.pairing.pk)

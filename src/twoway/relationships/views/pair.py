"""The overview of a pair's space: the first page either partner opens."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from twoway.pairing.selectors import PairSide, closed_neutrally, explanation_in_words
from twoway.pairing.views import pair_context, pair_view
from twoway.profiles.selectors import shared_profile
from twoway.relationships.selectors.agreements import agreement_history
from twoway.relationships.selectors.balance import balance_of
from twoway.relationships.selectors.conversations import conversation_next, conversation_to_log
from twoway.relationships.selectors.endorsements import endorsements_shown_for
from twoway.relationships.selectors.prompts import prompts_for


@require_GET
@pair_view
def pairing_overview(request: HttpRequest, side: PairSide) -> HttpResponse:
    context = pair_context(
        side,
        tab="overview",
        explanation=explanation_in_words(side),
        partner_profile=shared_profile(side.partner),
        closed_neutrally=closed_neutrally(side.pairing),
    )
    if not context["is_proposed"]:
        history = agreement_history(side)
        context["balance"] = balance_of(side)
        context["agreement"] = history[0].agreement if history else None
        context["agreement_view"] = history[0] if history else None
        context["next_conversation"] = conversation_next(side)
        context["to_log"] = conversation_to_log(side)
        context["partner_endorsements"] = endorsements_shown_for(side.partner)
    if context["is_live"]:
        context["prompts"] = prompts_for(side, limit=3)
        context["here"] = request.path
    return render(request, "relationships/overview.html", context)

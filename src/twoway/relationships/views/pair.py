"""The overview of a pair's space: the first page either partner opens."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from twoway.pairing.selectors import PairSide, closed_neutrally, explanation_in_words
from twoway.pairing.views import pair_context, pair_view
from twoway.profiles.selectors import shared_profile


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
    return render(request, "relationships/overview.html", context)

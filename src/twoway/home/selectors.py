"""What the home page shows: each read is one query, whatever the data size."""

from __future__ import annotations

from twoway.pairing.selectors import pairings_of_user
from twoway.programs.models import Participant
from twoway.programs.selectors import programs_with_counts


def home_for_user(user) -> dict:
    participations = (
        Participant.objects.filter(user=user).select_related("program").order_by("program__name")
    )
    coordinated = list(user.coordinated_programs.order_by("name"))
    sponsored = list(user.sponsored_programs.order_by("name"))
    programs_with_counts(coordinated + sponsored)
    return {
        "participations": list(participations),
        "pairings": pairings_of_user(user),
        "coordinated": coordinated,
        "sponsored": sponsored,
    }

"""A program's own pages: the frame they share, and the overview."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from twoway.programs.access import Access, program_view
from twoway.programs.models import Program
from twoway.programs.selectors import programs_with_counts, rules_in_words

# The tabs of a program's space, in order: (key, label, URL name, who sees it).
PROGRAM_TABS = (
    ("overview", "Overview", "programs:overview", Access.REPORT),
    ("people", "People", "programs:people", Access.COORDINATE),
    ("applications", "Applications", "programs:applications", Access.COORDINATE),
    ("matching", "Matching", "matching:runs", Access.COORDINATE),
    ("health", "Health", "insights:health", Access.COORDINATE),
    ("exits", "Exits", "insights:exits", Access.COORDINATE),
    ("reports", "Reports", "insights:reports", Access.REPORT),
    ("team", "Team", "programs:team", Access.COORDINATE),
    ("setup", "Setup", "programs:setup", Access.COORDINATE),
)


def program_context(request, program: Program, *, tab: str, **extra) -> dict:
    """The frame of every program page: its name, status and the tab that is open."""
    coordinates = program.viewer_coordinates
    return {
        "program": program,
        "tabs": [
            {"key": key, "label": label, "url": reverse(name, args=[program.slug])}
            for key, label, name, access in PROGRAM_TABS
            if coordinates or access is Access.REPORT
        ],
        "tab": tab,
        "coordinates": coordinates,
        "nav": "home",
        **extra,
    }


@program_view(Access.REPORT)
def overview(request, program: Program):
    programs_with_counts([program])
    context = program_context(
        request,
        program,
        tab="overview",
        rules=rules_in_words(program),
        coordinators=list(program.coordinators.order_by("full_name")),
        sponsors=list(program.sponsors.order_by("full_name")),
    )
    return render(request, "programs/overview.html", context)

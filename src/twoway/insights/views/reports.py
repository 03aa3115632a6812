"""The Reports tab: charts of the whole program, and its CSV exports.

Coordinators and sponsors read the aggregate report; the pairing list names people,
so it is for coordinators only.
"""

from __future__ import annotations

from django.shortcuts import render

from twoway.core.csv_export import csv_response
from twoway.insights.selectors.reports import (
    MIN_GROUP,
    TOP_SKILLS,
    pairing_list_rows,
    program_report,
    report_figures,
)
from twoway.programs.access import Access, program_view
from twoway.programs.models import Program
from twoway.programs.views import program_context


@program_view(Access.REPORT)
def reports(request, program: Program):
    context = program_context(
        request,
        program,
        tab="reports",
        report=program_report(program),
        min_group=MIN_GROUP,
        top_skills=TOP_SKILLS,
    )
    return render(request, "insights/reports/reports.html", context)


@program_view(Access.REPORT)
def report_figures_csv(request, program: Program):
    rows = report_figures(program_report(program))
    return csv_response(f"{program.slug}-report-figures.csv", rows)


@program_view(Access.COORDINATE)
def pairing_list_csv(request, program: Program):
    return csv_response(f"{program.slug}-pairings.csv", pairing_list_rows(program))

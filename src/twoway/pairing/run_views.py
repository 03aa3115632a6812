"""The coordinators' matching pages: the run history, a run's progress and preview, the
overrides (lock, forbid, swap) and publishing. Coordinators of the program only."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from twoway.core.errors import ActionError
from twoway.pairing import run_selectors as selectors
from twoway.pairing import run_services as services
from twoway.pairing import self_match_services
from twoway.pairing.models import RunMode, RunStatus
from twoway.pairing.self_match_selectors import my_suggestions, open_round_of
from twoway.programs.access import Access, program_view
from twoway.programs.models import Program
from twoway.programs.views import program_context

SWAP_RESULTS = 20  # people listed for a swap search


class StartRunForm(forms.Form):
    mode = forms.ChoiceField(
        label="How to match",
        choices=RunMode.choices,
        initial=RunMode.OPTIMAL,
        widget=forms.RadioSelect,
        help_text="Best total fit suits most programs. Pairing as many people as possible "
        "may accept weaker pairs. Stable avoids two people who would both rather swap, and "
        "gives each person one partner per run, whatever the program's capacity.",
    )


def _run_url(program: Program, run_id: int) -> str:
    return reverse("matching:run", args=[program.slug, run_id])


@require_http_methods(["GET", "POST"])
@program_view(Access.COORDINATE)
def runs_view(request: HttpRequest, program: Program) -> HttpResponse:
    form = StartRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.matching_run_start(
                program=program, started_by=request.user, mode=form.cleaned_data["mode"]
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The matching run has started. This page shows its progress.")
            return redirect(_run_url(program, run.pk))
    context = program_context(
        request,
        program,
        tab="matching",
        form=form,
        runs=selectors.matching_runs_of(program),
        pair_rules=selectors.pair_rules_of(program),
        round=open_round_of(program) if program.self_match else None,
    )
    return render(request, "pairing/matching/runs.html", context)


def _page_number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


@require_GET
@program_view(Access.COORDINATE)
def run_view(request: HttpRequest, program: Program, run_id: int) -> HttpResponse:
    run = selectors.matching_run_of(program, run_id)
    context = program_context(request, program, tab="matching", run=run)
    if run.in_progress or run.status == RunStatus.FAILED:
        return render(request, "pairing/matching/run_progress_page.html", context)
    summary = selectors.run_summary(run)
    context.update(
        summary=summary,
        page=selectors.run_pairs_page(run, page=_page_number(request), total=summary.pairs),
        unmatched=selectors.unmatched_people(run),
        certificate=selectors.certificate_in_words(run.stats),
        seconds=selectors.phase_seconds(run.stats),
    )
    return render(request, "pairing/matching/run_preview.html", context)


@require_GET
@program_view(Access.COORDINATE)
def run_progress_view(request: HttpRequest, program: Program, run_id: int) -> HttpResponse:
    """The live part of a running run's page, polled by htmx; once the run is done it
    asks htmx to reload the page, which then shows the preview or the error."""
    run = selectors.matching_run_of(program, run_id)
    response = render(request, "pairing/matching/_progress.html", {"run": run, "program": program})
    if not run.in_progress:
        response["HX-Refresh"] = "true"
    return response


def _back_to_run(program: Program, run_id: int, request: HttpRequest):
    page = request.POST.get("page", "")
    url = _run_url(program, run_id)
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


def _pair_action(request, program, run_id, pair_id, action, done: str):
    run = selectors.matching_run_of(program, run_id)
    try:
        action(run=run, pair_id=pair_id, by=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _back_to_run(program, run_id, request)


@require_POST
@program_view(Access.COORDINATE)
def pair_lock_view(request, program: Program, run_id: int, pair_id: int) -> HttpResponse:
    lock = request.POST.get("locked", "1") == "1"

    def action(**kwargs):
        return services.proposed_pair_lock(locked=lock, **kwargs)

    done = (
        "Pair locked: a new run keeps it as it is."
        if lock
        else "Pair unlocked: a new run may pair these two differently."
    )
    return _pair_action(request, program, run_id, pair_id, action, done)


@require_POST
@program_view(Access.COORDINATE)
def pair_forbid_view(request, program: Program, run_id: int, pair_id: int) -> HttpResponse:
    done = (
        "Pair forbidden: it is out of this run, and no run will propose it. "
        "Run the matching again to find both people new partners."
    )
    return _pair_action(request, program, run_id, pair_id, services.proposed_pair_forbid, done)


@require_http_methods(["GET", "POST"])
@program_view(Access.COORDINATE)
def pair_swap_view(request, program: Program, run_id: int, pair_id: int) -> HttpResponse:
    run = selectors.matching_run_of(program, run_id)
    pair = selectors.proposed_pair_of(run, pair_id)
    if request.method == "POST":
        try:
            services.proposed_pairs_swap(
                run=run,
                pair_id=pair.pk,
                stays=_int(request.POST.get("stays")),
                other_pair_id=_int(request.POST.get("other_pair")),
                other=_int(request.POST.get("other")),
                by=request.user,
            )
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Partners swapped. Both new pairs are shown below.")
            return redirect(_run_url(program, run.pk))
    query = request.GET.get("q", "").strip()[:80]
    context = program_context(
        request,
        program,
        tab="matching",
        run=run,
        pair=pair,
        pair_ends=[
            (pair.participant_a, pair.participant_b),
            (pair.participant_b, pair.participant_a),
        ],
        query=query,
        found=selectors.swap_candidates(run, pair, query=query, limit=SWAP_RESULTS),
    )
    return render(request, "pairing/matching/run_swap.html", context)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@require_POST
@program_view(Access.COORDINATE)
def run_publish_view(request, program: Program, run_id: int) -> HttpResponse:
    run = selectors.matching_run_of(program, run_id)
    try:
        created = services.matching_run_publish(run=run, by=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Published: {created} pairing{'s' if created != 1 else ''} proposed. Both partners "
            "of each have been told and can now accept or decline.",
        )
    return redirect(_run_url(program, run.pk))


@require_POST
@program_view(Access.COORDINATE)
def pair_rule_remove_view(request, program: Program, rule_id: int) -> HttpResponse:
    try:
        services.pair_rule_remove(program=program, rule_id=rule_id)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Removed: later runs are free to pair these two as they see fit.")
    return redirect("matching:runs", slug=program.slug)


# --- Self-match rounds ------------------------------------------------------------------


@require_POST
@program_view(Access.COORDINATE)
def round_open_view(request, program: Program) -> HttpResponse:
    try:
        round = self_match_services.self_match_round_open(program=program, by=request.user)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        people = round.suggestions.values("participant").distinct().count()
        messages.success(
            request,
            f"Round opened: {people} people have suggestions to rank, and have been told.",
        )
    return redirect("matching:runs", slug=program.slug)


@require_POST
@program_view(Access.COORDINATE)
def round_run_view(request, program: Program) -> HttpResponse:
    progress = open_round_of(program)
    if progress is None:
        messages.error(request, "There is no open round to run: open one first.")
        return redirect("matching:runs", slug=program.slug)
    try:
        run = services.matching_run_start(
            program=program, started_by=request.user, self_match_round=progress.round
        )
    except ActionError as error:
        messages.error(request, error.message)
        return redirect("matching:runs", slug=program.slug)
    messages.success(request, "The stable matching on the rankings has started.")
    return redirect(_run_url(program, run.pk))


def _ranks_from(post, suggestions) -> dict[int, int | None]:
    ranks = {}
    for item in suggestions:
        value = post.get(f"rank-{item.suggestion.suggested_id}", "")
        ranks[item.suggestion.suggested_id] = int(value) if value.isdigit() else None
    return ranks


def _show_ranks(suggestions, ranks: dict[int, int | None]) -> None:
    """Show a refused ranking as it was sent, so the person corrects it rather than
    starting again (on unsaved copies of the rows: nothing is written)."""
    for item in suggestions:
        item.suggestion.preference = ranks.get(item.suggestion.suggested_id)


@require_http_methods(["GET", "POST"])
@login_required
def suggestions_view(request: HttpRequest, slug: str) -> HttpResponse:
    """A participant ranks the partners suggested to them in a self-match round."""
    mine = my_suggestions(request.user, slug)
    if request.method == "POST" and mine.round is not None:
        ranks = _ranks_from(request.POST, mine.suggestions)
        try:
            chosen = self_match_services.suggestions_rank(
                round=mine.round, participant=mine.participant, ranks=ranks
            )
        except ActionError as error:
            messages.error(request, error.message)
            _show_ranks(mine.suggestions, ranks)
        else:
            messages.success(
                request,
                f"Thank you: your ranking of {chosen} "
                f"{'person' if chosen == 1 else 'people'} is saved. You can change it until "
                "your coordinators make the pairs.",
            )
            return redirect("matching:suggestions", slug=slug)
    context = {
        "mine": mine,
        "program": mine.participant.program,
        "places": range(1, len(mine.suggestions) + 1),
        "nav": "home",
    }
    return render(request, "pairing/matching/suggestions.html", context)

"""Pages of the participant profile: onboarding in four steps, /profile/, skill suggestions.

Each step page has two modes. In onboarding (/welcome/<program>/<step>/) it shows
the step indicator and moves on to the next step; in edit mode (/profile/...) it
returns to the profile page. A person only ever reaches their own profile: no
URL names anyone else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from twoway.core.errors import ActionError
from twoway.profiles import services
from twoway.profiles.forms import (
    AboutForm,
    GapRowFormSet,
    OfferRowFormSet,
    PracticalitiesForm,
    SharingForm,
)
from twoway.profiles.models import DEFAULT_SHARED
from twoway.profiles.selectors import (
    STEP_TITLES,
    STEPS,
    completion_now,
    completion_of,
    gaps_of,
    known_departments,
    known_locations,
    offers_of,
    participation_for,
    profile_of,
    profile_page,
    skill_suggestions,
)
from twoway.profiles.services import MAX_ROWS, RowsInvalid
from twoway.programs.models import Participant

ONBOARDING, EDIT = "onboarding", "edit"
# How many empty rows a list with nothing in it yet starts with.
STARTING_ROWS = 3


def participant_view(view):
    """Resolve the program `slug` to the signed-in person's own enrolment, or answer 404.

    The view receives `participant` instead of the slug. Anonymous visitors are
    sent to sign in; anyone not enrolled in the program (coordinators, sponsors
    and staff included) gets the same 404 as for a program that does not exist.
    """

    @login_required
    @wraps(view)
    def wrapper(request, slug: str, *args, **kwargs):
        participant = participation_for(request.user, slug)
        return view(request, participant, *args, **kwargs)

    return wrapper


def _form_or_action_error(form, error: ActionError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _step_url(step: str, *, participant: Participant | None, mode: str) -> str:
    if mode == ONBOARDING:
        return reverse(f"profiles:welcome-{step}", args=[participant.program.slug])
    if step == "about":
        return reverse("profiles:edit-about")
    return reverse(f"profiles:edit-{step}", args=[participant.program.slug])


def _step_context(step: str, *, participant: Participant | None, mode: str, **extra) -> dict:
    """The frame of a step page: its title, the program and, in onboarding, the steps."""
    context = {
        "step": step,
        "step_title": STEP_TITLES[step],
        "mode": mode,
        "participant": participant,
        "program": participant.program if participant else None,
        "nav": "profile",
        **extra,
    }
    if mode == ONBOARDING:
        done = completion_of(participant).done
        context["steps"] = [
            {
                "key": key,
                "title": title,
                "done": key in done,
                "url": _step_url(key, participant=participant, mode=mode),
            }
            for key, title in STEPS
        ]
        context["step_number"] = [key for key, _ in STEPS].index(step) + 1
        context["step_count"] = len(STEPS)
        # The last step still open says "Save and finish" rather than "continue".
        context["finishes"] = len(done | {step}) == len(STEPS)
    return context


def _after_save(request: HttpRequest, step: str, *, participant, mode: str) -> HttpResponse:
    """Where a saved step goes: back to the profile, on to the next step, or home."""
    title = STEP_TITLES[step]
    if mode == EDIT:
        where = f" in {participant.program.name}" if participant else ""
        messages.success(request, f"Your changes to “{title}”{where} are saved.")
        anchor = f"#program-{participant.program.slug}" if participant else ""
        return redirect(reverse("profiles:profile") + anchor)
    program = participant.program.name
    completion = completion_now(participant)
    if completion.is_complete:
        messages.success(
            request,
            f"Your profile for {program} is complete. Thank you! "
            "You can change it any time from Profile.",
        )
        return redirect("home")
    if request.POST.get("action") == "later":
        messages.success(
            request,
            f"Saved. Your profile for {program} is waiting for you under Profile "
            "whenever you come back.",
        )
        return redirect("home")
    messages.success(request, f"“{title}” is saved.")
    next_step = completion.next_step_after(step)
    return redirect(_step_url(next_step, participant=participant, mode=mode))


# --- The start of onboarding -------------------------------------------------------------


@require_GET
@participant_view
def welcome(request: HttpRequest, participant: Participant) -> HttpResponse:
    """The first step not done yet; a finished profile goes to the profile page."""
    step = completion_of(participant).next_step
    if step is None:
        messages.info(
            request,
            f"Your profile for {participant.program.name} is complete. "
            "You can change any part of it here.",
        )
        return redirect(reverse("profiles:profile") + f"#program-{participant.program.slug}")
    return redirect(_step_url(step, participant=participant, mode=ONBOARDING))


# --- Step 1: about you (one profile for all of a person's programs) --------------------------


@require_http_methods(["GET", "POST"])
@participant_view
def welcome_about(request: HttpRequest, participant: Participant) -> HttpResponse:
    return _about_step(request, participant=participant, mode=ONBOARDING)


@require_http_methods(["GET", "POST"])
@login_required
def edit_about(request: HttpRequest) -> HttpResponse:
    return _about_step(request, participant=None, mode=EDIT)


def _about_step(request: HttpRequest, *, participant, mode: str) -> HttpResponse:
    profile = profile_of(request.user)
    form = AboutForm(request.POST or None, initial=_about_initial(request.user, profile))
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(user=request.user, **form.cleaned_data)
        except ActionError as error:
            _form_or_action_error(form, error)
        else:
            return _after_save(request, "about", participant=participant, mode=mode)
    context = _step_context(
        "about",
        participant=participant,
        mode=mode,
        form=form,
        is_first_visit=profile is None,
        departments=known_departments(),
        locations=known_locations(),
    )
    return render(request, "profiles/about.html", context)


def _about_initial(user, profile) -> dict:
    if profile is None:
        return {"timezone": user.timezone, "shared": list(DEFAULT_SHARED)}
    return {
        "job_title": profile.job_title,
        "department": profile.department,
        "level": profile.level,
        "location": profile.location,
        "timezone": profile.timezone,
        "languages": profile.languages,
        "interests": profile.interests,
        "resource_groups": profile.resource_groups,
        "bio": profile.bio,
        "shared": profile.shared_with_partner,
    }


# --- Steps 2 and 3: offers and gaps, as lists of rows -------------------------------------------


@dataclass(frozen=True)
class RowsStep:
    """What differs between the offers step and the gaps step."""

    key: str
    formset: type
    read: Callable[[Participant], list]
    save: Callable[..., list]
    rating_field: str
    text_field: str

    def initial(self, participant: Participant) -> list[dict]:
        return [
            {
                "skill": item.skill.name,
                "rating": getattr(item, self.rating_field),
                "text": getattr(item, self.text_field),
            }
            for item in self.read(participant)
        ]


OFFERS = RowsStep(
    "offers", OfferRowFormSet, offers_of, services.offers_save, "proficiency", "business_value"
)
GAPS = RowsStep("gaps", GapRowFormSet, gaps_of, services.gaps_save, "priority", "note")


@require_http_methods(["GET", "POST"])
@participant_view
def welcome_offers(request: HttpRequest, participant: Participant) -> HttpResponse:
    return _rows_step(request, OFFERS, participant=participant, mode=ONBOARDING)


@require_http_methods(["GET", "POST"])
@participant_view
def edit_offers(request: HttpRequest, participant: Participant) -> HttpResponse:
    return _rows_step(request, OFFERS, participant=participant, mode=EDIT)


@require_http_methods(["GET", "POST"])
@participant_view
def welcome_gaps(request: HttpRequest, participant: Participant) -> HttpResponse:
    return _rows_step(request, GAPS, participant=participant, mode=ONBOARDING)


@require_http_methods(["GET", "POST"])
@participant_view
def edit_gaps(request: HttpRequest, participant: Participant) -> HttpResponse:
    return _rows_step(request, GAPS, participant=participant, mode=EDIT)


def _rows_step(request: HttpRequest, step: RowsStep, *, participant, mode: str) -> HttpResponse:
    """A list of rows. "Add another" and "Remove" re-draw the rows without saving: as a
    plain form post (the whole page) or, with htmx, only the rows."""
    errors: list[str] = []
    focus = None
    if request.method == "GET":
        rows = step.initial(participant)
        rows += [{}] * (STARTING_ROWS if not rows else int(len(rows) < MAX_ROWS))
        formset = step.formset(initial=rows, prefix=step.key)
    else:
        formset = step.formset(request.POST, prefix=step.key)
        if "add" in request.POST or "remove" in request.POST:
            formset, focus, errors = _rearranged(request, step, formset)
            if request.htmx:
                context = {"formset": formset, "step": step.key, "focus": focus, "errors": errors}
                return render(request, "profiles/_rows.html", context)
        elif formset.is_valid():
            try:
                step.save(
                    participant=participant,
                    user=request.user,
                    rows=[form.row() for form in formset.forms],
                )
            except RowsInvalid as error:
                errors = _show_row_errors(formset, error)
            except ActionError as error:
                errors = [error.message]
            else:
                return _after_save(request, step.key, participant=participant, mode=mode)
        else:
            errors = _formset_errors(formset)
    context = _step_context(
        step.key, participant=participant, mode=mode, formset=formset, focus=focus, errors=errors
    )
    return render(request, "profiles/rows.html", context)


def _rearranged(request: HttpRequest, step: RowsStep, formset):
    """The rows as typed, with one added or removed; focus goes where the person works next."""
    rows = [form.typed() for form in formset.forms]
    errors = []
    if "remove" in request.POST:
        index = _int_or_none(request.POST["remove"])
        if index is not None and 0 <= index < len(rows):
            del rows[index]
        focus = max(0, min(index or 0, len(rows) - 1))
        if not rows:
            rows, focus = [{}], 0
    elif len(rows) >= MAX_ROWS:
        errors = [f"You can list at most {MAX_ROWS} skills here."]
        focus = len(rows) - 1
    else:
        rows.append({})
        focus = len(rows) - 1
    fresh = step.formset(initial=rows, prefix=step.key)
    fresh.forms[focus].fields["skill"].widget.attrs["autofocus"] = True
    return fresh, focus, errors


def _int_or_none(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def _show_row_errors(formset, error: RowsInvalid) -> list[str]:
    """Each error next to its row's field, and all of them in the summary above."""
    for row_error in error.errors:
        formset.forms[row_error.row - 1].add_error(row_error.field, row_error.beside_the_field)
    return [row_error.message for row_error in error.errors]


def _formset_errors(formset) -> list[str]:
    errors = list(formset.non_form_errors())
    for number, form in enumerate(formset.forms, start=1):
        for messages_of_field in form.errors.values():
            errors += [f"Row {number}: {message}" for message in messages_of_field]
    return errors


# --- Step 4: practicalities ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@participant_view
def welcome_practicalities(request: HttpRequest, participant: Participant) -> HttpResponse:
    return _practicalities_step(request, participant=participant, mode=ONBOARDING)


@require_http_methods(["GET", "POST"])
@participant_view
def edit_practicalities(request: HttpRequest, participant: Participant) -> HttpResponse:
    return _practicalities_step(request, participant=participant, mode=EDIT)


def _practicalities_step(request: HttpRequest, *, participant, mode: str) -> HttpResponse:
    initial = {
        "meeting_mode": participant.preferred_meeting_mode or None,
        # The program's own rhythm is the natural first choice.
        "cadence_days": participant.preferred_cadence_days or participant.program.cadence_days,
        "availability": participant.availability,
    }
    form = PracticalitiesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.practicalities_save(
                participant=participant, user=request.user, **form.cleaned_data
            )
        except ActionError as error:
            _form_or_action_error(form, error)
        else:
            return _after_save(request, "practicalities", participant=participant, mode=mode)
    context = _step_context("practicalities", participant=participant, mode=mode, form=form)
    return render(request, "profiles/practicalities.html", context)


# --- The profile page ---------------------------------------------------------------------------


@require_GET
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    page = profile_page(request.user)
    form = None
    if page.profile is not None:
        form = SharingForm(
            profile=page.profile, initial={"shared": page.profile.shared_with_partner}
        )
    return _profile_page(request, page, form)


@require_POST
@login_required
def sharing(request: HttpRequest) -> HttpResponse:
    page = profile_page(request.user)
    form = SharingForm(request.POST, profile=page.profile)
    if form.is_valid():
        try:
            services.profile_sharing_save(user=request.user, **form.cleaned_data)
        except ActionError as error:
            _form_or_action_error(form, error)
        else:
            messages.success(request, "Saved: your partner now sees what you ticked.")
            return redirect(reverse("profiles:profile") + "#sharing")
    return _profile_page(request, page, form)


def _profile_page(request: HttpRequest, page, form) -> HttpResponse:
    context = {
        "profile": page.profile,
        "participations": page.participations,
        "sharing_form": form,
        "nav": "profile",
    }
    return render(request, "profiles/profile.html", context)


# --- Skill suggestions for the autocomplete --------------------------------------------------


@require_GET
@login_required
def skill_suggest(request: HttpRequest) -> HttpResponse:
    """<option> elements for the page's skill <datalist>, names and aliases alike."""
    suggestions = skill_suggestions(_typed_text(request), user=request.user)
    return render(request, "profiles/_suggestions.html", {"suggestions": suggestions})


def _typed_text(request: HttpRequest) -> str:
    if "q" in request.GET:
        return request.GET["q"]
    # htmx sends what the person typed under the input's own name, such as offers-2-skill.
    return next((value for name, value in request.GET.items() if name.endswith("-skill")), "")

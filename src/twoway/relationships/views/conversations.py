"""A pair's conversations: schedule, change, cancel, the calendar file, shared notes,
what each partner learned from the other, and conversation prompts."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from twoway.core.errors import ActionError
from twoway.pairing.models import LIVE_STATUSES
from twoway.pairing.selectors import PairSide
from twoway.pairing.views import form_or_action_error, pair_context, pair_view
from twoway.relationships.conversation_forms import (
    ConversationForm,
    ExchangeEditForm,
    LearnedFormSet,
    NotesForm,
)
from twoway.relationships.models import Conversation, ConversationStatus
from twoway.relationships.selectors.conversations import (
    conversation_ics,
    conversation_ledger,
    conversation_of,
    conversations_past,
    conversations_upcoming,
    focus_choices,
    has_started,
    ics_filename,
    learned_suggestions,
    partner_zone,
    skill_vocabulary_names,
)
from twoway.relationships.selectors.prompts import (
    prompt_for_pair,
    prompt_shelves,
    prompts_for,
)
from twoway.relationships.services.conversations import (
    LEDGER_STATUSES,
    NotesChangedMeanwhile,
    conversation_cancel,
    conversation_notes_save,
    conversation_reschedule,
    conversation_schedule,
)
from twoway.relationships.services.exchanges import (
    exchange_remove,
    exchange_update,
    exchanges_log,
)
from twoway.relationships.services.prompts import prompt_mark

TEMPLATES = "relationships/conversations/"
PROMPTS_ON_PAGE = 4


def _is_live(side: PairSide) -> bool:
    return side.pairing.status in LIVE_STATUSES


def _conversation_url(side: PairSide, conversation: Conversation, anchor: str = "") -> str:
    url = reverse("relationships:conversation", args=[side.pairing.pk, conversation.pk])
    return f"{url}#{anchor}" if anchor else url


def _plan_form(side: PairSide, data=None, *, initial=None) -> ConversationForm:
    return ConversationForm(
        data,
        initial=initial,
        zone=timezone.get_current_timezone(),
        focus=focus_choices(side),
        partner=side.partner.user.display_name,
    )


def _show_plan_error(form: ConversationForm, error: ActionError) -> None:
    field = ConversationForm.SERVICE_FIELDS.get(error.field, error.field)
    form_or_action_error(form, ActionError(error.message, field=field))


def _refused(request: HttpRequest, error: ActionError, url: str) -> HttpResponse:
    """A refusal that no form on the page can show: say it at the top of the page."""
    messages.error(request, error.message)
    return redirect(url)


# --- The list, and scheduling -------------------------------------------------------


@require_http_methods(["GET", "POST"])
@pair_view
def conversations_page(request: HttpRequest, side: PairSide) -> HttpResponse:
    partner = side.partner.user.display_name
    if request.method == "POST" and not _is_live(side):
        messages.error(request, "Your pairing is not open, so conversations cannot be scheduled.")
        return redirect("relationships:conversations", pairing_id=side.pairing.pk)
    form = _plan_form(side, request.POST or None) if _is_live(side) else None
    if request.method == "POST" and form.is_valid():
        try:
            conversation = conversation_schedule(side=side, plan=form.plan())
        except ActionError as error:
            _show_plan_error(form, error)
        else:
            if conversation.status == ConversationStatus.HELD:
                note = f"Recorded. Now note what you learned from {partner}, below."
            else:
                note = f"Scheduled. We told {partner}. You can add it to your calendar here."
            messages.success(request, note)
            return redirect(_conversation_url(side, conversation))
    upcoming, past = conversations_upcoming(side), conversations_past(side)
    context = pair_context(
        side,
        tab="conversations",
        form=form,
        upcoming=upcoming,
        past=past,
        prompts=prompts_for(side, limit=PROMPTS_ON_PAGE) if _is_live(side) else [],
        partner_zone=partner_zone(side),
        here=request.get_full_path(),
        now=timezone.now(),
        can_log_any=side.pairing.status in LEDGER_STATUSES,
    )
    return render(request, TEMPLATES + "page.html", context)


# --- One conversation -----------------------------------------------------------------


def _edit_forms(ledger, bound: ExchangeEditForm | None = None, bound_id: int | None = None):
    """A small form per line of my own learning, to change its rating or note."""
    forms = []
    for exchange in ledger.i_learned:
        if bound is not None and exchange.pk == bound_id:
            forms.append((exchange, bound))
            continue
        initial = {"value_rating": exchange.value_rating, "note": exchange.note}
        forms.append(
            (exchange, ExchangeEditForm(initial=initial, auto_id=f"line-{exchange.pk}-%s"))
        )
    return forms


def _render_conversation(
    request: HttpRequest,
    side: PairSide,
    conversation: Conversation,
    *,
    notes_form: NotesForm | None = None,
    notes_conflict: bool = False,
    learned: LearnedFormSet | None = None,
    log_error: str = "",
    edit_form: ExchangeEditForm | None = None,
    edit_id: int | None = None,
) -> HttpResponse:
    ledger = conversation_ledger(side, conversation)
    started = has_started(conversation)
    is_open = side.pairing.status in LEDGER_STATUSES
    can_log = started and is_open
    suggestions = learned_suggestions(side) if can_log else []
    vocabulary = skill_vocabulary_names() if can_log else []
    if notes_form is None:
        notes = conversation.shared_notes
        notes_form = NotesForm(initial={"shared_notes": notes, "based_on": notes})
    context = pair_context(
        side,
        tab="conversations",
        conversation=conversation,
        ledger=ledger,
        started=started,
        is_planned=conversation.status == ConversationStatus.PLANNED,
        is_cancelled=conversation.status == ConversationStatus.CANCELLED,
        can_change=_is_live(side) and conversation.status == ConversationStatus.PLANNED,
        can_write=is_open and conversation.status != ConversationStatus.CANCELLED,
        can_log=can_log,
        notes_form=notes_form,
        notes_conflict=notes_conflict,
        learned=learned or LearnedFormSet(prefix="learned"),
        log_error=log_error,
        edit_forms=_edit_forms(ledger, edit_form, edit_id),
        edit_id=edit_id,
        suggestions=suggestions,
        vocabulary=[name for name in vocabulary if name not in suggestions],
        partner_zone=partner_zone(side),
        now=timezone.now(),
    )
    return render(request, TEMPLATES + "conversation.html", context)


@require_GET
@pair_view
def conversation_page(request: HttpRequest, side: PairSide, conversation_id: int) -> HttpResponse:
    return _render_conversation(request, side, conversation_of(side, conversation_id))


@require_http_methods(["GET", "POST"])
@pair_view
def conversation_change(request: HttpRequest, side: PairSide, conversation_id: int) -> HttpResponse:
    conversation = conversation_of(side, conversation_id)
    if not (_is_live(side) and conversation.status == ConversationStatus.PLANNED):
        messages.error(request, "This conversation can no longer be changed.")
        return redirect(_conversation_url(side, conversation))
    initial = ConversationForm.initial_from(conversation, timezone.get_current_timezone())
    form = _plan_form(side, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        sequence = conversation.sequence
        try:
            changed = conversation_reschedule(
                side=side, conversation_id=conversation.pk, plan=form.plan()
            )
        except ActionError as error:
            _show_plan_error(form, error)
        else:
            if changed.sequence != sequence:
                messages.success(
                    request,
                    f"Changed. We told {side.partner.user.display_name}. If you added it to "
                    "your calendar, download the calendar file again to update it.",
                )
            else:
                messages.success(request, "Saved what you will focus on.")
            return redirect(_conversation_url(side, conversation))
    context = pair_context(side, tab="conversations", conversation=conversation, form=form)
    return render(request, TEMPLATES + "change.html", context)


@require_http_methods(["GET", "POST"])
@pair_view
def conversation_cancel_view(
    request: HttpRequest, side: PairSide, conversation_id: int
) -> HttpResponse:
    conversation = conversation_of(side, conversation_id)
    if request.method == "POST":
        try:
            conversation_cancel(side=side, conversation_id=conversation.pk)
        except ActionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"Cancelled. We told {side.partner.user.display_name}. If you added it to "
                "your calendar, remove it there, or download the updated calendar file below.",
            )
        return redirect(_conversation_url(side, conversation))
    if not (_is_live(side) and conversation.status == ConversationStatus.PLANNED):
        messages.error(request, "This conversation can no longer be cancelled.")
        return redirect(_conversation_url(side, conversation))
    context = pair_context(
        side, tab="conversations", conversation=conversation, partner_zone=partner_zone(side)
    )
    return render(request, TEMPLATES + "cancel.html", context)


@require_GET
@pair_view
def conversation_calendar(
    request: HttpRequest, side: PairSide, conversation_id: int
) -> HttpResponse:
    conversation = conversation_of(side, conversation_id)
    response = HttpResponse(
        conversation_ics(side, conversation), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(conversation)}"'
    return response


@require_POST
@pair_view
def conversation_notes(request: HttpRequest, side: PairSide, conversation_id: int) -> HttpResponse:
    conversation = conversation_of(side, conversation_id)
    form = NotesForm(request.POST)
    if form.is_valid():
        try:
            conversation_notes_save(
                side=side,
                conversation_id=conversation.pk,
                shared_notes=form.cleaned_data["shared_notes"],
                based_on=form.cleaned_data["based_on"],
            )
        except ActionError as error:
            if error.field is None:  # the notes are closed: the form is no longer shown
                return _refused(request, error, _conversation_url(side, conversation, "notes"))
            conflict = isinstance(error, NotesChangedMeanwhile)
            current = conversation_of(side, conversation.pk)
            # Keep what they typed; the next save builds on the partner's version.
            form = NotesForm(
                {
                    "shared_notes": form.cleaned_data["shared_notes"],
                    "based_on": current.shared_notes,
                }
            )
            form.is_valid()
            form_or_action_error(form, error)
            return _render_conversation(
                request, side, current, notes_form=form, notes_conflict=conflict
            )
        messages.success(request, "Notes saved. Both of you can read and change them.")
        return redirect(_conversation_url(side, conversation, "notes"))
    return _render_conversation(request, side, conversation, notes_form=form)


# --- The ledger ------------------------------------------------------------------------


def _still_loggable(side: PairSide, conversation_id: int) -> bool:
    """Whether the page will show the log form again (so it can carry the error)."""
    conversation = conversation_of(side, conversation_id)
    return has_started(conversation) and side.pairing.status in LEDGER_STATUSES


def _show_line_error(formset: LearnedFormSet, error: ActionError) -> bool:
    """Put a service's refusal next to the row's field it names ("lines.<i>.<field>")."""
    parts = (error.field or "").split(".")
    if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
        index, field = int(parts[1]), parts[2]
        if index < len(formset.forms) and field in formset.forms[index].fields:
            formset.forms[index].add_error(field, error.message)
            return True
    return False


@require_POST
@pair_view
def conversation_log(request: HttpRequest, side: PairSide, conversation_id: int) -> HttpResponse:
    conversation = conversation_of(side, conversation_id)
    formset = LearnedFormSet(request.POST, prefix="learned")
    log_error = ""
    if formset.is_valid():
        try:
            exchanges = exchanges_log(
                side=side,
                conversation_id=conversation.pk,
                lines=[form.learned() for form in formset.forms],
            )
        except ActionError as error:
            if error.field is None and not _still_loggable(side, conversation.pk):
                return _refused(request, error, _conversation_url(side, conversation, "learned"))
            if not _show_line_error(formset, error):
                log_error = error.message
        else:
            names = ", ".join(exchange.skill.name for exchange in exchanges)
            messages.success(
                request,
                f"Logged what you learned: {names}. {side.partner.user.display_name} can see it.",
            )
            return redirect(_conversation_url(side, conversation, "learned"))
    else:
        log_error = "Check the rows marked below."
    conversation = conversation_of(side, conversation.pk)  # it may have been marked held
    return _render_conversation(request, side, conversation, learned=formset, log_error=log_error)


@require_POST
@pair_view
def exchange_edit(
    request: HttpRequest, side: PairSide, conversation_id: int, exchange_id: int
) -> HttpResponse:
    conversation = conversation_of(side, conversation_id)
    form = ExchangeEditForm(request.POST, auto_id=f"line-{exchange_id}-%s")
    if form.is_valid():
        try:
            exchange = exchange_update(
                side=side,
                conversation_id=conversation.pk,
                exchange_id=exchange_id,
                value_rating=form.cleaned_data["value_rating"],
                note=form.cleaned_data["note"],
            )
        except ActionError as error:
            if error.field not in form.fields:
                return _refused(request, error, _conversation_url(side, conversation, "learned"))
            form_or_action_error(form, error)
        else:
            messages.success(request, f"Saved your change to {exchange.skill.name}.")
            return redirect(_conversation_url(side, conversation, "learned"))
    return _render_conversation(request, side, conversation, edit_form=form, edit_id=exchange_id)


@require_POST
@pair_view
def exchange_remove_view(
    request: HttpRequest, side: PairSide, conversation_id: int, exchange_id: int
) -> HttpResponse:
    conversation = conversation_of(side, conversation_id)
    try:
        skill = exchange_remove(side=side, conversation_id=conversation.pk, exchange_id=exchange_id)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Removed {skill.name} from what you learned.")
    return redirect(_conversation_url(side, conversation, "learned"))


# --- Prompts ------------------------------------------------------------------------------


@require_GET
@pair_view
def prompts_page(request: HttpRequest, side: PairSide) -> HttpResponse:
    context = pair_context(
        side,
        tab="conversations",
        shelves=prompt_shelves(side),
        here=request.get_full_path(),
    )
    return render(request, TEMPLATES + "prompts.html", context)


def _safe_next(request: HttpRequest, side: PairSide) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("relationships:conversations", args=[side.pairing.pk])


def _prompt_fragment(request, side: PairSide, prompt_id: str, **message) -> HttpResponse:
    """One prompt, re-drawn in place after htmx marked it; the message is read out."""
    context = {
        "item": prompt_for_pair(side, prompt_id),
        "pairing": side.pairing,
        "here": _safe_next(request, side),
        "is_live": _is_live(side),
        "on_shelf": request.POST.get("shelf") == "1",
        **message,
    }
    return render(request, TEMPLATES + "_prompt.html", context)


@require_POST
@pair_view
def prompt_mark_view(request: HttpRequest, side: PairSide, prompt_id: str) -> HttpResponse:
    used = request.POST.get("used") == "1"
    try:
        prompt_mark(side=side, prompt_id=prompt_id, used=used)
    except ActionError as error:
        if request.htmx:
            return _prompt_fragment(request, side, prompt_id, error=error.message)
        messages.error(request, error.message)
        return redirect(_safe_next(request, side))
    done = "Marked as used." if used else "Marked as not used."
    if request.htmx:
        return _prompt_fragment(request, side, prompt_id, status=done)
    messages.success(request, done)
    return redirect(_safe_next(request, side))

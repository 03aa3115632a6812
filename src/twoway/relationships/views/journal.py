"""The private journal: the author's own pages, read by nobody else.

Every page reads through the journal selectors, which start from the signed-in
person's own entries: anyone else gets the same 404 as for an entry that does
not exist. The pages are never cached, by the browser or anything in between.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from twoway.core.errors import ActionError, NotFound
from twoway.pairing.views import form_or_action_error
from twoway.relationships.growth_forms import JournalEntryForm
from twoway.relationships.models import ConversationStatus
from twoway.relationships.selectors.journal import (
    conversation_day,
    journal_conversations,
    journal_entry_for_author,
    journal_page,
    journal_pairings,
    journal_skill_choices,
    journal_skills,
    keeps_a_journal,
    revisit_suggestions,
)
from twoway.relationships.services.journal import (
    journal_entry_create,
    journal_entry_delete,
    journal_entry_mark_revisited,
    journal_entry_update,
)


def journal_view(view):
    """Signed in, never cached; the entry pages check authorship in their selector."""

    return login_required(never_cache(view))


def _participants_only(user) -> None:
    # Coordinators, sponsors and staff keep no journal unless they are enrolled.
    if not keeps_a_journal(user):
        raise NotFound("No journal")


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_GET
@journal_view
def journal_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _participants_only(user)
    query = request.GET.get("q", "").strip()[:200]
    skill_id = _int_or_none(request.GET.get("skill"))
    searching = bool(query or skill_id)
    skills = journal_skills(user)
    context = {
        "nav": "journal",
        "query": query,
        "skill_id": skill_id,
        "skill_name": next((s.name for s in skills if s.pk == skill_id), ""),
        "searching": searching,
        "skills": skills,
        "journal": journal_page(
            user, query=query, skill_id=skill_id, page_number=request.GET.get("page", 1)
        ),
        # While searching, the page shows what was asked for, not suggestions.
        "revisit": [] if searching else revisit_suggestions(user),
    }
    return render(request, "relationships/journal/list.html", context)


def _conversation_label(conversation, partner_name: str, user) -> str:
    label = f"With {partner_name} on {conversation_day(conversation, user)}"
    if conversation.status != ConversationStatus.HELD:
        label += f" ({conversation.get_status_display().lower()})"
    return label


def _entry_form(request: HttpRequest, *, entry=None, initial=None) -> JournalEntryForm:
    user = request.user
    author = entry.author if entry else None
    pairings = [
        (pairing.pk, f"With {name} · {pairing.program.name}")
        for pairing, name in journal_pairings(user, author=author)
    ]
    conversations = [
        (conversation.pk, _conversation_label(conversation, name, user))
        for conversation, name in journal_conversations(user, author=author)
    ]
    return JournalEntryForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        skills=journal_skill_choices(user, entry=entry),
        pairings=pairings,
        conversations=conversations,
    )


def _saved_fields(form: JournalEntryForm) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "body": data["body"],
        "skills": data.get("skills", []),
        "pairing_id": data.get("pairing"),
        "conversation_id": data.get("conversation"),
        "revisit_on": data["revisit_on"],
    }


@require_http_methods(["GET", "POST"])
@journal_view
def journal_new(request: HttpRequest) -> HttpResponse:
    _participants_only(request.user)
    initial = {
        "conversation": _int_or_none(request.GET.get("conversation")),
        "pairing": _int_or_none(request.GET.get("pairing")),
    }
    form = _entry_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = journal_entry_create(user=request.user, **_saved_fields(form))
        except ActionError as error:
            form_or_action_error(form, error)
        else:
            messages.success(request, "Saved to your journal. Only you can read it.")
            return redirect("personal:journal-entry", entry_id=entry.pk)
    return render(request, "relationships/journal/form.html", {"nav": "journal", "form": form})


@require_GET
@journal_view
def journal_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    item = journal_entry_for_author(request.user, entry_id)
    return render(request, "relationships/journal/entry.html", {"nav": "journal", "item": item})


@require_http_methods(["GET", "POST"])
@journal_view
def journal_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    item = journal_entry_for_author(request.user, entry_id)
    entry = item.entry
    initial = {
        "title": entry.title,
        "body": entry.body,
        "skills": [skill.pk for skill in entry.skills.all()],
        "pairing": entry.pairing_id,
        "conversation": entry.conversation_id,
        "revisit_on": entry.revisit_on,
    }
    form = _entry_form(request, entry=entry, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            journal_entry_update(user=request.user, entry_id=entry.pk, **_saved_fields(form))
        except ActionError as error:
            form_or_action_error(form, error)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect("personal:journal-entry", entry_id=entry.pk)
    context = {"nav": "journal", "form": form, "item": item}
    return render(request, "relationships/journal/form.html", context)


@require_http_methods(["GET", "POST"])
@journal_view
def journal_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    item = journal_entry_for_author(request.user, entry_id)
    if request.method == "POST":
        journal_entry_delete(user=request.user, entry_id=item.entry.pk)
        messages.success(request, "The entry is deleted.")
        return redirect("personal:journal")
    return render(request, "relationships/journal/delete.html", {"nav": "journal", "item": item})


@require_POST
@journal_view
def journal_revisited(request: HttpRequest, entry_id: int) -> HttpResponse:
    journal_entry_mark_revisited(user=request.user, entry_id=entry_id)
    messages.success(request, "Marked as revisited.")
    return redirect("personal:journal")

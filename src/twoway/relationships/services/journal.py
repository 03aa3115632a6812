"""Writes of the private journal: its author creates, edits and deletes entries.

Nothing here tells anyone or logs anything about an entry: its title and body
never reach a notification, an e-mail or a log line. Every write first finds the
entry among the signed-in person's own, so nobody else can change or even probe
one (they get NotFound, as for an entry that does not exist).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from twoway.core.errors import ActionError, NotFound
from twoway.core.models import made_just_now
from twoway.pairing.models import Pairing
from twoway.profiles.models import Skill
from twoway.programs.models import Participant
from twoway.relationships.models import Conversation, JournalEntry
from twoway.relationships.selectors.clock import today_for
from twoway.relationships.selectors.journal import JOURNAL_PAIRING_STATUSES

TITLE_MAX = 140
BODY_MAX = 20_000


def _partner_of_pairing(user) -> Q:
    return Q(participant_a__user=user) | Q(participant_b__user=user)


def _own_pairing(user, pairing_id: int) -> Pairing:
    pairing = (
        Pairing.objects.filter(
            _partner_of_pairing(user), pk=pairing_id, status__in=JOURNAL_PAIRING_STATUSES
        )
        .select_related("participant_a", "participant_b")
        .first()
    )
    if pairing is None:
        raise ActionError("Choose one of your own pairings.", field="pairing")
    return pairing


def _own_conversation(user, conversation_id: int) -> Conversation:
    conversation = (
        Conversation.objects.filter(
            Q(pairing__participant_a__user=user) | Q(pairing__participant_b__user=user),
            pk=conversation_id,
            pairing__status__in=JOURNAL_PAIRING_STATUSES,
        )
        .select_related("pairing__participant_a", "pairing__participant_b")
        .first()
    )
    if conversation is None:
        raise ActionError("Choose one of your own conversations.", field="conversation")
    return conversation


def _my_participant(pairing: Pairing, user) -> Participant:
    a, b = pairing.participant_a, pairing.participant_b
    return a if a.user_id == user.pk else b


def _resolve_link(
    user, pairing_id: int | None, conversation_id: int | None
) -> tuple[Pairing | None, Conversation | None]:
    """The pairing and conversation an entry is about, both the person's own."""
    conversation = _own_conversation(user, conversation_id) if conversation_id else None
    pairing = _own_pairing(user, pairing_id) if pairing_id else None
    if conversation is not None:
        if pairing is not None and pairing.pk != conversation.pairing_id:
            raise ActionError(
                "That conversation belongs to another pairing: choose one or the other.",
                field="conversation",
            )
        pairing = conversation.pairing
    return pairing, conversation


def _default_author(user) -> Participant:
    """For an entry about no pairing: the person's most recent enrolment."""
    participant = Participant.objects.filter(user=user).order_by("-enrolled_at", "-pk").first()
    if participant is None:
        raise ActionError("Only participants of a program keep a journal.")
    return participant


def _check_revisit_on(revisit_on: date | None, user) -> None:
    # A day to bring the entry back is a day still to come.
    if revisit_on is not None and revisit_on < today_for(user):
        raise ActionError("Choose today or a day still to come.", field="revisit_on")


def _clean(title: str, body: str, skills: Iterable[Skill | int]) -> tuple[str, str, list[int]]:
    title, body = (title or "").strip(), (body or "").strip()
    if not body:
        raise ActionError("Write something first: the entry is empty.", field="body")
    if len(body) > BODY_MAX:
        raise ActionError(f"Keep an entry under {BODY_MAX:,} characters.", field="body")
    if len(title) > TITLE_MAX:
        raise ActionError(f"Keep the title under {TITLE_MAX} characters.", field="title")
    skill_ids = sorted({getattr(skill, "pk", skill) for skill in skills})
    if Skill.objects.filter(pk__in=skill_ids).count() != len(skill_ids):
        raise ActionError("Choose skills from the list.", field="skills")
    return title, body, skill_ids


@transaction.atomic
def journal_entry_create(
    *,
    user,
    body: str,
    title: str = "",
    skills: Iterable[Skill | int] = (),
    pairing_id: int | None = None,
    conversation_id: int | None = None,
    revisit_on: date | None = None,
) -> JournalEntry:
    """A new private entry of `user`, optionally about one of their pairings or conversations."""
    title, body, skill_ids = _clean(title, body, skills)
    _check_revisit_on(revisit_on, user)
    pairing, conversation = _resolve_link(user, pairing_id, conversation_id)
    author = _my_participant(pairing, user) if pairing else _default_author(user)
    now = timezone.now()
    # The author's row lock puts a double submit in line; the second finds the first.
    Participant.objects.select_for_update().filter(pk=author.pk).first()
    just_made = made_just_now(JournalEntry.objects.filter(author=author, title=title, body=body))
    if just_made is not None:
        return just_made
    entry = JournalEntry.objects.create(
        author=author,
        pairing=pairing,
        conversation=conversation,
        title=title,
        body=body,
        revisit_on=revisit_on,
        created_at=now,
        updated_at=now,
    )
    entry.skills.set(skill_ids)
    return entry


def _own_entry(user, entry_id: int) -> JournalEntry:
    if not user.is_authenticated:
        raise NotFound("No such journal entry")
    entry = (
        JournalEntry.objects.select_for_update(of=("self",))
        .filter(pk=entry_id, author__user=user)
        .select_related("author__program")
        .first()
    )
    if entry is None:
        raise NotFound("No such journal entry")
    return entry


@transaction.atomic
def journal_entry_update(
    *,
    user,
    entry_id: int,
    body: str,
    title: str = "",
    skills: Iterable[Skill | int] = (),
    pairing_id: int | None = None,
    conversation_id: int | None = None,
    revisit_on: date | None = None,
) -> JournalEntry:
    """Change one of the person's own entries. It stays in the program it was written in."""
    entry = _own_entry(user, entry_id)
    title, body, skill_ids = _clean(title, body, skills)
    if revisit_on != entry.revisit_on:  # a day that has passed may stay as it was
        _check_revisit_on(revisit_on, user)
    pairing, conversation = _resolve_link(user, pairing_id, conversation_id)
    if pairing is not None and _my_participant(pairing, user).pk != entry.author_id:
        raise ActionError(
            f"This entry belongs to your journal in {entry.author.program.name}; "
            "link it to a pairing of that program.",
            field="conversation" if conversation else "pairing",
        )
    entry.title, entry.body, entry.revisit_on = title, body, revisit_on
    entry.pairing, entry.conversation = pairing, conversation
    entry.updated_at = timezone.now()
    entry.save()
    entry.skills.set(skill_ids)
    return entry


@transaction.atomic
def journal_entry_delete(*, user, entry_id: int) -> None:
    _own_entry(user, entry_id).delete()


@transaction.atomic
def journal_entry_mark_revisited(*, user, entry_id: int) -> JournalEntry:
    """The person has revisited the entry: its revisit date no longer brings it back."""
    entry = _own_entry(user, entry_id)
    entry.revisit_on = None
    entry.save(update_fields=["revisit_on"])  # not an edit of what it says
    return entry

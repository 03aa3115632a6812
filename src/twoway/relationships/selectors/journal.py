"""Reads of the private journal. Only its author ever reads an entry.

Every read here starts from the signed-in person's own entries, and there is no
read for anybody else: not the partner, not a coordinator, not staff. A person
has one Participant per program and one journal across all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import dateformat, timezone
from django.utils.text import Truncator

from twoway.core.errors import NotFound
from twoway.core.timezones import zone_of
from twoway.pairing.models import Pairing, PairingStatus
from twoway.profiles.models import Gap, Offer, Skill
from twoway.programs.models import Participant
from twoway.relationships.models import (
    Conversation,
    ConversationStatus,
    Goal,
    GoalStatus,
    JournalEntry,
)
from twoway.relationships.selectors.clock import local_date, today_for

PER_PAGE = 20
# "Revisit" brings back older thoughts, not the one written this morning.
REVISIT_AFTER = timedelta(days=7)
REVISIT_LIMIT = 5
# A journal can be about a pairing that happened, not about a proposal that never did.
JOURNAL_PAIRING_STATUSES = (
    PairingStatus.ACCEPTED,
    PairingStatus.ACTIVE,
    PairingStatus.COMPLETED,
    PairingStatus.EXITED,
)


@dataclass(frozen=True)
class JournalItem:
    """An entry with what the page says about it."""

    entry: JournalEntry
    partner_name: str = ""  # the partner of the pairing it is about, if any
    reasons: list[str] = field(default_factory=list)  # why "Revisit" suggests it

    @property
    def heading(self) -> str:
        """The title, or the first words of an untitled entry."""
        return self.entry.title or Truncator(self.entry.body).words(8)


def _own(user) -> QuerySet[JournalEntry]:
    """The person's own entries: the only starting point of every journal read."""
    if not user.is_authenticated:
        return JournalEntry.objects.none()
    return JournalEntry.objects.filter(author__user=user).select_related(
        "conversation", "pairing__participant_a__user", "pairing__participant_b__user"
    )


def _partner_name(pairing: Pairing | None, user) -> str:
    if pairing is None:
        return ""
    a, b = pairing.participant_a, pairing.participant_b
    return (b if a.user_id == user.pk else a).user.display_name


def _item(entry: JournalEntry, user, reasons: list[str] | None = None) -> JournalItem:
    return JournalItem(
        entry=entry, partner_name=_partner_name(entry.pairing, user), reasons=reasons or []
    )


def keeps_a_journal(user) -> bool:
    """Participants keep a journal; coordinators, sponsors and staff only do when enrolled."""
    return user.is_authenticated and Participant.objects.filter(user=user).exists()


def journal_entry_for_author(user, entry_id: int) -> JournalItem:
    """One entry, for its author only: anyone else gets NotFound, as for no entry at all."""
    entry = _own(user).prefetch_related("skills").filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("No such journal entry")
    return _item(entry, user)


@dataclass(frozen=True)
class JournalPage:
    items: list[JournalItem]
    page: Page
    total: int  # entries matching the search


def _search(entries: QuerySet, query: str, skill_id: int | None) -> QuerySet:
    query = query.strip()
    if query:
        tagged = JournalEntry.skills.through.objects.filter(skill__name__icontains=query)
        entries = entries.filter(
            Q(title__icontains=query)
            | Q(body__icontains=query)
            | Q(pk__in=tagged.values("journalentry_id"))
        )
    if skill_id:
        entries = entries.filter(skills=skill_id)
    return entries


def journal_page(
    user, *, query: str = "", skill_id: int | None = None, page_number=1
) -> JournalPage:
    """The person's entries, newest first, searched by title, text and skill tags."""
    entries = _search(_own(user), query, skill_id).prefetch_related("skills")
    paginator = Paginator(entries.order_by("-created_at", "-pk"), PER_PAGE)
    page = paginator.get_page(page_number)
    return JournalPage(
        items=[_item(entry, user) for entry in page.object_list],
        page=page,
        total=paginator.count,
    )


def journal_skills(user) -> list[Skill]:
    """The skills the person has tagged entries with, to browse by."""
    tagged = JournalEntry.skills.through.objects.filter(journalentry__author__user=user)
    return list(Skill.objects.filter(pk__in=tagged.values("skill_id")).order_by("name"))


# --- Revisit ----------------------------------------------------------------------


def _next_conversation(user, now: datetime) -> Conversation | None:
    """The person's next planned conversation in any pairing under way."""
    return (
        Conversation.objects.filter(
            Q(pairing__participant_a__user=user) | Q(pairing__participant_b__user=user),
            status=ConversationStatus.PLANNED,
            starts_at__gte=now,
            pairing__status__in=(PairingStatus.ACCEPTED, PairingStatus.ACTIVE),
        )
        .select_related("pairing__participant_a__user", "pairing__participant_b__user")
        .prefetch_related("focus_skills")
        .order_by("starts_at")
        .first()
    )


def _day(value) -> str:
    return dateformat.format(value, "j F Y")


def _reasons_by_skill(user, now: datetime) -> dict[int, list[str]]:
    """For each skill the person is working on now, why an entry tagged with it matters."""
    reasons: dict[int, list[str]] = {}
    conversation = _next_conversation(user, now)
    if conversation is not None:
        partner = _partner_name(conversation.pairing, user)
        when = _day(timezone.localtime(conversation.starts_at, zone_of(user)))
        for skill in conversation.focus_skills.all():
            reasons.setdefault(skill.pk, []).append(
                f"Tagged {skill.name}, which you plan to cover with {partner} on {when}."
            )
    goals = Goal.objects.filter(
        owner__user=user, status=GoalStatus.OPEN, skill__isnull=False
    ).select_related("skill")
    for goal in goals:
        reasons.setdefault(goal.skill_id, []).append(
            f"Tagged {goal.skill.name}, the skill of your open goal “{goal.title}”."
        )
    return reasons


def revisit_suggestions(user, *, now: datetime | None = None) -> list[JournalItem]:
    """Older entries that relate to what the person is working on now, each with why.

    An entry comes back when its revisit date has come, or when it is older than
    a week and tagged with a skill of the person's next planned conversation or
    of one of their open goals. Entries whose date has come show first.
    """
    now = now or timezone.now()
    today = today_for(user, now=now)
    by_skill = _reasons_by_skill(user, now)
    wanted = Q(revisit_on__lte=today)
    if by_skill:
        tagged = JournalEntry.skills.through.objects.filter(skill_id__in=list(by_skill))
        wanted |= Q(created_at__lt=now - REVISIT_AFTER, pk__in=tagged.values("journalentry_id"))
    entries = (
        _own(user)
        .filter(wanted)
        .annotate(
            date_has_come=Case(
                When(revisit_on__lte=today, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .prefetch_related("skills")
        .order_by("date_has_come", "-created_at", "-pk")[:REVISIT_LIMIT]
    )
    items = []
    for entry in entries:
        reasons = []
        if entry.revisit_on and entry.revisit_on <= today:
            reasons.append(f"You asked to revisit it on {_day(entry.revisit_on)}.")
        if entry.created_at < now - REVISIT_AFTER:
            for skill in entry.skills.all():
                reasons += by_skill.get(skill.pk, [])
        items.append(_item(entry, user, reasons))
    return items


# --- What an entry can be linked to and tagged with -----------------------------


def journal_pairings(user, *, author: Participant | None = None) -> list[tuple[Pairing, str]]:
    """The person's pairings an entry can be about, each with the partner's name.

    When editing, only the pairings of the entry's author (one program): an entry
    stays in the program it was written in.
    """
    pairings = Pairing.objects.filter(
        Q(participant_a__user=user) | Q(participant_b__user=user),
        status__in=JOURNAL_PAIRING_STATUSES,
    )
    if author is not None:
        pairings = pairings.filter(Q(participant_a=author) | Q(participant_b=author))
    pairings = pairings.select_related(
        "program", "participant_a__user", "participant_b__user"
    ).order_by("-proposed_at")
    return [(pairing, _partner_name(pairing, user)) for pairing in pairings]


def journal_conversations(
    user, *, author: Participant | None = None
) -> list[tuple[Conversation, str]]:
    """The person's conversations an entry can be linked to, newest first, with the partner."""
    # Cancelled ones too: "we cancelled again" is worth a reflection.
    conversations = Conversation.objects.filter(
        Q(pairing__participant_a__user=user) | Q(pairing__participant_b__user=user),
        pairing__status__in=JOURNAL_PAIRING_STATUSES,
    )
    if author is not None:
        conversations = conversations.filter(
            Q(pairing__participant_a=author) | Q(pairing__participant_b=author)
        )
    conversations = conversations.select_related(
        "pairing__participant_a__user", "pairing__participant_b__user"
    ).order_by("-starts_at")
    return [(c, _partner_name(c.pairing, user)) for c in conversations]


def journal_skill_choices(user, *, entry: JournalEntry | None = None) -> list[Skill]:
    """Skills to tag an entry with: what the person teaches and learns, and its current tags."""
    mine = Q(pk__in=Gap.objects.filter(participant__user=user).values("skill_id")) | Q(
        pk__in=Offer.objects.filter(participant__user=user).values("skill_id")
    )
    if entry is not None:
        tagged = JournalEntry.skills.through.objects.filter(journalentry=entry)
        mine |= Q(pk__in=tagged.values("skill_id"))
    return list(Skill.objects.filter(mine).order_by("name"))


def conversation_day(conversation: Conversation, user) -> str:
    """The day of a conversation where the person lives, for a choice label."""
    return _day(local_date(conversation.starts_at, user))

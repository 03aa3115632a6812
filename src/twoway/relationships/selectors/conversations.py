"""Reads of a pair's conversations and of the two-way ledger.

Everything here is for the two partners of the pairing (the caller hands in
their PairSide); a conversation of another pairing does not exist for them.
The ledger is shared by the pair: each partner sees what they learned from the
other and what the other learned from them, with the learner's ratings.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import icalendar
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from twoway.core.errors import NotFound
from twoway.core.timezones import zone_or_none
from twoway.pairing.models import LIVE_STATUSES
from twoway.pairing.selectors import PairSide, explanation_in_words
from twoway.profiles.models import Offer, SharedField, Skill, SkillStatus
from twoway.relationships.models import Conversation, ConversationStatus, Exchange

# No conversation lasts longer than this (a database check), so one that began
# earlier than this ago has certainly ended.
LONGEST_CONVERSATION = timedelta(minutes=600)

# The learner's rating of what they learned, in words.
VALUE_WORDS = {
    1: "Of little value",
    2: "Some value",
    3: "Useful",
    4: "Very useful",
    5: "Invaluable",
}


@dataclass(frozen=True)
class Ledger:
    """The exchanges of one conversation, seen from one partner's side."""

    i_learned: list[Exchange]  # my partner taught me; I rated them
    partner_learned: list[Exchange]  # I taught my partner; they rated them

    @property
    def is_empty(self) -> bool:
        return not (self.i_learned or self.partner_learned)


@dataclass(frozen=True)
class ConversationItem:
    """A conversation in a list, with its ledger in short."""

    conversation: Conversation
    ledger: Ledger

    @property
    def needs_log(self) -> bool:
        """It has started, is not cancelled, and I have not logged what I learned."""
        return has_started(self.conversation) and not self.ledger.i_learned


def has_started(conversation: Conversation, now: datetime | None = None) -> bool:
    return conversation.status != ConversationStatus.CANCELLED and conversation.starts_at <= (
        now or timezone.now()
    )


def _ledger(side: PairSide, exchanges) -> Ledger:
    me = side.me.pk
    return Ledger(
        i_learned=[e for e in exchanges if e.learner_id == me],
        partner_learned=[e for e in exchanges if e.teacher_id == me],
    )


def _with_ledger(queryset: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """Conversations with their focus skills and exchanges (two queries, whatever the number)."""
    return queryset.prefetch_related(
        Prefetch("focus_skills", queryset=Skill.objects.order_by("name")),
        Prefetch("exchanges", queryset=Exchange.objects.select_related("skill").order_by("id")),
    )


def _items(side: PairSide, conversations) -> list[ConversationItem]:
    return [
        ConversationItem(conversation=c, ledger=_ledger(side, c.exchanges.all()))
        for c in conversations
    ]


def conversations_upcoming(side: PairSide) -> list[ConversationItem]:
    """Conversations that have not ended yet, soonest first, cancelled ones included."""
    now = timezone.now()
    candidates = _with_ledger(
        Conversation.objects.filter(
            pairing=side.pairing, starts_at__gt=now - LONGEST_CONVERSATION
        ).order_by("starts_at", "id")
    )
    return _items(side, [c for c in candidates if c.ends_at > now])


def conversations_past(side: PairSide) -> list[ConversationItem]:
    """Conversations that have ended, latest first, each with its ledger."""
    now = timezone.now()
    candidates = _with_ledger(
        Conversation.objects.filter(pairing=side.pairing, starts_at__lte=now).order_by(
            "-starts_at", "-id"
        )
    )
    return _items(side, [c for c in candidates if c.ends_at <= now])


def conversation_next(side: PairSide) -> Conversation | None:
    """The next planned conversation that has not ended (it may be under way)."""
    now = timezone.now()
    candidates = Conversation.objects.filter(
        pairing=side.pairing,
        status=ConversationStatus.PLANNED,
        starts_at__gt=now - LONGEST_CONVERSATION,
    ).order_by("starts_at", "id")
    return next((c for c in candidates if c.ends_at > now), None)


def conversation_of(side: PairSide, conversation_id: int) -> Conversation:
    """One conversation of this pairing, with its focus skills, or NotFound."""
    conversation = (
        Conversation.objects.filter(pairing=side.pairing, pk=conversation_id)
        .select_related("logged_by")
        .prefetch_related(Prefetch("focus_skills", queryset=Skill.objects.order_by("name")))
        .first()
    )
    if conversation is None:
        raise NotFound("No such conversation")
    conversation.pairing = side.pairing  # already loaded, with both partners
    return conversation


def conversation_ledger(side: PairSide, conversation: Conversation) -> Ledger:
    """What I learned from my partner in this conversation, and what they learned from me."""
    exchanges = Exchange.objects.filter(conversation=conversation).select_related("skill")
    return _ledger(side, list(exchanges.order_by("id")))


def conversations_starting_between(start: datetime, end: datetime) -> list[Conversation]:
    """Planned conversations of live pairings that start in [start, end), for reminders.

    Each comes with its pairing and both partners' users loaded, in one query.
    """
    return list(
        Conversation.objects.filter(
            status=ConversationStatus.PLANNED,
            starts_at__gte=start,
            starts_at__lt=end,
            pairing__status__in=LIVE_STATUSES,
            pairing__paused_at__isnull=True,  # a paused pairing gets no reminders
        )
        .select_related("pairing__participant_a__user", "pairing__participant_b__user")
        .order_by("starts_at", "id")
    )


# --- What to suggest in the forms -------------------------------------------------


def _unique(names) -> list[str]:
    seen, result = set(), []
    for name in names:
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            result.append(name)
    return result


def learned_suggestions(side: PairSide) -> list[str]:
    """Skill names to suggest when I log what I learned from my partner: what the
    matching found they teach me, then what they offer."""
    explained = [lesson.skill for lesson in explanation_in_words(side).i_learn]
    offered = side.partner.offers.select_related("skill").order_by("-proficiency", "skill__name")
    return _unique([*explained, *(offer.skill.name for offer in offered)])


def skill_vocabulary_names() -> list[str]:
    """Every curated skill's name, for typing a skill with the browser's suggestions."""
    return list(
        Skill.objects.filter(status=SkillStatus.CURATED)
        .order_by("name")
        .values_list("name", flat=True)
    )


@dataclass(frozen=True)
class FocusChoices:
    """Skills a pair may plan to cover, by direction."""

    i_learn: list[Skill]
    partner_learns: list[Skill]

    def grouped(self, partner_name: str) -> list[tuple[str, list[tuple[int, str]]]]:
        groups = [
            (f"What {partner_name} can help you learn", self.i_learn),
            (f"What you can help {partner_name} learn", self.partner_learns),
        ]
        return [
            (label, [(skill.pk, skill.name) for skill in skills])
            for label, skills in groups
            if skills
        ]


def focus_choices(side: PairSide) -> FocusChoices:
    """What the matching found each partner teaches the other, then each one's offers
    (two queries). A skill both could teach is listed once, in my direction."""
    words = explanation_in_words(side)
    explained = {
        skill.name: skill
        for skill in Skill.objects.filter(
            name__in=[lesson.skill for lesson in words.i_learn + words.partner_learns]
        )
    }
    offers = Offer.objects.filter(participant__in=[side.me.pk, side.partner.pk]).select_related(
        "skill"
    )
    offered_by = {side.me.pk: [], side.partner.pk: []}
    for offer in offers.order_by("-proficiency", "skill__name"):
        offered_by[offer.participant_id].append(offer.skill)

    def direction(lessons, offered, taken) -> list[Skill]:
        skills = [explained[lesson.skill] for lesson in lessons if lesson.skill in explained]
        chosen = []
        for skill in [*skills, *offered]:
            if skill.pk not in taken:
                taken.add(skill.pk)
                chosen.append(skill)
        return chosen

    taken: set[int] = set()
    return FocusChoices(
        i_learn=direction(words.i_learn, offered_by[side.partner.pk], taken),
        partner_learns=direction(words.partner_learns, offered_by[side.me.pk], taken),
    )


# --- Time --------------------------------------------------------------------------


def partner_zone(side: PairSide) -> zoneinfo.ZoneInfo | None:
    """My partner's timezone, when they share their location and timezone with me."""
    profile = getattr(side.partner.user, "profile", None)
    if profile is None or SharedField.LOCATION not in profile.shared_with_partner:
        return None
    return zone_or_none(profile.timezone)


# --- Place and calendar ------------------------------------------------------------

_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def location_link(location: str) -> str | None:
    """The web address in a conversation's place (a video call), if it has one."""
    match = _URL_IN_TEXT.search(location or "")
    if match is None:
        return None
    url = match.group(0).rstrip(".,;)")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return None
    return url


CALENDAR_PRODUCT = "-//Twoway//Twoway conversations//EN"


def conversation_ics(side: PairSide, conversation: Conversation) -> bytes:
    """The conversation as an iCalendar file: one event, times in UTC, no private text.

    The UID never changes and SEQUENCE rises with every change, so importing a
    newer file updates (or, once cancelled, removes) the same calendar event.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", CALENDAR_PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"{conversation.uid}@twoway")
    event.add("dtstamp", timezone.now().astimezone(UTC).replace(microsecond=0))
    event.add("dtstart", conversation.starts_at.astimezone(UTC))
    event.add("dtend", conversation.ends_at.astimezone(UTC))
    event.add("sequence", conversation.sequence)
    event.add(
        "summary", f"Twoway: {side.me.user.display_name} and {side.partner.user.display_name}"
    )
    if conversation.location:
        event.add("location", conversation.location)
        link = location_link(conversation.location)
        if link:
            event.add("url", link)
    cancelled = conversation.status == ConversationStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("created", conversation.created_at.astimezone(UTC))
    event.add("last-modified", conversation.updated_at.astimezone(UTC))
    calendar.add_component(event)
    return calendar.to_ical()


def ics_filename(conversation: Conversation) -> str:
    return f"twoway-conversation-{timezone.localtime(conversation.starts_at):%Y-%m-%d}.ics"


# --- What to do next ------------------------------------------------------------------

# A conversation is worth a reminder to log it for this long after it began.
LOG_WITHIN = timedelta(days=14)


def conversation_to_log(side: PairSide) -> Conversation | None:
    """The latest recent conversation in which I have not logged what I learned yet."""
    return conversations_to_log([side]).get(side.pairing.pk)


def conversations_to_log(sides: list[PairSide]) -> dict[int, Conversation]:
    """For each live pairing, its latest recent conversation not logged by me (one query)."""
    if not sides:
        return {}
    now, user = timezone.now(), sides[0].me.user
    live = [side.pairing.pk for side in sides if side.pairing.status in LIVE_STATUSES]
    latest: dict[int, Conversation] = {}
    for conversation in (
        Conversation.objects.filter(
            pairing__in=live,
            status__in=(ConversationStatus.PLANNED, ConversationStatus.HELD),
            starts_at__lte=now,
            starts_at__gt=now - LOG_WITHIN,
        )
        .annotate(mine=Count("exchanges", filter=Q(exchanges__learner__user=user)))
        .order_by("-starts_at", "-id")
    ):
        latest.setdefault(conversation.pairing_id, conversation)
    return {pairing: c for pairing, c in latest.items() if c.mine == 0}


def conversations_next(sides: list[PairSide]) -> dict[int, Conversation]:
    """For each live pairing, its next planned conversation that has not ended (one query)."""
    now = timezone.now()
    live = [side.pairing.pk for side in sides if side.pairing.status in LIVE_STATUSES]
    found: dict[int, Conversation] = {}
    for conversation in Conversation.objects.filter(
        pairing__in=live,
        status=ConversationStatus.PLANNED,
        starts_at__gt=now - LONGEST_CONVERSATION,
    ).order_by("starts_at", "id"):
        if conversation.ends_at > now:
            found.setdefault(conversation.pairing_id, conversation)
    return found

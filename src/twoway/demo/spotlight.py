"""What the printed demo accounts, Margaret and Jamie, find when they sign in.

Their pairing is the one a newcomer explores, so it holds a little of
everything a participant sees: a conversation coming up, a lopsided ledger
with its nudge, journal entries worth revisiting, a pulse that is due, goals,
endorsements, and prompts they have already used.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from twoway.pairing.models import Pairing
from twoway.profiles.models import Profile, Skill
from twoway.programs.models import Participant
from twoway.relationships.models import (
    Conversation,
    ConversationStatus,
    Endorsement,
    Exchange,
    JournalEntry,
    PromptUse,
    Pulse,
)

MEETING_LINK = "https://meet.harbourline.example/margaret-jamie"


def light_up(*, pairing: Pairing, senior: Participant, junior: Participant, now: datetime) -> None:
    wanted_by_junior = _gap_skills(junior)
    _next_conversation(pairing, senior, wanted_by_junior[:2], now)
    _a_cancelled_conversation(pairing, junior, now)
    _notes_on_what_was_learned(pairing)
    _bios(senior, junior)
    _journal_to_revisit(senior, junior, pairing, wanted_by_junior, now)
    _pulse_due_for(senior, pairing)
    Endorsement.objects.filter(pairing=pairing, recipient=junior).update(shown_on_profile=True)
    PromptUse.objects.bulk_create(
        PromptUse(pairing=pairing, prompt_id=prompt_id, marked_by=junior, created_at=now)
        for prompt_id in ("what-brought-you-here", "a-mistake-that-taught-you")
    )


def _gap_skills(participant: Participant) -> list[Skill]:
    return [gap.skill for gap in participant.gaps.select_related("skill").order_by("-priority")]


def _next_conversation(pairing, senior, focus: list[Skill], now: datetime) -> None:
    """Tomorrow at three in the afternoon in London: Margaret's turn to teach."""
    london = ZoneInfo("Europe/London")
    day = (now.astimezone(london) + timedelta(days=1)).date()
    conversation = Conversation.objects.create(
        pairing=pairing,
        status=ConversationStatus.PLANNED,
        starts_at=datetime.combine(day, time(15, 0), tzinfo=london),
        duration_minutes=45,
        location=MEETING_LINK,
        logged_by=senior,
        created_at=now - timedelta(days=1),
        updated_at=now - timedelta(days=1),
    )
    conversation.focus_skills.set(focus)


def _a_cancelled_conversation(pairing, junior, now: datetime) -> None:
    """Three weeks ago Jamie had to call one off: it shows as cancelled, not as missed."""
    starts = now - timedelta(days=21)
    Conversation.objects.create(
        pairing=pairing,
        status=ConversationStatus.CANCELLED,
        starts_at=starts.replace(hour=14, minute=0, second=0, microsecond=0),
        duration_minutes=45,
        location=MEETING_LINK,
        logged_by=junior,
        sequence=1,
        cancelled_at=starts - timedelta(days=1),
        created_at=starts - timedelta(days=8),
        updated_at=starts - timedelta(days=1),
    )


LEARNED_NOTES = (
    "Showed me how to read a trend in minutes instead of an afternoon.",
    "I finally understand why my team's posts land or don't.",
    "Practical and patient. I tried it the same day.",
)


def _notes_on_what_was_learned(pairing) -> None:
    """A few ledger lines with the learner's own words, as people write them."""
    lines = Exchange.objects.filter(conversation__pairing=pairing).order_by("id")
    for line, note in zip(lines, LEARNED_NOTES, strict=False):
        line.note = note
        line.save(update_fields=["note"])


def _bios(senior, junior) -> None:
    Profile.objects.filter(user=senior.user).update(
        bio="Twenty years in finance, the last six running budgeting for the whole group. "
        "Happy to explain how decisions really get made here."
    )
    Profile.objects.filter(user=junior.user).update(
        bio="Data analyst, two years in. I love turning messy spreadsheets into something "
        "people can read at a glance."
    )


def _journal_to_revisit(senior, junior, pairing, wanted_by_junior, now) -> None:
    """Older notes of Margaret's that bear on what she will teach on Thursday."""
    entries = [
        (
            senior,
            "What I wish someone had told me",
            "Most of what I know about getting a decision through was learned the hard way. "
            "Write down the three people who really decide, before the meeting.",
            wanted_by_junior[:1],
            40,
            None,
        ),
        (
            senior,
            "Am I giving as much as I get?",
            "Jamie has shown me more in six weeks than a year of webinars. I should come with "
            "something concrete next time, not just questions.",
            wanted_by_junior[1:2],
            12,
            now.date(),
        ),
        (
            junior,
            "Asking for what I came for",
            "I keep explaining tools. Next time I will ask Margaret how she prepares for "
            "the budget committee.",
            wanted_by_junior[:1],
            9,
            None,
        ),
    ]
    for author, title, body, skills, days_ago, revisit_on in entries:
        entry = JournalEntry.objects.create(
            author=author,
            pairing=pairing,
            title=title,
            body=body,
            revisit_on=revisit_on,
            created_at=now - timedelta(days=days_ago),
            updated_at=now - timedelta(days=days_ago),
        )
        entry.skills.set(skills)


def _pulse_due_for(senior, pairing) -> None:
    """Margaret skipped her latest pulse, so one is due when she signs in."""
    latest = Pulse.objects.filter(pairing=pairing, author=senior).order_by("-submitted_at")
    first, *_rest = latest[:1] or [None]
    if first is not None and latest.count() > 1:
        first.delete()

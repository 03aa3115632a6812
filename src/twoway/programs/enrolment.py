"""Writes that bring people into a program: invitations by list, and profile reminders.

The CSV import lives in `programs.imports`; both end in the accounts invitation service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from twoway.accounts.models import InvitationRole, User
from twoway.accounts.services import invitations_create_many, invitations_send
from twoway.core.errors import ActionError
from twoway.core.validators import is_email
from twoway.notifications.models import NotificationKind
from twoway.notifications.services import Note, notify
from twoway.programs.models import Participant, ParticipantStatus, Program
from twoway.programs.places import pilot_places_check

# One paste is a team or a department; a whole organisation comes as a CSV import.
MAX_ADDRESSES = 500

# Addresses are separated by commas, semicolons, new lines or spaces; a name may
# stand before an address in angle brackets ("Ana Lima <ana@example.org>").
_LINES = re.compile(r"[,;\n]+")
_BRACKETED = re.compile(r"<([^<>]*)>")


@dataclass(frozen=True)
class Address:
    email: str
    full_name: str = ""


@dataclass
class InviteOutcome:
    invited: list[Address] = field(default_factory=list)
    already_in: list[Address] = field(default_factory=list)


def addresses_parse(text: str) -> list[Address]:
    """Every address in `text`, in order and once each; ActionError naming each bad one."""
    entries = [entry for part in _LINES.split(text) for entry in _entries_in(part)]
    bad = [entry.email for entry in entries if not is_email(entry.email)]
    if bad:
        quoted = ", ".join(f"'{email}'" for email in bad)
        noun = "is not an e-mail address" if len(bad) == 1 else "are not e-mail addresses"
        raise ActionError(f"{quoted} {noun}. Nobody was invited.", field="addresses")
    unique: dict[str, Address] = {}
    for entry in entries:
        unique.setdefault(entry.email, entry)
    if not unique:
        raise ActionError("Enter at least one e-mail address.", field="addresses")
    if len(unique) > MAX_ADDRESSES:
        raise ActionError(
            f"{len(unique)} addresses is more than {MAX_ADDRESSES} at once; "
            "import a CSV file for more.",
            field="addresses",
        )
    return list(unique.values())


def _entries_in(part: str) -> list[Address]:
    """The addresses in one comma- or line-separated part, with the name before a
    bracketed address. Words with an @ are addresses of their own, never a name."""
    entries: list[Address] = []
    name_words: list[str] = []
    position = 0
    for match in _BRACKETED.finditer(part):
        for word in part[position : match.start()].split():
            if "@" in word:
                entries.append(Address(email=word.lower()))
            else:
                name_words.append(word.strip('"'))
        email = match.group(1).strip().lower() or match.group()
        entries.append(Address(email=email, full_name=" ".join(name_words).strip()))
        name_words, position = [], match.end()
    entries += [Address(email=word.lower()) for word in part[position:].split()]
    return entries


def enrolment_invite_list(
    *, program: Program, text: str, invited_by: User, accept_url_for
) -> InviteOutcome:
    """Invite every address in `text` to take part, or nobody.

    People already enrolled are skipped and reported. The e-mails go out inside the
    transaction: if the mail server refuses, no invitation is left without its e-mail.
    """
    addresses = addresses_parse(text)
    enrolled = _enrolled_emails(program, [address.email for address in addresses])
    outcome = InviteOutcome()
    for address in addresses:
        (outcome.already_in if address.email in enrolled else outcome.invited).append(address)
    with transaction.atomic():
        pilot_places_check(
            program=program,
            adding=len(outcome.invited),
            joining=[address.email for address in outcome.invited],
            field="addresses",
            nobody="Nobody was invited",
        )
        created = invitations_create_many(
            program=program,
            people=[(address.email, address.full_name) for address in outcome.invited],
            role=InvitationRole.PARTICIPANT,
            invited_by=invited_by,
        )
        invitations_send(created, accept_url_for=accept_url_for)
    return outcome


def _enrolled_emails(program: Program, emails: list[str]) -> set[str]:
    # Addresses are unique ignoring case, and older accounts may keep capitals.
    rows = (
        Participant.objects.filter(program=program, status=ParticipantStatus.ENROLLED)
        .annotate(email_lower=Lower("user__email"))
        .filter(email_lower__in=emails)
        .values_list("user__email", flat=True)
    )
    return {email.lower() for email in rows}


@dataclass(frozen=True)
class ReminderOutcome:
    reminded: int
    skipped: int


def profile_reminders_send(*, program: Program) -> ReminderOutcome:
    """Remind each enrolled person whose profile is unfinished, at most once a day.

    The day is in the dedupe key, so pressing the button twice, or two coordinators
    pressing it, reminds nobody twice on the same day.
    """
    people = list(
        User.objects.filter(
            participations__program=program,
            participations__status=ParticipantStatus.ENROLLED,
            participations__profile_completed_at__isnull=True,
            is_active=True,
        )
    )
    if not people:
        return ReminderOutcome(reminded=0, skipped=0)
    note = Note(
        NotificationKind.PROFILE_REMINDER,
        f"Please complete your profile for {program.name}",
        "Your coordinators can only find you a partner once your profile says what you "
        "can offer and what you would like to learn.",
        reverse("profiles:welcome", args=[program.slug]),
    )
    today = timezone.localdate().isoformat()
    reminded = notify(
        recipients=people, note=note, dedupe_key=f"profile-reminder:{program.pk}:{today}"
    )
    return ReminderOutcome(reminded=reminded, skipped=len(people) - reminded)

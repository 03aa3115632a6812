"""Enrolling people from an HRIS export (CSV): upload, check every row, save all or none.

The check and the save run as background tasks (`programs.tasks`) because a
whole organisation can be 10,000 rows. Both read the CSV text stored on the
`ImportBatch`, so what is saved is exactly what was checked; the save checks
again inside its transaction, so a file that became wrong in between (someone
enrolled meanwhile) saves nothing.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from twoway.accounts.models import InvitationRole, User
from twoway.accounts.services import invitations_create_many, invitations_send
from twoway.core.errors import ActionError
from twoway.core.validators import is_email, validate_timezone
from twoway.notifications.models import NotificationKind
from twoway.notifications.services import Note, absolute_url, notify
from twoway.profiles.models import LEVEL_MAX, LEVEL_MIN, Profile
from twoway.programs.models import (
    ImportBatch,
    ImportStatus,
    Participant,
    ParticipantStatus,
    Program,
)
from twoway.programs.places import pilot_places

logger = logging.getLogger(__name__)

COLUMNS = (
    "email",
    "full_name",
    "department",
    "job_title",
    "level",
    "manager_email",
    "location",
    "timezone",
    "languages",
    "hired_on",
)
REQUIRED = ("email", "full_name", "department", "level")
# The longest text each column may hold: the limits of the User and Profile fields.
MAX_LENGTHS = {
    "email": 254,
    "full_name": 150,
    "department": 80,
    "job_title": 120,
    "manager_email": 254,
    "location": 80,
}
MAX_LANGUAGE_LENGTH = 40
DEFAULT_TIMEZONE = "UTC"

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # 10,000 rows of a typical export are under 2 MB
MAX_ROWS = 20_000
# How often the check writes its progress: often enough for a moving bar, rarely
# enough to cost nothing.
PROGRESS_EVERY = 500
# Long `IN (...)` lists are split: SQLite refuses more than a few thousand parameters.
IN_CHUNK = 500
BULK_BATCH = 500
PROBLEMS_SHOWN = 200

TEMPLATE_ROWS = (
    COLUMNS,
    (
        "ana.lima@example.org",
        "Ana Lima",
        "Finance",
        "Head of Planning",
        "7",
        "",
        "London",
        "Europe/London",
        "English;Portuguese",
        "2011-03-14",
    ),
    (
        "sam.okafor@example.org",
        "Sam Okafor",
        "Engineering",
        "Software Engineer",
        "2",
        "ana.lima@example.org",
        "Lagos",
        "Africa/Lagos",
        "English",
        "",
    ),
)


def import_template_csv() -> str:
    """The downloadable template: the header and two example rows."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(TEMPLATE_ROWS)
    return out.getvalue()


# --- Upload -----------------------------------------------------------------------------


def import_upload(*, program: Program, uploaded_by: User, filename: str, content: bytes):
    """Store the uploaded file as a batch and queue its check; ActionError if unreadable."""
    from twoway.programs.tasks import import_validate_task

    if len(content) > MAX_UPLOAD_BYTES:
        raise ActionError(
            f"The file is {len(content) / 1_048_576:.1f} MB; the limit is "
            f"{MAX_UPLOAD_BYTES // 1_048_576} MB. Split it into smaller files.",
            field="file",
        )
    try:
        # utf-8-sig drops the byte-order mark that spreadsheet programs often add.
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ActionError(
            f"The file is not UTF-8 text (byte {error.start + 1} cannot be read). "
            "Save it as 'CSV UTF-8' and upload it again.",
            field="file",
        ) from error
    if not text.strip():
        raise ActionError("The file is empty.", field="file")
    if "\x00" in text:
        raise ActionError("The file holds binary data, not CSV text.", field="file")
    batch = ImportBatch.objects.create(
        program=program, uploaded_by=uploaded_by, filename=filename[:200], csv_text=text
    )
    import_validate_task.enqueue(batch.pk)
    return batch


# --- Reading and checking ---------------------------------------------------------------


@dataclass
class Person:
    """One checked row of the file."""

    row: int
    email: str
    full_name: str
    department: str
    job_title: str = ""
    level: int | None = None
    manager_email: str = ""
    location: str = ""
    timezone: str = DEFAULT_TIMEZONE
    languages: list[str] = field(default_factory=list)
    hired_on: date | None = None


@dataclass
class Checked:
    """What the check found: the people, every problem, and who already has an account."""

    people: list[Person] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    user_ids: dict[str, int] = field(default_factory=dict)  # existing accounts by e-mail
    with_profile: set[int] = field(default_factory=set)
    participant_status: dict[int, tuple[int, str]] = field(default_factory=dict)

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append({"row": row, "column": column, "message": message})

    @property
    def new_people(self) -> list[Person]:
        return [person for person in self.people if person.email not in self.user_ids]

    def summary(self) -> dict:
        new = len(self.new_people)
        existing = len(self.people) - new
        kept = sum(1 for p in self.people if self.user_ids.get(p.email) in self.with_profile)
        return {"new_accounts": new, "existing_accounts": existing, "profiles_kept": kept}


def people_in(batch: ImportBatch) -> int:
    """How many people a checked batch enrols."""
    return batch.summary.get("new_accounts", 0) + batch.summary.get("existing_accounts", 0)


def problem_text(problem: dict) -> str:
    return f"row {problem['row']}, column {problem['column']}: {problem['message']}"


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) for each line that is not blank; the header is row 1."""
    for number, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        if any(cell.strip() for cell in cells):
            yield number, cells


def _check_header(cells: list[str], checked: Checked) -> list[str | None]:
    """The column each position holds (None for an unknown one), with header problems."""
    names: list[str | None] = []
    seen: set[str] = set()
    for cell in cells:
        name = cell.strip().lower()
        if name not in COLUMNS:
            known = ", ".join(COLUMNS)
            checked.problem(1, name or "(empty)", f"unknown column; the columns are {known}")
            names.append(None)
        elif name in seen:
            checked.problem(1, name, "the column appears twice")
            names.append(None)
        else:
            seen.add(name)
            names.append(name)
    for name in REQUIRED:
        if name not in seen:
            checked.problem(1, name, "this required column is missing")
    return names


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _person_from(row: int, values: dict[str, str], checked: Checked) -> Person | None:
    """Check one row's cells; None when any of them is wrong (each one is recorded)."""
    before = len(checked.problems)
    for name, limit in MAX_LENGTHS.items():
        if len(values.get(name, "")) > limit:
            checked.problem(row, name, f"longer than {limit} characters")
    for name in REQUIRED:
        if name in values and not values[name]:
            checked.problem(row, name, "required, but empty")
    email = values.get("email", "").lower()
    if email and not is_email(email):
        checked.problem(row, "email", f"'{email}' is not an e-mail address")
    manager_email = values.get("manager_email", "").lower()
    if manager_email and not is_email(manager_email):
        checked.problem(row, "manager_email", f"'{manager_email}' is not an e-mail address")
    elif manager_email and manager_email == email:
        checked.problem(row, "manager_email", "a person cannot be their own manager")
    level = _level(row, values.get("level", ""), checked)
    zone = values.get("timezone", "") or DEFAULT_TIMEZONE
    try:
        validate_timezone(zone)
    except ValidationError:
        checked.problem(row, "timezone", f"'{zone}' is not an IANA timezone, e.g. Europe/London")
    hired_on = _hired_on(row, values.get("hired_on", ""), checked)
    languages = _languages(row, values.get("languages", ""), checked)
    if len(checked.problems) > before:
        return None
    return Person(
        row=row,
        email=email,
        full_name=values.get("full_name", ""),
        department=values.get("department", ""),
        job_title=values.get("job_title", ""),
        level=level,
        manager_email=manager_email,
        location=values.get("location", ""),
        timezone=zone,
        languages=languages,
        hired_on=hired_on,
    )


def _level(row: int, value: str, checked: Checked) -> int | None:
    if not value:
        return None  # reported as a required cell
    if value.isdigit() and LEVEL_MIN <= int(value) <= LEVEL_MAX:
        return int(value)
    checked.problem(
        row, "level", f"'{value}' is not a whole number from {LEVEL_MIN} to {LEVEL_MAX}"
    )
    return None


def _hired_on(row: int, value: str, checked: Checked) -> date | None:
    if not value:
        return None
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError
        hired_on = date.fromisoformat(value)
    except ValueError:
        checked.problem(row, "hired_on", f"'{value}' is not a date written YYYY-MM-DD")
        return None
    if hired_on > timezone.localdate():
        checked.problem(row, "hired_on", f"{value} is in the future")
        return None
    return hired_on


def _languages(row: int, value: str, checked: Checked) -> list[str]:
    languages = list(dict.fromkeys(part.strip() for part in value.split(";") if part.strip()))
    for language in languages:
        if len(language) > MAX_LANGUAGE_LENGTH:
            checked.problem(row, "languages", f"'{language[:20]}…' is not a language name")
    return languages


def _check_shape(row: int, cells: list[str], names: list[str | None], checked: Checked) -> bool:
    """Whether the row has as many cells as the header (empty extra cells are fine)."""
    if len(cells) < len(names):
        missing = names[len(cells)] or f"{len(cells) + 1}"
        checked.problem(
            row, missing, f"the row is short: {len(cells)} cells, the header has {len(names)}"
        )
        return False
    if any(cell.strip() for cell in cells[len(names) :]):
        checked.problem(
            row,
            str(len(names) + 1),
            f"the row is long: {len(cells)} cells, the header has {len(names)}",
        )
        return False
    return True


def import_check(program: Program, text: str, *, progress=None) -> Checked:
    """Check every row of `text` for `program`; `progress(rows_checked, rows_total)` is
    called every few hundred rows. Pure reading: nothing is written."""
    checked = Checked()
    records = list(_records(text))
    if not records:
        checked.problem(1, "(all)", "the file has no header row")
        return checked
    _, header = records[0]
    names = _check_header(header, checked)
    rows = records[1:]
    if not rows:
        checked.problem(2, "(all)", "the file has a header but no people")
    if len(rows) > MAX_ROWS:
        checked.problem(MAX_ROWS + 2, "(all)", f"more than {MAX_ROWS} people in one file")
        return checked
    first_row: dict[str, int] = {}
    for index, (row, cells) in enumerate(rows, start=1):
        if _check_shape(row, cells, names, checked):
            # Not strict: empty cells past the header were allowed by the shape check.
            pairs = zip(names, cells, strict=False)
            values = {name: cell.strip() for name, cell in pairs if name}
            person = _person_from(row, values, checked)
            if person is not None and person.email in first_row:
                checked.problem(
                    row, "email", f"{person.email} is also on row {first_row[person.email]}"
                )
            elif person is not None:
                first_row[person.email] = row
                checked.people.append(person)
        if progress and index % PROGRESS_EVERY == 0:
            progress(index, len(rows))
    _check_against_database(program, checked)
    _check_pilot_places(program, checked)
    checked.problems.sort(key=lambda problem: problem["row"])
    return checked


def _check_against_database(program: Program, checked: Checked) -> None:
    """Who already has an account, a profile or a place in the program; managers known."""
    emails = {person.email for person in checked.people}
    wanted = sorted(emails | {person.manager_email for person in checked.people} - {""})
    for chunk in _chunks(wanted):
        # Addresses are unique ignoring case, and older accounts may keep capitals.
        accounts = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=chunk)
        for user_id, email in accounts.values_list("pk", "email"):
            checked.user_ids[email.lower()] = user_id
    ids = [checked.user_ids[email] for email in emails if email in checked.user_ids]
    for chunk in _chunks(ids):
        checked.with_profile.update(
            Profile.objects.filter(user__in=chunk).values_list("user_id", flat=True)
        )
        for pk, user_id, status in Participant.objects.filter(
            program=program, user__in=chunk
        ).values_list("pk", "user_id", "status"):
            checked.participant_status[user_id] = (pk, status)
    for person in checked.people:
        user_id = checked.user_ids.get(person.email)
        pk_status = checked.participant_status.get(user_id)
        if pk_status and pk_status[1] == ParticipantStatus.ENROLLED:
            checked.problem(
                person.row, "email", f"{person.email} is already enrolled in {program.name}"
            )
        known = person.manager_email in emails or person.manager_email in checked.user_ids
        if person.manager_email and not known:
            checked.problem(
                person.row,
                "manager_email",
                f"{person.manager_email} is neither in this file nor an existing account",
            )


def _check_pilot_places(program: Program, checked: Checked) -> None:
    """A pilot takes no more people than its size: the first row past it is named."""
    places = pilot_places(program, joining=[person.email for person in checked.people])
    if places is None or len(checked.people) <= places.left:
        return
    first_extra = checked.people[places.left]
    checked.problem(
        first_extra.row,
        "(all)",
        f"{places.in_words()} This file enrols {len(checked.people)}, so this row and the "
        f"{len(checked.people) - places.left - 1} after it would not fit: remove rows, or "
        "raise the pilot size in Setup",
    )


def _chunks(values: list) -> Iterator[list]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


def import_validate(*, batch: ImportBatch) -> ImportBatch:
    """Check the batch's file, writing progress as it goes, and record the outcome.

    Runs in a background task, outside any transaction: each progress update
    commits at once, so the page polling the batch sees the bar move.
    """
    records = sum(1 for _ in _records(batch.csv_text))
    total = max(records - 1, 0)
    ImportBatch.objects.filter(pk=batch.pk).update(rows_total=total, rows_checked=0)

    def progress(done: int, _total: int) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(rows_checked=min(done, total))

    checked = import_check(batch.program, batch.csv_text, progress=progress)
    batch.rows_total = total
    batch.rows_checked = total
    batch.problems = checked.problems
    batch.summary = checked.summary()
    batch.status = ImportStatus.INVALID if checked.problems else ImportStatus.READY
    batch.finished_at = timezone.now()
    batch.save(
        update_fields=["rows_total", "rows_checked", "problems", "summary", "status", "finished_at"]
    )
    return batch


# --- Saving ------------------------------------------------------------------------------


def import_commit_start(*, batch: ImportBatch) -> None:
    """Queue the save of a batch that was checked without problems, once."""
    from twoway.programs.tasks import import_commit_task

    # A conditional update: a double click, or two coordinators, start one save.
    started = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.READY).update(
        status=ImportStatus.SAVING, finished_at=None
    )
    if not started:
        raise ActionError("This import is not ready to save: upload a corrected file.")
    import_commit_task.enqueue(batch.pk)


class ImportChanged(Exception):
    """The file no longer checks cleanly (someone enrolled meanwhile)."""


def import_commit(*, batch: ImportBatch) -> ImportBatch:
    """Save every person of the batch in one transaction, or nobody, and record which.

    New people get an account without a password and an invitation to set one;
    the invitation e-mails go out only after the commit.
    """
    started = time.perf_counter()
    try:
        with transaction.atomic():
            # The program's row first: enrolments at the same moment (an approval, an
            # invitation accepted) count the pilot's places one after the other.
            Program.objects.select_for_update().filter(pk=batch.program_id).first()
            checked = import_check(batch.program, batch.csv_text)
            if checked.problems:
                raise ImportChanged(
                    f"the file no longer checks cleanly ({problem_text(checked.problems[0])}); "
                    "upload it again to see every problem"
                )
            invitations = _save(batch, checked)
            batch.status = ImportStatus.DONE
            batch.rows_saved = len(checked.people)
            batch.summary = checked.summary()
            batch.finished_at = timezone.now()
            batch.save(update_fields=["status", "rows_saved", "summary", "finished_at"])
    except Exception as error:  # whatever went wrong, nothing was saved; say so
        logger.exception("import %s failed; its transaction was rolled back", batch.pk)
        _record_failure(batch, error)
        return batch
    saved_in = time.perf_counter() - started
    invitations_send(invitations, accept_url_for=invitation_link)
    logger.info(
        "import %s: %d people saved in %.1f s, %d invitations e-mailed in %.1f s",
        batch.pk,
        batch.rows_saved,
        saved_in,
        len(invitations),
        time.perf_counter() - started - saved_in,
    )
    _tell_the_uploader(batch)
    return batch


# What a unique index refusing a row means to the coordinator: someone else saved an
# account or a place for one of these people while this file was being saved.
CLASHED = (
    "someone was given an account or a place in the program at the same moment, "
    "by another import, an invitation or an application; upload the file again to "
    "check it against what is saved now"
)


def _record_failure(batch: ImportBatch, error: Exception) -> None:
    if isinstance(error, ImportChanged):
        reason = str(error)
    elif isinstance(error, IntegrityError):
        reason = CLASHED
    else:
        reason = f"{type(error).__name__}: {error}"
    batch.status = ImportStatus.FAILED
    batch.rows_saved = 0
    batch.summary = {**batch.summary, "error": f"Nothing was saved: {reason}"}
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "rows_saved", "summary", "finished_at"])
    _tell_the_uploader(batch)


def _tell_the_uploader(batch: ImportBatch) -> None:
    if batch.status == ImportStatus.DONE:
        title = f"{batch.rows_saved} people from {batch.filename} are enrolled"
    else:
        title = f"The import of {batch.filename} failed; nothing was saved"
    link = reverse("programs:import", args=[batch.program.slug, batch.pk])
    note = Note(NotificationKind.IMPORT_FINISHED, title, link=link)
    notify(recipients=[batch.uploaded_by], note=note, email=False)


def _save(batch: ImportBatch, checked: Checked) -> list:
    """Write accounts, profiles, enrolments and invitations; returns (invitation, token)s."""
    new_people = checked.new_people
    # An unusable password costs nothing to make; the person sets a real one through
    # the invitation. Hashing 10,000 passwords with Argon2 would take minutes.
    users = User.objects.bulk_create(
        [
            User(
                email=person.email,
                full_name=person.full_name,
                timezone=person.timezone,
                password=_unusable_password(),
            )
            for person in new_people
        ],
        batch_size=BULK_BATCH,
    )
    user_ids = {**checked.user_ids, **{user.email: user.pk for user in users}}
    Profile.objects.bulk_create(
        [
            _profile_for(person, user_ids)
            for person in checked.people
            if user_ids[person.email] not in checked.with_profile
        ],
        batch_size=BULK_BATCH,
    )
    _enrol(batch.program, checked, user_ids)
    return invitations_create_many(
        program=batch.program,
        people=[(person.email, person.full_name) for person in new_people],
        role=InvitationRole.PARTICIPANT,
        invited_by=batch.uploaded_by,
    )


def _unusable_password() -> str:
    """What `make_password(None)` stores (the prefix marks it unusable), with one call
    to the system's randomness instead of forty."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _profile_for(person: Person, user_ids: dict[str, int]) -> Profile:
    return Profile(
        user_id=user_ids[person.email],
        department=person.department,
        job_title=person.job_title,
        level=person.level,
        manager_id=user_ids.get(person.manager_email),
        location=person.location,
        timezone=person.timezone,
        languages=person.languages,
        hired_on=person.hired_on,
    )


def _enrol(program: Program, checked: Checked, user_ids: dict[str, int]) -> None:
    """A place in the program for each person; people who had withdrawn come back."""
    rejoining = []
    new = []
    for person in checked.people:
        user_id = user_ids[person.email]
        if user_id in checked.participant_status:
            rejoining.append(checked.participant_status[user_id][0])
        else:
            new.append(Participant(program=program, user_id=user_id))
    Participant.objects.bulk_create(new, batch_size=BULK_BATCH)
    for chunk in _chunks(rejoining):
        Participant.objects.filter(pk__in=chunk).update(status=ParticipantStatus.ENROLLED)


def invitation_link(token: str) -> str:
    """The absolute link of an invitation, for e-mails sent outside a request."""
    return absolute_url(reverse("accounts:accept-invitation", args=[token]))

"""Open enrolment: people apply to a program, its coordinators approve or decline."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from twoway.core.errors import ActionError, NotFound
from twoway.notifications.models import NotificationKind
from twoway.notifications.services import Note, notify
from twoway.programs.models import (
    Application,
    ApplicationStatus,
    Participant,
    ParticipantStatus,
    Program,
    ProgramStatus,
)
from twoway.programs.places import pilot_places_check

TEXT_MAX = 2000
# Applications are taken while the program enrols or runs, never in draft or once closed.
TAKES_APPLICATIONS = (ProgramStatus.ENROLLING, ProgramStatus.RUNNING)


def takes_applications(program: Program) -> bool:
    return program.open_enrolment and program.status in TAKES_APPLICATIONS


def application_submit(*, program: Program, user, offer: str, learn: str, why: str) -> Application:
    """Ask to join `program`; its coordinators are told."""
    if not takes_applications(program):
        raise ActionError(f"{program.name} does not take applications at the moment.")
    texts = {"offer": offer.strip(), "learn": learn.strip(), "why": why.strip()}
    _check_texts(texts)
    if Participant.objects.filter(
        program=program, user=user, status=ParticipantStatus.ENROLLED
    ).exists():
        raise ActionError(f"You are already a participant of {program.name}.")
    try:
        with transaction.atomic():
            application = Application.objects.create(program=program, user=user, **texts)
    except IntegrityError as error:
        # The partial unique index: a pending application exists (perhaps a double submit).
        raise ActionError(
            f"You have already applied to {program.name}; the coordinators will decide soon."
        ) from error
    note = Note(
        NotificationKind.APPLICATION_RECEIVED,
        f"{user.full_name} applied to join {program.name}",
        "Read what they can teach and want to learn, then approve or decline.",
        reverse("programs:applications", args=[program.slug]),
    )
    notify(recipients=list(program.coordinators.all()), note=note)
    return application


def _check_texts(texts: dict[str, str]) -> None:
    asks = {
        "offer": "Say what you can teach.",
        "learn": "Say what you want to learn.",
        "why": "Say why you want to join.",
    }
    for field, ask in asks.items():
        if not texts[field]:
            raise ActionError(ask, field=field)
        if len(texts[field]) > TEXT_MAX:
            raise ActionError(f"Keep it under {TEXT_MAX} characters.", field=field)


def application_approve(*, application: Application, by) -> Application:
    """Enrol the applicant and send them to their profile. A second approval does nothing."""
    with transaction.atomic():
        application = _locked(application, by)
        if application.status == ApplicationStatus.APPROVED:
            return application
        _refuse_unless_pending(application)
        _refuse_unless_enrolling(application)
        Participant.objects.update_or_create(
            program=application.program,
            user=application.user,
            defaults={"status": ParticipantStatus.ENROLLED, "motivation": application.why},
        )
        _decide(application, by, ApplicationStatus.APPROVED, "")
        program = application.program
        note = Note(
            NotificationKind.APPLICATION_DECIDED,
            f"Welcome to {program.name}",
            "Your application was approved. Complete your profile, what you can offer and "
            "want to learn, so the coordinators can find you a partner.",
            reverse("profiles:welcome", args=[program.slug]),
        )
        notify(recipients=[application.user], note=note)
    return application


def application_decline(*, application: Application, by, note: str = "") -> Application:
    """Decline, with an optional note that the applicant reads. A second decline does nothing."""
    note = note.strip()
    if len(note) > TEXT_MAX:
        raise ActionError(f"Keep the note under {TEXT_MAX} characters.", field="note")
    with transaction.atomic():
        application = _locked(application, by)
        if application.status == ApplicationStatus.DECLINED:
            return application
        _refuse_unless_pending(application)
        _decide(application, by, ApplicationStatus.DECLINED, note)
        program = application.program
        body = f"The coordinators' note: {note}" if note else "The coordinators left no note."
        notify(
            recipients=[application.user],
            note=Note(
                NotificationKind.APPLICATION_DECIDED,
                f"Your application to {program.name} was declined",
                body,
                reverse("home"),
            ),
        )
    return application


def _locked(application: Application, by) -> Application:
    """The application's row, locked: two coordinators deciding at once go in line."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("program", "user")
        .filter(pk=application.pk, program__coordinators=by)
        .first()
    )
    if locked is None:
        raise NotFound("No such application.")
    return locked


def _refuse_unless_enrolling(application: Application) -> None:
    """A closed program takes nobody; a pilot takes nobody past its size."""
    program = application.program
    if program.status == ProgramStatus.CLOSED:
        raise ActionError(
            f"{program.name} is closed, so nobody can join it. Decline the application, "
            "or reopen the program in Setup first."
        )
    already_in = Participant.objects.filter(
        program=program, user=application.user, status=ParticipantStatus.ENROLLED
    ).exists()
    pilot_places_check(
        program=program,
        adding=0 if already_in else 1,
        joining=[application.user.email],
        nobody="The application is still waiting",
    )


def _refuse_unless_pending(application: Application) -> None:
    if application.status != ApplicationStatus.PENDING:
        raise ActionError(
            f"This application was already {application.get_status_display().lower()}."
        )


def _decide(application: Application, by, status: str, note: str) -> None:
    application.status = status
    application.decided_by = by
    application.decided_at = timezone.now()
    application.decision_note = note
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])

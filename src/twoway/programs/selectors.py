"""Reads about programs, including who may do what in one."""

from __future__ import annotations

from django.db.models import Count

from twoway.matching.rules import RULE_SPECS
from twoway.pairing.models import LIVE_STATUSES, Pairing, PairingStatus
from twoway.programs.models import Participant, ParticipantStatus, Program


def can_coordinate(user, program: Program) -> bool:
    """Only the program's own coordinators run it.

    Staff admins are deliberately not included: coordinators see pulses and exit
    reasons, and being staff must not be a way to read them.
    """
    if not user.is_authenticated:
        return False
    return program.coordinators.filter(pk=user.pk).exists()


def programs_with_counts(programs: list[Program]) -> list[Program]:
    """Attach the aggregate counts a coordinator or sponsor needs to each program.

    Two grouped queries serve any number of programs.
    """
    ids = [program.pk for program in programs]
    enrolled = dict(
        Participant.objects.filter(program__in=ids, status=ParticipantStatus.ENROLLED)
        .values_list("program")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_status: dict[tuple[int, str], int] = {
        (program_id, status): n
        for program_id, status, n in Pairing.objects.filter(program__in=ids)
        .values_list("program", "status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    for program in programs:
        counts = {status: by_status.get((program.pk, status), 0) for status in PairingStatus}
        program.participant_count = enrolled.get(program.pk, 0)
        program.live_pairing_count = sum(counts[status] for status in LIVE_STATUSES)
        program.proposed_pairing_count = counts[PairingStatus.PROPOSED]
        program.completed_pairing_count = counts[PairingStatus.COMPLETED]
        program.exit_count = counts[PairingStatus.EXITED]
    return programs


def rules_in_words(program: Program) -> list[dict[str, str]]:
    """Each matching rule of the program as label, value and help, in plain words."""
    rules = program.matching_rules()
    described = []
    for spec in RULE_SPECS:
        value = getattr(rules, spec.name)
        if spec.kind == "choice":
            words = dict(spec.choices)[value]
        elif spec.kind == "boolean":
            words = "Yes" if value else "No"
        elif value is None:
            words = "No limit"
        else:
            words = f"{value:g}"
        described.append({"label": spec.label, "value": words, "help": spec.help})
    return described

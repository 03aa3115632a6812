"""Writes of a pair's agreement: a version both partners confirm.

Saving terms confirms them for the person who wrote them, so every change comes
after a confirmation and makes a new version, which both confirm again. A
version is never edited in place: the pair can always see what they agreed to
and when, and nobody confirms terms they have not seen (a confirmation names
the version it confirms). The database also refuses to edit a version both
partners confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from twoway.core.errors import ActionError
from twoway.notifications.models import NotificationKind
from twoway.notifications.services import Note, notify
from twoway.pairing.models import LIVE_STATUSES
from twoway.pairing.selectors import PairSide
from twoway.pairing.services import pairing_activate, pairing_status_locked
from twoway.relationships.models import Agreement, AgreementFormat
from twoway.relationships.selectors.agreements import TERMS


@dataclass(frozen=True)
class Terms:
    """The terms as one partner writes them: directions by person, not by A and B."""

    i_teach: str
    partner_teaches: str
    format: str
    ends_on: date | None
    checkin_every_days: int
    success_measures: str
    confidentiality: str


def _as_columns(side: PairSide, terms: Terms) -> dict:
    mine, theirs = side.mine_then_partners("objective_a_to_b", "objective_b_to_a")
    return {
        mine: terms.i_teach.strip(),
        theirs: terms.partner_teaches.strip(),
        "format": terms.format,
        "ends_on": terms.ends_on,
        "checkin_every_days": terms.checkin_every_days,
        "success_measures": terms.success_measures.strip(),
        "confidentiality": terms.confidentiality.strip(),
    }


def _require_open(side: PairSide) -> None:
    # Under the pairing's row lock: a confirmation racing an exit sees the exit.
    if pairing_status_locked(side) not in LIVE_STATUSES:
        raise ActionError("This pairing is not open, so its agreement cannot change.")


def _check(side: PairSide, terms: Terms) -> None:
    if terms.format not in AgreementFormat.values:
        raise ActionError("Choose a format.", field="format")
    program_end = side.pairing.program.ends_on
    if terms.ends_on and terms.ends_on < timezone.localdate():
        raise ActionError("The end date has already passed.", field="ends_on")
    if terms.ends_on and program_end and terms.ends_on > program_end:
        raise ActionError(
            f"The program ends on {program_end:%-d %B %Y}; choose that day or earlier.",
            field="ends_on",
        )
    if not 1 <= terms.checkin_every_days <= 90:
        raise ActionError("Check in at least every 90 days.", field="checkin_every_days")


def _confirmation_field(side: PairSide) -> str:
    return "confirmed_by_a_at" if side.i_am_a else "confirmed_by_b_at"


@dataclass(frozen=True)
class Saved:
    agreement: Agreement
    new_version: bool  # False when the terms were those of the current version


@transaction.atomic
def agreement_save(*, side: PairSide, terms: Terms) -> Saved:
    """Write the terms as a new version, confirmed by the writer; the partner is asked.

    Saving the very terms of the current version only confirms it.
    """
    _require_open(side)
    _check(side, terms)
    columns = _as_columns(side, terms)
    current = Agreement.objects.filter(pairing=side.pairing).order_by("-version").first()
    if current is not None and all(getattr(current, t) == columns[t] for t in TERMS):
        return Saved(agreement_confirm(side=side, version=current.version), new_version=False)
    now = timezone.now()
    agreement = Agreement(
        pairing=side.pairing,
        version=(current.version + 1) if current else 1,
        written_by=side.me,
        created_at=now,
        updated_at=now,
        **columns,
    )
    setattr(agreement, _confirmation_field(side), now)
    agreement.save()
    _tell_partner(
        side,
        NotificationKind.AGREEMENT_CHANGED,
        f"{side.me.user.display_name} {'changed' if current else 'wrote'} your agreement. "
        "Review it and confirm.",
    )
    return Saved(agreement, new_version=True)


@transaction.atomic
def agreement_confirm(*, side: PairSide, version: int) -> Agreement:
    """Confirm the current version. Confirming an older one is refused: it has changed."""
    _require_open(side)
    current = Agreement.objects.filter(pairing=side.pairing).order_by("-version").first()
    if current is None:
        raise ActionError("There is no agreement to confirm yet.")
    if current.version != version:
        raise ActionError(
            f"{side.partner.user.display_name} changed the agreement since you opened it. "
            f"Read version {current.version}, then confirm it."
        )
    field = _confirmation_field(side)
    if getattr(current, field) is None:
        setattr(current, field, timezone.now())
        current.save(update_fields=[field])
        if current.confirmed_by_both:
            pairing_activate(pairing=side.pairing)
            _tell_partner(
                side,
                NotificationKind.AGREEMENT_CONFIRMED,
                f"{side.me.user.display_name} confirmed your agreement: you are all set.",
            )
    return current


def _tell_partner(side: PairSide, kind: str, title: str) -> None:
    link = reverse("relationships:agreement", args=[side.pairing.pk])
    notify(recipients=[side.partner.user], note=Note(kind, title, link=link))

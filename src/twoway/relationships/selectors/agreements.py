"""Reads of a pair's agreement: the current version, its history, and who confirmed what."""

from __future__ import annotations

from dataclasses import dataclass

from twoway.core.errors import NotFound
from twoway.pairing.selectors import PairSide
from twoway.programs.models import Cadence
from twoway.relationships.models import Agreement

# The terms of an agreement, in the order a page lists them; confirmations are not terms.
TERMS = (
    "objective_a_to_b",
    "objective_b_to_a",
    "format",
    "ends_on",
    "checkin_every_days",
    "success_measures",
    "confidentiality",
)


@dataclass(frozen=True)
class AgreementView:
    """One version of the agreement as one partner reads it: directions named by person."""

    agreement: Agreement
    i_teach: str  # what I help my partner learn
    partner_teaches: str  # what my partner helps me learn
    i_confirmed_at: object
    partner_confirmed_at: object
    changed_terms: list[str]  # labels of the terms that differ from the version before

    @property
    def confirmed_by_both(self) -> bool:
        return self.agreement.confirmed_by_both

    @property
    def checkin_words(self) -> str:
        days = self.agreement.checkin_every_days
        return dict(Cadence.choices).get(days, f"Every {days} days")


def _term_labels(side: PairSide) -> dict[str, str]:
    me, partner = side.me.user.display_name, side.partner.user.display_name
    mine, theirs = side.mine_then_partners("objective_a_to_b", "objective_b_to_a")
    return {
        mine: f"What {me} helps {partner} learn",
        theirs: f"What {partner} helps {me} learn",
        "format": "Format",
        "ends_on": "End date",
        "checkin_every_days": "Check-ins",
        "success_measures": "How you will know it worked",
        "confidentiality": "Confidentiality",
    }


def _view(side: PairSide, agreement: Agreement, previous: Agreement | None) -> AgreementView:
    labels = _term_labels(side)
    changed = []
    if previous is not None:
        changed = [
            labels[term] for term in TERMS if getattr(agreement, term) != getattr(previous, term)
        ]
    i_teach, partner_teaches = side.mine_then_partners(
        agreement.objective_a_to_b, agreement.objective_b_to_a
    )
    mine, theirs = side.mine_then_partners(agreement.confirmed_by_a_at, agreement.confirmed_by_b_at)
    return AgreementView(
        agreement=agreement,
        i_teach=i_teach,
        partner_teaches=partner_teaches,
        i_confirmed_at=mine,
        partner_confirmed_at=theirs,
        changed_terms=changed,
    )


def agreement_history(side: PairSide) -> list[AgreementView]:
    """Every version, newest first, each with what changed since the one before (one query)."""
    versions = list(
        Agreement.objects.filter(pairing=side.pairing)
        .select_related("written_by__user")
        .order_by("-version")
    )
    return [
        _view(side, agreement, versions[index + 1] if index + 1 < len(versions) else None)
        for index, agreement in enumerate(versions)
    ]


def agreement_current(side: PairSide) -> Agreement | None:
    return Agreement.objects.filter(pairing=side.pairing).order_by("-version").first()


def agreement_version(side: PairSide, version: int) -> AgreementView:
    """One version of this pair's agreement, or NotFound."""
    history = agreement_history(side)
    for view in history:
        if view.agreement.version == version:
            return view
    raise NotFound("No such version")


def latest_agreements(pairing_ids: list[int]) -> dict[int, Agreement]:
    """The current version of each pairing's agreement, in one query."""
    latest: dict[int, Agreement] = {}
    rows = Agreement.objects.filter(pairing__in=pairing_ids).order_by("pairing", "-version")
    for agreement in rows:
        latest.setdefault(agreement.pairing_id, agreement)
    return latest

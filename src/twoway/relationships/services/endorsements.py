"""Writes of endorsements: one partner advocates for the other; the recipient decides.

A new endorsement is hidden until its recipient chooses to show it on their profile.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from twoway.core.errors import ActionError, NotFound
from twoway.core.models import made_just_now
from twoway.notifications.models import NotificationKind
from twoway.notifications.services import Note, notify
from twoway.pairing.models import PairingStatus
from twoway.pairing.selectors import PairSide
from twoway.pairing.services import pairing_status_locked
from twoway.relationships.models import Endorsement, EndorsementKind
from twoway.relationships.selectors.endorsements import skills_partner_taught_me

TEXT_MAX = 2000
# Endorsing needs a relationship that happened: not a proposal, not a closed one.
ENDORSABLE_STATUSES = (PairingStatus.ACCEPTED, PairingStatus.ACTIVE, PairingStatus.COMPLETED)


def _check_text(kind: str, text: str) -> str:
    text = (text or "").strip()
    if kind == EndorsementKind.RECOMMENDATION and not text:
        raise ActionError("Write your recommendation.", field="text")
    if len(text) > TEXT_MAX:
        raise ActionError(f"Keep it under {TEXT_MAX} characters.", field="text")
    return text


def _endorsed_skill(side: PairSide, skill_id: int | None):
    """The skill, when the ledger shows the partner taught it to this partner."""
    name = side.partner.user.display_name
    if not skill_id:
        raise ActionError(f"Choose a skill {name} taught you.", field="skill")
    skill = next((s for s in skills_partner_taught_me(side) if s.pk == skill_id), None)
    if skill is None:
        raise ActionError(
            f"You can endorse {name} only for a skill your conversations record "
            f"{name} teaching you.",
            field="skill",
        )
    if Endorsement.objects.filter(pairing=side.pairing, author=side.me, skill=skill).exists():
        raise ActionError(f"You already endorsed {name} for {skill.name}.", field="skill")
    return skill


@transaction.atomic
def endorsement_create(
    *, side: PairSide, kind: str, text: str = "", skill_id: int | None = None
) -> Endorsement:
    """Endorse the partner for a skill they taught you, or recommend them.

    The recipient is told (without the text, which they read in Twoway) and
    decides whether it shows on their profile.
    """
    # Under the pairing's row lock: a double submit waits, then finds the first one.
    if pairing_status_locked(side) not in ENDORSABLE_STATUSES:
        raise ActionError(
            "Endorsements are written while a pairing is under way, or after it completes."
        )
    if kind not in EndorsementKind.values:
        raise ActionError("Choose what kind of endorsement to write.", field="kind")
    skill = _endorsed_skill(side, skill_id) if kind == EndorsementKind.SKILL else None
    text = _check_text(kind, text)
    just_made = made_just_now(
        Endorsement.objects.filter(pairing=side.pairing, author=side.me, kind=kind, text=text)
    )
    if just_made is not None:
        return just_made
    endorsement = Endorsement.objects.create(
        pairing=side.pairing,
        author=side.me,
        recipient=side.partner,
        kind=kind,
        skill=skill,
        text=text,
    )
    what = f"for {skill.name}" if skill else "with a recommendation"
    note = Note(
        NotificationKind.ENDORSED,
        f"{side.me.user.display_name} endorsed you {what}.",
        body="You decide whether it shows on your profile.",
        link=reverse("personal:endorsements"),
    )
    notify(recipients=[side.partner.user], note=note)
    return endorsement


@transaction.atomic
def endorsement_set_shown(*, user, endorsement_id: int, shown: bool) -> Endorsement:
    """Show an endorsement on the recipient's profile, or hide it; the recipient's call only."""
    endorsement = (
        Endorsement.objects.select_for_update()
        .filter(pk=endorsement_id, recipient__user=user)
        .first()
    )
    if endorsement is None:
        raise NotFound("No such endorsement")
    if endorsement.shown_on_profile != shown:
        endorsement.shown_on_profile = shown
        endorsement.save(update_fields=["shown_on_profile"])
    return endorsement

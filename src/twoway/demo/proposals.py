"""A proposal waiting for Jamie in the enrolling program, as a matching run would make it.

The partner is the first senior colleague from another department; a skill of
each is what the other wants to learn, so the learning can flow both ways.
"""

from __future__ import annotations

from twoway.pairing.models import Pairing
from twoway.pairing.services import pairing_propose
from twoway.profiles.models import Gap, Offer
from twoway.programs.models import Participant


def propose_a_partner_to(junior: Participant, *, avoid: set[int]) -> Pairing:
    profile = junior.user.profile
    senior = (
        Participant.objects.filter(program=junior.program, user__profile__level__gte=5)
        .exclude(user__profile__department=profile.department)
        .exclude(user__in=avoid)
        .select_related("user__profile")
        .order_by("user__full_name")
        .first()
    )
    _wants_what_the_other_offers(senior, junior)
    _wants_what_the_other_offers(junior, senior)
    return pairing_propose(
        first=senior, second=junior, score=0.78, explanation=_explained(senior, junior), email=False
    )


def _wants_what_the_other_offers(learner: Participant, teacher: Participant) -> None:
    """The learner's lowest gap becomes a skill the teacher offers (and the learner does not)."""
    own = set(learner.offers.values_list("skill", flat=True)) | set(
        learner.gaps.values_list("skill", flat=True)
    )
    offered = teacher.offers.exclude(skill__in=own).order_by("-proficiency").first()
    lowest = learner.gaps.order_by("priority").first()
    if offered is not None and lowest is not None:
        Gap.objects.filter(pk=lowest.pk).update(skill=offered.skill, priority=4)


def _teaching(teacher: Participant, learner: Participant) -> list[dict]:
    wanted = {gap.skill_id: gap for gap in learner.gaps.select_related("skill")}
    return [
        {
            "skill": offer.skill.name,
            "proficiency": offer.proficiency,
            "priority": wanted[offer.skill_id].priority,
            "offered_skill": offer.skill.name,
            "match": "exact",
        }
        for offer in Offer.objects.filter(participant=teacher).select_related("skill")
        if offer.skill_id in wanted
    ]


def _explained(first: Participant, second: Participant) -> dict:
    """The explanation in the engine's format, with `first` as A."""
    a, b = first.user.profile, second.user.profile
    bridges = [
        {"kind": "department", "a": a.department, "b": b.department},
        {"kind": "level", "a": str(a.level), "b": str(b.level)},
    ]
    if a.location != b.location:
        bridges.append({"kind": "location", "a": a.location, "b": b.location})
    languages = [lang for lang in a.languages if lang in b.languages]
    interests = sorted(set(a.interests) & set(b.interests))
    return {
        "a_teaches_b": _teaching(first, second),
        "b_teaches_a": _teaching(second, first),
        "bridges": bridges,
        "common_ground": [{"kind": "language", "value": v} for v in languages]
        + [{"kind": "interest", "value": v} for v in interests],
    }

"""A proposal waiting for Jamie in the enrolling program.

The partner is the first senior colleague from another department; a skill of
each is what the other wants to learn, so the learning can flow both ways. The
engine scores and explains the pair, with the program's rules, as it does for a
pair a coordinator locks.
"""

from __future__ import annotations

from twoway.matching import check_pairs
from twoway.matching.output import to_plain
from twoway.pairing.engine_input import engine_id, engine_input_for
from twoway.pairing.models import Pairing
from twoway.pairing.run_services import EXPLANATION_KEYS
from twoway.pairing.services import pairing_propose
from twoway.profiles.models import Gap
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
    score, explanation = _engine_says(senior, junior)
    return pairing_propose(
        first=senior, second=junior, score=score, explanation=explanation, email=False
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


def _engine_says(first: Participant, second: Participant) -> tuple[float, dict]:
    """The engine's score and explanation for the pair, with `first` as A."""
    given = engine_input_for(first.program)
    [check] = check_pairs(
        given.everyone,
        [(engine_id(first.pk), engine_id(second.pk))],
        vocabulary=given.vocabulary,
    )
    if check.pair is None:
        raise ValueError(f"the demo's proposal breaks the program's rules: {check.broken}")
    explanation = to_plain(check.pair)
    return check.pair.score, {key: explanation[key] for key in EXPLANATION_KEYS}

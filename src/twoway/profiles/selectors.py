"""Reads about people's profiles, offers and gaps. What a partner may see is decided here."""

from __future__ import annotations

from dataclasses import dataclass, field

from twoway.profiles.models import Gap, Offer, SharedField
from twoway.programs.models import Participant


@dataclass(frozen=True)
class SharedProfile:
    """The parts of a participant's profile their partner may see.

    Name, offers and gaps always show (they are what the pairing is about);
    everything else only when the person chose to share it.
    """

    name: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    resource_groups: list[str] = field(default_factory=list)
    bio: str = ""
    offers: list[Offer] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)


def shared_profile(participant: Participant) -> SharedProfile:
    """What a partner sees of `participant` (user and profile already loaded)."""
    user = participant.user
    profile = getattr(user, "profile", None)
    offers = list(participant.offers.select_related("skill"))
    gaps = list(participant.gaps.select_related("skill"))
    if profile is None:
        return SharedProfile(name=user.full_name, offers=offers, gaps=gaps)
    shared = set(profile.shared_with_partner)
    facts = []
    if SharedField.JOB_TITLE in shared and profile.job_title:
        facts.append(("Role", profile.job_title))
    if SharedField.DEPARTMENT in shared:
        facts.append(("Department", profile.department))
    if SharedField.LEVEL in shared:
        facts.append(("Level", str(profile.level)))
    if SharedField.LOCATION in shared:
        facts.append(("Location", f"{profile.location} ({profile.timezone})"))
    return SharedProfile(
        name=user.full_name,
        facts=facts,
        languages=list(profile.languages) if SharedField.LANGUAGES in shared else [],
        interests=list(profile.interests) if SharedField.INTERESTS in shared else [],
        resource_groups=(
            list(profile.resource_groups) if SharedField.RESOURCE_GROUPS in shared else []
        ),
        bio=profile.bio if SharedField.BIO in shared else "",
        offers=offers,
        gaps=gaps,
    )

"""Shared helpers: a small in-test vocabulary and a participant factory."""

from __future__ import annotations

import pytest

from twoway.matching.model import Gap, Offer, Participant
from twoway.matching.vocabulary import Skill, Vocabulary

SMALL_SKILLS = (
    Skill("Python", cluster="programming", aliases=("python3", "py")),
    Skill("Rust", cluster="programming"),
    Skill("Generative AI tools", cluster="ai", aliases=("GenAI",)),
    Skill("Prompt engineering", cluster="ai"),
    Skill("How things really get done", cluster="org", aliases=("unwritten rules",)),
    Skill("Stakeholder management", cluster="org"),
    Skill("Public speaking"),
)


def small_vocabulary() -> Vocabulary:
    return Vocabulary.from_skills(SMALL_SKILLS)


@pytest.fixture
def vocabulary() -> Vocabulary:
    return small_vocabulary()


def person(pid: str, offers=(), gaps=(), **fields) -> Participant:
    """A participant with sensible defaults; offers/gaps as (skill, value) tuples."""
    fields.setdefault("languages", ("English",))
    fields.setdefault("department", "Dept-" + pid)
    return Participant(
        id=pid,
        offers=tuple(Offer(skill, value) for skill, value in offers),
        gaps=tuple(Gap(skill, value) for skill, value in gaps),
        **fields,
    )

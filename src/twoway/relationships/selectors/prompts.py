"""Conversation prompts: the shipped library, and the ones suggested to a pair.

The library lives in twoway/data/prompts.json. Suggestions depend on the stage
of the relationship (how many conversations the pair has held) and on the
pair's skills, and always come out in the same order for the same pair, so a
page reloaded shows the same prompts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from django.db.models import Q

from twoway.core.errors import NotFound
from twoway.pairing.selectors import PairSide
from twoway.profiles.models import Skill
from twoway.relationships.models import ConversationStatus, PromptUse

# The stages of a relationship, by how many conversations the pair has held.
FIRST, EARLY, LATER = "first", "early", "later"
EARLY_UNTIL_HELD = 3  # after this many held conversations, a pairing is "later"

# A prompt about the very cluster of one of the pair's skills beats one about
# its broader category; a prompt about neither is general, and still useful.
CLUSTER_MATCH, CATEGORY_MATCH = 2, 1


@dataclass(frozen=True)
class Prompt:
    id: str
    theme: str
    theme_label: str
    text: str
    stages: tuple[str, ...]
    categories: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()


@dataclass(frozen=True)
class Library:
    prompts: tuple[Prompt, ...]
    themes: dict[str, str]  # slug -> label, in the file's order
    stages: dict[str, str]

    def get(self, prompt_id: str) -> Prompt | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)


@dataclass(frozen=True)
class PromptSuggestion:
    """A prompt as a pair sees it: whether they used it, and why it is suggested."""

    prompt: Prompt
    used: bool
    reason: str = ""


@dataclass(frozen=True)
class ThemeShelf:
    slug: str
    label: str
    items: list[PromptSuggestion]


@cache
def prompt_library() -> Library:
    """The shipped prompts, read once per process."""
    data = json.loads(files("twoway.data").joinpath("prompts.json").read_text(encoding="utf-8"))
    themes = data["themes"]
    prompts = tuple(
        Prompt(
            id=item["id"],
            theme=item["theme"],
            theme_label=themes[item["theme"]],
            text=item["text"],
            stages=tuple(item["stages"]),
            categories=tuple(item.get("categories", ())),
            clusters=tuple(item.get("clusters", ())),
        )
        for item in data["prompts"]
    )
    return Library(prompts=prompts, themes=themes, stages=data["stages"])


def prompt_get(prompt_id: str) -> Prompt:
    prompt = prompt_library().get(prompt_id)
    if prompt is None:
        raise NotFound("No such prompt")
    return prompt


def stage_of(held_conversations: int) -> str:
    if held_conversations == 0:
        return FIRST
    if held_conversations <= EARLY_UNTIL_HELD:
        return EARLY
    return LATER


def pairing_stage(side: PairSide) -> str:
    held = side.pairing.conversations.filter(status=ConversationStatus.HELD).count()
    return stage_of(held)


def _pair_skills(side: PairSide) -> list[Skill]:
    """The skills this pairing is about: both directions of the explanation, and
    what each partner offers and wants to learn (one query)."""
    explanation = side.pairing.explanation or {}
    names = {
        name
        for direction in ("a_teaches_b", "b_teaches_a")
        for lesson in explanation.get(direction, [])
        for name in (lesson.get("skill"), lesson.get("offered_skill"))
        if name
    }
    people = [side.me.pk, side.partner.pk]
    return list(
        Skill.objects.filter(
            Q(name__in=names) | Q(offers__participant__in=people) | Q(gaps__participant__in=people)
        )
        .distinct()
        .only("name", "category", "cluster")
        .order_by("name")
    )


def _relevance(prompt: Prompt, skills: list[Skill]) -> tuple[int, str]:
    """How closely a prompt relates to the pair's skills, and the skill that makes it so."""
    for skill in skills:
        if skill.cluster in prompt.clusters:
            return CLUSTER_MATCH, skill.name
    for skill in skills:
        if skill.category in prompt.categories:
            return CATEGORY_MATCH, skill.name
    return 0, ""


def _used_ids(side: PairSide) -> set[str]:
    return set(PromptUse.objects.filter(pairing=side.pairing).values_list("prompt_id", flat=True))


def _spread_over_themes(ranked: list[PromptSuggestion], limit: int) -> list[PromptSuggestion]:
    """Take the best prompt of each theme first, then the next best, and so on,
    so that a handful of suggestions covers different kinds of conversation."""
    picked: list[PromptSuggestion] = []
    themes_taken: set[str] = set()
    rest: list[PromptSuggestion] = []
    for item in ranked:
        if item.prompt.theme in themes_taken or item.used:
            rest.append(item)
        else:
            picked.append(item)
            themes_taken.add(item.prompt.theme)
    # Unused prompts of a theme already shown come before any used prompt.
    rest.sort(key=lambda item: item.used)
    return (picked + rest)[:limit]


def prompts_for(side: PairSide, *, limit: int = 3) -> list[PromptSuggestion]:
    """Prompts for this pair's next conversation, best first; used ones come last.

    Only prompts that suit the stage of the relationship are suggested: a first
    conversation gets different prompts from a later one. Among those, prompts
    that relate to the pair's skills come first, one theme at a time. The order
    is deterministic: ties keep the library's order.
    """
    stage = pairing_stage(side)
    skills = _pair_skills(side)
    used = _used_ids(side)
    ranked = []
    for prompt in prompt_library().prompts:
        if stage not in prompt.stages:
            continue
        score = _relevance(prompt, skills)[0]
        ranked.append((score, PromptSuggestion(prompt, prompt.id in used, _reason(prompt, skills))))
    # sorted() is stable, so equal scores keep the library's order.
    ranked.sort(key=lambda pair: -pair[0])
    return _spread_over_themes([item for _, item in ranked], limit)


def prompt_shelves(side: PairSide) -> list[ThemeShelf]:
    """The whole library by theme, each prompt marked used or not for this pair."""
    library = prompt_library()
    used = _used_ids(side)
    return [
        ThemeShelf(
            slug=slug,
            label=label,
            items=[
                PromptSuggestion(prompt, prompt.id in used)
                for prompt in library.prompts
                if prompt.theme == slug
            ],
        )
        for slug, label in library.themes.items()
    ]


def _reason(prompt: Prompt, skills: list[Skill]) -> str:
    skill_name = _relevance(prompt, skills)[1]
    return f"Relates to {skill_name}" if skill_name else ""


def prompt_for_pair(side: PairSide, prompt_id: str) -> PromptSuggestion:
    """One prompt with this pair's used mark and why it suits them, or NotFound."""
    prompt = prompt_get(prompt_id)
    used = PromptUse.objects.filter(pairing=side.pairing, prompt_id=prompt.id).exists()
    return PromptSuggestion(prompt, used, _reason(prompt, _pair_skills(side)))

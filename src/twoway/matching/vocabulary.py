"""The skill vocabulary: canonical names, aliases and clusters.

Skills match by canonical name or alias, ignoring case, spacing, hyphens and
underscores. Skills in the same cluster earn partial credit. A skill that is not in the
vocabulary still works: it matches only itself (by normalised name) and has no cluster.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from twoway.matching.errors import InputError, quoted

_SEPARATORS = re.compile(r"[\s\-_]+")


def normalise(name: str) -> str:
    """Casefold and collapse runs of whitespace, hyphens and underscores to one space."""
    return _SEPARATORS.sub(" ", name.casefold()).strip()


@dataclass(frozen=True)
class Skill:
    name: str
    cluster: str | None = None
    category: str | None = None
    aliases: tuple[str, ...] = ()
    typical_giver: str = "any"  # "senior" | "junior" | "any"


@dataclass
class Vocabulary:
    """Resolves free-text skill names to canonical skills.

    Unknown names are added on the fly (so ids stay stable within one run); this is why
    the class is mutable.
    """

    skills: list[Skill] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_skills(cls, skills: Iterable[Skill]) -> Vocabulary:
        vocabulary = cls()
        for skill in skills:
            skill_id = len(vocabulary.skills)
            vocabulary.skills.append(skill)
            for name in (skill.name, *skill.aliases):
                # The first definition wins, so an alias never hijacks a canonical name.
                vocabulary._index.setdefault(normalise(name), skill_id)
        return vocabulary

    @classmethod
    def from_mapping(cls, data: Any) -> Vocabulary:
        """Build from the skills.json format: {"version": 1, "skills": [...]}.

        Raises InputError naming every entry and field that is wrong, all at once."""
        problems = _skills_file_problems(data)
        if problems:
            raise InputError(problems)
        return cls.from_skills(
            Skill(
                name=entry["name"].strip(),
                cluster=entry.get("cluster") or None,
                category=entry.get("category") or None,
                aliases=tuple(entry.get("aliases") or ()),
                typical_giver=entry.get("typical_giver") or "any",
            )
            for entry in data["skills"]
        )

    def resolve(self, name: str) -> int:
        """The skill id for a name, registering unknown names as their own skill."""
        key = normalise(name)
        skill_id = self._index.get(key)
        if skill_id is None:
            skill_id = len(self.skills)
            self.skills.append(Skill(name=name.strip()))
            self._index[key] = skill_id
        return skill_id

    def name(self, skill_id: int) -> str:
        return self.skills[skill_id].name

    def cluster_members(self) -> dict[str, list[int]]:
        members: dict[str, list[int]] = {}
        for skill_id, skill in enumerate(self.skills):
            if skill.cluster:
                members.setdefault(skill.cluster, []).append(skill_id)
        return members


def load_default_vocabulary() -> Vocabulary:
    """The vocabulary shipped in `twoway.data/skills.json`, or an empty one if absent."""
    try:
        text = resources.files("twoway.data").joinpath("skills.json").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return Vocabulary()
    return Vocabulary.from_mapping(json.loads(text))


SKILLS_FILE_KEYS = ("version", "categories", "skills")
SKILL_FIELDS = ("name", "category", "cluster", "aliases", "typical_giver", "description")
GIVERS = ("senior", "junior", "any")


def _skills_file_problems(data: Any) -> list[str]:
    if not isinstance(data, Mapping) or not isinstance(data.get("skills"), list):
        return ['the skills file must be an object with a "skills" list']
    problems = [
        f"the document: field {quoted(str(key))}: unknown key "
        f"(expected {', '.join(SKILLS_FILE_KEYS)})"
        for key in sorted(set(data) - set(SKILLS_FILE_KEYS))
    ]
    for position, entry in enumerate(data["skills"]):
        problems += _skill_problems(f"skills[{position}]", entry)
    return problems


def _skill_problems(where: str, entry: Any) -> list[str]:
    if not isinstance(entry, Mapping):
        return [f"{where}: must be an object with a name"]
    if isinstance(entry.get("name"), str) and entry["name"].strip():
        where = f"{where} ({entry['name'].strip()[:60]!r})"
    found = [
        f"{where}: field {quoted(str(key))}: unknown field"
        for key in sorted(set(entry) - set(SKILL_FIELDS))
    ]

    def wrong(field_name: str, what: str) -> None:
        found.append(f"{where}: field '{field_name}': must be {what}")

    if not isinstance(entry.get("name"), str) or not entry["name"].strip():
        wrong("name", "a non-empty string")
    for name in ("category", "cluster", "description"):
        if not isinstance(entry.get(name), str | None):
            wrong(name, "a string or null")
    aliases = entry.get("aliases")
    if aliases is not None and (
        not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases)
    ):
        wrong("aliases", "a list of strings")
    if entry.get("typical_giver") not in (*GIVERS, None):
        wrong("typical_giver", f"one of {', '.join(GIVERS)}")
    return found

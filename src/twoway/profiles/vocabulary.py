"""The skill vocabulary shipped with Twoway (twoway/data/skills.json)."""

from __future__ import annotations

import json
from importlib.resources import files

from django.db import transaction

from twoway.profiles.models import Skill, SkillAlias, SkillStatus, normalise_skill_name

_SYNCED_FIELDS = ["category", "cluster", "typical_giver", "description"]
# A participant may have proposed a skill that a later vocabulary ships: it
# becomes curated, with the vocabulary's category and cluster.
_UPDATED_FIELDS = [*_SYNCED_FIELDS, "status"]


def load_vocabulary() -> list[dict]:
    text = files("twoway.data").joinpath("skills.json").read_text(encoding="utf-8")
    return json.loads(text)["skills"]


@transaction.atomic
def skill_vocabulary_sync() -> int:
    """Create or update the shipped skills and their aliases; returns how many skills.

    Idempotent, and it never deletes: skills added by an organisation, and the
    offers and gaps that point at any skill, stay as they are.
    """
    entries = load_vocabulary()
    existing = {skill.normalised_name: skill for skill in Skill.objects.all()}
    to_create, to_update = [], []
    for entry in entries:
        key = normalise_skill_name(entry["name"])
        skill = existing.get(key)
        if skill is None:
            skill = Skill(name=entry["name"], normalised_name=key)
            to_create.append(skill)
        else:
            to_update.append(skill)
        for field in _SYNCED_FIELDS:
            setattr(skill, field, entry[field])
        skill.status = SkillStatus.CURATED
    Skill.objects.bulk_create(to_create)
    Skill.objects.bulk_update(to_update, _UPDATED_FIELDS)
    skills = {skill.normalised_name: skill for skill in Skill.objects.all()}
    _sync_aliases(entries, skills)
    return len(entries)


def _sync_aliases(entries: list[dict], skills: dict[str, Skill]) -> None:
    known = set(SkillAlias.objects.values_list("normalised_name", flat=True))
    new_aliases = []
    for entry in entries:
        skill = skills[normalise_skill_name(entry["name"])]
        for alias in entry["aliases"]:
            key = normalise_skill_name(alias)
            if key not in known and key not in skills:
                new_aliases.append(SkillAlias(skill=skill, name=alias, normalised_name=key))
                known.add(key)
    SkillAlias.objects.bulk_create(new_aliases)

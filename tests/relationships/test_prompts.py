"""Conversation prompts: a shipped library, suggestions by stage and skills, marks of use."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import timedelta
from importlib.resources import files

import pytest

from tests.factories import ConversationFactory, skill
from tests.relationships.conversation_helpers import side_of_user
from twoway.core.errors import ActionError, NotFound
from twoway.pairing.models import PairingStatus
from twoway.profiles.models import Offer
from twoway.relationships.models import PromptUse
from twoway.relationships.selectors.prompts import (
    EARLY,
    FIRST,
    LATER,
    prompt_library,
    prompts_for,
    stage_of,
)
from twoway.relationships.services.prompts import prompt_mark

THEMES = {
    "getting_to_know",
    "mistakes",
    "mindsets",
    "unwritten_rules",
    "technology",
    "perspectives",
}


# --- The library (no database) ------------------------------------------------------------


def test_the_library_has_six_themes_of_eight_to_twelve_open_prompts():
    library = prompt_library()
    assert set(library.themes) == THEMES
    per_theme = Counter(prompt.theme for prompt in library.prompts)
    assert set(per_theme) == THEMES
    assert all(8 <= count <= 12 for count in per_theme.values()), per_theme
    for prompt in library.prompts:
        # Open-ended: a question or an invitation, never a yes/no checklist item.
        assert prompt.text.endswith(("?", ".")), prompt.id
        assert not re.match(r"^(Do|Did|Is|Are|Have|Has|Can) ", prompt.text), prompt.id


def test_every_prompt_has_a_stable_slug_id_and_known_stages():
    prompts = prompt_library().prompts
    ids = [prompt.id for prompt in prompts]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) and len(i) <= 60 for i in ids)
    assert all(prompt.stages and set(prompt.stages) <= {FIRST, EARLY, LATER} for prompt in prompts)
    for stage in (FIRST, EARLY, LATER):
        suiting = {prompt.theme for prompt in prompts if stage in prompt.stages}
        assert len(suiting) >= 3, f"too few themes suit a {stage} conversation"


def test_the_categories_and_clusters_prompts_name_exist_in_the_skill_vocabulary():
    vocabulary = json.loads(files("twoway.data").joinpath("skills.json").read_text())
    categories = set(vocabulary["categories"])
    clusters = {entry["cluster"] for entry in vocabulary["skills"]}
    for prompt in prompt_library().prompts:
        assert set(prompt.categories) <= categories, prompt.id
        assert set(prompt.clusters) <= clusters, prompt.id


def test_the_stage_follows_the_number_of_conversations_held():
    assert [stage_of(n) for n in (0, 1, 3, 4, 20)] == [FIRST, EARLY, EARLY, LATER, LATER]


# --- Suggestions (the `cast` fixture brings the database) ---------------------------------


@pytest.fixture
def held_conversations(cast):
    def hold(count: int) -> None:
        for n in range(count):
            ConversationFactory(
                pairing=cast.pairing,
                logged_by=cast.alice_p,
                starts_at=cast.pairing.started_at + timedelta(days=n + 1),
            )

    return hold


def ids(suggestions) -> list[str]:
    return [item.prompt.id for item in suggestions]


def test_a_first_conversation_gets_different_prompts_from_a_later_one(cast, held_conversations):
    side = side_of_user(cast)
    first = prompts_for(side, limit=3)
    assert len(first) == 3 and all(FIRST in item.prompt.stages for item in first)
    held_conversations(5)
    later = prompts_for(side, limit=3)
    assert len(later) == 3 and all(LATER in item.prompt.stages for item in later)
    assert set(ids(first)).isdisjoint(ids(later))


def test_the_pairs_skills_steer_the_suggestions(cast, held_conversations):
    held_conversations(1)
    side = side_of_user(cast)
    general = prompts_for(side, limit=3)
    assert not any(item.reason for item in general)
    Offer.objects.create(participant=cast.bob_p, skill=skill("AI tools"), proficiency=5)
    steered = prompts_for(side, limit=3)
    assert "ai_tools" in steered[0].prompt.clusters
    assert steered[0].reason == "Relates to AI tools"
    assert ids(steered) != ids(general)


def test_the_explanation_of_the_pairing_steers_them_too(cast, held_conversations):
    held_conversations(1)
    cast.pairing.explanation = {
        "a_teaches_b": [{"skill": "Budgeting", "offered_skill": "Budgeting", "match": "exact"}],
        "b_teaches_a": [],
    }
    cast.pairing.save()
    first = prompts_for(side_of_user(cast), limit=3)[0]
    assert "finance_budgeting" in first.prompt.clusters
    assert first.reason == "Relates to Budgeting"


def test_suggestions_cover_different_themes_and_come_in_the_same_order_every_time(cast):
    side = side_of_user(cast)
    suggestions = prompts_for(side, limit=4)
    assert len({item.prompt.theme for item in suggestions}) == 4
    assert ids(prompts_for(side, limit=4)) == ids(suggestions)


def test_used_prompts_make_way_for_others_and_come_last(cast):
    side = side_of_user(cast)
    first_three = prompts_for(side, limit=3)
    prompt_mark(side=side, prompt_id=first_three[0].prompt.id, used=True)
    after = prompts_for(side, limit=3)
    assert first_three[0].prompt.id not in ids(after)
    everything = prompts_for(side, limit=100)
    assert everything[-1].prompt.id == first_three[0].prompt.id
    assert everything[-1].used and not any(item.used for item in everything[:-1])


# --- Marking a prompt used ----------------------------------------------------------------


def test_a_mark_is_shared_by_the_pair_and_can_be_taken_back(cast):
    prompt_id = prompt_library().prompts[0].id
    prompt_mark(side=side_of_user(cast, "alice"), prompt_id=prompt_id, used=True)
    prompt_mark(side=side_of_user(cast, "bob"), prompt_id=prompt_id, used=True)  # harmless
    use = PromptUse.objects.get()
    assert (use.pairing, use.prompt_id, use.marked_by) == (cast.pairing, prompt_id, cast.alice_p)
    bob_sees = {
        item.prompt.id: item.used for item in prompts_for(side_of_user(cast, "bob"), limit=100)
    }
    assert bob_sees.get(prompt_id, True) is True
    prompt_mark(side=side_of_user(cast, "bob"), prompt_id=prompt_id, used=False)
    assert not PromptUse.objects.exists()


def test_an_unknown_prompt_is_not_found_and_nothing_is_written(cast):
    with pytest.raises(NotFound):
        prompt_mark(side=side_of_user(cast), prompt_id="no-such-prompt", used=True)
    assert not PromptUse.objects.exists()


def test_a_pairing_that_is_not_open_cannot_mark_prompts(cast):
    cast.pairing.status = PairingStatus.COMPLETED
    cast.pairing.save()
    with pytest.raises(ActionError, match="not open"):
        prompt_mark(side=side_of_user(cast), prompt_id=prompt_library().prompts[0].id, used=True)
    assert not PromptUse.objects.exists()

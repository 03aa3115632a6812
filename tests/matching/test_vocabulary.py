from twoway.matching.vocabulary import Vocabulary, load_default_vocabulary, normalise

from .conftest import small_vocabulary


def test_normalise_ignores_case_spacing_hyphens_and_underscores():
    assert normalise("  Gen-AI__Tools ") == normalise("gen ai tools") == "gen ai tools"


def test_aliases_and_case_resolve_to_the_canonical_skill():
    vocabulary = small_vocabulary()
    assert vocabulary.resolve("PYTHON3") == vocabulary.resolve("Python")
    assert vocabulary.name(vocabulary.resolve("unwritten_rules")) == "How things really get done"


def test_unknown_skills_match_only_themselves():
    vocabulary = small_vocabulary()
    first = vocabulary.resolve("Basket weaving")
    assert vocabulary.resolve("basket-weaving") == first
    assert vocabulary.skills[first].cluster is None
    assert vocabulary.resolve("Basket making") != first


def test_the_shipped_vocabulary_loads_when_present():
    vocabulary = load_default_vocabulary()
    assert isinstance(vocabulary, Vocabulary)
    for skill in vocabulary.skills[:5]:
        assert vocabulary.resolve(skill.name.upper()) == vocabulary.resolve(skill.name)

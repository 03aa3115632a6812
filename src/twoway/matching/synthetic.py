"""A realistic synthetic organisation, for the benchmark, the examples and the demo.

Departments of uneven size, levels 1..10 with many more juniors than seniors, a manager
tree inside each department under one CEO, offices across timezones, and skills drawn
from the vocabulary with a Zipf distribution: seniors mostly offer what seniors
typically give (organisational know-how, leadership) and juniors what juniors give
(new technology, fresh perspectives), and each wants what the other side offers.
The same seed always gives the same organisation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from twoway.matching.model import Gap, MatchInput, Offer, Participant, Rules
from twoway.matching.vocabulary import Vocabulary, load_default_vocabulary

DEPARTMENTS = (
    "Engineering",
    "Sales",
    "Operations",
    "Customer Support",
    "Marketing",
    "Finance",
    "Product",
    "People",
    "Data",
    "Legal",
    "Design",
    "Facilities",
)
OFFICES = (  # (location, timezone, local language, weight)
    ("London", "Europe/London", "English", 5),
    ("Paris", "Europe/Paris", "French", 3),
    ("Berlin", "Europe/Berlin", "German", 3),
    ("Madrid", "Europe/Madrid", "Spanish", 2),
    ("New York", "America/New_York", "English", 4),
    ("Austin", "America/Chicago", "English", 2),
    ("San Francisco", "America/Los_Angeles", "English", 2),
    ("São Paulo", "America/Sao_Paulo", "Portuguese", 1),
    ("Bangalore", "Asia/Kolkata", "Hindi", 2),
    ("Singapore", "Asia/Singapore", "Mandarin", 1),
    ("Sydney", "Australia/Sydney", "English", 1),
)
INTERESTS = [
    "running",
    "cycling",
    "climbing",
    "hiking",
    "football",
    "yoga",
    "chess",
    "photography",
    "cooking",
    "baking",
    "gardening",
    "music",
    "jazz",
    "guitar",
    "piano",
    "choir",
    "theatre",
    "film",
    "reading",
    "poetry",
    "writing",
    "history",
    "travel",
    "languages",
    "volunteering",
    "parenting",
    "gaming",
    "board",
    "games",
    "podcasts",
    "sustainability",
    "birdwatching",
    "sailing",
    "swimming",
    "painting",
    "ceramics",
    "astronomy",
    "tennis",
    "dance",
    "knitting",
]
FALLBACK_SKILLS = (
    ("Python", "senior"),
    ("Generative AI tools", "junior"),
    ("Social media", "junior"),
    ("Stakeholder management", "senior"),
    ("How things really get done", "senior"),
    ("Public speaking", "any"),
    ("Data analysis", "any"),
    ("Gen Z perspective", "junior"),
)
ZIPF_EXPONENT = 1.1
LEVEL_WEIGHTS = np.array([14, 16, 16, 14, 12, 10, 8, 5, 3, 2], dtype=float)


def generate_organisation(
    n: int, seed: int = 7, vocabulary: Vocabulary | None = None, rules: Rules | None = None
) -> MatchInput:
    rng = np.random.default_rng(seed)
    vocabulary = vocabulary or load_default_vocabulary()
    skills = _skill_table(vocabulary)
    department = _departments(rng, n)
    level = rng.choice(np.arange(1, 11), size=n, p=LEVEL_WEIGHTS / LEVEL_WEIGHTS.sum())
    level[0] = 10  # the CEO
    manager = _manager_tree(rng, department, level)
    tenure = np.round(np.clip(rng.gamma(2.0, 1.2, n) + (level - 1) * 1.3, 0, 40), 1)
    birth_year = 2025 - np.clip(22 + tenure + rng.normal(6, 5, n), 20, 67).astype(int)
    office_weights = np.array([office[3] for office in OFFICES], dtype=float)
    office = rng.choice(len(OFFICES), size=n, p=office_weights / office_weights.sum())
    people = []
    for i in range(n):
        location, timezone, local_language, _ = OFFICES[office[i]]
        languages = ["English"] if rng.random() < 0.9 or local_language == "English" else []
        if local_language != "English":
            languages.append(local_language)
        seniority = (level[i] - 1) / 9
        people.append(
            Participant(
                id=f"p{i:0{len(str(n - 1))}d}",
                department=DEPARTMENTS[department[i]],
                level=int(level[i]),
                tenure_years=float(tenure[i]),
                birth_year=int(birth_year[i]) if rng.random() < 0.85 else None,
                location=location,
                timezone=timezone,
                languages=tuple(languages),
                manager_id=None if manager[i] < 0 else f"p{manager[i]:0{len(str(n - 1))}d}",
                interests=tuple(rng.choice(INTERESTS, size=rng.integers(1, 5), replace=False)),
                offers=tuple(
                    Offer(name, int(rng.integers(2, 6)))
                    for name in _draw_skills(rng, skills, seniority, give=True)
                ),
                gaps=tuple(
                    Gap(name, int(rng.integers(1, 6)))
                    for name in _draw_skills(rng, skills, seniority, give=False)
                ),
                capacity=2 if rng.random() < 0.05 and level[i] >= 6 else 1,
            )
        )
    people = _add_avoid_lists(rng, people)
    return MatchInput(participants=tuple(people), rules=rules or Rules())


def _skill_table(vocabulary: Vocabulary) -> dict[str, np.ndarray]:
    entries = [(s.name, s.typical_giver) for s in vocabulary.skills] or list(FALLBACK_SKILLS)
    names = np.array([name for name, _ in entries])
    giver = np.array([g for _, g in entries])
    # Popularity by a fixed pseudo-random rank, so the Zipf head is not alphabetical.
    order = np.random.default_rng(12345).permutation(len(names))
    popularity = 1.0 / (np.argsort(order) + 1.0) ** ZIPF_EXPONENT
    return {"names": names, "giver": giver, "popularity": popularity}


def _draw_skills(rng, skills, seniority: float, give: bool) -> list[str]:
    """2-5 distinct skills; seniors give senior skills and want junior ones, and so on."""
    senior_side = seniority if give else 1 - seniority
    bias = np.where(
        skills["giver"] == "senior",
        0.3 + 1.7 * senior_side,
        np.where(skills["giver"] == "junior", 2.0 - 1.7 * senior_side, 1.0),
    )
    weights = skills["popularity"] * bias
    count = min(int(rng.integers(2, 6)), len(weights))
    chosen = rng.choice(len(weights), size=count, replace=False, p=weights / weights.sum())
    return [str(skills["names"][index]) for index in chosen]


def _departments(rng, n: int) -> np.ndarray:
    sizes = 1.0 / np.arange(1, len(DEPARTMENTS) + 1) ** 0.7
    return rng.choice(len(DEPARTMENTS), size=n, p=sizes / sizes.sum())


def _manager_tree(rng, department: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Each person reports to someone more senior in their department (the department
    head reports to the CEO, person 0)."""
    n = len(level)
    manager = np.full(n, -1, dtype=np.int64)
    order = np.lexsort((np.arange(n), -level))
    seniors_by_department: dict[int, list[int]] = {}
    for person in order.tolist():
        if person == 0:
            continue
        candidates = [
            other
            for other in seniors_by_department.get(int(department[person]), [])[-40:]
            if level[other] > level[person]
        ]
        manager[person] = candidates[int(rng.integers(len(candidates)))] if candidates else 0
        seniors_by_department.setdefault(int(department[person]), []).append(person)
    return manager


def _add_avoid_lists(rng, people: Sequence[Participant]) -> list[Participant]:
    result = list(people)
    n = len(result)
    for i in np.flatnonzero(rng.random(n) < 0.01).tolist():
        other = int(rng.integers(n))
        if other != i:
            p = result[i]
            result[i] = Participant(**{**p.__dict__, "avoid": (result[other].id,)})
    return result


# Contacts per person, by kind: (partners drawn, median weekly contact hours). Teams meet
# most, then the department, then the office; a few ties cross everything.
CONTACT_MIX = (("department", 6, 3.0), ("office", 3, 1.0), ("anyone", 1, 0.5))


def generate_contacts(
    match_input: MatchInput, seed: int = 11
) -> tuple[tuple[str, str, float], ...]:
    """A collaboration network for a generated organisation: who already works together.

    Everyone works with their manager and their manager's other reports (the team),
    with some people of their department and office, and with a few others anywhere.
    Weights are log-normal hours of contact, heavier inside teams, so the network has
    the heavy tail and the strong department clustering of real office networks.
    """
    rng = np.random.default_rng(seed)
    people = match_input.participants
    ids = [p.id for p in people]
    by_group: dict[tuple[str, str], list[int]] = {}
    for i, p in enumerate(people):
        by_group.setdefault(("department", p.department), []).append(i)
        by_group.setdefault(("office", p.location), []).append(i)
        by_group.setdefault(("team", p.manager_id or ""), []).append(i)
    contacts: dict[tuple[int, int], float] = {}

    def add(i: int, j: int, median_hours: float) -> None:
        if i != j:
            key = (min(i, j), max(i, j))
            contacts[key] = contacts.get(key, 0.0) + float(rng.lognormal(np.log(median_hours), 0.8))

    index = {pid: i for i, pid in enumerate(ids)}
    for i, p in enumerate(people):
        if p.manager_id in index:
            add(i, index[p.manager_id], 5.0)
        for j in by_group[("team", p.manager_id or "")][:12]:
            if j > i:
                add(i, j, 4.0)
        for kind, count, hours in CONTACT_MIX:
            pool = (
                by_group[(kind, p.department if kind == "department" else p.location)]
                if kind != "anyone"
                else None
            )
            for _ in range(count):
                j = int(rng.integers(len(people))) if pool is None else int(rng.choice(pool))
                add(i, j, hours)
    return tuple((ids[i], ids[j], round(w, 2)) for (i, j), w in sorted(contacts.items()))

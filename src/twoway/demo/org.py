"""A realistic demo organisation, generated deterministically from a seed.

Pure Python: it only decides who exists and how they relate; seed.py writes it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

COMPANY = "Harbourline"
EMAIL_DOMAIN = "harbourline.example"


@dataclass(frozen=True)
class Office:
    name: str
    timezone: str
    local_languages: tuple[str, ...]


OFFICES = (
    Office("London", "Europe/London", ("English",)),
    Office("Berlin", "Europe/Berlin", ("German", "English")),
    Office("New York", "America/New_York", ("English", "Spanish")),
    Office("Singapore", "Asia/Singapore", ("English", "Mandarin", "Malay")),
)
OFFICE_WEIGHTS = (0.42, 0.2, 0.26, 0.12)
EXTRA_LANGUAGES = ("French", "Spanish", "Portuguese", "Hindi", "Polish", "Italian", "Arabic")

# Department, the role its individual contributors hold, and its relative size.
DEPARTMENTS = (
    ("Engineering", "Software Engineer", 0.22),
    ("Product", "Product Manager", 0.08),
    ("Design", "Designer", 0.06),
    ("Data & Analytics", "Data Analyst", 0.08),
    ("Marketing", "Marketing Specialist", 0.10),
    ("Sales", "Account Executive", 0.14),
    ("Customer Success", "Customer Success Manager", 0.12),
    ("Finance", "Financial Analyst", 0.10),
    ("People & Culture", "People Partner", 0.08),
)
# The chief executive sits in a tenth department of one.
EXECUTIVE = "Executive Office"
# Below each department head (level 7), a pyramid of levels 1 to 6.
LEVEL_SHARES = {6: 0.05, 5: 0.09, 4: 0.15, 3: 0.22, 2: 0.26, 1: 0.23}
RESOURCE_GROUPS = (
    "Women at Harbourline",
    "Pride Network",
    "Black Professionals Network",
    "Disability & Neurodiversity Network",
    "Parents & Carers",
    "Early Careers Network",
)
INTERESTS = (
    "running",
    "climbing",
    "cycling",
    "chess",
    "board games",
    "photography",
    "podcasts",
    "cooking",
    "baking",
    "gardening",
    "jazz",
    "indie music",
    "football",
    "basketball",
    "yoga",
    "hiking",
    "volunteering",
    "science fiction",
    "history",
    "travel",
    "film",
    "theatre",
    "gaming",
    "knitting",
    "languages",
    "sailing",
    "poetry",
    "coffee",
    "open source",
    "sustainability",
)
FIRST_NAMES = (
    "Aisha",
    "Ben",
    "Chloé",
    "Daniel",
    "Elena",
    "Farid",
    "Grace",
    "Hiroshi",
    "Ines",
    "Jonas",
    "Kavya",
    "Liam",
    "Maya",
    "Noah",
    "Olu",
    "Paula",
    "Quentin",
    "Rosa",
    "Samir",
    "Tara",
    "Umar",
    "Valentina",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zara",
    "Amara",
    "Bruno",
    "Camille",
    "Dev",
    "Emeka",
    "Fatima",
    "Gabriel",
    "Hannah",
    "Ivan",
    "Julia",
    "Kenji",
    "Leila",
    "Marcus",
    "Nadia",
    "Oscar",
    "Priyanka",
    "Rafael",
    "Sofia",
    "Tomás",
    "Uma",
    "Victor",
    "Wanjiru",
    "Yara",
    "Zoe",
    "Arjun",
    "Beatriz",
    "Connor",
    "Dalia",
    "Ethan",
    "Freya",
    "Gustav",
    "Hana",
    "Isaac",
    "Jade",
    "Kwame",
    "Lucía",
    "Mateo",
    "Niamh",
    "Omar",
    "Pia",
    "Ravi",
    "Sienna",
    "Theo",
    "Ayla",
)
LAST_NAMES = (
    "Adeyemi",
    "Bauer",
    "Carvalho",
    "Dubois",
    "Eriksen",
    "Fernández",
    "García",
    "Hoffmann",
    "Ibrahim",
    "Jansen",
    "Kowalski",
    "Lindqvist",
    "Mensah",
    "Nakamura",
    "O'Brien",
    "Patel",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Usman",
    "Vasquez",
    "Walker",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Ahmed",
    "Brennan",
    "Chen",
    "Da Silva",
    "Edwards",
    "Fischer",
    "Gupta",
    "Haddad",
    "Iyer",
    "Johansson",
    "Khan",
    "Lopez",
    "Murphy",
    "Nguyen",
    "Okafor",
    "Petrov",
    "Rahman",
    "Santos",
    "Thompson",
    "Varga",
    "Weber",
    "Yamamoto",
    "Zielinski",
    "Abara",
    "Morales",
    "Singh",
)

PASSWORD = "twoway-demo"
MIN_PEOPLE = 60  # enough seniors and juniors for a pilot of 30 pairs


@dataclass
class Person:
    key: int
    full_name: str
    email: str
    department: str
    level: int
    job_title: str
    office: Office
    languages: list[str]
    hired_on: date
    birth_year: int
    interests: list[str]
    resource_groups: list[str]
    manager_key: int | None = None
    reports: list[int] = field(default_factory=list)


# People whose sign-in details the demo prints; fixed whatever the seed.
NAMED = {
    "ceo": ("Catherine Osei", EXECUTIVE, 8, "Chief Executive Officer"),
    "coordinator": ("Priya Raman", "People & Culture", 5, "Learning & Development Lead"),
    "senior": ("Margaret Lindqvist", "Finance", 7, "VP Finance"),
    "junior": ("Jamie Chen", "Data & Analytics", 2, "Data Analyst"),
}


def email_for(full_name: str, taken: set[str]) -> str:
    base = ".".join(full_name.lower().replace("'", "").split())
    base = base.translate(str.maketrans("áéíóúàèçãñö", "aeiouaecano"))
    email, n = f"{base}@{EMAIL_DOMAIN}", 2
    while email in taken:
        email, n = f"{base}{n}@{EMAIL_DOMAIN}", n + 1
    taken.add(email)
    return email


def job_title(department: str, role: str, level: int) -> str:
    short = department.split(" & ")[0] if department != "People & Culture" else "People"
    titles = {
        1: f"Associate {role}",
        2: role,
        3: f"Senior {role}",
        4: f"{short} Team Lead",
        5: f"Senior Manager, {department}",
        6: f"Director, {department}",
        7: f"VP {department}",
    }
    return titles[level]


class OrgBuilder:
    """Builds the people of the organisation, level by level, with a manager tree."""

    def __init__(self, *, people: int, seed: int, today: date):
        self.rng = random.Random(seed)
        self.total = people
        self.today = today
        self.people: list[Person] = []
        self.taken_emails: set[str] = set()
        self.taken_names: set[str] = {spec[0] for spec in NAMED.values()}
        self.named: dict[str, Person] = {}

    def build(self) -> list[Person]:
        ceo = self._add(level=8, department=EXECUTIVE, title=NAMED["ceo"][3], name=NAMED["ceo"][0])
        self.named["ceo"] = ceo
        for department, size in self._department_sizes():
            self._build_department(department, size, ceo)
        self._place_named_people()
        return self.people

    def _department_sizes(self) -> list[tuple[tuple[str, str, float], int]]:
        remaining = self.total - 1
        sizes = [max(4, round(remaining * share)) for _, _, share in DEPARTMENTS]
        sizes[0] += remaining - sum(sizes)  # rounding goes to the largest department
        return list(zip(DEPARTMENTS, sizes, strict=True))

    def _build_department(self, department: tuple[str, str, float], size: int, ceo: Person) -> None:
        name, role, _ = department
        head = self._add(level=7, department=name, title=f"VP {name}", manager=ceo)
        levels = self._levels(size - 1)
        by_level: dict[int, list[Person]] = {7: [head]}
        for level in sorted(levels, reverse=True):
            manager = self._pick_manager(by_level, level)
            person = self._add(
                level=level, department=name, title=job_title(name, role, level), manager=manager
            )
            by_level.setdefault(level, []).append(person)

    def _levels(self, count: int) -> list[int]:
        levels = []
        for level, share in LEVEL_SHARES.items():
            levels += [level] * max(1 if level >= 4 else 0, round(count * share))
        while len(levels) > count:
            levels.remove(max(set(levels), key=levels.count))
        while len(levels) < count:
            levels.append(self.rng.choice((1, 2, 3)))
        return levels

    def _pick_manager(self, by_level: dict[int, list[Person]], level: int) -> Person:
        # The manager sits on the nearest level above that has people, with the
        # smallest team so far, so spans of control stay realistic.
        for above in range(level + 1, 8):
            if by_level.get(above):
                candidates = by_level[above]
                fewest = min(len(p.reports) for p in candidates)
                return self.rng.choice([p for p in candidates if len(p.reports) == fewest])
        raise AssertionError("every department has a head")

    def _add(
        self,
        *,
        level: int,
        department: str,
        title: str,
        manager: Person | None = None,
        name: str | None = None,
    ) -> Person:
        rng = self.rng
        office = rng.choices(OFFICES, weights=OFFICE_WEIGHTS)[0]
        full_name = name or self._new_name()
        age = 22 + level * 4 + rng.randint(-3, 6)
        tenure_years = min(age - 21, max(0.2, level * 1.6 + rng.uniform(-1.5, 3.0)))
        languages = list(office.local_languages)
        if "English" not in languages:
            languages.append("English")
        if rng.random() < 0.3:
            languages.append(rng.choice([x for x in EXTRA_LANGUAGES if x not in languages]))
        person = Person(
            key=len(self.people),
            full_name=full_name,
            email=email_for(full_name, self.taken_emails),
            department=department,
            level=level,
            job_title=title,
            office=office,
            languages=languages,
            hired_on=self.today - timedelta(days=round(tenure_years * 365.25)),
            birth_year=self.today.year - age,
            interests=sorted(rng.sample(INTERESTS, rng.randint(2, 4))),
            resource_groups=self._resource_groups(level),
            manager_key=manager.key if manager else None,
        )
        if manager:
            manager.reports.append(person.key)
        self.people.append(person)
        return person

    def _resource_groups(self, level: int) -> list[str]:
        groups = [g for g in RESOURCE_GROUPS[:-1] if self.rng.random() < 0.12]
        if level <= 2 and self.rng.random() < 0.5:
            groups.append("Early Careers Network")
        return groups

    def _new_name(self) -> str:
        while True:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            if name not in self.taken_names:
                self.taken_names.add(name)
                return name

    def _place_named_people(self) -> None:
        """Give the demo's sign-in people fixed names on fitting seats in the tree."""
        for role in ("coordinator", "senior", "junior"):
            full_name, department, level, title = NAMED[role]
            seat = next(
                p
                for p in self.people
                if p.department == department and p.level == level and p not in self.named.values()
            )
            self.taken_emails.discard(seat.email)
            seat.full_name, seat.job_title = full_name, title
            seat.email = email_for(full_name, self.taken_emails)
            seat.office = OFFICES[0]
            seat.languages = ["English"]
            self.named[role] = seat


def build_organisation(
    *, people: int, seed: int, today: date
) -> tuple[list[Person], dict[str, Person]]:
    builder = OrgBuilder(people=people, seed=seed, today=today)
    return builder.build(), builder.named

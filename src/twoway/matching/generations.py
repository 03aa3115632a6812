"""Generations: when two people's birth years make a real generation gap.

Two people born two years apart do not bridge generations, even if a cohort boundary
falls between them. A bridge is claimed only when they belong to different cohorts
*and* were born at least MIN_YEARS_APART apart. The explanation names the cohorts, never
the birth years: those are personal data that the output does not need.
"""

from __future__ import annotations

from bisect import bisect_right

# Pew Research Center's generations, by the first birth year of each.
_COHORT_STARTS = (1901, 1928, 1946, 1965, 1981, 1997, 2013)
_COHORT_NAMES = (
    "born before 1901",
    "Greatest Generation",
    "Silent Generation",
    "Baby Boomers",
    "Generation X",
    "Millennials",
    "Generation Z",
    "Generation Alpha",
)
# About half a generation's span (15 to 19 years in the cohorts above).
MIN_YEARS_APART = 10


def cohort(birth_year: int) -> str:
    return _COHORT_NAMES[bisect_right(_COHORT_STARTS, birth_year)]


def generation_gap(born_a: int | None, born_b: int | None) -> tuple[str, str] | None:
    """The two cohorts when the birth years are a real generation gap, else None."""
    if not born_a or not born_b or abs(born_a - born_b) < MIN_YEARS_APART:
        return None
    cohort_a, cohort_b = cohort(born_a), cohort(born_b)
    return None if cohort_a == cohort_b else (cohort_a, cohort_b)

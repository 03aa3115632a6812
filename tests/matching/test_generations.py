from twoway.matching.generations import MIN_YEARS_APART, cohort, generation_gap


def test_cohorts_follow_the_usual_boundaries():
    assert [cohort(y) for y in (1945, 1946, 1964, 1965, 1980, 1981, 1996, 1997, 2013)] == [
        "Silent Generation",
        "Baby Boomers",
        "Baby Boomers",
        "Generation X",
        "Generation X",
        "Millennials",
        "Millennials",
        "Generation Z",
        "Generation Alpha",
    ]


def test_a_gap_needs_different_cohorts_and_enough_years():
    assert generation_gap(1964, 1966) is None  # across a boundary, but two years apart
    assert generation_gap(1966, 1979) is None  # years apart, but both Generation X
    assert generation_gap(1970, 1970 + MIN_YEARS_APART + 2) == ("Generation X", "Millennials")
    assert generation_gap(None, 1990) is None

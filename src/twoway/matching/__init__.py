"""Twoway's matching engine: reciprocal pairing, explained and certified.

Pure Python (numpy, scipy, rustworkx): it never imports Django. The web app builds a
`MatchInput` and calls `match`; the CLI (`twoway match`) does the same from a file.
"""

from twoway.matching.engine import MatchRun, PairCheck, check_pairs, match, suggest
from twoway.matching.errors import InputError
from twoway.matching.model import (
    Gap,
    MatchInput,
    MatchResult,
    Offer,
    Pair,
    Participant,
    Rules,
    Stats,
    Unmatched,
    Weights,
)

__all__ = [
    "Gap",
    "InputError",
    "MatchInput",
    "MatchResult",
    "MatchRun",
    "Offer",
    "Pair",
    "PairCheck",
    "Participant",
    "Rules",
    "Stats",
    "Unmatched",
    "Weights",
    "check_pairs",
    "match",
    "suggest",
]

"""`twoway match INPUT`: pair the participants of a JSON or CSV file.

The CLI only translates: it reads the file, merges rule flags over the file's rules,
calls `engine.match`, and writes the result. Bad input exits with code 2 and one line
per problem on stderr, and no output file is written.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections.abc import Sequence

from twoway.matching.candidates import DEFAULT_K
from twoway.matching.engine import Timer, match
from twoway.matching.errors import InputError
from twoway.matching.formats import parse_rules, read_input
from twoway.matching.model import MODE_CHOICES
from twoway.matching.output import (
    candidates_to_csv,
    result_to_csv,
    result_to_json,
    write_atomically,
)
from twoway.matching.rules import RULE_SPECS, SCALAR_RULES, RuleSpec
from twoway.matching.vocabulary import load_default_vocabulary, load_vocabulary_file

EXIT_BAD_INPUT = 2


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = "Pair participants for reciprocal mentoring (see docs/matching.md)."
    parser.add_argument("input", metavar="INPUT", help="participants file (.json or .csv)")
    parser.add_argument("-o", "--output", help="write the result here (default: stdout)")
    parser.add_argument("--format", choices=("json", "csv"), default="json", help="output format")
    parser.add_argument(
        "--input-format", choices=("auto", "json", "csv"), default="auto", help="input format"
    )
    parser.add_argument("--mode", choices=MODE_CHOICES, default="optimal", help="what to optimise")
    parser.add_argument(
        "-k", "--k", type=_positive, default=DEFAULT_K, help="candidates kept per participant"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed (stable-mode search only)")
    parser.add_argument("--candidates-out", metavar="FILE", help="write candidate edges as CSV")
    parser.add_argument("--rules", metavar="FILE", help="JSON file with a rules object")
    parser.add_argument("--skills", metavar="FILE", help="skill vocabulary (skills.json format)")
    parser.add_argument(
        "--no-timings",
        action="store_true",
        help="leave timings out of the output (print them on stderr) for byte-identical runs",
    )
    rules = parser.add_argument_group("rules (override the file's rules)")
    for spec in RULE_SPECS:
        _add_rule_flag(rules, spec)
    parser.set_defaults(func=run)


_FLAG_TYPES = {"integer": int, "number": float}


def _add_rule_flag(group, spec: RuleSpec) -> None:
    """One flag per engine rule, with its help and default from the rule's definition."""
    flag = "--" + spec.name.replace("_", "-")
    help_text = f"{spec.help} (default: {spec.default})"
    if spec.kind == "choice":
        group.add_argument(flag, choices=spec.choice_values, help=help_text)
    elif spec.kind == "boolean":
        group.add_argument(
            flag, action=argparse.BooleanOptionalAction, default=None, help=help_text
        )
    else:
        group.add_argument(flag, type=_FLAG_TYPES[spec.kind], help=help_text.replace("%", "%%"))


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def run(args: argparse.Namespace) -> int:
    timer = Timer()
    try:
        match_input = timer.run("read", lambda: read_input(args.input, args.input_format))
        match_input = _with_rule_overrides(match_input, args)
        vocabulary = load_vocabulary_file(args.skills) if args.skills else None
    except InputError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    outcome = match(
        match_input,
        mode=args.mode,
        k=args.k,
        seed=args.seed,
        vocabulary=vocabulary or load_default_vocabulary(),
        timer=timer,
    )
    # The write time is measured on a first rendering, then reported in the written one.
    started = time.perf_counter()
    text = _render(outcome.result, args)
    seconds = {**outcome.result.stats.seconds, "write": time.perf_counter() - started}
    stats = dataclasses.replace(outcome.result.stats, seconds=seconds)
    text = _render(dataclasses.replace(outcome.result, stats=stats), args)
    try:
        if args.candidates_out:
            write_atomically(
                args.candidates_out, candidates_to_csv(outcome.profiles, outcome.candidates)
            )
        if args.output:
            write_atomically(args.output, text)
        else:
            sys.stdout.write(text)
    except OSError as error:
        print(f"error: cannot write the output: {error}", file=sys.stderr)
        return 1
    if args.no_timings:
        print(
            "seconds: " + json.dumps({k: round(v, 4) for k, v in seconds.items()}), file=sys.stderr
        )
    return 0


def _render(result, args: argparse.Namespace) -> str:
    if args.format == "csv":
        return result_to_csv(result)
    return result_to_json(result, timings=not args.no_timings)


def _with_rule_overrides(match_input, args: argparse.Namespace):
    rules = match_input.rules
    if args.rules:
        with open(args.rules, encoding="utf-8") as handle:
            try:
                raw = json.load(handle)
            except json.JSONDecodeError as error:
                raise InputError([f"{args.rules}: invalid JSON: {error.msg}"]) from error
        rules = parse_rules(raw.get("rules", raw) if isinstance(raw, dict) else raw, base=rules)
    flags = {name: getattr(args, name) for name in SCALAR_RULES if getattr(args, name) is not None}
    if flags:
        rules = parse_rules(flags, base=rules)
    return dataclasses.replace(match_input, rules=rules)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m twoway.matching")
    configure_parser(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)

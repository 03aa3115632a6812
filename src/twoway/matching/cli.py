"""`twoway match INPUT`: pair the participants of a JSON or CSV file.

The CLI only translates: it reads the file, merges rule flags over the file's rules,
calls `engine.match`, and writes the result. Bad input exits with code 2 and one line
per problem on stderr, and no output file is written.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from collections.abc import Sequence

from twoway.matching.candidates import DEFAULT_K
from twoway.matching.contacts import read_contacts
from twoway.matching.engine import Timer, match
from twoway.matching.errors import InputError
from twoway.matching.formats import (
    parse_rules,
    read_input,
    read_rules_file,
    read_vocabulary_file,
)
from twoway.matching.model import MODE_CHOICES, Rules
from twoway.matching.output import (
    candidates_to_csv,
    result_to_csv,
    result_to_json,
    write_files_atomically,
)
from twoway.matching.rules import RULE_SPECS, SCALAR_RULES, RuleSpec
from twoway.matching.vocabulary import load_default_vocabulary

EXIT_BAD_INPUT = 2


MODE_HELP = (
    "optimal: the highest total score; participation: as many people paired as possible,"
    " then the score; stable: no two people would both rather have each other"
)


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = "Pair participants for reciprocal mentoring (see docs/matching.md)."
    parser.add_argument("input", metavar="INPUT", help="participants file (.json or .csv)")
    parser.add_argument("-o", "--output", help="write the result here (default: stdout)")
    parser.add_argument(
        "--format",
        choices=("json", "csv"),
        default="json",
        help="output format (default: json). csv holds one row per pair only: the"
        " unmatched people and the stats are in the json output",
    )
    parser.add_argument(
        "--input-format",
        choices=("auto", "json", "csv"),
        default="auto",
        help="input format (default: auto, from the file name: .csv or else json)",
    )
    parser.add_argument(
        "--mode", choices=MODE_CHOICES, default="optimal", help=f"{MODE_HELP} (default: optimal)"
    )
    parser.add_argument(
        "-k",
        "--k",
        type=_positive,
        default=DEFAULT_K,
        help=f"candidates kept per participant (default: {DEFAULT_K})",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed for the stable-mode search only (default: 0)"
    )
    parser.add_argument("--candidates-out", metavar="FILE", help="write candidate edges as CSV")
    parser.add_argument(
        "--rules", metavar="FILE", help="JSON file with a rules object (default: the input's)"
    )
    parser.add_argument(
        "--skills",
        metavar="FILE",
        help="skill vocabulary in the skills.json format (default: the shipped one)",
    )
    parser.add_argument(
        "--contacts",
        metavar="FILE",
        help="who already works together, CSV (a,b,weight) or JSON; with the rule "
        "bridge_network: preferred, partners who rarely work together are favoured "
        "(default: none)",
    )
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
        match_input, vocabulary = timer.run("read", lambda: _read_everything(args))
    except InputError as error:
        for problem in error.problems:
            print(f"error: {problem}", file=sys.stderr)
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
    files = []
    if args.candidates_out:
        files.append((args.candidates_out, candidates_to_csv(outcome.profiles, outcome.candidates)))
    if args.output:
        files.append((args.output, text))
    try:
        write_files_atomically(files)
    except OSError as error:
        print(f"error: cannot write the output: {error}", file=sys.stderr)
        return 1
    if not args.output:
        _write_stdout(text)
    if args.format == "csv":
        _say_what_csv_leaves_out(outcome.result)
    if args.no_timings:
        print(
            "seconds: " + json.dumps({k: round(v, 4) for k, v in seconds.items()}), file=sys.stderr
        )
    return 0


def _read_everything(args: argparse.Namespace):
    """The input, the rules and the vocabulary, checked before any work starts.

    Every problem of every file (and of the output paths) is reported at once, each
    naming its file, so that one run shows everything there is to fix."""
    problems: list[str] = []
    match_input = None
    try:
        match_input = read_input(args.input, args.input_format)
    except InputError as error:
        problems += error.problems
    rules = match_input.rules if match_input else None
    try:
        rules = _with_rule_overrides(rules, args)
    except InputError as error:
        problems += error.problems
    vocabulary = None
    if args.skills:
        try:
            vocabulary = read_vocabulary_file(args.skills)
        except InputError as error:
            problems += error.problems
    contacts = ()
    if args.contacts:
        try:
            contacts = read_contacts(args.contacts)
        except InputError as error:
            problems += error.problems
    problems += _output_problems(args)
    if problems:
        raise InputError(problems)
    return dataclasses.replace(match_input, rules=rules, contacts=contacts), vocabulary


def _output_problems(args: argparse.Namespace) -> list[str]:
    """Where the result goes, checked first: a bad path must not cost a whole run."""
    targets = [path for path in (args.output, args.candidates_out) if path]
    problems = [f"{path}: cannot write here: {reason}" for path, reason in _unwritable(targets)]
    if len(targets) == 2 and os.path.abspath(targets[0]) == os.path.abspath(targets[1]):
        problems.append(f"{targets[0]}: named both as --output and as --candidates-out")
    return problems


def _unwritable(paths: list[str]):
    for path in paths:
        directory = os.path.dirname(os.path.abspath(path))
        if os.path.isdir(path):
            yield path, "it is a directory"
        elif not os.path.isdir(directory):
            yield path, f"there is no directory {directory}"
        elif not os.access(directory, os.W_OK | os.X_OK):
            yield path, f"the directory {directory} is not writable"


def _write_stdout(text: str) -> None:
    """UTF-8 whatever the terminal's locale: the output format is UTF-8 text."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))
        buffer.flush()


def _say_what_csv_leaves_out(result) -> None:
    unmatched = len(result.unmatched)
    print(
        f"note: the CSV output holds the {len(result.pairs)} pair(s) only; {unmatched}"
        " unmatched participant(s), their reasons and the stats are in --format json",
        file=sys.stderr,
    )


def _render(result, args: argparse.Namespace) -> str:
    if args.format == "csv":
        return result_to_csv(result)
    return result_to_json(result, timings=not args.no_timings)


def _with_rule_overrides(rules: Rules | None, args: argparse.Namespace) -> Rules | None:
    """The input's rules, then the --rules file's, then the flags'. None (with the
    problems raised) when the input could not be read."""
    problems: list[str] = []
    if args.rules:
        try:
            rules = read_rules_file(args.rules, base=rules)
        except InputError as error:
            problems += error.problems
    flags = {name: getattr(args, name) for name in SCALAR_RULES if getattr(args, name) is not None}
    if flags:
        try:
            rules = parse_rules(flags, base=rules)
        except InputError as error:
            problems += [f"command line: {problem}" for problem in error.problems]
    if problems:
        raise InputError(problems)
    return rules


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m twoway.matching")
    configure_parser(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)

"""The `twoway` command.

Each subcommand only translates: it parses arguments and hands over to Django
management commands or to the matching core.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from collections.abc import Sequence

from twoway import __version__
from twoway.demo.org import MIN_PEOPLE

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twoway.config.settings")
    import django

    django.setup()


def _call(command: str, *args: str) -> None:
    from django.core.management import call_command

    call_command(command, *args)


def cmd_version(args: argparse.Namespace) -> int:
    print(f"twoway {__version__}")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    _django_setup()
    _call("migrate", "--no-input")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    _django_setup()
    _call("seed_demo", f"--people={args.people}", f"--seed={args.seed}")
    return 0


def _serving_address(args: argparse.Namespace) -> None:
    """Links in e-mails point where this server listens, unless TWOWAY_BASE_URL says otherwise.

    Set before Django reads its settings, and inherited by the worker it starts.
    """
    host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    os.environ.setdefault("TWOWAY_BASE_URL", f"http://{host}:{args.port}")


def _refuse_a_taken_port(args: argparse.Namespace) -> None:
    """Stop before anything is written: a port in use would only fail after the reseed."""
    with socket.socket() as probe:
        try:
            probe.bind((args.host, args.port))
        except OSError as error:
            sys.exit(f"twoway: cannot listen on {args.host}:{args.port} ({error.strerror}).")


def _require_migrated() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        sys.exit(
            "twoway: the database is not set up yet (or is out of date): run `twoway migrate`."
        )


def cmd_serve(args: argparse.Namespace) -> int:
    _serving_address(args)
    _django_setup()
    _require_migrated()
    from django.conf import settings

    from twoway.config.server import serve

    if settings.PRODUCTION:
        # Production serves hashed, compressed copies of the static files.
        _call("collectstatic", "--no-input", "--verbosity=0")
    serve(host=args.host, port=args.port, workers=args.workers)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    _refuse_a_taken_port(args)
    _serving_address(args)
    _django_setup()
    _call("migrate", "--no-input", "--verbosity=0")
    _call("seed_demo", f"--people={args.people}", f"--seed={args.seed}")
    worker = _start_worker_process()
    try:
        return cmd_serve(args)
    finally:
        worker.terminate()
        worker.wait(timeout=10)


def _start_worker_process() -> subprocess.Popen:
    # Its own process: it sends the reminders while the web server serves.
    print("Starting the background worker (reminders and tasks).", flush=True)
    return subprocess.Popen([sys.executable, "-m", "twoway.cli", "worker"])


def cmd_worker(args: argparse.Namespace) -> int:
    _django_setup()
    _require_migrated()
    from twoway.worker import run

    run(reminder_interval=args.reminder_interval)
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    _django_setup()
    _require_migrated()
    from twoway.worker import scheduled_work_once

    done = scheduled_work_once()
    print(
        f"Raised {done['reminders']} reminder(s), recorded {done['flags']} new flag(s), "
        f"sent {done['digests']} digest(s)."
    )
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twoway.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["twoway manage", *args.django_args])
    return 0


def _add_server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help="port to listen on")
    parser.add_argument("--workers", type=int, default=2, help="web worker processes")


def _add_seed_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--people", type=_demo_size, default=240, help="people in the demo organisation"
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed; same seed, same data")


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be between 1 and 65535")
    return value


def _demo_size(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of people") from None
    if value < MIN_PEOPLE:
        raise argparse.ArgumentTypeError(
            f"must be at least {MIN_PEOPLE} (a demo needs enough people to pair)"
        )
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="twoway", description="Twoway: reciprocal mentoring programs."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="set up the demo organisation and serve it")
    _add_server_options(demo)
    _add_seed_options(demo)
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="serve the web app")
    _add_server_options(serve)
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser(
        "worker", help="run the background worker: reminders on a timer, and queued tasks"
    )
    worker.add_argument(
        "--reminder-interval",
        type=_positive_seconds,
        default=300,
        help="seconds between two reminder runs (default: %(default)s)",
    )
    worker.set_defaults(func=cmd_worker)

    remind = sub.add_parser(
        "remind",
        help="do the scheduled work that is due now, once (for cron): reminders, new flags, "
        "weekly digests; idempotent",
    )
    remind.set_defaults(func=cmd_remind)

    migrate = sub.add_parser("migrate", help="create or update the database tables")
    migrate.set_defaults(func=cmd_migrate)

    seed = sub.add_parser("seed-demo", help="(re)create the demo organisation; idempotent")
    _add_seed_options(seed)
    seed.set_defaults(func=cmd_seed_demo)

    manage = sub.add_parser("manage", help="run a Django management command", add_help=False)
    manage.add_argument("django_args", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)

    from twoway.matching.cli import configure_parser as configure_match

    configure_match(sub.add_parser("match", help="pair the participants of a JSON or CSV file"))

    version = sub.add_parser("version", help="print the version")
    version.set_defaults(func=cmd_version)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

"""What the app benchmarks share: one fresh child process and database per database.

Each benchmark measures in a child process started on an empty database (a throw-away
data directory for SQLite; a database named `twoway_bench`, dropped and created again,
on the PostgreSQL server of `DATABASE_URL`), so that runs do not see each other's rows.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATABASE = "twoway_bench"


def run_on_each_database(
    script: str,
    doc: str,
    measure: Callable[[int, str], dict],
    report: Callable[[list[dict]], None],
) -> None:
    """The benchmark's command line: measure on SQLite, and on PostgreSQL when
    DATABASE_URL names a server; then report. `--child` is the measuring process."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--child", choices=("sqlite", "postgresql"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.people, args.child)))
        return
    rows = [in_child(script, "sqlite", args.people)]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        rows.append(in_child(script, "postgresql", args.people))
    report(rows)


def in_child(script: str, database: str, people: int) -> dict:
    """Run `script --child DATABASE` in a fresh process on a fresh, empty database."""
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env["DJANGO_SETTINGS_MODULE"] = "twoway.config.settings"
    with tempfile.TemporaryDirectory() as data_dir:
        env["TWOWAY_DATA_DIR"] = data_dir
        if database == "sqlite":
            env.pop("DATABASE_URL", None)
        else:
            env["DATABASE_URL"] = _fresh_postgres_database(env["DATABASE_URL"])
        command = [sys.executable, script, "--child", database, f"--people={people}"]
        done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _fresh_postgres_database(url: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))

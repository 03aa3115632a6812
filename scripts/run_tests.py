"""Run the whole test suite on SQLite, then again on PostgreSQL.

The PostgreSQL run uses TEST_DATABASE_URL. Outside CI a server that does not
answer skips that run with one line; with CI=true it is a failure, because CI
must prove both databases.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/test"
NO_TESTS_COLLECTED = 5  # pytest's exit code when it finds nothing to run


def postgres_answers(url: str) -> str | None:
    """None when the server accepts a connection, else the reason it did not."""
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]
    return None


def run_pytest(label: str, extra_env: dict[str, str], args: list[str]) -> int:
    print(f"\n=== tests on {label} ===", flush=True)
    with tempfile.TemporaryDirectory(prefix="twoway-test-") as data_dir:
        env = {**os.environ, "TWOWAY_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)  # SQLite unless this run says otherwise
        env.update(extra_env)
        code = subprocess.call([sys.executable, "-m", "pytest", *args], env=env)
    if code == NO_TESTS_COLLECTED:
        print(f"pytest collected no tests on {label}: the suite is missing", file=sys.stderr)
        return 1
    return code


def main(args: list[str]) -> int:
    in_ci = os.environ.get("CI", "").lower() == "true"
    code = run_pytest("SQLite", {}, args)
    if code:
        return code
    url = os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG
    problem = postgres_answers(url)
    if problem:
        if in_ci:
            print(
                f"PostgreSQL at {url} does not answer ({problem}); CI requires it.", file=sys.stderr
            )
            return 1
        print(f"Skipping the PostgreSQL run: no server answers at {url} ({problem}).")
        return 0
    return run_pytest("PostgreSQL", {"DATABASE_URL": url}, args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The `twoway` command on good and bad input."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from argparse import Namespace
from pathlib import Path

import pytest

from tests.commands import run_twoway
from twoway import __version__
from twoway.cli import _serving_address


def _twoway(*args: str, data_dir) -> subprocess.CompletedProcess:
    return run_twoway(*args, TWOWAY_DATA_DIR=str(data_dir))


def test_version(tmp_path):
    result = _twoway("version", data_dir=tmp_path)
    assert result.stdout.strip() == f"twoway {__version__}"


def test_unknown_subcommand_is_refused_with_usage(tmp_path):
    result = _twoway("frobnicate", data_dir=tmp_path)
    assert result.returncode == 2
    assert "invalid choice: 'frobnicate'" in result.stderr


def test_seed_demo_with_too_few_people_names_the_option(tmp_path):
    result = _twoway("seed-demo", "--people", "5", data_dir=tmp_path)
    assert result.returncode == 2
    assert "--people" in result.stderr and "at least 60" in result.stderr


def test_seed_demo_with_a_non_number_names_the_option(tmp_path):
    result = _twoway("seed-demo", "--seed", "abc", data_dir=tmp_path)
    assert result.returncode == 2
    assert "--seed" in result.stderr


def test_migrate_then_seed_demo_twice_keeps_the_counts(tmp_path):
    assert _twoway("migrate", data_dir=tmp_path).returncode == 0
    counts = []
    for _ in range(2):
        result = _twoway("seed-demo", "--people", "80", data_dir=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "priya.raman@harbourline.example" in result.stdout
        counts.append(_counts(tmp_path))
    assert counts[0] == counts[1]
    assert counts[0]["accounts_user"] == 81


def _counts(data_dir) -> dict[str, int]:
    import sqlite3

    tables = ["accounts_user", "pairing_pairing", "relationships_exchange", "profiles_skill"]
    with sqlite3.connect(data_dir / "twoway.sqlite3") as db:
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}


def test_manage_passes_through_to_django(tmp_path):
    result = _twoway("manage", "showmigrations", "pairing", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "0002_integrity_triggers" in result.stdout


def test_match_is_a_twoway_subcommand(tmp_path):
    out = tmp_path / "pairs.json"
    example = Path(__file__).resolve().parents[1] / "examples" / "org-60.csv"
    result = _twoway("match", str(example), "-o", str(out), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"pairs"' in out.read_text()


def test_match_on_a_missing_file_exits_2_and_names_it(tmp_path):
    result = _twoway("match", "no-such-file.json", data_dir=tmp_path)
    assert result.returncode == 2
    assert "no-such-file.json" in result.stderr


def test_seed_demo_refuses_production_without_force(tmp_path):
    result = run_twoway(
        "seed-demo",
        TWOWAY_DATA_DIR=str(tmp_path),
        TWOWAY_ENV="production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode != 0
    assert "refusing to seed the demo in production" in result.stderr


def test_the_access_log_never_records_a_query_string(tmp_path):
    """A journal search travels in the query string; the served app's log has the path only."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "TWOWAY_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "twoway.cli", "migrate"], env=env, check=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "twoway.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/journal/?q=leaving+my+job", timeout=5)
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert "GET /journal/ HTTP/1.1" in output
    assert "leaving" not in output


@pytest.mark.parametrize("command", [["remind"], ["worker"], ["serve", "--port", "8771"]])
def test_commands_on_a_database_not_set_up_say_what_to_run(tmp_path, command):
    result = run_twoway(*command, TWOWAY_DATA_DIR=str(tmp_path))
    assert result.returncode == 1
    assert "run `twoway migrate`" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["demo", "--port", "99999"], "argument --port: must be between 1 and 65535"),
        (["serve", "--port", "web"], "argument --port: 'web' is not a port number"),
        (["seed-demo", "--people", "abc"], "'abc' is not a whole number of people"),
    ],
)
def test_bad_options_are_named_before_anything_is_written(tmp_path, args, message):
    result = run_twoway(*args, TWOWAY_DATA_DIR=str(tmp_path))
    assert result.returncode == 2 and message in result.stderr
    assert not (tmp_path / "twoway.sqlite3").exists()


def test_demo_refuses_a_port_in_use_before_reseeding(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_twoway("demo", "--port", str(port), TWOWAY_DATA_DIR=str(tmp_path))
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert not (tmp_path / "twoway.sqlite3").exists()


def test_links_in_e_mails_follow_the_port_the_demo_serves_on(monkeypatch):
    monkeypatch.delenv("TWOWAY_BASE_URL", raising=False)
    _serving_address(Namespace(host="0.0.0.0", port=8300))
    assert os.environ["TWOWAY_BASE_URL"] == "http://127.0.0.1:8300"
    _serving_address(Namespace(host="10.0.0.5", port=9000))  # a value already set stays
    assert os.environ["TWOWAY_BASE_URL"] == "http://127.0.0.1:8300"

"""Settings come from the environment; production refuses to start half-configured."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from tests.commands import run_twoway

STRONG_KEY = "k" * 10 + "Zq3-v9Lr_8xYw2TnPa5sE7uBcD4fG6hJ1mK0oQiR"  # 50 characters, varied


def test_production_deploy_check_passes(tmp_path):
    result = run_twoway(
        "manage",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        TWOWAY_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="example.org",
        TWOWAY_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_secret_key_names_the_variable(tmp_path):
    result = run_twoway(
        "manage",
        "check",
        TWOWAY_ENV="production",
        ALLOWED_HOSTS="example.org",
        TWOWAY_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when TWOWAY_ENV=production" in result.stderr


def test_production_without_allowed_hosts_names_the_variable(tmp_path):
    result = run_twoway(
        "manage",
        "check",
        TWOWAY_ENV="production",
        SECRET_KEY=STRONG_KEY,
        TWOWAY_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_development_keeps_one_generated_secret_key(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    env = {"TWOWAY_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "twoway.config.settings"}
    clean = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    first, second = (
        subprocess.run(
            [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True
        ).stdout
        for _ in range(2)
    )
    assert len(first.strip()) >= 50
    assert first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_sqlite_file_database_uses_wal(tmp_path):
    result = run_twoway("migrate", TWOWAY_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "twoway.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_postgresql_connections_give_up_instead_of_hanging(tmp_path):
    script = (
        "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS']; "
        "print(o['connect_timeout'], o['options'], o['keepalives'])"
    )
    result = run_twoway(
        "manage",
        "shell",
        "--no-imports",
        "-c",
        script,
        DATABASE_URL="postgres://nobody@127.0.0.1:9/twoway",
        TWOWAY_DB_STATEMENT_TIMEOUT="12",
        TWOWAY_DATA_DIR=str(tmp_path),
    )
    assert result.stdout.split() == ["5", "-c", "statement_timeout=12000", "1"], result.stderr

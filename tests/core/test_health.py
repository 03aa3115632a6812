import os
import socket
import subprocess
import sys
import threading

import pytest
from django.db import OperationalError

from twoway import __version__

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_with_the_version(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "version": __version__}


def test_healthz_needs_no_sign_in_and_is_not_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_a_load_balancer_calling_by_ip_over_http(client, settings):
    settings.ALLOWED_HOSTS = ["twoway.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/", HTTP_HOST="10.0.0.7").status_code == 400  # other pages refuse
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


class _RefusingConnection:
    def cursor(self):
        raise OperationalError("connection refused")

    def close(self):
        pass


def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    monkeypatch.setattr("twoway.core.health.connections", {"default": _RefusingConnection()})
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.fixture
def silent_database():
    """A server that accepts connections and never says a word, like a hung database."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []

    def accept_forever():
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept_forever, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for connection in accepted:
        connection.close()


PROBE = """
import django, os, time
django.setup()
from django.test import Client
started = time.monotonic()
for _ in range(2):  # the second call meets the probe that is still stuck
    response = Client().get("/healthz")
    print(response.status_code, response.json()["database"])
print(round(time.monotonic() - started, 1))
"""


def test_healthz_answers_503_within_its_deadline_when_the_database_never_answers(
    silent_database, tmp_path
):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "twoway.config.settings",
        "TWOWAY_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"postgres://nobody@127.0.0.1:{silent_database}/twoway",
        "TWOWAY_HEALTH_CHECK_TIMEOUT": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    lines = result.stdout.split()
    assert lines[:4] == ["503", "unreachable", "503", "unreachable"], result.stderr
    # Two calls, each bounded by the 1 s deadline (not the 60 s a worker would wait).
    assert float(lines[4]) < 5

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


def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("twoway.core.views.connection.cursor", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"

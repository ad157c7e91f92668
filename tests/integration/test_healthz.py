"""/healthz reports the database and the broker as JSON."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_reports_database_and_broker_status(client, settings) -> None:
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["ok"] is True
    assert body["database"]["ok"] is True
    assert body["database"]["vendor"] in {"sqlite", "postgresql"}
    expected_mode = "eager" if settings.CELERY_TASK_ALWAYS_EAGER else "broker"
    assert body["broker"]["mode"] == expected_mode
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_says_503_when_the_broker_is_unreachable(client, settings) -> None:
    from supplychain.celery import app

    previous = (app.conf.broker_url, settings.CELERY_TASK_ALWAYS_EAGER)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url, settings.CELERY_TASK_ALWAYS_EAGER = previous
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False


def test_it_refuses_writes(client) -> None:
    assert client.post("/healthz").status_code == 405

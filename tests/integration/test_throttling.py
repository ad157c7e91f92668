"""Anonymous API clients get a fixed number of requests per window, counted atomically in the cache."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.throttling import AnonRateThrottle

pytestmark = pytest.mark.django_db


def test_the_request_past_the_limit_gets_429_with_retry_after(client: Client, monkeypatch) -> None:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [client.get("/api/v1/brands/search", {"q": "nike"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/brands/search", {"q": "nike"})
    assert refused.status_code == 429
    assert 0 <= int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"].lower()


def test_each_client_address_has_its_own_count(monkeypatch) -> None:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1/minute"})
    first, second = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    assert first.get("/api/v1/brands/search", {"q": "nike"}).status_code == 200
    assert second.get("/api/v1/brands/search", {"q": "nike"}).status_code == 200
    assert first.get("/api/v1/brands/search", {"q": "nike"}).status_code == 429


def test_a_new_window_starts_a_new_count(client: Client, monkeypatch, time_machine) -> None:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1/minute"})
    time_machine.move_to("2026-11-23 10:00:05+00:00", tick=False)
    assert client.get("/api/v1/brands/search", {"q": "nike"}).status_code == 200
    assert client.get("/api/v1/brands/search", {"q": "nike"}).status_code == 429
    time_machine.move_to("2026-11-23 10:01:01+00:00", tick=False)
    assert client.get("/api/v1/brands/search", {"q": "nike"}).status_code == 200

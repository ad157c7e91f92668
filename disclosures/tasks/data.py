"""Tasks: open data."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from disclosures.services.open_data import open_data_snapshot

__all__ = ["open_data_snapshot_task"]


@shared_task(name="disclosures.tasks.open_data_snapshot_task")
def open_data_snapshot_task() -> list[str]:
    """Daily (CELERY_BEAT_SCHEDULE): today's dated snapshot; re-running it the same day changes nothing."""
    return [str(path) for path in open_data_snapshot(today=timezone.localdate())]

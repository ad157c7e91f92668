"""Tasks: registry. Thin entry points for Celery beat and for on-commit notifications; the services do the work."""

from __future__ import annotations

from datetime import date

from celery import shared_task

__all__ = ["certification_expire_due_task", "watchlist_notify_contractor_task", "watchlist_notify_task"]


def _today() -> date:
    from disclosures.selectors.registry import registry_today

    return registry_today()


@shared_task(name="disclosures.tasks.certification_expire_due_task")
def certification_expire_due_task() -> dict[str, int]:
    """Daily: activate certifications whose contract started and expire those whose contract ended."""
    from disclosures.services.registry import certification_expire_due

    return certification_expire_due(today=_today())


@shared_task(name="disclosures.tasks.watchlist_notify_task")
def watchlist_notify_task() -> dict[str, int]:
    """Daily: expiry warnings, expiries, suspensions, revocations and sanctions to watchers; renewal reminders."""
    from disclosures.services.watchlists import watchlist_notify

    return watchlist_notify(today=_today())


@shared_task(name="disclosures.tasks.watchlist_notify_contractor_task")
def watchlist_notify_contractor_task(contractor_id: int) -> int:
    """Right after a suspension, revocation or sanction: tell that contractor's watchers now, not tomorrow."""
    from disclosures.services.watchlists import watchlist_notify_contractor

    return watchlist_notify_contractor(contractor_id=contractor_id, today=_today())

"""Tasks: filings. Thin Celery entry points for the disclosure pipeline and the homepage checks."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

__all__ = [
    "company_homepage_check_task",
    "company_homepage_recheck_all_task",
    "disclosure_process_task",
    "disclosure_requeue_stale_task",
]

logger = logging.getLogger(__name__)


@shared_task(
    name="disclosures.tasks.disclosure_process_task",
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
)
def disclosure_process_task(self: object, disclosure_id: int) -> None:
    from disclosures.services.disclosures import disclosure_fail, disclosure_process

    try:
        disclosure_process(disclosure_id=disclosure_id)
    except SoftTimeLimitExceeded:
        disclosure_fail(disclosure_id=disclosure_id, code="timeout")
    except (OperationalError, InterfaceError):
        raise  # transient: autoretry with backoff
    except Exception:
        # A bug, not bad input: record a plain reason rather than leave the row for the reaper to retry forever.
        logger.exception("Disclosure %s crashed the pipeline", disclosure_id)
        disclosure_fail(disclosure_id=disclosure_id, code="internal_error")


@shared_task(name="disclosures.tasks.disclosure_requeue_stale_task", acks_late=True)
def disclosure_requeue_stale_task() -> int:
    from disclosures.services.disclosures import disclosure_requeue_stale

    return disclosure_requeue_stale()


@shared_task(name="disclosures.tasks.company_homepage_recheck_all_task", acks_late=True)
def company_homepage_recheck_all_task() -> int:
    from disclosures.services.discovery import company_homepage_recheck_all

    return company_homepage_recheck_all()


@shared_task(
    name="disclosures.tasks.company_homepage_check_task",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=3,
)
def company_homepage_check_task(company_id: int) -> None:
    from disclosures.models import Company
    from disclosures.services.discovery import company_homepage_check

    company = Company.objects.filter(pk=company_id).first()
    if company is not None and company.website:  # the website may have been removed since it was queued
        company_homepage_check(company=company)

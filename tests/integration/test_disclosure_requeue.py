"""The stale-job reaper: work whose worker died or whose queue message was lost is given back, never lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from disclosures.models import Disclosure, DisclosurePage, DisclosureScore
from disclosures.services.disclosures import FAILURE_REASONS, MAX_ATTEMPTS, disclosure_requeue_stale, disclosure_submit
from disclosures.tasks.filings import disclosure_requeue_stale_task

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
TEXT = (
    "We engage an independent third party to verify our supply chains for risks of slavery and human trafficking. "
    "We audit suppliers every year without notice, and we train supply chain managers on human trafficking."
)


@pytest.fixture
def queued(company: Any, representative: Any, django_capture_on_commit_callbacks: Any) -> Disclosure:
    """A submission whose queue message never ran (the callback is captured and dropped)."""
    with time_machine.travel(START, tick=False), django_capture_on_commit_callbacks(execute=False):
        disclosure, _ = disclosure_submit(company=company, submitted_by=representative, text=TEXT)
    return disclosure


def stuck(disclosure: Disclosure, status: str = Disclosure.Status.EXTRACTING, attempts: int = 1) -> None:
    """What a worker that was killed mid-task leaves behind."""
    Disclosure.objects.filter(pk=disclosure.pk).update(
        status=status, attempts=attempts, processing_started_at=START, pages_done=0, page_count=0
    )


def requeue_at(moment: dt.datetime, capture: Any, **kwargs: Any) -> int:
    with time_machine.travel(moment, tick=False), capture(execute=True):
        return disclosure_requeue_stale(**kwargs)


class TestStuckWork:
    @pytest.mark.parametrize("status", [Disclosure.Status.EXTRACTING, Disclosure.Status.SCORING])
    def test_a_job_whose_worker_died_is_processed_again(
        self, queued: Any, settings: Any, django_capture_on_commit_callbacks: Any, status: str
    ) -> None:
        stuck(queued, status)
        later = START + dt.timedelta(seconds=settings.DISCLOSURE_STALE_AFTER_SECONDS + 1)
        assert requeue_at(later, django_capture_on_commit_callbacks) == 1
        queued.refresh_from_db()
        assert queued.status in {Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW}
        assert queued.attempts == 2
        assert DisclosurePage.objects.filter(disclosure=queued).count() == 1
        assert DisclosureScore.objects.filter(disclosure=queued).count() == 1

    def test_a_job_still_within_its_time_is_left_alone(
        self, queued: Any, settings: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        stuck(queued)
        soon = START + dt.timedelta(seconds=settings.DISCLOSURE_STALE_AFTER_SECONDS - 1)
        assert requeue_at(soon, django_capture_on_commit_callbacks) == 0
        queued.refresh_from_db()
        assert (queued.status, queued.attempts) == (Disclosure.Status.EXTRACTING, 1)

    def test_the_threshold_can_be_given(self, queued: Any, django_capture_on_commit_callbacks: Any) -> None:
        stuck(queued)
        assert (
            requeue_at(START + dt.timedelta(seconds=6), django_capture_on_commit_callbacks, older_than_seconds=5) == 1
        )

    def test_a_job_that_keeps_killing_the_worker_is_failed_with_a_reason(
        self, queued: Any, settings: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        stuck(queued, attempts=MAX_ATTEMPTS)
        later = START + dt.timedelta(seconds=settings.DISCLOSURE_STALE_AFTER_SECONDS + 1)
        assert requeue_at(later, django_capture_on_commit_callbacks) == 0
        queued.refresh_from_db()
        assert (queued.status, queued.failure_code) == (Disclosure.Status.FAILED, "worker_lost")
        assert queued.failure_reason == FAILURE_REASONS["worker_lost"]

    def test_finished_work_is_never_touched(
        self, company: Any, representative: Any, settings: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        with time_machine.travel(START, tick=False), django_capture_on_commit_callbacks(execute=True):
            done, _ = disclosure_submit(company=company, submitted_by=representative, text=TEXT)
        done.refresh_from_db()
        later = START + dt.timedelta(days=30)
        assert requeue_at(later, django_capture_on_commit_callbacks, older_than_seconds=1) == 0
        assert Disclosure.objects.get(pk=done.pk).attempts == done.attempts == 1


class TestLostMessages:
    def test_a_submission_stuck_in_received_is_queued_again(
        self, queued: Any, settings: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        later = START + dt.timedelta(seconds=settings.DISCLOSURE_STALE_AFTER_SECONDS + 1)
        assert requeue_at(later, django_capture_on_commit_callbacks) == 1
        queued.refresh_from_db()
        assert queued.status in {Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW}
        assert queued.attempts == 1

    def test_a_backlog_is_sent_again_at_most_once_per_period(
        self, queued: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        later = START + dt.timedelta(minutes=10)
        with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=False) as sent:
            first = disclosure_requeue_stale(older_than_seconds=300)
            second = disclosure_requeue_stale(older_than_seconds=300)
        assert (first, second) == (1, 0)
        assert len(sent) == 1

    def test_the_beat_task_runs_the_reaper(self, queued: Any, django_capture_on_commit_callbacks: Any) -> None:
        tomorrow = START + dt.timedelta(days=1)
        with time_machine.travel(tomorrow, tick=False), django_capture_on_commit_callbacks(execute=True):
            assert disclosure_requeue_stale_task.delay().get() == 1
        queued.refresh_from_db()
        assert queued.status != Disclosure.Status.RECEIVED

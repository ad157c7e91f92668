"""A real Celery worker on the real broker is SIGKILLed mid-run: afterwards nothing is lost or duplicated.

Runs only when a broker is configured (CI: DATABASE_URL=postgresql://... and REDIS_URL=redis://...). The test
starts ``celery worker`` itself, pointed at pytest-django's *test* database, submits 30 PDFs, kills the worker's
whole process group while one job is in progress, restarts it, runs the stale-job reaper as beat would, and
waits (bounded) for every submission to finish.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count

from disclosures.models import Disclosure, DisclosurePage, DisclosureScore, Finding
from disclosures.services.disclosures import disclosure_requeue_stale, disclosure_submit
from supplychain.celery import app
from tests.fixtures.pdfs import multipage_pdf

pytestmark = [pytest.mark.requires_worker, pytest.mark.django_db(transaction=True)]

REPO_ROOT = Path(__file__).resolve().parents[2]
SUBMISSIONS = 30
PAGES = 60  # dense pages: about half a second of work each, so the kill lands mid-task
FINISHED = (Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW, Disclosure.Status.FAILED)
RUNNING = (Disclosure.Status.EXTRACTING, Disclosure.Status.SCORING)


def worker_database_url() -> str:
    """DATABASE_URL with the database name swapped for the one pytest-django created."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + django_settings.DATABASES["default"]["NAME"]))


class Worker:
    """One ``celery worker`` subprocess in its own process group (so SIGKILL takes its pool children too)."""

    def __init__(self, log_dir: Path, env: dict[str, str]) -> None:
        self.log_dir = log_dir
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        log = (self.log_dir / f"worker-{self.starts}.log").open("wb")
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "supplychain",
            "worker",
            "--concurrency=1",
            "--pool=prefork",
            "-Q",
            app.conf.task_default_queue,
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"crash-test-{uuid.uuid4().hex[:8]}@%h",
        ]
        self.process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace")[-3000:] for path in sorted(self.log_dir.glob("worker-*.log")))


@pytest.fixture
def worker(tmp_path: Path, settings: Any) -> Iterator[Worker]:
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": "supplychain.settings",
        "PYTHONUNBUFFERED": "1",
    }
    app.control.purge()  # messages left over from an aborted earlier run would point at other rows
    worker = Worker(tmp_path, env)
    try:
        yield worker
    finally:
        worker.kill()
        app.control.purge()


def wait_for(condition: Callable[[], bool], *, timeout: float, worker: Worker, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}.\n{worker.logs()}")


def submit_pdfs(company: Any, user: Any) -> list[int]:
    base = multipage_pdf(pages=PAGES)
    ids = []
    for number in range(SUBMISSIONS):
        # Bytes after %%EOF are ignored by PDF readers but make each file's sha256 unique.
        data = base + f"\n% submission {number}\n".encode()
        disclosure, created = disclosure_submit(
            company=company, submitted_by=user, upload=SimpleUploadedFile(f"s{number}.pdf", data)
        )
        assert created
        ids.append(disclosure.pk)
    return ids


def statuses(ids: list[int]) -> dict[str, int]:
    rows = Disclosure.objects.filter(pk__in=ids).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def test_a_killed_worker_loses_and_duplicates_nothing(company: Any, representative: Any, worker: Worker) -> None:
    worker.start()
    ids = submit_pdfs(company, representative)

    def some_done_and_one_running() -> bool:
        counts = statuses(ids)
        done = sum(counts.get(status, 0) for status in FINISHED)
        return done >= 3 and sum(counts.get(status, 0) for status in RUNNING) == 1

    wait_for(some_done_and_one_running, timeout=90, worker=worker, what="a few jobs done and one running")
    worker.kill()
    killed = list(Disclosure.objects.filter(pk__in=ids, status__in=RUNNING).values_list("pk", flat=True))
    assert len(killed) == 1, statuses(ids)

    time.sleep(2.5)  # the killed job is now older than the reaper's threshold below
    worker.start()
    assert disclosure_requeue_stale(older_than_seconds=2) >= 1

    def all_finished() -> bool:
        return Disclosure.objects.filter(pk__in=ids, status__in=FINISHED).count() == SUBMISSIONS

    wait_for(all_finished, timeout=120, worker=worker, what="every submission to finish")

    disclosures = list(Disclosure.objects.filter(pk__in=ids))
    assert len(disclosures) == SUBMISSIONS == Disclosure.objects.count()  # none lost, none added
    assert len({d.sha256 for d in disclosures}) == SUBMISSIONS
    for disclosure in disclosures:
        assert disclosure.status in FINISHED
        if disclosure.status == Disclosure.Status.FAILED:
            assert disclosure.failure_code, disclosure.pk
            assert disclosure.failure_reason, disclosure.pk
            continue
        assert disclosure.page_count == PAGES
        pages = DisclosurePage.objects.filter(disclosure=disclosure)
        assert sorted(pages.values_list("number", flat=True)) == list(range(1, PAGES + 1))
        assert DisclosureScore.objects.filter(disclosure=disclosure).count() == 1
        assert Finding.objects.filter(score__disclosure=disclosure).count() == 5
    assert not Disclosure.objects.filter(status=Disclosure.Status.FAILED).exists(), worker.logs()

    redone = Disclosure.objects.get(pk=killed[0])
    assert redone.status in {Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW}
    assert redone.attempts >= 2  # claimed by the killed worker, then again after the requeue

"""Crash safety with the real PostgreSQL, Redis and Celery: kill the workers, restart Redis, restart PostgreSQL.

Everything runs in subprocesses against a scratch database this test creates (and migrates with ``manage.py
migrate`` in a subprocess), so the connections that break are the scenario's, not pytest's. Two
``celery worker`` processes consume, a reaper subprocess runs ``disclosure_requeue_stale`` every second as Celery
beat would (with a short stale threshold), and a submitter queues the PDFs. Then, each time with work in flight:

1. both workers are SIGKILLed (whole process groups) and started again;
2. Redis is shut down without saving (every queued message is gone) and started again;
3. PostgreSQL is restarted (every connection is cut).

Afterwards every submission is scored exactly once — none lost, none duplicated, none stuck — because claims are
conditional UPDATEs, results are keyed, and the reaper re-sends what a dead worker or a lost message left behind.
The services are always restored in ``finally`` and waited for; every wait is bounded. Costs about 60-100 s.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connections

pytestmark = [pytest.mark.requires_postgres, pytest.mark.requires_worker, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
SUBMISSIONS = 48
PAGES = 40  # a few tenths of a second of work each: the backlog lasts through all three disruptions
STALE_SECONDS = 8  # the reaper's threshold; the longest real job here takes about one second
FINISHED = ("scored", "needs_review", "failed")
RUNNING = ("extracting", "scoring")
REDIS_PORT = 6379
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    str(REDIS_PORT),
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]

SUBMIT = f"""
import django; django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from disclosures.services.disclosures import disclosure_submit
from tests import factories
from tests.fixtures.pdfs import multipage_pdf
company = factories.CompanyFactory(name="Crash Test Apparel Inc.", slug="crash-test")
user = factories.UserFactory(username="crash-rep")
factories.MembershipFactory(user=user, company=company)
base = multipage_pdf(pages={PAGES})
for number in range({SUBMISSIONS}):
    data = base + f"\\n% submission {{number}}\\n".encode()
    disclosure_submit(company=company, submitted_by=user, upload=SimpleUploadedFile(f"s{{number}}.pdf", data))
print("submitted")
"""

REAPER = f"""
import time, django; django.setup()
from django.db import close_old_connections, connections
from disclosures.services.disclosures import disclosure_requeue_stale
while True:
    try:
        close_old_connections()
        disclosure_requeue_stale(older_than_seconds={STALE_SECONDS})
    except Exception as error:  # PostgreSQL or Redis is down for a moment: try again next second
        print("reaper:", type(error).__name__, flush=True)
        connections.close_all()
    time.sleep(1)
"""


def _database_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + name))


def _admin_url() -> str:
    return _database_url("postgres")


@pytest.fixture
def scratch_database() -> Iterator[str]:
    name = f"crash_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_admin_url(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        _postgres_running()
        with psycopg.connect(_admin_url(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Scenario:
    """The subprocesses of one run, each in its own process group so a kill takes its children too."""

    def __init__(self, database: str, tmp_path: Path) -> None:
        broker = os.environ.get("REDIS_URL") or os.environ.get("CELERY_BROKER_URL", "")
        self.redis_url = urlunsplit(urlsplit(broker)._replace(path="/11"))  # a database of its own on the broker
        self.env = {
            **os.environ,
            "DATABASE_URL": _database_url(database),
            "REDIS_URL": self.redis_url,
            "CELERY_BROKER_URL": self.redis_url,
            "MEDIA_ROOT": str(tmp_path / "media"),
            "DJANGO_SETTINGS_MODULE": "supplychain.settings",
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(REPO),
        }
        self.logs = tmp_path
        self.database_url = _database_url(database)
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def run(self, *command: str, timeout: float = 120) -> None:
        result = subprocess.run(command, cwd=REPO, env=self.env, capture_output=True, timeout=timeout)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]

    def start(self, name: str, *command: str) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def start_worker(self, name: str) -> None:
        self.start(
            name,
            sys.executable,
            "-m",
            "celery",
            "-A",
            "supplychain",
            "worker",
            "--concurrency=1",
            "--pool=prefork",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            "-n",
            f"{name}-{uuid.uuid4().hex[:6]}@%h",
        )

    def kill(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is not None and process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name)

    def counts(self) -> dict[str, int]:
        try:
            with psycopg.connect(self.database_url, connect_timeout=3) as db:
                rows = db.execute("SELECT status, count(*) FROM disclosures_disclosure GROUP BY status").fetchall()
        except psycopg.OperationalError:
            return {}
        return {status: count for status, count in rows}

    def tail(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-2500:]}" for p in sorted(self.logs.glob("*.log"))
        )


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str, scenario: Scenario) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"Timed out after {timeout:g} s waiting for {what}; statuses {scenario.counts()}\n{scenario.tail()}")


def _finished(counts: dict[str, int]) -> int:
    return sum(counts.get(status, 0) for status in FINISHED)


# --- the services -----------------------------------------------------------------------------------------------


def _redis_answers() -> bool:
    result = subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True, timeout=5)
    return result.stdout.strip() == "PONG"


def _redis_running() -> None:
    """Start Redis if it is down and wait (bounded) until it answers."""
    if not _redis_answers():
        subprocess.run(REDIS_START, check=False, capture_output=True, timeout=20)
    deadline = time.monotonic() + 30
    while not _redis_answers():
        if time.monotonic() > deadline:
            raise RuntimeError("Redis did not come back within 30 s")
        time.sleep(0.2)


def _postgres_answers() -> bool:
    try:
        with psycopg.connect(_admin_url(), connect_timeout=2) as db:
            db.execute("SELECT 1")
    except psycopg.OperationalError:
        return False
    return True


def _postgres_running() -> None:
    if not _postgres_answers():
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], capture_output=True, timeout=60
        )
    deadline = time.monotonic() + 60
    while not _postgres_answers():
        if time.monotonic() > deadline:
            raise RuntimeError("PostgreSQL did not come back within 60 s")
        time.sleep(0.5)


def restart_redis() -> None:
    subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], capture_output=True, timeout=20)
    _redis_running()


def restart_postgres() -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], capture_output=True, timeout=120
    )
    _postgres_running()


# --- the test ---------------------------------------------------------------------------------------------------


def _progress_after(scenario: Scenario, seen: int, *, timeout: float, what: str) -> int:
    wait_for(lambda: _finished(scenario.counts()) > seen, timeout=timeout, what=what, scenario=scenario)
    return _finished(scenario.counts())


def _in_flight(scenario: Scenario) -> bool:
    counts = scenario.counts()
    return sum(counts.get(status, 0) for status in RUNNING) >= 1 and _finished(counts) < SUBMISSIONS - 8


def _disrupt(scenario: Scenario) -> None:
    wait_for(lambda: _in_flight(scenario), timeout=90, what="a job in flight", scenario=scenario)
    scenario.kill("worker-a")
    scenario.kill("worker-b")  # SIGKILL mid-task: no cleanup, no ack
    done = _finished(scenario.counts())
    scenario.start_worker("worker-a")
    scenario.start_worker("worker-b")
    done = _progress_after(scenario, done, timeout=90, what="progress after the workers were killed")

    wait_for(lambda: _in_flight(scenario), timeout=60, what="a job in flight before Redis", scenario=scenario)
    restart_redis()  # every queued message is lost: the reaper must re-send them
    done = _progress_after(scenario, done, timeout=120, what="progress after Redis restarted")

    wait_for(lambda: _in_flight(scenario), timeout=60, what="a job in flight before PostgreSQL", scenario=scenario)
    restart_postgres()
    _progress_after(scenario, done, timeout=120, what="progress after PostgreSQL restarted")


def _check(scenario: Scenario) -> None:
    with psycopg.connect(scenario.database_url) as db:
        rows = db.execute(
            "SELECT id, status, sha256, page_count, failure_reason FROM disclosures_disclosure"
        ).fetchall()
        pages = dict(db.execute("SELECT disclosure_id, count(*) FROM disclosures_disclosurepage GROUP BY 1").fetchall())
        scores = dict(
            db.execute("SELECT disclosure_id, count(*) FROM disclosures_disclosurescore GROUP BY 1").fetchall()
        )
        findings = dict(
            db.execute(
                "SELECT s.disclosure_id, count(*) FROM disclosures_finding f "
                "JOIN disclosures_disclosurescore s ON s.id = f.score_id GROUP BY 1"
            ).fetchall()
        )
    assert len(rows) == SUBMISSIONS  # none lost, none added
    assert len({row[2] for row in rows}) == SUBMISSIONS  # none duplicated
    stuck = [(pk, status) for pk, status, *_ in rows if status not in FINISHED]
    assert stuck == []
    failed = [(pk, reason) for pk, status, _sha, _pages, reason in rows if status == "failed"]
    assert failed == [], failed  # every file here is a good PDF: a failure means a crash was not recovered from
    for pk, _status, _sha, page_count, _reason in rows:
        assert (page_count, pages.get(pk), scores.get(pk), findings.get(pk)) == (PAGES, PAGES, 1, 5), pk


def test_nothing_is_lost_duplicated_or_stuck_after_killed_workers_and_restarted_redis_and_postgresql(
    scratch_database: str, tmp_path: Path
) -> None:
    scenario = Scenario(scratch_database, tmp_path)
    try:
        scenario.run(sys.executable, "manage.py", "migrate", "--no-input", "-v", "0")
        subprocess.run(["redis-cli", "-n", "11", "FLUSHDB"], capture_output=True, timeout=10)
        scenario.start_worker("worker-a")
        scenario.start_worker("worker-b")
        scenario.start("reaper", sys.executable, "-c", REAPER)
        scenario.run(sys.executable, "-c", SUBMIT)
        _disrupt(scenario)
        wait_for(
            lambda: _finished(scenario.counts()) == SUBMISSIONS,
            timeout=240,
            what="every submission to finish",
            scenario=scenario,
        )
        _check(scenario)
    finally:
        scenario.stop_all()
        _redis_running()
        _postgres_running()
        connections.close_all()  # pytest's own connections were cut by the restart: reconnect on next use


def test_the_services_are_up_after_the_scenario() -> None:
    assert _redis_answers()
    assert _postgres_answers()

"""A brand change is visible to search in every process, without a restart.

Two levels: several index holders in this process (each stands for a web worker), and real separate Python
processes sharing one SQLite file: a long-lived "web worker" keeps its index while a `manage.py shell -c`
process changes brands through the services. pytest-django's own SQLite test database lives in memory and
cannot be opened by another process, so the multi-process test builds its own database file.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from disclosures.selectors.search import SearchIndexHolder, search_index
from disclosures.services.brands import brand_create
from tests.factories import BrandFactory, CompanyFactory

REPO = Path(__file__).resolve().parents[2]
READ_TIMEOUT_SECONDS = 120  # only guards against a hung child; nothing is timed


@pytest.fixture(autouse=True)
def _fresh_index(settings: object) -> Iterator[None]:
    settings.SEARCH_INDEX_CHECK_SECONDS = 0
    search_index().reset()
    yield
    search_index().reset()


def _names(holder: SearchIndexHolder, query: str) -> list[str]:
    return [match.name for match in holder.get().index.search(query, limit=5)]


# --- several workers in one process -------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_worker_sees_a_brand_created_by_another() -> None:
    company = CompanyFactory()
    brand_create(company=company, name="Nike")
    worker_a, worker_b = SearchIndexHolder(), SearchIndexHolder()
    assert _names(worker_a, "patagonia") == _names(worker_b, "patagonia") == []
    brand_create(company=company, name="Patagonia")  # "in worker A"; only the version row tells worker B
    assert _names(worker_b, "patagnoia") == ["Patagonia"]
    assert _names(worker_a, "patagnoia") == ["Patagonia"]


@pytest.mark.django_db
def test_a_worker_does_not_rebuild_while_nothing_changed(django_assert_num_queries: object) -> None:
    brand_create(company=CompanyFactory(), name="Nike")
    worker = SearchIndexHolder()
    first = worker.get()
    with django_assert_num_queries(1):  # the version check only
        assert worker.get() is first


@pytest.mark.django_db
def test_between_checks_a_worker_makes_no_query_at_all(settings: object, django_assert_num_queries: object) -> None:
    settings.SEARCH_INDEX_CHECK_SECONDS = 3600
    worker = SearchIndexHolder()
    worker.get()
    with django_assert_num_queries(0):
        worker.get()


@pytest.mark.django_db
def test_rows_written_without_a_service_show_up_after_a_reset() -> None:
    worker = SearchIndexHolder()
    assert _names(worker, "quietbrand") == []
    BrandFactory(name="Quietbrand")  # no version bump: bulk loads must call reset or bump
    assert _names(worker, "quietbrand") == []
    worker.reset()
    assert _names(worker, "quietbrand") == ["Quietbrand"]


@pytest.mark.django_db(transaction=True)
def test_a_large_index_is_rebuilt_in_the_background_and_swapped_in(settings: object) -> None:
    settings.SEARCH_INDEX_BACKGROUND_MIN_ENTRIES = 0  # treat any index as large
    company = CompanyFactory()
    brand_create(company=company, name="Nike")
    worker = SearchIndexHolder()
    before = worker.get()
    brand_create(company=company, name="Patagonia")
    served = worker.get()  # never waits for the rebuild: it answers from whatever index is loaded
    worker.wait_for_rebuild(timeout=READ_TIMEOUT_SECONDS)
    after = worker.get()
    assert served in (before, after)
    assert after is not before
    assert [m.name for m in after.index.search("patagonia", limit=5)] == ["Patagonia"]


# --- separate processes ---------------------------------------------------------------------------------

SETUP = """
import django
django.setup()
from django.apps import apps
from django.db import connection
with connection.schema_editor() as editor:
    for model in apps.get_models():
        editor.create_model(model)
from disclosures.models import Company
from disclosures.services.brands import brand_create
acme = Company.objects.create(name="Acme Goods Inc.", slug="acme")
brand_create(company=acme, name="Nike")
"""

WORKER = """
import json, sys
import django
django.setup()
from django.conf import settings
settings.SEARCH_INDEX_CHECK_SECONDS = 0
from disclosures.selectors.search import brand_search, search_index
print("ready", search_index().get().entries, flush=True)
for line in sys.stdin:
    rows = brand_search(query=line.strip(), limit=5).rows
    print(json.dumps([row.name for row in rows]), flush=True)
"""


def _child_env(db_file: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({"SQLITE_PATH": str(db_file), "DJANGO_SETTINGS_MODULE": "supplychain.settings", "CELERY_BROKER_URL": ""})
    return env


def _read_line(process: subprocess.Popen) -> str:
    ready, _, _ = select.select([process.stdout], [], [], READ_TIMEOUT_SECONDS)
    assert ready, "the worker process did not answer"
    line = process.stdout.readline()
    assert line, f"the worker process died: {process.stderr.read()}"
    return line.strip()


def _ask(process: subprocess.Popen, query: str) -> list[str]:
    process.stdin.write(query + "\n")
    process.stdin.flush()
    return json.loads(_read_line(process))


def _manage_shell(env: dict[str, str], code: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=REPO, env=env, check=True, capture_output=True
    )


def test_a_brand_change_reaches_a_running_worker_process_without_restart(tmp_path: Path) -> None:
    env = _child_env(tmp_path / "shared.sqlite3")
    subprocess.run([sys.executable, "-c", SETUP], cwd=REPO, env=env, check=True, capture_output=True)
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER], cwd=REPO, env=env, text=True, bufsize=1,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert _read_line(worker).startswith("ready")
        assert _ask(worker, "nkie") == ["Nike"]
        assert _ask(worker, "patagonia") == []
        _manage_shell(
            env,
            "from disclosures.models import Company\n"
            "from disclosures.services.brands import brand_create\n"
            "brand_create(company=Company.objects.get(slug='acme'), name='Patagonia')",
        )
        assert _ask(worker, "patagnoia") == ["Patagonia"]
        _manage_shell(
            env,
            "from disclosures.models import Brand\n"
            "from disclosures.services.brands import brand_delete\n"
            "brand_delete(brand=Brand.objects.get(name='Nike'))",
        )
        assert _ask(worker, "nike") == []
    finally:
        worker.stdin.close()
        worker.kill()
        worker.wait()

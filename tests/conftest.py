"""Shared fixtures: isolated media, fast hashing, the real samples, and a named cast of users."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from tests import factories

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES_DIR = REPO_ROOT.parent / "shared" / "samples"
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip tests whose infrastructure is absent, always with the reason."""
    is_postgres = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_broker = not django_settings.CELERY_TASK_ALWAYS_EAGER
    has_chromium = shutil.which(CHROMIUM_PATH) is not None or Path(CHROMIUM_PATH).exists()
    in_ci = os.environ.get("CI") == "true"
    for item in items:
        if "requires_postgres" in item.keywords and not is_postgres:
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL pointing at PostgreSQL"))
        if "requires_worker" in item.keywords and not has_broker:
            item.add_marker(pytest.mark.skip(reason="needs CELERY_BROKER_URL (a real broker and worker)"))
        if "e2e" in item.keywords and not has_chromium and not in_ci:
            item.add_marker(pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM_PATH}"))


@pytest.fixture(autouse=True)
def _celery_mode(request: pytest.FixtureRequest) -> object:
    """Tasks run in-process unless a test needs the real worker on the real broker."""
    from supplychain.celery import app

    if "requires_worker" in request.keywords:
        yield app
        return
    previous = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def _isolated_settings(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_search_index() -> object:
    """Rows written by factories do not bump the index version; every test starts from an unbuilt index."""
    from disclosures.selectors.search import search_index

    search_index().reset()
    yield
    search_index().reset()


@pytest.fixture
def samples_dir() -> Path:
    if not SAMPLES_DIR.is_dir():
        pytest.skip(f"../shared/samples not found at {SAMPLES_DIR}")
    return SAMPLES_DIR


# The named cast (healthchecks' alice/bob/charlie): one of each role.
@pytest.fixture
def company(db: None) -> object:
    return factories.CompanyFactory(name="Northwind Apparel Inc.", slug="northwind-apparel")


@pytest.fixture
def other_company(db: None) -> object:
    return factories.CompanyFactory(name="Southpaw Toys LLC", slug="southpaw-toys")


@pytest.fixture
def shopper(db: None) -> object:
    return factories.UserFactory(username="shopper")


@pytest.fixture
def representative(company: object) -> object:
    user = factories.UserFactory(username="rep", email="rep@northwind-apparel.example")
    factories.MembershipFactory(user=user, company=company)
    return user


@pytest.fixture
def other_representative(other_company: object) -> object:
    user = factories.UserFactory(username="otherrep", email="rep@southpaw-toys.example")
    factories.MembershipFactory(user=user, company=other_company)
    return user


@pytest.fixture
def officer(db: None) -> object:
    return factories.UserFactory(username="officer", groups=["procurement_officers"])


@pytest.fixture
def registry_staff(db: None) -> object:
    return factories.UserFactory(username="registrar", groups=["registry_staff"], is_staff=True)


@pytest.fixture
def reviewer(db: None) -> object:
    return factories.UserFactory(username="reviewer", groups=["reviewers"], is_staff=True)


@pytest.fixture
def contractor(db: None) -> object:
    return factories.ContractorFactory(legal_name="Golden Bear Uniforms LLC", slug="golden-bear-uniforms")


@pytest.fixture
def contractor_staff(contractor: object) -> object:
    from disclosures.models import ContractorMembership

    user = factories.UserFactory(username="contractorstaff")
    ContractorMembership.objects.create(user=user, contractor=contractor)
    return user


@pytest.fixture
def superuser(db: None) -> object:
    return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def clock_driven_cache(settings: pytest.FixtureRequest) -> None:
    """A local-memory cache, for tests that move the clock to expire entries: Redis expires keys by its own
    clock, which time_machine cannot move."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "clock"}}

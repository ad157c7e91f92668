"""Property-based run of every GET operation against the live schema: no 5xx, every response as documented.

Runs each read operation with a bounded number of generated requests (valid and invalid) against a real server
(pytest-django's ``live_server``) holding seeded data, so list, detail and lookup endpoints have something to
return. Covers every area's GET endpoints, not only open data.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.integration.data_seed import seed_companies, seed_registry


@pytest.fixture(scope="session")
def _live_server_media_url() -> Iterator[None]:
    """Django's live server wraps the site in a media-file handler that crashes on ``MEDIA_URL = None``.

    The site deliberately serves no media URL, so give the test server a path nothing links to. Must be set
    before ``live_server`` starts, hence session scope and listed first.
    """
    from django.conf import settings as django_settings

    previous = django_settings.MEDIA_URL
    django_settings.MEDIA_URL = previous or "/__live-server-media-not-served__/"
    yield
    django_settings.MEDIA_URL = previous


def run_operation(operation: Any, mode: GenerationMode) -> str | None:
    """Up to 25 generated requests against one operation; the first failure's report, or None."""

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

    try:
        check()
    except Unsatisfiable:  # no invalid request exists, e.g. an operation without parameters
        return None
    except Exception as failure:  # collected so one run reports every failing operation
        return f"{operation.label} ({mode.value} data): {failure}"
    return None


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_live_server_media_url")
def test_read_operations_never_fail_and_match_the_schema(live_server: Any) -> None:
    # Plain hypothesis over the loaded schema: schemathesis' pytest plugin (from_fixture) does not run on pytest 9.
    seed_companies()
    seed_registry()
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/").include(method="GET")
    operations = [result.ok() for result in schema.get_all_operations()]

    # Valid requests, then invalid ones: bad input must be a documented 4xx, never a 500.
    runs = [run_operation(operation, mode) for operation in operations for mode in GenerationMode]
    failures = [report for report in runs if report]

    assert len(operations) >= 3
    assert not failures, "\n\n".join(failures)

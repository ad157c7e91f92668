"""The OpenAPI schema of the whole API generates without a single warning and validates (as CI does)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_schema_generates_with_no_warnings_and_validates(tmp_path: Path) -> None:
    target = tmp_path / "schema.yaml"
    errors = io.StringIO()

    # --fail-on-warn raises on any warning, naming the view that caused it in stderr.
    try:
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target), stderr=errors)
    except Exception as error:
        pytest.fail(f"{error}\n{errors.getvalue()}")

    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")


def test_the_schema_documents_the_open_data_endpoints_with_errors_and_examples(tmp_path: Path) -> None:
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target), stderr=io.StringIO())
    paths = yaml.safe_load(target.read_text())["paths"]

    companies = paths["/api/v1/companies/"]["get"]
    assert {parameter["name"] for parameter in companies["parameters"]} >= {
        "industry",
        "tier",
        "grade",
        "coverage",
        "ordering",
        "limit",
        "offset",
    }
    assert set(companies["responses"]) == {"200", "400"}
    assert companies["description"]
    assert companies["responses"]["200"]["content"]["application/json"]["examples"]
    assert "200" in paths["/api/v1/statistics/"]["get"]["responses"]
    assert "400" in paths["/api/v1/registry/certifications/"]["get"]["responses"]


def test_the_schema_and_the_docs_are_served(client: Client) -> None:
    schema = client.get("/api/v1/schema/")
    docs = client.get("/api/v1/docs/")

    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content
    assert docs.status_code == 200

"""The bulk exports, the open-data page and the dated snapshots, checked against the database."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from disclosures.models import Company, Disclosure
from disclosures.services.open_data import open_data_snapshot
from disclosures.tasks import open_data_snapshot_task
from tests.integration.data_seed import local_date, seed_companies, seed_registry

pytestmark = pytest.mark.django_db

AREAS = ("verification", "audits", "certification", "accountability", "training")
COLUMNS = [
    "slug",
    "name",
    "industry",
    "coverage",
    "tier",
    "grade",
    "compliance_score",
    "practice_score",
    *AREAS,
    "verification_performed_by",
    "audits_independence",
    "audits_announcement",
    "disclosure_date",
    "reporting_year",
    "disclosure_url",
    "rubric_version",
    "profile_url",
]


def expected_row(company: Company) -> dict[str, Any]:
    """Computed straight from the tables, without the selectors under test."""
    disclosure = (
        Disclosure.objects.filter(company=company, status__in=["scored", "needs_review"])
        .order_by("-created_at")
        .first()
    )
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(slug=company.slug, name=company.name, industry=company.industry, coverage=company.coverage)
    row["profile_url"] = f"http://127.0.0.1:8000/companies/{company.slug}/"
    if disclosure is None:
        row.update(tier="none", disclosure_url=company.disclosure_url)
        return row
    score = disclosure.scores.order_by("-scored_at").first()
    findings = {finding.area: finding for finding in score.findings.all()}
    row.update(
        tier=score.tier,
        grade=score.grade,
        compliance_score=score.compliance_score,
        practice_score=score.practice_score,
        disclosure_date=local_date(disclosure.created_at),
        reporting_year=disclosure.reporting_year or timezone.localtime(disclosure.created_at).year,
        disclosure_url=disclosure.source_url or company.disclosure_url,
        rubric_version=score.rubric_version,
    )
    for area in AREAS:
        finding = findings.get(area)
        row[area] = (finding.overridden_status or finding.status) if finding else None
    if "verification" in findings:
        row["verification_performed_by"] = findings["verification"].qualifiers.get("performed_by")
    if "audits" in findings:
        row["audits_independence"] = findings["audits"].qualifiers.get("independence")
        row["audits_announcement"] = findings["audits"].qualifiers.get("announcement")
    return row


def expected_rows() -> list[dict[str, Any]]:
    return [expected_row(company) for company in Company.objects.order_by("slug")]


def as_csv_text(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(("=", "+", "-", "@")) else text


def fetch(client: Client, url_name: str) -> tuple[Any, str]:
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content).decode()


@pytest.fixture
def seeded(settings: Any) -> Any:
    settings.SITE_URL = "http://127.0.0.1:8000"
    return seed_companies()


def test_companies_csv_matches_the_database_row_for_row(client: Client, seeded: Any) -> None:
    response, text = fetch(client, "data:companies_csv")

    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "# licence"
    assert "CC BY 4.0" in rows[0][1]
    assert rows[1][0] == "# generated_at"
    assert dt.datetime.fromisoformat(rows[1][1]).tzinfo is not None
    assert rows[2] == COLUMNS
    expected = [[as_csv_text(row[column]) for column in COLUMNS] for row in expected_rows()]
    assert rows[3:] == expected


def test_companies_json_matches_the_database_row_for_row(client: Client, seeded: Any) -> None:
    response, text = fetch(client, "data:companies_json")

    assert response.streaming
    document = json.loads(text)
    assert document["licence"] == "CC BY 4.0"
    assert document["licence_url"].startswith("https://creativecommons.org/licenses/by/4.0")
    assert dt.datetime.fromisoformat(document["generated_at"]).tzinfo is not None
    assert document["companies"] == expected_rows()


def test_exports_include_companies_without_a_published_disclosure_as_tier_none(client: Client, seeded: Any) -> None:
    _response, text = fetch(client, "data:companies_json")
    by_slug = {row["slug"]: row for row in json.loads(text)["companies"]}

    assert by_slug["cobalt-toys"]["tier"] == "none"
    assert by_slug["cobalt-toys"]["grade"] is None
    assert by_slug["delta-foods"]["tier"] == "none"  # only an unprocessed upload
    assert by_slug["delta-foods"]["disclosure_url"] == "https://delta.example/ca"
    assert len(by_slug) == Company.objects.count() == 5


def test_exports_show_the_latest_published_score_with_reviewer_corrections(client: Client, seeded: Any) -> None:
    _response, text = fetch(client, "data:companies_json")
    by_slug = {row["slug"]: row for row in json.loads(text)["companies"]}

    acme = by_slug["acme-apparel"]
    assert (acme["tier"], acme["grade"], acme["compliance_score"]) == ("substantial", "B", 83)
    assert acme["training"] == "does"  # overridden from "unclear"
    assert acme["verification_performed_by"] == "third_party"
    assert acme["audits_announcement"] == "unannounced"
    assert acme["disclosure_date"] == "2025-03-14"
    assert acme["reporting_year"] == 2025  # none stated: the year received
    bolt = by_slug["bolt-electronics"]
    assert (bolt["tier"], bolt["reporting_year"]) == ("partial", 2024)  # the later failed upload is ignored


def test_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(client: Client, seeded: Any) -> None:
    _response, text = fetch(client, "data:companies_csv")
    rows = list(csv.reader(io.StringIO(text)))

    names = [row[1] for row in rows[3:]]
    assert '\'=Evil, "Quoted" Foods' in names
    assert not any(name.startswith("=") for name in names)


def test_registry_exports_only_public_fields_of_checked_certifications(client: Client) -> None:
    seed_registry()

    _response, text = fetch(client, "data:registry_json")
    certifications = json.loads(text)["certifications"]

    assert [row["certification_number"] for row in certifications] == [
        "CSR-2026-000001-4",
        "CSR-2026-000002-2",
        "CSR-2026-000003-0",
    ]
    assert certifications[0] == {
        "contractor_name": "Golden Bear Uniforms LLC",
        "sos_number": "201912345678",
        "certification_number": "CSR-2026-000001-4",
        "certification_type": "pcc6108",
        "status": "active",
        "effective_from": "2026-01-01",
        "effective_to": "2026-12-31",
    }
    assert certifications[2]["sos_number"] is None
    assert "Secret Signer" not in text
    assert "f" * 64 not in text


def test_registry_csv_has_the_licence_rows_and_the_same_certifications(client: Client) -> None:
    seed_registry()

    _response, text = fetch(client, "data:registry_csv")
    rows = list(csv.reader(io.StringIO(text)))

    assert rows[0][0] == "# licence"
    assert rows[1][0] == "# generated_at"
    assert rows[2] == [
        "contractor_name",
        "sos_number",
        "certification_number",
        "certification_type",
        "status",
        "effective_from",
        "effective_to",
    ]
    assert [row[2] for row in rows[3:]] == ["CSR-2026-000001-4", "CSR-2026-000002-2", "CSR-2026-000003-0"]
    assert "Secret Signer" not in text


def test_exports_are_valid_when_the_database_is_empty(client: Client) -> None:
    _response, text = fetch(client, "data:companies_json")

    assert json.loads(text)["companies"] == []


def test_exports_can_be_fetched_from_other_sites(client: Client) -> None:
    response, _text = fetch(client, "data:registry_json")

    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_open_data_page_states_the_licence_and_links_every_export(client: Client) -> None:
    response = client.get(reverse("data:open_data"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "CC BY 4.0" in page
    assert "creativecommons.org/licenses/by/4.0" in page
    for name in ("companies_csv", "companies_json", "registry_csv", "registry_json"):
        assert reverse(f"data:{name}") in page
    assert "/api/v1/docs/" in page
    assert "/api/v1/schema/" in page
    assert "style=" not in page
    assert "<script>" not in page


def test_the_snapshot_writes_four_dated_files_with_the_same_content_as_the_downloads(
    client: Client, seeded: Any, settings: Any
) -> None:
    paths = open_data_snapshot(today=dt.date(2025, 6, 1))

    assert sorted(path.name for path in paths) == ["companies.csv", "companies.json", "registry.csv", "registry.json"]
    assert {path.parent for path in paths} == {settings.OPEN_DATA_DIR / "2025-06-01"}
    snapshot = json.loads((settings.OPEN_DATA_DIR / "2025-06-01" / "companies.json").read_text())
    assert snapshot["companies"] == expected_rows()
    csv_rows = list(csv.reader(io.StringIO((settings.OPEN_DATA_DIR / "2025-06-01" / "companies.csv").read_text())))
    assert len(csv_rows) == 3 + Company.objects.count()


def test_the_snapshot_is_idempotent_for_a_day(seeded: Any, settings: Any) -> None:
    first = open_data_snapshot(today=dt.date(2025, 6, 1))
    contents = {path: path.read_bytes() for path in first}
    Company.objects.filter(slug="cobalt-toys").update(name="Renamed Later")

    second = open_data_snapshot(today=dt.date(2025, 6, 1))

    assert second == first
    assert {path: path.read_bytes() for path in second} == contents
    assert not list((settings.OPEN_DATA_DIR / "2025-06-01").glob("*.tmp"))


def test_the_snapshot_fills_in_a_file_a_crashed_run_left_missing(seeded: Any, settings: Any) -> None:
    paths = open_data_snapshot(today=dt.date(2025, 6, 1))
    missing = settings.OPEN_DATA_DIR / "2025-06-01" / "registry.json"
    missing.unlink()

    open_data_snapshot(today=dt.date(2025, 6, 1))

    assert missing in paths
    assert json.loads(missing.read_text())["certifications"] == []


def test_the_scheduled_task_writes_todays_snapshot(seeded: Any, settings: Any, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC))

    written = open_data_snapshot_task.delay().get()

    assert len(written) == 4
    assert all("/2025-06-02/" in path for path in written)


def test_the_command_writes_the_snapshot_for_the_given_date(seeded: Any, settings: Any) -> None:
    out = io.StringIO()

    call_command("export_open_data", "--date", "2024-12-31", stdout=out)

    assert len(out.getvalue().split()) == 4
    assert (settings.OPEN_DATA_DIR / "2024-12-31" / "registry.csv").is_file()


def test_the_command_rejects_a_malformed_date(seeded: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("export_open_data", "--date", "31/12/2024")


def test_snapshots_are_listed_and_downloadable(client: Client, seeded: Any) -> None:
    open_data_snapshot(today=dt.date(2025, 6, 1))

    page = client.get(reverse("data:open_data")).content.decode()
    url = reverse("data:snapshot_file", args=["2025-06-01", "companies.json"])
    response = client.get(url)

    assert url in page
    assert response.status_code == 200
    assert json.loads(b"".join(response.streaming_content))["companies"] == expected_rows()


@pytest.mark.parametrize(
    ("day", "name"),
    [
        ("2025-06-01", "secrets.txt"),
        ("2025-06-01", "..%2F..%2Fsettings.py"),
        ("2025-02-30", "companies.csv"),
        ("..", "companies.csv"),
        ("2025-06-02", "companies.csv"),
    ],
)
def test_snapshot_downloads_answer_404_for_anything_but_a_written_file(client: Client, day: str, name: str) -> None:
    open_data_snapshot(today=dt.date(2025, 6, 1))

    response = client.get(f"/data/snapshots/{day}/{name}")

    assert response.status_code == 404

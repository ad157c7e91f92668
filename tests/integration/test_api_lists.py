"""The API list endpoints: pagination, filtering and ordering, with 400 for values they do not accept."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.integration.data_seed import seed_companies, seed_registry

pytestmark = pytest.mark.django_db

COMPANIES = "/api/v1/companies/"
CERTIFICATIONS = "/api/v1/registry/certifications/"


@pytest.fixture
def seeded() -> Any:
    return seed_companies()


def slugs(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def test_companies_are_listed_by_name_with_latest_scores_and_statuses(client: Client, seeded: Any) -> None:
    data = client.get(COMPANIES).json()

    assert data["count"] == 5
    assert [row["name"] for row in data["results"]] == sorted(row["name"] for row in data["results"])
    acme = next(row for row in data["results"] if row["slug"] == "acme-apparel")
    assert (acme["tier"], acme["grade"], acme["compliance_score"], acme["practice_score"]) == (
        "substantial",
        "B",
        83,
        64,
    )
    assert acme["areas"] == {
        "verification": "does",
        "audits": "does",
        "certification": "does_not",
        "accountability": "silent",
        "training": "does",
    }
    assert acme["qualifiers"] == {
        "verification_performed_by": "third_party",
        "audits_independence": "independent",
        "audits_announcement": "unannounced",
    }
    assert acme["disclosure_date"] == "2025-03-14"
    cobalt = next(row for row in data["results"] if row["slug"] == "cobalt-toys")
    assert (cobalt["tier"], cobalt["grade"], cobalt["compliance_score"]) == ("none", None, None)
    assert set(cobalt["areas"].values()) == {None}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("industry=food", {"delta-foods", "evil-foods"}),
        ("tier=none", {"cobalt-toys", "delta-foods"}),
        ("tier=partial", {"bolt-electronics"}),
        ("grade=B", {"acme-apparel"}),
        ("coverage=unknown", {"bolt-electronics"}),
        ("industry=food&tier=complete", {"evil-foods"}),
        ("tier=minimal", set()),  # Acme's old minimal disclosure is not its latest
    ],
)
def test_companies_can_be_filtered(client: Client, seeded: Any, query: str, expected: set[str]) -> None:
    assert set(slugs(client.get(f"{COMPANIES}?{query}"))) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("compliance_score", ["bolt-electronics", "acme-apparel", "evil-foods", "cobalt-toys", "delta-foods"]),
        ("-compliance_score", ["evil-foods", "acme-apparel", "bolt-electronics", "cobalt-toys", "delta-foods"]),
        ("-practice_score", ["evil-foods", "acme-apparel", "bolt-electronics", "cobalt-toys", "delta-foods"]),
        ("-disclosure_date", ["acme-apparel", "bolt-electronics", "evil-foods", "cobalt-toys", "delta-foods"]),
        # "=Evil, ..." sorts before letters.
        ("-name", ["delta-foods", "cobalt-toys", "bolt-electronics", "acme-apparel", "evil-foods"]),
    ],
)
def test_companies_can_be_ordered_with_unscored_ones_last(
    client: Client, seeded: Any, ordering: str, expected: list[str]
) -> None:
    assert slugs(client.get(f"{COMPANIES}?ordering={ordering}")) == expected


def test_companies_are_paginated_with_limit_and_offset(client: Client, seeded: Any) -> None:
    first = client.get(f"{COMPANIES}?ordering=name&limit=2").json()
    second = client.get(first["next"]).json()

    assert first["count"] == 5
    assert first["previous"] is None
    assert len(first["results"]) == 2
    assert "offset=2" in first["next"]
    assert [row["slug"] for row in first["results"]] == ["evil-foods", "acme-apparel"]
    assert [row["slug"] for row in second["results"]] == ["bolt-electronics", "cobalt-toys"]
    assert client.get(f"{COMPANIES}?offset=4&limit=2").json()["next"] is None


def test_a_limit_above_the_maximum_is_capped(client: Client, db: None) -> None:
    factories.CompanyFactory.create_batch(3)

    response = client.get(f"{COMPANIES}?limit=100000")

    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


@pytest.mark.parametrize(
    "query",
    [
        "ordering=score",
        "ordering=--name",
        "industry=shoes",
        "tier=great",
        "grade=E",
        "grade=a",
        "coverage=yes",
        "limit=0",
        "limit=-1",
        "limit=ten",
        "offset=-5",
        "offset=1.5",
    ],
)
def test_bad_list_parameters_are_a_400_with_a_detail(client: Client, db: None, query: str) -> None:
    response = client.get(f"{COMPANIES}?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_the_company_list_reads_a_fixed_number_of_queries(
    client: Client, seeded: Any, django_assert_num_queries: Any
) -> None:
    factories.CompanyFactory.create_batch(20)

    # count, page with annotations, latest scores, their findings
    with django_assert_num_queries(4):
        response = client.get(f"{COMPANIES}?limit=50")

    assert response.status_code == 200


def test_registry_certifications_list_only_public_fields_of_checked_entries(client: Client, db: None) -> None:
    seed_registry()

    data = client.get(CERTIFICATIONS).json()

    assert data["count"] == 3
    assert [row["certification_number"] for row in data["results"]] == [
        "CSR-2026-000001-4",
        "CSR-2026-000002-2",
        "CSR-2026-000003-0",
    ]
    assert set(data["results"][0]) == {
        "contractor_name",
        "sos_number",
        "certification_number",
        "certification_type",
        "status",
        "effective_from",
        "effective_to",
    }
    assert "Secret Signer" not in str(data)


def test_registry_certifications_can_be_filtered_by_status_and_type(client: Client, db: None) -> None:
    seed_registry()

    revoked = client.get(f"{CERTIFICATIONS}?status=revoked").json()["results"]
    sweatfree = client.get(f"{CERTIFICATIONS}?type=sweatfree_code").json()["results"]

    assert [row["certification_number"] for row in revoked] == ["CSR-2026-000002-2"]
    assert sweatfree == []


@pytest.mark.parametrize("query", ["status=draft", "status=submitted", "type=unknown", "limit=x"])
def test_registry_filters_refuse_non_public_statuses_and_unknown_values(client: Client, db: None, query: str) -> None:
    response = client.get(f"{CERTIFICATIONS}?{query}")

    assert response.status_code == 400
    assert response.json()["detail"]

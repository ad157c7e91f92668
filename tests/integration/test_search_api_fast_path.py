"""The search API answers from memory once warm, and still shows a changed score without a restart."""

from __future__ import annotations

import pytest
from django.test import Client

from disclosures.models import DisclosureScore
from disclosures.services.brands import brand_create
from disclosures.services.disclosures import disclosure_process, disclosure_submit
from disclosures.services.reviews import finding_override

pytestmark = pytest.mark.django_db

STATEMENT = (
    "We conduct unannounced audits of all suppliers every year, performed by independent third-party auditors. "
    "We assess risks in our supply chain through a third-party risk assessment. "
    "Suppliers must certify that materials comply with laws on slavery and human trafficking. "
    "Employees who violate our forced labor policy face disciplinary action up to termination. "
    "Sourcing staff receive annual training on human trafficking and forced labor."
)


@pytest.fixture
def scored_brand(company, reviewer):
    brand_create(company=company, name="Northwind Trail", aliases=["NW Trail"])
    disclosure, _ = disclosure_submit(company=company, submitted_by=reviewer, text=STATEMENT)
    disclosure_process(disclosure_id=disclosure.pk)
    return DisclosureScore.objects.get(disclosure=disclosure)


def _first(client: Client, query: str) -> dict:
    response = client.get("/api/v1/brands/search", {"q": query})
    assert response.status_code == 200
    return response.json()["results"][0]


def test_a_warm_search_reads_nothing_from_the_database(client: Client, scored_brand, django_assert_num_queries):
    _first(client, "northwnd trail")  # builds the index and caches the company
    with django_assert_num_queries(0):
        row = _first(client, "northwind trial")
    assert row["brand"] == {"name": "Northwind Trail", "slug": "northwind-trail"}
    assert row["company"]["slug"] == "northwind-apparel"
    assert row["url"] == "/brands/northwind-trail/"
    assert row["areas"]["audits"] == "does"


def test_an_override_shows_in_search_results_without_a_restart(
    client: Client, scored_brand, reviewer, settings
) -> None:
    settings.SEARCH_INDEX_CHECK_SECONDS = 0
    before = _first(client, "northwind trail")
    audits = scored_brand.findings.get(area="audits")
    finding_override(finding=audits, user=reviewer, status="silent", reason="Reviewer disagrees with the scorer.")
    after = _first(client, "northwind trail")
    assert after["areas"]["audits"] == "silent"
    assert after["compliance_score"] < before["compliance_score"]


def test_a_company_matched_by_name_and_brand_is_listed_once(client: Client, scored_brand) -> None:
    names = [
        r["company"]["name"] for r in client.get("/api/v1/brands/search", {"q": "Northwind Apparel"}).json()["results"]
    ]
    assert names.count("Northwind Apparel Inc.") == 1  # shown once, through its brand

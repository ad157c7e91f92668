"""The statistics page and API: every number equals a query computed independently here."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from disclosures.models import Company, Disclosure, DisclosureScore, Finding
from tests import factories
from tests.integration.data_seed import seed_companies

pytestmark = pytest.mark.django_db

PUBLISHED = ("scored", "needs_review")
SVG = "{http://www.w3.org/2000/svg}"


def latest_score_by_company() -> dict[Company, DisclosureScore | None]:
    latest = {}
    for company in Company.objects.all():
        disclosure = Disclosure.objects.filter(company=company, status__in=PUBLISHED).order_by("-created_at").first()
        latest[company] = disclosure.scores.order_by("-scored_at").first() if disclosure else None
    return latest


def effective(score: DisclosureScore, area: str) -> tuple[str | None, dict[str, str]]:
    finding = Finding.objects.filter(score=score, area=area).first()
    if finding is None:
        return None, {}
    return finding.overridden_status or finding.status, finding.qualifiers


def expected_statistics() -> dict[str, Any]:
    latest = latest_score_by_company()
    scored = [score for score in latest.values() if score is not None]
    tiers = Counter(score.tier if score else "none" for score in latest.values())
    by_industry: dict[str, Counter[str]] = defaultdict(Counter)
    for company, score in latest.items():
        by_industry[company.industry][score.tier if score else "none"] += 1
    addressed = Counter()
    third_party = unannounced = 0
    for score in scored:
        for area in ("verification", "audits", "certification", "accountability", "training"):
            if effective(score, area)[0] in {"does", "does_hedged", "does_not"}:
                addressed[area] += 1
        status, qualifiers = effective(score, "verification")
        third_party += status in {"does", "does_hedged"} and qualifiers.get("performed_by") in {"third_party", "both"}
        status, qualifiers = effective(score, "audits")
        unannounced += status in {"does", "does_hedged"} and qualifiers.get("announcement") == "unannounced"
    years: dict[int, list[DisclosureScore]] = defaultdict(list)
    for disclosure in Disclosure.objects.filter(status__in=PUBLISHED):
        year = disclosure.reporting_year or timezone.localtime(disclosure.created_at).year
        years[year].append(disclosure.scores.order_by("-scored_at").first())
    return {
        "companies": Company.objects.count(),
        "companies_with_disclosure": len(scored),
        "disclosures": Disclosure.objects.filter(status__in=PUBLISHED).count(),
        "findings": Finding.objects.filter(score__disclosure__status__in=PUBLISHED).count(),
        "tiers": dict(tiers),
        "grades": dict(Counter(score.grade for score in scored)),
        "industry_tiers": {industry: dict(counts) for industry, counts in by_industry.items()},
        "areas": dict(addressed),
        "scored": len(scored),
        "third_party": third_party,
        "unannounced": unannounced,
        "years": {
            year: (len(scores), round(sum(s.compliance_score for s in scores) / len(scores), 1))
            for year, scores in years.items()
        },
    }


def nonzero(shares: list[dict[str, Any]]) -> dict[str, int]:
    return {share["key"]: share["count"] for share in shares if share["count"]}


def chart(page: str, chart_id: str) -> ET.Element:
    match = re.search(rf'<svg[^>]*aria-labelledby="{chart_id}-title {chart_id}-desc".*?</svg>', page, re.S)
    assert match, f"chart {chart_id} not on the page"
    return ET.fromstring(match.group(0))


def chart_bars(svg: ET.Element) -> dict[str, str]:
    """Label -> the value text printed after the bar."""
    bars = {}
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") == "bar":
            texts = [text.text for text in group.iter(f"{SVG}text")]
            bars[texts[0]] = texts[-1]
    return bars


@pytest.fixture
def seeded() -> Any:
    return seed_companies()


def test_the_api_numbers_equal_an_independent_count_of_the_database(client: Client, seeded: Any) -> None:
    expected = expected_statistics()

    data = client.get("/api/v1/statistics/").json()

    for key in ("companies", "companies_with_disclosure", "disclosures", "findings"):
        assert data[key] == expected[key], key
    assert nonzero(data["tiers"]) == expected["tiers"]
    assert nonzero(data["grades"]) == expected["grades"]
    assert {row["key"]: nonzero(row["tiers"]) for row in data["industries"]} == expected["industry_tiers"]
    assert nonzero(data["areas"]) == expected["areas"]
    assert all(share["total"] == expected["scored"] for share in data["areas"])
    assert data["third_party_verification"]["count"] == expected["third_party"]
    assert data["unannounced_audits"]["count"] == expected["unannounced"]
    assert {y["year"]: (y["disclosures"], y["average_compliance_score"]) for y in data["years"]} == expected["years"]


def test_the_seeded_scenario_gives_the_numbers_a_person_would_count(client: Client, seeded: Any) -> None:
    data = client.get("/api/v1/statistics/").json()

    assert (data["companies"], data["companies_with_disclosure"], data["disclosures"]) == (5, 3, 4)
    assert nonzero(data["tiers"]) == {"substantial": 1, "partial": 1, "complete": 1, "none": 2}
    assert next(s for s in data["tiers"] if s["key"] == "none")["percent"] == 40.0
    # Acme states verification and audits, Bolt hedges both; Acme's training is corrected to "does".
    assert nonzero(data["areas"]) == {
        "verification": 2,
        "audits": 2,
        "certification": 1,
        "accountability": 1,
        "training": 2,
    }
    assert data["third_party_verification"]["count"] == 1
    assert data["unannounced_audits"]["count"] == 1
    assert [y["year"] for y in data["years"]] == [2022, 2024, 2025]


def test_the_page_charts_show_the_same_numbers_as_the_independent_count(client: Client, seeded: Any) -> None:
    expected = expected_statistics()

    page = client.get(reverse("data:statistics")).content.decode()

    tier_bars = chart_bars(chart(page, "chart-tiers"))
    assert tier_bars["Substantial"].startswith(f"{expected['tiers']['substantial']} (")
    assert tier_bars["None"] == "2 (40%)"
    grade_bars = chart_bars(chart(page, "chart-grades"))
    assert {label: int(text.split()[0]) for label, text in grade_bars.items() if not text.startswith("0")} == (
        expected["grades"]
    )
    area_bars = chart_bars(chart(page, "chart-areas"))
    assert area_bars["Certification"] == f"{round(100 * expected['areas']['certification'] / expected['scored'], 1):g}%"
    year_bars = chart_bars(chart(page, "chart-years"))
    assert {int(label): float(text) for label, text in year_bars.items()} == {
        year: average for year, (_count, average) in expected["years"].items()
    }


def test_every_chart_has_a_title_a_description_and_a_table_with_its_numbers(client: Client, seeded: Any) -> None:
    page = client.get(reverse("data:statistics")).content.decode()

    ids = re.findall(r'aria-labelledby="(chart-[a-z-]+)-title', page)
    assert set(ids) == {
        "chart-tiers",
        "chart-grades",
        "chart-industry-tiers",
        "chart-industry-grades",
        "chart-areas",
        "chart-qualifiers",
        "chart-years",
    }
    for chart_id in ids:
        svg = chart(page, chart_id)
        assert svg.get("role") == "img"
        assert svg.find(f"{SVG}title").text
        assert svg.find(f"{SVG}desc").text
    assert page.count("<table") >= len(ids)
    assert "style=" not in page
    assert "<script>" not in page


def test_the_page_works_with_no_companies_at_all(client: Client) -> None:
    response = client.get(reverse("data:statistics"))

    assert response.status_code == 200
    assert "nothing to count" in response.content.decode()


def test_the_page_reads_a_bounded_number_of_queries(
    client: Client, seeded: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(15):
        response = client.get(reverse("data:statistics"))

    assert response.status_code == 200


def test_the_numbers_are_cached_for_a_few_minutes_and_then_recomputed(
    client: Client, seeded: Any, time_machine: Any, clock_driven_cache: None
) -> None:
    time_machine.move_to("2025-06-01 12:00:00+00:00", tick=False)
    before = client.get("/api/v1/statistics/").json()["companies"]
    factories.CompanyFactory()

    cached = client.get("/api/v1/statistics/").json()["companies"]
    page = client.get(reverse("data:statistics")).context["stats"].companies
    time_machine.move_to("2025-06-01 12:05:01+00:00", tick=False)
    fresh = client.get("/api/v1/statistics/").json()["companies"]

    assert cached == page == before
    assert fresh == before + 1

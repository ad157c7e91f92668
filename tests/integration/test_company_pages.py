"""Brand and company pages (and the company profile API): scores, evidence, ownership, coverage."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from disclosures.core.types import AREAS
from disclosures.models import Disclosure, DisclosureScore, FindingContest
from disclosures.models.companies import Coverage, RevenueBand
from disclosures.services.brands import brand_create
from tests.factories import CompanyFactory, DisclosureScoreFactory, FindingFactory

pytestmark = pytest.mark.django_db


def scored_disclosure(
    company: object,
    *,
    statuses: Mapping[str, str] | None = None,
    flags: tuple[str, ...] = (),
    disclosure_status: str = Disclosure.Status.SCORED,
    **score_fields: object,
) -> DisclosureScore:
    """A published disclosure with a score and one finding per area (quotes on page 2)."""
    score = DisclosureScoreFactory(
        disclosure__company=company,
        disclosure__status=disclosure_status,
        disclosure__source_url="https://northwind.example/ca-supply-chains",
        flags=list(flags),
        **score_fields,
    )
    for area in AREAS:
        status = (statuses or {}).get(area, "silent")
        evidence = [] if status == "silent" else [{"quote": f"We do {area} things.", "page": 2, "start": 5, "end": 25}]
        FindingFactory(score=score, area=area, status=status, evidence=evidence)
    return score


@pytest.fixture
def scored_company(company: object) -> object:
    scored_disclosure(
        company,
        statuses={"verification": "does", "audits": "does_hedged", "training": "does_not"},
        flags=("qualifier_missing:audits.announcement", "planned:training"),
        grade="B",
        practice_score=72,
        compliance_score=91,
        tier="complete",
    )
    return company


def test_it_shows_the_grade_both_scores_the_tier_and_five_chips(client: object, scored_company: object) -> None:
    response = client.get(reverse("companies:detail", args=[scored_company.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="grade grade-B"' in html
    assert "72" in html
    assert "Practice score" in html
    assert "91" in html
    assert "Compliance score" in html
    assert "Complete" in html
    assert html.count('class="chip chip-') >= 5
    assert 'href="#finding-audits"' in html
    assert "Supplier audits: Hedged" in html
    assert "Staff training: Says it does not" in html
    assert "Internal accountability: Says nothing" in html


def test_it_quotes_the_evidence_with_its_page_number(client: object, scored_company: object) -> None:
    html = client.get(reverse("companies:detail", args=[scored_company.slug])).content.decode()
    assert 'id="finding-verification"' in html
    assert "We do verification things." in html
    assert "Page 2" in html
    disclosure = Disclosure.objects.get(company=scored_company)
    # the disclosure page's own anchor for the first verification quote
    assert f'href="{reverse("filings:detail", args=[disclosure.pk])}#ev-verification-1"' in html


def test_it_explains_flags_in_plain_language(client: object, scored_company: object) -> None:
    html = client.get(reverse("companies:detail", args=[scored_company.slug])).content.decode()
    assert "does not say whether audits are unannounced" in html
    assert "says training is planned, not done yet" in html
    assert "qualifier_missing" not in html


def test_it_links_the_published_disclosure_and_gives_its_date(client: object, scored_company: object) -> None:
    disclosure = Disclosure.objects.get(company=scored_company)
    html = client.get(reverse("companies:detail", args=[scored_company.slug])).content.decode()
    assert 'href="https://northwind.example/ca-supply-chains"' in html
    assert f'datetime="{timezone.localtime(disclosure.created_at):%Y-%m-%d}"' in html
    assert f'href="{reverse("filings:detail", args=[disclosure.pk])}"' in html


def test_it_marks_overridden_and_contested_findings(
    client: object, company: object, representative: object, reviewer: object
) -> None:
    score = scored_disclosure(company, statuses={"audits": "does", "certification": "does"})
    audits = score.findings.get(area="audits")
    audits.overridden_status = "does_hedged"
    audits.override_reason = "The audits are only a reserved right."
    audits.overridden_by = reviewer
    audits.save()
    FindingContest.objects.create(
        finding=score.findings.get(area="certification"), raised_by=representative, explanation="We do certify."
    )
    html = client.get(reverse("companies:detail", args=[company.slug])).content.decode()
    assert "Overridden by a reviewer" in html
    assert "The audits are only a reserved right." in html
    assert "Supplier audits: Hedged" in html
    assert "Contested" in html


def test_it_says_no_disclosure_found_when_there_is_none(client: object, company: object) -> None:
    html = client.get(reverse("companies:detail", args=[company.slug])).content.decode()
    assert "No disclosure found" in html
    assert 'class="grade grade-none"' in html
    assert "finding-audits" not in html


def test_it_ignores_disclosures_that_are_not_published(client: object, company: object) -> None:
    scored_disclosure(company, statuses={"audits": "does"}, disclosure_status=Disclosure.Status.FAILED)
    html = client.get(reverse("companies:detail", args=[company.slug])).content.decode()
    assert "No disclosure found" in html


def test_it_marks_an_automatic_result_waiting_for_review(client: object, company: object) -> None:
    scored_disclosure(company, statuses={"audits": "unclear"}, disclosure_status=Disclosure.Status.NEEDS_REVIEW)
    html = client.get(reverse("companies:detail", args=[company.slug])).content.decode()
    assert "wait for a reviewer" in html
    assert "Supplier audits: Unclear" in html


def test_it_phrases_coverage_as_an_inference_with_reasons(client: object) -> None:
    company = CompanyFactory(naics_code="315", coverage=Coverage.UNKNOWN, coverage_reason="")
    html = client.get(reverse("companies:detail", args=[company.slug])).content.decode()
    assert "Likely covered by the law" in html
    assert "This company is likely covered by the California Transparency in Supply Chains Act because" in html
    assert "its principal activity is retail or manufacturing (NAICS 315)" in html
    assert "not a legal finding" in html


def test_it_labels_a_likely_not_covered_company_with_a_disclosure_voluntary(client: object) -> None:
    company = CompanyFactory(revenue_band=RevenueBand.UNDER_100M, coverage=Coverage.LIKELY_NOT, coverage_reason="")
    scored_disclosure(company, statuses={"audits": "does"})
    html = client.get(reverse("companies:detail", args=[company.slug])).content.decode()
    assert "Likely not covered by the law" in html
    assert "Voluntary disclosure" in html
    assert "its worldwide revenue is reported as under $100 million" in html


def test_the_brand_page_shows_the_ownership_chain(client: object) -> None:
    grandparent = CompanyFactory(name="Global Holdings plc", slug="global-holdings")
    parent = CompanyFactory(name="Northwind Group", slug="northwind-group", parent=grandparent)
    company = CompanyFactory(name="Northwind Apparel Inc.", slug="northwind-apparel", parent=parent)
    brand = brand_create(company=company, name="Northwind Trail", aliases=["NW Trail"])
    html = client.get(reverse("companies:brand", args=[brand.slug])).content.decode()
    assert "<h1>Northwind Trail</h1>" in html
    assert "Also known as: NW Trail" in html
    positions = [html.index(name) for name in ("Northwind Trail", "Northwind Apparel Inc.", "Northwind Group")]
    assert positions == sorted(positions)
    assert f'href="{reverse("companies:detail", args=["global-holdings"])}"' in html


def test_a_subsidiary_brand_shows_its_parents_group_statement(client: object) -> None:
    parent = CompanyFactory(name="Northwind Group", slug="northwind-group")
    company = CompanyFactory(name="Northwind Kids LLC", slug="northwind-kids", parent=parent)
    scored_disclosure(parent, statuses={"audits": "does"}, grade="A", practice_score=88)
    brand = brand_create(company=company, name="Little Northwind")
    html = client.get(reverse("companies:brand", args=[brand.slug])).content.decode()
    assert 'class="grade grade-A"' in html
    assert "group statement of its parent company" in html
    assert "Supplier audits: Does it" in html


def test_a_companys_own_disclosure_wins_over_its_parents(client: object) -> None:
    parent = CompanyFactory()
    company = CompanyFactory(parent=parent)
    scored_disclosure(parent, grade="A")
    scored_disclosure(company, grade="D")
    html = client.get(reverse("companies:detail", args=[company.slug])).content.decode()
    assert 'class="grade grade-D"' in html
    assert "group statement" not in html


def test_an_ownership_loop_in_the_data_does_not_hang_the_page(client: object) -> None:
    first = CompanyFactory()
    second = CompanyFactory(parent=first)
    first.parent = second
    first.save()
    response = client.get(reverse("companies:detail", args=[first.slug]))
    assert response.status_code == 200


def test_unknown_brands_and_companies_are_404(client: object) -> None:
    assert client.get(reverse("companies:brand", args=["no-such-brand"])).status_code == 404
    assert client.get(reverse("companies:detail", args=["no-such-company"])).status_code == 404


def test_the_company_page_query_count_is_pinned(
    client: object, scored_company: object, django_assert_num_queries: object
) -> None:
    parent = CompanyFactory(name="Northwind Group")
    scored_company.parent = parent
    scored_company.save()
    for name in ("Alpha", "Beta", "Gamma"):
        brand_create(company=scored_company, name=name)
    url = reverse("companies:detail", args=[scored_company.slug])
    # company+parent, brands, subsidiaries, scores, findings, open contests
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


def test_the_brand_page_query_count_is_pinned(
    client: object, scored_company: object, django_assert_num_queries: object
) -> None:
    brand = brand_create(company=scored_company, name="Northwind Trail", aliases=["NW Trail", "Trail"])
    for name in ("Alpha", "Beta"):
        brand_create(company=scored_company, name=name)
    url = reverse("companies:brand", args=[brand.slug])
    # brand+company+parent, aliases, brands, subsidiaries, scores, findings, open contests
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


# --- the API twin ---------------------------------------------------------------------------------------


def test_the_api_returns_the_profile_with_findings_and_evidence(client: object, scored_company: object) -> None:
    brand_create(company=scored_company, name="Northwind Trail")
    response = client.get(reverse("api-company-detail", args=[scored_company.slug]))
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Northwind Apparel Inc."
    assert data["brands"] == [{"name": "Northwind Trail", "slug": "northwind-trail"}]
    assert data["score"]["grade"] == "B"
    assert data["score"]["areas"]["training"] == "does_not"
    assert "does not say whether audits are unannounced" in data["score"]["flag_texts"]
    audits = next(f for f in data["findings"] if f["area"] == "audits")
    assert audits["status"] == "does_hedged"
    assert audits["evidence"] == [{"quote": "We do audits things.", "page": 2, "start": 5, "end": 25}]
    assert audits["overridden"] is False
    assert audits["contested"] is False
    assert data["coverage"]["verdict"] == "likely_covered"
    assert data["disclosure"]["source_url"] == "https://northwind.example/ca-supply-chains"


def test_the_api_returns_null_score_when_no_disclosure_was_found(client: object, company: object) -> None:
    data = client.get(reverse("api-company-detail", args=[company.slug])).json()
    assert data["score"] is None
    assert data["disclosure"] is None
    assert data["findings"] == []


def test_the_api_names_the_parent_and_the_inherited_statement(client: object) -> None:
    parent = CompanyFactory(name="Northwind Group", slug="northwind-group")
    company = CompanyFactory(parent=parent)
    scored_disclosure(parent, grade="A")
    data = client.get(reverse("api-company-detail", args=[company.slug])).json()
    assert data["parent"] == {"name": "Northwind Group", "slug": "northwind-group"}
    assert data["score"]["inherited_from"] == {"name": "Northwind Group", "slug": "northwind-group"}


def test_the_api_404s_with_a_detail_for_an_unknown_company(client: object) -> None:
    response = client.get(reverse("api-company-detail", args=["nobody"]))
    assert response.status_code == 404
    assert response.json() == {"detail": "No company with that address."}


# --- the reusable display tags --------------------------------------------------------------------------


def test_the_chips_tag_takes_a_plain_mapping_and_can_skip_links() -> None:
    html = Template("{% load display %}{% area_chips statuses link=False %}").render(
        Context({"statuses": {"audits": "does", "training": "does_not"}})
    )
    assert html.count('class="chip chip-') == 5
    assert "Supplier audits: Does it" in html
    assert "Supply-chain verification: Says nothing" in html
    assert "href=" not in html


def test_the_chips_tag_takes_a_scores_findings(scored_company: object) -> None:
    score = DisclosureScore.objects.get(disclosure__company=scored_company)
    html = Template('{% load display %}{% area_chips score href_base="/x/" %}').render(Context({"score": score}))
    assert 'href="/x/#finding-training"' in html
    assert "Staff training: Says it does not" in html


@pytest.mark.parametrize(
    ("value", "expected"), [("B", "grade grade-B"), ("Z", "grade grade-none"), (None, "grade-none")]
)
def test_the_grade_tag_only_shows_real_grades(value: object, expected: str) -> None:
    html = Template("{% load display %}{% grade_badge value %}").render(Context({"value": value}))
    assert expected in html

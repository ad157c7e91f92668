"""The embeddable badge: right for each tier, cacheable, embeddable on other sites, and its embed snippet."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.http import http_date

from disclosures.core.badge import GRADE_COLOURS, NO_GRADE_COLOUR
from disclosures.models import Company
from tests import factories
from tests.integration.data_seed import aware, scored_disclosure

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
TIER_CASES = [
    ("complete", "A", 95, "Complete"),
    ("substantial", "B", 80, "Substantial"),
    ("partial", "C", 55, "Partial"),
    ("minimal", "F", 20, "Minimal"),
]


def get_badge(client: Client, slug: str, **headers: str) -> Any:
    return client.get(reverse("data:badge", args=[slug]), headers=headers)


def parse(response: Any) -> ET.Element:
    return ET.fromstring(response.content)


def texts(svg: ET.Element) -> list[str]:
    return [text.text or "" for text in svg.iter(f"{SVG}text")]


@pytest.mark.parametrize(("tier", "grade", "compliance", "tier_label"), TIER_CASES)
def test_the_badge_shows_grade_tier_and_date_for_each_tier(
    client: Client, company: Company, tier: str, grade: str, compliance: int, tier_label: str
) -> None:
    scored_disclosure(company, created=aware(2025, 3, 14), tier=tier, grade=grade, compliance=compliance, practice=40)

    response = get_badge(client, company.slug)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = parse(response)
    assert svg.get("role") == "img"
    assert grade in texts(svg)
    assert f"{tier_label} · 2025-03-14" in texts(svg)
    title = svg.find(f"{SVG}title").text
    assert f"{company.name}: grade {grade}, {tier_label.lower()} compliance tier, disclosure of 2025-03-14" in title
    assert svg.get("aria-labelledby") == svg.find(f"{SVG}title").get("id")
    assert GRADE_COLOURS[grade] in {rect.get("fill") for rect in svg.iter(f"{SVG}rect")}


def test_a_company_without_a_disclosure_gets_a_no_disclosure_badge(client: Client, company: Company) -> None:
    factories.DisclosureFactory(company=company, status="failed")

    svg = parse(get_badge(client, company.slug))

    assert "No disclosure found" in texts(svg)
    assert "no disclosure found" in svg.find(f"{SVG}title").text
    assert NO_GRADE_COLOUR in {rect.get("fill") for rect in svg.iter(f"{SVG}rect")}
    assert not set(GRADE_COLOURS.values()) & {rect.get("fill") for rect in svg.iter(f"{SVG}rect")}


def test_an_unknown_company_is_404(client: Client, db: None) -> None:
    assert get_badge(client, "no-such-company").status_code == 404


def test_the_badge_may_be_embedded_on_any_site(client: Client, company: Company) -> None:
    response = get_badge(client, company.slug)

    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    assert "'none'" not in policy.split("frame-ancestors")[1].split(";")[0]
    # Every other page keeps refusing to be framed.
    assert client.get(reverse("data:open_data"))["X-Frame-Options"] == "DENY"


def test_the_badge_carries_validators_and_answers_304_when_unchanged(client: Client, company: Company) -> None:
    scored_disclosure(company, created=aware(2025, 3, 14), tier="partial", grade="C", compliance=55, practice=30)
    first = get_badge(client, company.slug)
    assert first["ETag"]
    assert first["Last-Modified"]
    assert "public" in first["Cache-Control"]

    by_etag = get_badge(client, company.slug, if_none_match=first["ETag"])
    by_date = get_badge(client, company.slug, if_modified_since=first["Last-Modified"])

    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_date.status_code == 304
    assert "X-Frame-Options" not in by_etag


def test_a_new_score_changes_the_etag_and_the_badge(client: Client, company: Company) -> None:
    scored_disclosure(company, created=aware(2024, 3, 14), tier="partial", grade="C", compliance=55, practice=30)
    old = get_badge(client, company.slug)
    scored_disclosure(company, created=aware(2025, 3, 14), tier="complete", grade="A", compliance=95, practice=80)

    new = get_badge(client, company.slug, if_none_match=old["ETag"])

    assert new.status_code == 200
    assert new["ETag"] != old["ETag"]
    assert "A" in texts(parse(new))


def test_last_modified_is_the_latest_change_behind_the_badge(client: Client, company: Company) -> None:
    score = scored_disclosure(
        company, created=aware(2025, 3, 14), tier="partial", grade="C", compliance=55, practice=30
    )
    later = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    type(score).objects.filter(pk=score.pk).update(scored_at=later)

    response = get_badge(client, company.slug)

    assert response["Last-Modified"] == http_date(later.timestamp())


def test_the_badge_escapes_the_company_name(client: Client, db: None) -> None:
    evil = factories.CompanyFactory(name='<script>alert("x")</script> & Co', slug="evil-co")

    response = get_badge(client, evil.slug)

    svg = parse(response)  # still well-formed
    assert "<script>" not in response.content.decode()
    assert svg.find(f"{SVG}title").text.startswith('<script>alert("x")</script> & Co')


def test_the_embed_snippet_is_a_readonly_textarea_with_a_link_and_the_badge(company: Company) -> None:
    company.name = 'Quote "Co" & Sons'
    request = RequestFactory().get("/companies/northwind-apparel/")

    html = render_to_string("data/_badge_embed.html", {"company": company}, request=request)

    assert "<textarea" in html
    assert "readonly" in html
    assert '&lt;img src="http://testserver/badge/northwind-apparel.svg"' in html
    assert '&lt;a href="http://testserver/companies/northwind-apparel/"&gt;' in html
    # Escaped twice: the copied snippet itself reads alt="... Quote &quot;Co&quot; &amp; Sons ..."
    assert "Quote &amp;quot;Co&amp;quot; &amp;amp; Sons" in html
    assert 'src="/badge/northwind-apparel.svg"' in html
    assert "style=" not in html

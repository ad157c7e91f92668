"""``GET /api/v1/brands/search``: the DESIGN.md §5.3 shape, validation as 400 JSON, throttling, schema."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import include, path, reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.throttling import AnonRateThrottle

from disclosures.api import companies as companies_api
from disclosures.api import schema as _schema_extensions  # noqa: F401 - the token authenticator's extension
from disclosures.api import search as search_api
from disclosures.models import Company
from disclosures.selectors.search import search_index
from disclosures.services.brands import brand_create
from tests.factories import CompanyFactory
from tests.integration.test_company_pages import scored_disclosure

pytestmark = pytest.mark.django_db

URL = "/api/v1/brands/search"


@pytest.fixture(autouse=True)
def _fresh_index(settings: object) -> Iterator[None]:
    settings.SEARCH_INDEX_CHECK_SECONDS = 0
    search_index().reset()
    yield
    search_index().reset()


@pytest.fixture
def nike(company: Company) -> object:
    owner = CompanyFactory(name="Nike, Inc.", slug="nike-inc")
    scored_disclosure(owner, statuses={"audits": "does", "training": "does_not"}, grade="B", compliance_score=80)
    return brand_create(company=owner, name="Nike", aliases=["Nike Sportswear"])


def test_the_url_is_the_documented_one() -> None:
    assert reverse("api-brand-search") == URL


def test_it_returns_exactly_the_documented_shape(client: object, nike: object) -> None:
    response = client.get(URL, {"q": "nkie"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 1
    result = results[0]
    assert {"brand", "company", "grade", "compliance_score", "practice_score", "match"} <= set(result)
    assert result["brand"] == {"name": "Nike", "slug": "nike"}
    assert result["company"] == {"name": "Nike, Inc.", "slug": "nike-inc"}
    assert result["grade"] == "B"
    assert result["compliance_score"] == 80
    assert result["practice_score"] == 55
    assert set(result["match"]) == {"score", "kind", "matched"}
    assert result["match"]["kind"] == "fuzzy"
    assert 0 < result["match"]["score"] < 100
    assert result["areas"] == {
        "verification": "silent",
        "audits": "does",
        "certification": "silent",
        "accountability": "silent",
        "training": "does_not",
    }
    assert result["url"] == reverse("companies:brand", args=["nike"])


def test_an_exact_match_scores_100(client: object, nike: object) -> None:
    match = client.get(URL, {"q": "Nike"}).json()["results"][0]["match"]
    assert match == {"score": 100.0, "kind": "exact", "matched": "Nike"}


def test_a_brand_without_a_disclosure_has_null_scores(client: object) -> None:
    brand_create(company=CompanyFactory(), name="Quiet Brand")
    result = client.get(URL, {"q": "quiet brand"}).json()["results"][0]
    assert result["grade"] is None
    assert result["compliance_score"] is None
    assert result["practice_score"] is None
    assert result["tier"] == "none"


def test_nonsense_returns_an_empty_list_not_noise(client: object, nike: object) -> None:
    response = client.get(URL, {"q": "zzqxjv"})
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_limit_caps_the_results(client: object) -> None:
    owner = CompanyFactory()
    for n in range(5):
        brand_create(company=owner, name=f"Sunrise {n}")
    assert len(client.get(URL, {"q": "sunrise", "limit": 3}).json()["results"]) == 3


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 201},
        {"q": "nike\x00"},
        {"q": "\x07\x08"},
        {"q": "bad\ufffdbytes"},
        {"q": "nike", "limit": 0},
        {"q": "nike", "limit": 51},
        {"q": "nike", "limit": "ten"},
    ],
)
def test_bad_input_gets_a_400_with_a_detail(client: object, params: dict) -> None:
    response = client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert isinstance(body["detail"], str)
    assert body["detail"]


def test_a_query_of_exactly_200_characters_is_accepted(client: object) -> None:
    assert client.get(URL, {"q": "n" * 200}).status_code == 200


def test_anonymous_clients_are_throttled(client: object, nike: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    assert client.get(URL, {"q": "nike"}).status_code == 200
    assert client.get(URL, {"q": "nike"}).status_code == 200
    response = client.get(URL, {"q": "nike"})
    assert response.status_code == 429
    assert "detail" in response.json()


def test_our_endpoints_generate_an_openapi_schema_without_warnings() -> None:
    patterns = [path("api/v1/", include([*search_api.urlpatterns, *companies_api.urlpatterns]))]
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    assert list(GENERATOR_STATS._warn_cache) == []
    assert list(GENERATOR_STATS._error_cache) == []
    assert "/api/v1/brands/search" in schema["paths"]
    assert "/api/v1/companies/{slug}/" in schema["paths"]
    components = schema["components"]["schemas"]
    assert {"BrandSearchResult", "BrandSearchMatch", "CompanyProfile", "ApiError"} <= set(components)

"""The home page search: results without JavaScript, typos, aliases, chips, "did you mean", empty states."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse

from disclosures.models.companies import Company
from disclosures.selectors.search import (
    brand_entry_id,
    brand_search,
    company_entry_id,
    search_index,
    search_index_entries,
)
from disclosures.services.brands import brand_create, brand_delete, brand_update
from tests.factories import CompanyFactory
from tests.integration.test_company_pages import scored_disclosure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index(settings: object) -> Iterator[None]:
    """Each test starts from its own database, so the process's index must start over too."""
    settings.SEARCH_INDEX_CHECK_SECONDS = 0
    search_index().reset()
    yield
    search_index().reset()


@pytest.fixture
def catalog(company: Company, other_company: Company) -> dict[str, object]:
    scored_disclosure(company, statuses={"verification": "does", "audits": "does_hedged"}, grade="C")
    return {
        "nike": brand_create(company=CompanyFactory(name="Nike, Inc.", slug="nike-inc"), name="Nike"),
        "levis": brand_create(
            company=CompanyFactory(name="Levi Strauss & Co.", slug="levi-strauss"), name="Levi's", aliases=["Dockers"]
        ),
        "trail": brand_create(company=company, name="Northwind Trail", aliases=["NW Trail"]),
        "toys": brand_create(company=other_company, name="Southpaw Blocks"),
    }


def _home(client: object, query: str) -> str:
    return client.get(reverse("search:home"), {"q": query}).content.decode()


def test_the_home_page_without_a_query_is_a_plain_search_form(client: object) -> None:
    response = client.get(reverse("search:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<form method="get" action="/"' in html
    assert 'name="q"' in html
    assert "results-heading" not in html
    assert "js/search.js" in html
    assert f'data-api="{reverse("api-brand-search")}"' in html


@pytest.mark.parametrize(("query", "expected"), [("nkie", "Nike"), ("levis", "Levi&#x27;s"), ("NIKE", "Nike")])
def test_it_finds_brands_typed_badly(client: object, catalog: dict, query: str, expected: str) -> None:
    html = _home(client, query)
    assert "results-heading" in html
    assert f">{expected}</a>" in html


def test_it_finds_a_brand_by_its_alias_and_says_so(client: object, catalog: dict) -> None:
    html = _home(client, "dockers")
    assert "Levi&#x27;s</a>" in html
    assert "Also known as “Dockers”" in html


def test_results_show_the_owner_grade_and_five_labelled_chips(client: object, catalog: dict) -> None:
    html = _home(client, "northwind trail")
    assert "Owned by Northwind Apparel Inc." in html
    assert 'class="grade grade-C"' in html
    brand_url = reverse("companies:brand", args=[catalog["trail"].slug])
    assert f'href="{brand_url}#finding-audits"' in html
    assert "Supplier audits: Hedged" in html
    assert "Supply-chain verification: Does it" in html
    assert html.count('class="chip chip-') == 5


def test_results_say_no_disclosure_found_for_a_company_without_one(client: object, catalog: dict) -> None:
    html = _home(client, "southpaw blocks")
    assert "Southpaw Blocks</a>" in html
    assert "No disclosure found" in html


def test_it_finds_a_company_with_no_brands_by_its_name(client: object) -> None:
    CompanyFactory(name="Acme Widgets Corp.", slug="acme-widgets")
    search_index().reset()  # the factory wrote without a service, so nothing bumped the version
    html = _home(client, "acme widgets")
    assert f'href="{reverse("companies:detail", args=["acme-widgets"])}"' in html
    assert "Company</span>" in html


def test_a_company_is_not_listed_again_when_one_of_its_brands_is(catalog: dict) -> None:
    brand_create(company=Company.objects.get(slug="nike-inc"), name="Nike SB")
    outcome = brand_search(query="nike", limit=10)
    companies = [row.company.slug for row in outcome.rows]
    assert companies.count("nike-inc") == 2  # two brands
    assert all(row.brand is not None for row in outcome.rows)


def test_a_subsidiary_brand_shows_the_parent_groups_grade(client: object) -> None:
    parent = CompanyFactory(name="Big Group", slug="big-group")
    scored_disclosure(parent, grade="A", statuses={"audits": "does"})
    brand_create(company=CompanyFactory(parent=parent), name="Tiny Socks")
    html = _home(client, "tiny socks")
    assert 'class="grade grade-A"' in html
    assert "from the statement of its parent company, Big Group" in html


def test_it_offers_did_you_mean_for_a_weak_match(client: object, catalog: dict) -> None:
    html = _home(client, "southpow blocks")
    assert "Did you mean" in html
    assert ">Southpaw Blocks</a>?" in html


def test_it_does_not_offer_did_you_mean_for_an_exact_match(client: object, catalog: dict) -> None:
    assert "Did you mean" not in _home(client, "nike")


def test_the_empty_state_says_what_was_searched(client: object, catalog: dict) -> None:
    html = _home(client, "qqqzzzxxx")
    assert "We found no brand or company matching “qqqzzzxxx”." in html
    assert "0 results for" in html


def test_the_searched_text_is_escaped(client: object, catalog: dict) -> None:
    html = _home(client, "<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("query", ["x" * 201, "nike\x00", "\x01\x02\x03", "bad\ufffdbytes"])
def test_it_rejects_too_long_or_binary_queries_with_a_message(client: object, query: str) -> None:
    response = client.get(reverse("search:home"), {"q": query})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in html
    assert "results-heading" not in html


def test_a_new_brand_is_found_at_once_and_a_deleted_one_disappears(catalog: dict) -> None:
    assert [row.name for row in brand_search(query="patagonia").rows] == []
    brand = brand_create(company=Company.objects.get(slug="nike-inc"), name="Patagonia")
    assert [row.name for row in brand_search(query="patagnoia").rows] == ["Patagonia"]
    brand_update(brand=brand, name="Patagonia Worn Wear")
    assert [row.name for row in brand_search(query="patagonia worn").rows] == ["Patagonia Worn Wear"]
    brand_delete(brand=brand)
    assert [row.name for row in brand_search(query="patagonia worn").rows] == []


def test_the_results_page_query_count_is_pinned(
    client: object, catalog: dict, django_assert_num_queries: object
) -> None:
    search_index().get()  # built once per process, not per request
    # index version, brands (with company and parent), companies, latest scores, their findings
    with django_assert_num_queries(5):
        html = _home(client, "northwind")
    assert "Northwind Trail</a>" in html


def test_the_results_page_needs_no_more_queries_for_more_results(
    client: object, django_assert_num_queries: object
) -> None:
    for n in range(8):
        parent = CompanyFactory(name=f"Holding {n}")
        scored_disclosure(parent, grade="B", statuses={"audits": "does"})
        brand_create(company=CompanyFactory(name=f"Maker {n}", parent=parent), name=f"Sunrise {n}")
    search_index().get()
    # index version, brands (with company and parent), latest scores of companies and parents, findings
    with django_assert_num_queries(4):
        html = _home(client, "sunrise")
    assert html.count('class="result"') == 8
    assert html.count('class="grade grade-B"') == 8


def test_the_index_gets_every_brand_with_its_own_aliases_and_every_company() -> None:
    owner = CompanyFactory(name="Owner Co", aliases=["OwnerCo Group"])
    first = brand_create(company=owner, name="First", aliases=["Uno", "Primero"])
    second = brand_create(company=owner, name="Second")
    third = brand_create(company=owner, name="Third", aliases=["Tres"])
    entries = {entry_id: (name, sorted(aliases)) for entry_id, name, aliases in search_index_entries()}
    assert entries[brand_entry_id(first.pk)] == ("First", ["Primero", "Uno"])
    assert entries[brand_entry_id(second.pk)] == ("Second", [])
    assert entries[brand_entry_id(third.pk)] == ("Third", ["Tres"])
    assert entries[company_entry_id(owner.pk)] == ("Owner Co", ["OwnerCo Group"])

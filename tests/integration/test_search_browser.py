"""The home page search in a real browser (Chromium): as-you-type combobox, keyboard, no-JS, 360 px, axe."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from disclosures.selectors.search import search_index
from disclosures.services.brands import brand_create
from tests.conftest import CHROMIUM_PATH
from tests.factories import CompanyFactory
from tests.integration.test_company_pages import scored_disclosure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def catalog(settings: object) -> Iterator[None]:
    settings.SEARCH_INDEX_CHECK_SECONDS = 0
    search_index().reset()
    owner = CompanyFactory(name="Nike, Inc.", slug="nike-inc")
    scored_disclosure(owner, statuses={"audits": "does", "training": "does_not"}, grade="B")
    brand_create(company=owner, name="Nike")
    brand_create(company=owner, name="Nike SB")
    brand_create(company=CompanyFactory(name="Levi Strauss & Co.", slug="levi-strauss"), name="Levi's")
    yield
    search_index().reset()


def _phone(browser: object, *, javascript: bool = True) -> object:
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=javascript)
    return context.new_page()


def _axe_violations(page: object) -> list[str]:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    results = axe.Axe().run(page)
    return [violation["id"] for violation in results.response["violations"]]


def test_typing_shows_suggestions_that_the_keyboard_can_open(
    browser: object, live_server: object, catalog: None
) -> None:
    page = _phone(browser)
    page.goto(live_server.url + "/")
    search = page.locator("#q")
    assert search.get_attribute("role") == "combobox"
    search.press_sequentially("nkie")
    page.wait_for_selector("#q-suggestions [role=option]")
    assert search.get_attribute("aria-expanded") == "true"
    assert page.locator("#q-option-0 .suggestion-name").inner_text() == "Nike"
    assert "suggestion" in page.locator("#q-status").inner_text()
    search.press("ArrowDown")
    assert search.get_attribute("aria-activedescendant") == "q-option-0"
    assert page.locator("#q-option-0").get_attribute("aria-selected") == "true"
    search.press("Enter")
    page.wait_for_url("**/brands/nike/")
    assert page.locator("h1").inner_text() == "Nike"


def test_escape_closes_the_suggestions(browser: object, live_server: object, catalog: None) -> None:
    page = _phone(browser)
    page.goto(live_server.url + "/")
    page.locator("#q").press_sequentially("levis")
    page.wait_for_selector("#q-suggestions [role=option]")
    page.locator("#q").press("Escape")
    assert page.locator("#q-suggestions").is_hidden()
    assert page.locator("#q").get_attribute("aria-expanded") == "false"


def test_enter_without_a_chosen_suggestion_submits_the_plain_form(
    browser: object, live_server: object, catalog: None
) -> None:
    page = _phone(browser)
    page.goto(live_server.url + "/")
    page.locator("#q").fill("nike")
    page.locator("#q").press("Enter")
    page.wait_for_url("**/?q=nike")
    assert page.locator(".result").count() == 2


def test_search_works_without_javascript(browser: object, live_server: object, catalog: None) -> None:
    page = _phone(browser, javascript=False)
    page.goto(live_server.url + "/")
    assert page.locator("#q").get_attribute("role") is None  # a plain search box
    page.locator("#q").fill("levis")
    page.locator("button[type=submit]", has_text="Search").click()
    page.wait_for_url("**/?q=levis")
    assert "Levi's" in page.locator(".results").inner_text()


@pytest.mark.parametrize("path", ["/?q=nike", "/?q=zzzzqqq", "/brands/nike/", "/companies/nike-inc/"])
def test_pages_fit_a_phone_and_pass_axe(browser: object, live_server: object, catalog: None, path: str) -> None:
    page = _phone(browser)
    page.goto(live_server.url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert _axe_violations(page) == []

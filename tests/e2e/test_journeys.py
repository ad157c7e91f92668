"""The four journeys of DESIGN.md §1 in a real Chromium, each on a desktop and a 360 by 740 phone.

Every page a journey visits passes axe-core (WCAG 2.1 A/AA) with zero violations and leaves no console error
or CSP violation; each step is saved as ``<journey>-<viewport>-<step>.png`` under ``SCREENSHOT_DIR``.
The cast is the demo site (``demo_seed``), created through the services as the quickstart does.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pypdfium2
import pytest
from django.utils import timezone
from fpdf import FPDF
from playwright.sync_api import expect

from tests.e2e.conftest import (
    PHONE,
    Viewport,
    assert_clean_console,
    axe_check,
    demo_password,
    focus_is_visible,
    sign_in,
    tab_until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Snap = Callable[[str, str], Path]
GRADE = re.compile(r"^[ABCDF]$")

# A disclosure a representative might really upload: one clear statement per area, over three pages.
UPLOAD_PAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Northwind Apparel Inc. - Supply Chain Disclosure 2026",
        (
            "This disclosure is made under the California Transparency in Supply Chains Act.",
            "We engage an independent third party to conduct verification of our product supply chains to "
            "evaluate and address risks of human trafficking and slavery.",
        ),
    ),
    (
        "Audits and certification",
        (
            "All tier 1 factories receive unannounced audits by independent auditors at least once a year.",
            "We require direct suppliers to certify that materials incorporated into our products comply with the "
            "laws regarding slavery and human trafficking of the countries in which they do business.",
        ),
    ),
    (
        "Accountability and training",
        (
            "Employees and contractors who fail to meet our standards regarding slavery and trafficking face "
            "disciplinary action, up to and including termination.",
            "All sourcing employees and managers with direct responsibility for supply chain management receive "
            "annual training on human trafficking and slavery.",
        ),
    ),
)


def disclosure_pdf(path: Path) -> Path:
    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=20)
    for title, paragraphs in UPLOAD_PAGES:
        pdf.add_page()
        pdf.set_font("Helvetica", style="B", size=14)
        pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
    pdf.output(str(path))
    return path


@pytest.fixture
def demo_site(db: None) -> dict[str, Any]:
    """The quickstart's demo cast; dated by the server's own today, because the live server reads the clock."""
    from disclosures.services.demo import demo_seed

    return demo_seed(today=timezone.localdate())


@pytest.fixture
def held_queue(_celery_mode: Any) -> Any:
    """Submitted work waits on the (in-memory) broker until the test plays the worker, so progress is visible.

    tests/conftest.py's ``_celery_mode`` puts the eager setting back after the test.
    """
    _celery_mode.conf.task_always_eager = False
    return _celery_mode


def visit(page: Any, snap: Snap, journey: str, step: str) -> None:
    """Every page in a journey: accessible, and a screenshot of it."""
    axe_check(page)
    snap(journey, step)


# --- 1. the shopper -----------------------------------------------------------------------------------------


def _company_page_shows_the_evidence(page: Any) -> None:
    scorecard = page.locator(".scorecard")
    expect(scorecard.locator(".grade").first).to_have_text(re.compile(r"[ABCDF]"))
    chips = scorecard.locator(".chips li")
    expect(chips).to_have_count(5)
    for text in chips.all_inner_texts():
        assert re.fullmatch(r"[\w -]+: [\w ,.-]+( \(reviewed\))?", text), f"chip without a text label: {text!r}"
    quotes = page.locator(".findings blockquote.evidence")
    assert quotes.count() >= 5
    expect(quotes.first).to_contain_text("“")
    audits = page.locator("#finding-audits blockquote.evidence", has_text="unannounced audits of all tier 1")
    expect(audits.first).to_be_visible()


def _from_brand_to_company(page: Any, snap: Snap, journey: str) -> None:
    expect(page.locator("h1")).to_have_text("Northwind")
    visit(page, snap, journey, "brand")
    page.locator(".lede").get_by_role("link", name="Northwind Apparel Inc.").click()
    page.wait_for_url("**/companies/northwind-apparel/")
    _company_page_shows_the_evidence(page)
    visit(page, snap, journey, "company")
    assert_clean_console(page)


def test_a_shopper_picks_a_misspelt_brand_from_the_suggestions_by_keyboard(
    page: Any, snap: Snap, demo_site: dict[str, Any]
) -> None:
    page.goto("/")
    visit(page, snap, "shopper-suggestions", "home")
    search = page.locator("#q")
    search.press_sequentially("nrthwind")
    expect(page.locator("#q-option-0 .suggestion-name")).to_have_text("Northwind")
    expect(search).to_have_attribute("aria-expanded", "true")
    visit(page, snap, "shopper-suggestions", "suggestions")
    search.press("ArrowDown")
    expect(search).to_have_attribute("aria-activedescendant", "q-option-0")
    search.press("Enter")
    page.wait_for_url("**/brands/northwind/")
    _from_brand_to_company(page, snap, "shopper-suggestions")


def test_a_shopper_finds_a_misspelt_brand_through_the_plain_search_form(
    page: Any, snap: Snap, demo_site: dict[str, Any]
) -> None:
    page.goto("/")
    page.locator("#q").fill("nrthwind")
    page.locator("#brand-search button[type=submit]").click()
    page.wait_for_url("**/?q=nrthwind")
    first = page.locator(".results .result").first
    expect(first.locator(".result-title a")).to_have_text("Northwind")
    expect(first.locator(".grade")).to_have_text(re.compile(r"[ABCDF]"))
    visit(page, snap, "shopper-form", "results")
    first.locator(".result-title a").click()
    page.wait_for_url("**/brands/northwind/")
    _from_brand_to_company(page, snap, "shopper-form")


# --- 2. the company representative --------------------------------------------------------------------------


def drop_file(page: Any, selector: str, path: Path) -> None:
    """Drags a real file onto ``selector``: the same dragenter/dragover/drop events a person's drag fires."""
    page.evaluate(
        """([selector, name, data]) => {
            const bytes = Uint8Array.from(atob(data), (char) => char.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type: "application/pdf" }));
            const zone = document.querySelector(selector);
            for (const type of ["dragenter", "dragover", "drop"]) {
                zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
            }
        }""",
        [selector, path.name, base64.b64encode(path.read_bytes()).decode()],
    )


def test_a_representative_uploads_a_pdf_watches_it_being_read_and_sees_the_highlighted_evidence(
    page: Any, snap: Snap, viewport: Viewport, demo_site: dict[str, Any], held_queue: Any, tmp_path: Path
) -> None:
    from disclosures.tasks import disclosure_process_task

    sign_in(page, "northwind", demo_password("northwind"))
    expect(page.locator("h1")).to_be_visible()
    visit(page, snap, "representative", "portal")
    page.get_by_role("link", name="Submit a disclosure").first.click()
    page.wait_for_url("**/companies/northwind-apparel/disclosures/new/")
    pdf = disclosure_pdf(tmp_path / "disclosure-2026.pdf")
    if viewport.is_mobile:  # a phone picks the file; a desktop drags it onto the drop zone
        page.locator("[data-drop-zone] input[type=file]").set_input_files(pdf)
    else:
        drop_file(page, "[data-drop-zone]", pdf)
    expect(page.locator("[data-drop-status]")).to_have_text("disclosure-2026.pdf")  # submit.js announced it
    assert page.evaluate("document.querySelector('[data-drop-zone] input[type=file]').files.length") == 1
    visit(page, snap, "representative", "submit")
    page.get_by_role("button", name="Submit the disclosure").click()
    page.wait_for_url(re.compile(r"/disclosures/\d+/$"))

    # Nobody has picked the job up yet: the status page says so in its live region.
    live = page.locator("#status-message")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(live).to_contain_text("Waiting for a worker")
    visit(page, snap, "representative", "progress")

    disclosure_id = int(re.search(r"/disclosures/(\d+)/$", page.url).group(1))
    disclosure_process_task.apply(args=[disclosure_id])  # the test plays the worker

    expect(page.locator("#result-heading")).to_be_visible()  # status.js noticed and reloaded into the result
    expect(page.locator(".result-summary .grade")).to_have_text(GRADE)
    expect(page.locator(".result-summary .chips li")).to_have_count(5)
    marks = page.locator(".disclosure-text mark.evidence")
    assert marks.count() >= 5
    expect(page.locator("#page-3")).to_be_visible()  # all three pages were read
    expect(page.locator("mark.evidence-audits").first).to_contain_text("unannounced audits by independent auditors")
    visit(page, snap, "representative", "result")
    assert_clean_console(page)


# --- 3. the procurement officer -----------------------------------------------------------------------------


def _active_certification_number() -> str:
    from disclosures.models import Certification

    active = Certification.objects.filter(contractor__slug="demo-golden-poppy-uniforms", status="active")
    return active.order_by("number").values_list("number", flat=True).first()


def _proof_prints_on_one_page_without_navigation(page: Any) -> None:
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".registry-qr img")).to_be_visible()
    document = pypdfium2.PdfDocument(page.pdf(format="Letter", print_background=True))
    assert len(document) == 1
    text = document[0].get_textpage().get_text_range()
    assert "Search brands" not in text  # the site navigation is not printed
    page.emulate_media(media="screen")


def test_a_procurement_officer_checks_a_number_prints_the_proof_and_verifies_it(
    page: Any, snap: Snap, demo_site: dict[str, Any]
) -> None:
    number = _active_certification_number()
    sign_in(page, "officer", demo_password("officer"))
    page.goto("/registry/")
    visit(page, snap, "officer", "lookup")
    page.get_by_label("Registry number, Secretary of State number, supplier id or name").fill(number)
    page.locator(".registry-lookup button[type=submit]").click()
    expect(page.locator("#registry-result-heading")).to_have_text("Golden Poppy Uniform Works (Demo)")
    row = page.locator("tr", has=page.get_by_role("link", name=number))
    expect(row.locator(".badge-status")).to_have_text("Active")
    visit(page, snap, "officer", "result")

    row.get_by_role("link", name=number).click()
    page.wait_for_url(f"**/registry/{number}/")
    expect(page.locator("#proof-heading")).to_have_text(number)
    visit(page, snap, "officer", "proof")
    _proof_prints_on_one_page_without_navigation(page)

    proof_text = page.locator("#proof-text").inner_text()
    page.goto("/registry/verify-proof/")
    visit(page, snap, "officer", "verify-proof")
    page.locator("textarea").fill(proof_text)
    page.locator("form.stacked-form button[type=submit]").click()
    verdict = page.locator("#proof-check-result")
    expect(verdict).to_contain_text("Valid.")
    expect(verdict).to_contain_text(number)
    visit(page, snap, "officer", "verified")
    assert_clean_console(page)


# --- 4. the reviewer ----------------------------------------------------------------------------------------

OVERRIDE_REASON = "The audit paragraph describes announced visits only; the hedge does not apply."


def test_a_reviewer_overrides_a_finding_and_the_public_page_says_so(
    page: Any, snap: Snap, demo_site: dict[str, Any]
) -> None:
    sign_in(page, "reviewer", demo_password("reviewer"))
    page.goto("/review/")
    visit(page, snap, "reviewer", "queue")
    page.get_by_role("link", name=re.compile(r"Disclosure #\d+ of Blue Lantern Seafood Co\.")).click()
    page.wait_for_url(re.compile(r"/review/disclosures/\d+/$"))
    visit(page, snap, "reviewer", "disclosure")

    form = page.locator("#override-form-audits")
    form.locator("select").select_option("does_not")
    form.locator("textarea").fill(OVERRIDE_REASON)
    form.get_by_role("button", name="Override").click()
    expect(page.locator(".messages")).to_contain_text("The finding is overridden")
    expect(page.locator("#review-finding-audits")).to_contain_text("Overridden")
    visit(page, snap, "reviewer", "overridden")

    page.goto("/companies/blue-lantern-seafood/")
    finding = page.locator("#finding-audits")
    expect(finding.locator(".chip")).to_have_text("Says it does not")
    expect(finding.locator(".marker-overridden")).to_contain_text("Overridden by a reviewer")
    expect(finding.locator(".marker-overridden")).to_contain_text(OVERRIDE_REASON)
    expect(page.locator(".scorecard .chips a[href$='#finding-audits']")).to_contain_text("(reviewed)")
    visit(page, snap, "reviewer", "public-company")
    assert_clean_console(page)


# --- keyboard only ------------------------------------------------------------------------------------------


def test_search_works_by_keyboard_alone_with_a_visible_focus(page: Any, demo_site: dict[str, Any]) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    assert focus_is_visible(page)
    visited = tab_until(page, "#q")
    assert focus_is_visible(page)
    assert "q" in visited
    page.keyboard.type("nrthwind")
    expect(page.locator("#q-option-0")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/brands/northwind/")
    tab_until(page, "a[href='/companies/northwind-apparel/']")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/companies/northwind-apparel/")


def test_the_sign_in_form_works_by_keyboard_alone_with_a_visible_focus(page: Any, demo_site: dict[str, Any]) -> None:
    page.goto("/accounts/login/")
    tab_until(page, "#id_username")
    assert focus_is_visible(page)
    page.keyboard.type("northwind")
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    assert focus_is_visible(page)
    page.keyboard.type(demo_password("northwind"))
    page.keyboard.press("Tab")
    expect(page.locator("#login-submit")).to_be_focused()
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


# --- charts have tables -------------------------------------------------------------------------------------

_TABLE_AFTER_EACH_CHART = """() => [...document.querySelectorAll("figure.chart")].map((figure) => {
    for (let next = figure.nextElementSibling; next && !next.matches("figure.chart"); next = next.nextElementSibling) {
        const table = next.matches("table") ? next : next.querySelector("table");
        if (table) { return table.caption ? table.caption.textContent.trim() : "(no caption)"; }
    }
    return null;
})"""


@pytest.mark.parametrize("viewport", [PHONE], indirect=True, ids=["phone"])
def test_every_chart_on_the_statistics_page_is_followed_by_a_table_of_its_numbers(
    page: Any, snap: Snap, demo_site: dict[str, Any]
) -> None:
    page.goto("/statistics/")
    captions = page.evaluate(_TABLE_AFTER_EACH_CHART)
    assert len(captions) >= 5
    assert None not in captions, f"a chart without a table: {captions}"
    assert "(no caption)" not in captions
    visit(page, snap, "statistics", "charts")


# --- Spanish ------------------------------------------------------------------------------------------------

SPANISH_PUBLIC_PAGES: tuple[tuple[str, str], ...] = (
    ("results", "/?q=nrthwind"),
    ("brand", "/brands/northwind/"),
    ("company", "/companies/northwind-apparel/"),
    ("company-reviewed", "/companies/blue-lantern-seafood/"),
    ("registry", "/registry/"),
    ("verify-proof", "/registry/verify-proof/"),
    ("about", "/about/"),
    ("help", "/help/"),
    ("statistics", "/statistics/"),
    ("open-data", "/data/"),
    ("sign-in", "/accounts/login/"),
)


def _in_spanish(page: Any, snap: Snap, step: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator(".site-nav")).to_contain_text("Buscar marcas")
    visit(page, snap, "spanish", step)


def _switch_to_spanish(page: Any, snap: Snap) -> None:
    page.goto("/")
    page.locator("#language-select").select_option("es")
    page.locator(".language-form button[type=submit]").click()
    _in_spanish(page, snap, "home")


def _spanish_signed_in_pages(page: Any, snap: Snap) -> None:
    sign_in(page, "northwind", demo_password("northwind"))
    _in_spanish(page, snap, "portal")
    page.goto("/companies/northwind-apparel/disclosures/new/")
    _in_spanish(page, snap, "submit")
    page.context.clear_cookies()  # signs the representative out; the language choice is a cookie of its own
    origin = urlsplit(page.url)._replace(path="/", query="", fragment="").geturl()
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": origin}])
    sign_in(page, "reviewer", demo_password("reviewer"))
    page.goto("/review/")
    _in_spanish(page, snap, "review-queue")
    page.locator("#queue a[href*='/review/disclosures/']").first.click()
    _in_spanish(page, snap, "review-disclosure")


@pytest.mark.parametrize("viewport", [PHONE], indirect=True, ids=["phone"])
def test_every_journey_page_reads_in_spanish_after_the_language_switch_and_passes_axe(
    page: Any, snap: Snap, demo_site: dict[str, Any]
) -> None:
    from disclosures.models import Disclosure

    _switch_to_spanish(page, snap)
    disclosure = Disclosure.objects.get(company__slug="northwind-apparel")
    number = _active_certification_number()
    pages = (*SPANISH_PUBLIC_PAGES, ("disclosure", f"/disclosures/{disclosure.pk}/"), ("proof", f"/registry/{number}/"))
    for step, path in pages:
        page.goto(path)
        _in_spanish(page, snap, step)
    page.goto(f"/registry/?q={number}")
    expect(page.locator(".badge-status").first).to_have_text("Vigente")
    _in_spanish(page, snap, "registry-result")
    _spanish_signed_in_pages(page, snap)
    assert_clean_console(page)


@pytest.mark.parametrize("viewport", [PHONE], indirect=True, ids=["phone"])
def test_a_browser_set_to_spanish_gets_spanish_pages_without_choosing(
    browser: Any, live_server: Any, viewport: Any, demo_site: dict[str, Any]
) -> None:
    context = browser.new_context(base_url=live_server.url, locale="es-MX", **viewport.context_options())
    page = context.new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text("¿Quién lo fabrica y qué dice sobre el trabajo forzoso?")
    context.close()

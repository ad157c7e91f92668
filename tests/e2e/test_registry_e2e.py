"""Registry in a real browser: the proof prints on one page, and the lookup is accessible at 360 px."""

from __future__ import annotations

from typing import Any

import pypdfium2
import pytest

from tests.e2e.conftest import DESKTOP, PHONE
from tests.integration.registry_support import make_certification, make_contract

# ``page``: a fresh context on the session's Debian Chromium (tests/e2e/conftest.py), closed after each test.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
desktop_only = pytest.mark.parametrize("viewport", [DESKTOP], indirect=True, ids=["desktop"])
phone_only = pytest.mark.parametrize("viewport", [PHONE], indirect=True, ids=["phone"])


@desktop_only
def test_the_proof_prints_on_one_page(page: Any, contractor: Any) -> None:
    contract = make_contract(contractor)
    certification = make_certification(contract)
    make_certification(contract, cert_type="sweatfree_code")
    page.goto(f"/registry/{certification.number}/")
    page.emulate_media(media="print")
    pdf = pypdfium2.PdfDocument(page.pdf(format="Letter"))
    assert len(pdf) == 1
    assert "REGISTRY PROOF" in pdf[0].get_textpage().get_text_range()


@phone_only
def test_the_lookup_has_no_accessibility_violations_at_360px(page: Any, contractor: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    certification = make_certification(make_contract(contractor))
    page.goto(f"/registry/?q={certification.number}")
    assert page.locator("h2", has_text="Golden Bear Uniforms LLC").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@phone_only
def test_the_proof_page_has_no_accessibility_violations_at_360px(page: Any, contractor: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    certification = make_certification(make_contract(contractor))
    page.goto(f"/registry/{certification.number}/")
    assert page.locator("[data-registry-print]").is_visible()  # shown by registry.js
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

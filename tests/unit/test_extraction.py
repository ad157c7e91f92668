"""Extraction from real bytes: fpdf2-written PDFs, the real sample PDFs, real HTML and text (no database)."""

from __future__ import annotations

import codecs
import gzip
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosures.core import extraction
from disclosures.core.extraction import detect_reporting_period, extract, sniff
from disclosures.core.types import ExtractionError
from tests.fixtures import pdfs

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
SAMPLE_PDFS = SAMPLES / "pdfs"
HINT = "upload a PDF, a web page or text"
SCANNED_REASON = (
    "This PDF has no selectable text: it looks like a scanned image. Upload a PDF with a text layer "
    "(for example one saved from Word or a web page), or paste the statement's text instead."
)


def _error(data: bytes, **kwargs: object) -> ExtractionError:
    with pytest.raises(ExtractionError) as caught:
        extract(data, **kwargs)  # type: ignore[arg-type]
    return caught.value


def _sample(name: str) -> bytes:
    path = SAMPLE_PDFS / name
    if not path.exists():
        pytest.skip(f"real sample PDFs not found at {SAMPLE_PDFS}")
    return path.read_bytes()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


# --- sniffing ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (pdfs.blank_pdf(), "pdf"),
        (b"\n\n%PDF-1.4 junk before the header is allowed", "pdf"),
        (b"<!DOCTYPE html><html><body><p>Hi</p></body></html>", "html"),
        (b"  <!-- saved page --><html lang=en><p>Hi", "html"),
        (b"<div><p>We audit suppliers.</p></div>", "html"),
        (b"We audit our suppliers every year.", "text"),
        (codecs.BOM_UTF16_LE + "We audit suppliers.".encode("utf-16-le"), "text"),
        ("We audit suppliers.".encode("utf-16-le"), "text"),
        (b"BMW audits its suppliers.\n", "text"),
    ],
)
def test_it_sniffs_content_not_names(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (_docx(), f"This looks like a ZIP archive or Word document; {HINT}."),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
            f"This looks like an older Word or Excel file (.doc/.xls); {HINT}.",
        ),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), f"This looks like an image (PNG); {HINT}."),
        (b"\xff\xd8\xff\xe0" + bytes(100), f"This looks like an image (JPEG); {HINT}."),
        (gzip.compress(b"hello" * 100), f"This looks like a compressed (gzip) file; {HINT}."),
        (b"{\\rtf1\\ansi We audit suppliers}", f"This looks like an RTF document; {HINT}."),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", f"This looks like a Windows program; {HINT}."),
        (bytes(range(256)) * 4, f"This looks like binary data; {HINT}."),
    ],
)
def test_it_names_unsupported_binary_files(data: bytes, reason: str) -> None:
    error = _error(data)
    assert (error.code, error.reason) == ("unsupported_type", reason)


@pytest.mark.parametrize("data", [b"", b"   \n\t  \r\n"])
def test_it_refuses_empty_files(data: bytes) -> None:
    error = _error(data)
    assert (error.code, error.reason) == ("empty", "The file is empty.")


def test_it_refuses_files_over_the_size_limit() -> None:
    error = _error(b"We audit suppliers. " * 300_000, max_bytes=2 * 1024 * 1024)
    assert (error.code, error.reason) == ("too_large", "The file is 5.7 MB; the limit is 2 MB.")


# --- PDF: layout repairs ----------------------------------------------------------------------------------------


def test_it_reads_every_page_of_a_multipage_pdf_and_reports_progress() -> None:
    progress: list[tuple[int, int]] = []
    document = extract(pdfs.multipage_pdf(pages=3), on_progress=lambda done, total: progress.append((done, total)))
    assert document.kind == "pdf"
    assert document.page_count == 3
    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert [page.splitlines()[0] for page in document.pages] == list(pdfs.SECTION_TITLES[:3])
    assert all("\r" not in page and "\ufffe" not in page for page in document.pages)


def test_it_strips_running_headers_and_page_numbers() -> None:
    document = extract(pdfs.running_headers_pdf(pages=4))
    assert document.page_count == 4
    for page in document.pages:
        assert "Supply Chain Disclosure 2024" not in page
        assert "Page " not in page
    assert document.pages[0].startswith(pdfs.PARAGRAPHS[0])


def test_it_joins_words_hyphenated_at_line_ends_but_keeps_compounds() -> None:
    text = extract(pdfs.hyphenated_pdf()).pages[0]
    assert text.splitlines()[1] == (
        "Our organisation conducts annual risk assessments covering every third-party supplier, and our "
        "anti-slavery policy applies to all subcontractors in the supply chain."
    )


def test_it_reads_two_columns_in_order() -> None:
    text = extract(pdfs.two_column_pdf()).pages[0]
    assert text.splitlines() == [
        "Our Approach to Supply Chain Transparency and Accountability",
        " ".join(pdfs.LEFT_COLUMN),
        " ".join(pdfs.RIGHT_COLUMN),
    ]


def test_it_keeps_table_rows_together() -> None:
    text = extract(pdfs.table_pdf()).pages[0]
    assert text.splitlines() == [
        "The table below summarises our programme.",
        "Area | What we do | Who does it",
        "Audits | Unannounced audits of every tier-one factory each year, with worker interviews off site | "
        "Independent third-party auditors accredited by APSCA",
        "Training | Annual training for all supply chain staff | Compliance team",
        "We review this programme every year.",
    ]


def test_layout_mode_asks_pdfplumber_on_every_page_with_the_same_result() -> None:
    assert extract(pdfs.table_pdf(), layout=True).pages == extract(pdfs.table_pdf()).pages
    assert extract(pdfs.multipage_pdf(pages=2), layout=True).pages == extract(pdfs.multipage_pdf(pages=2)).pages


def test_it_finds_the_stated_reporting_period() -> None:
    assert extract(pdfs.reporting_period_pdf()).reporting_period == "financial year ending 31 March 2024"


# --- PDF: bad input ---------------------------------------------------------------------------------------------


def test_it_refuses_password_protected_pdfs() -> None:
    error = _error(pdfs.encrypted_pdf())
    assert (error.code, error.reason) == ("encrypted", "This PDF is password-protected; upload an unprotected copy.")


@pytest.mark.parametrize("data", [pdfs.image_only_pdf(), pdfs.blank_pdf(pages=2)])
def test_it_refuses_pdfs_without_a_text_layer(data: bytes) -> None:
    error = _error(data)
    assert (error.code, error.reason) == ("no_text_layer", SCANNED_REASON)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage",
        pdfs.multipage_pdf(pages=1)[:400],
    ],
)
def test_it_refuses_corrupt_pdfs(data: bytes) -> None:
    error = _error(data)
    assert (error.code, error.reason) == (
        "corrupt",
        "This PDF is damaged and cannot be read; export it again from the original document.",
    )


def test_it_counts_pages_before_reading_them() -> None:
    progress: list[tuple[int, int]] = []
    error = _error(pdfs.long_pdf(pages=6), max_pages=5, on_progress=lambda *args: progress.append(args))
    assert (error.code, error.reason) == (
        "too_many_pages",
        "This document has 6 pages; the limit is 5. Upload only the part that holds the supply-chain disclosure.",
    )
    assert progress == []


def test_it_caps_the_total_text() -> None:
    error = _error(pdfs.multipage_pdf(pages=2), max_chars=1000)
    assert (error.code, error.reason) == (
        "too_much_text",
        "This document has more than 1,000 characters of text; upload only the part that holds the supply-chain "
        "disclosure.",
    )


def test_it_refuses_a_page_that_inflates_to_absurd_amounts_of_text() -> None:
    data = pdfs.dense_page_pdf(chars=120_000)
    assert len(data) < 5000  # a small file that would expand a thousandfold
    error = _error(data)
    assert error.code == "bomb"
    assert error.reason.startswith("Page 1 claims ")
    assert error.reason.endswith(" characters of text, which no real page holds; the file looks crafted or damaged.")


def test_it_gives_up_past_the_time_limit() -> None:
    error = _error(pdfs.multipage_pdf(pages=2), time_limit=0)
    assert (error.code, error.reason) == (
        "too_slow",
        "Reading this file took longer than the 0-second limit; upload a smaller or simpler file, or paste the text.",
    )


# --- PDF: the real samples --------------------------------------------------------------------------------------


def test_it_reads_the_real_edan_statement() -> None:
    document = extract(_sample("edan-uk-2024-uk-msa.pdf"))
    assert document.page_count == 2
    assert document.pages[0].startswith("Modern Slavery Statement \u2013 January 2024\n")
    assert "provides medical equipment throughout the UK primarily to the NHS" in document.pages[0]
    assert document.reporting_period == "financial year ending 2021"


def test_it_cleans_the_real_vwr_statement() -> None:
    document = extract(_sample("vwr-international-2019-uk-msa.pdf"))
    assert document.page_count == 3
    assert "page | 2" not in document.pages[1]
    assert "supplier of discovery-to-delivery solutions" in document.pages[0]
    assert "• VWR International Ltd has implemented an Ethical Trading Policy, reinforcing" in document.pages[0]
    assert " | " not in "".join(document.pages)  # Word's line boxes are not mistaken for tables


def test_it_says_the_real_scanned_statement_has_no_selectable_text() -> None:
    error = _error(_sample("edan-uk-2022-uk-msa-scanned.pdf"))
    assert (error.code, error.reason) == ("no_text_layer", SCANNED_REASON)


# --- HTML -------------------------------------------------------------------------------------------------------

PAGE = b"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Supply Chain Disclosure | Acme</title>
<style>p { color: red }</style><script>var tracking = "We audit suppliers";</script></head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li>Shop</li></ul></nav></header>
<div id="cookie-consent" class="banner">We use cookies to improve your experience. <button>Accept</button></div>
<nav aria-label="Breadcrumb"><ol><li>Home</li><li>Legal</li></ol></nav>
<main id="main">
  <h1>California Transparency in Supply Chains Act</h1>
  <p>Acme   engages a <b>third party</b> to verify
     its supply chains.</p>
  <h2>Audits</h2>
  <ul><li>Unannounced audits</li><li>Worker <em>interviews</em></li></ul>
  <aside>Related: our blog</aside>
  <table><tr><th>Year</th><th>Audits</th></tr><tr><td>2023</td><td>412</td></tr></table>
</main>
<footer><p>&copy; 2024 Acme. Privacy. Terms.</p></footer>
</body></html>"""


def test_it_keeps_the_main_content_of_a_web_page() -> None:
    document = extract(PAGE)
    assert document.kind == "html"
    assert document.title == "Supply Chain Disclosure | Acme"
    assert document.pages == (
        "California Transparency in Supply Chains Act\n\n"
        "Acme engages a third party to verify its supply chains.\n\n"
        "Audits\n\n"
        "• Unannounced audits\n"
        "• Worker interviews\n\n"
        "Year | Audits\n"
        "2023 | 412",
    )


def test_it_drops_page_chrome_when_there_is_no_main_element() -> None:
    page = PAGE.replace(b'<main id="main">', b"<div>").replace(b"</main>", b"</div>")
    text = extract(page).pages[0]
    assert text.startswith("California Transparency in Supply Chains Act\n\nAcme engages")
    for chrome in ("Skip to content", "cookies", "Home", "Breadcrumb", "Privacy", "Related", "tracking"):
        assert chrome not in text


def test_it_keeps_a_wrapper_whose_class_merely_mentions_a_sidebar() -> None:
    page = b"<html><body><div class='content has-sidebar'><p>We audit every supplier each year.</p></div></body></html>"
    assert extract(page).pages == ("We audit every supplier each year.",)


def test_it_decodes_web_pages_by_their_declared_charset() -> None:
    text = "Our supplier\u2019s \u201ccode\u201d"
    page = f'<html><head><meta charset="windows-1252"></head><body><p>{text}</p></body></html>'
    assert extract(page.encode("cp1252")).pages == (text,)


def test_it_decodes_web_pages_with_a_byte_order_mark() -> None:
    page = "<html><body><p>Überprüfung der Lieferkette</p></body></html>"
    assert extract(codecs.BOM_UTF8 + page.encode("utf-8")).pages == ("Überprüfung der Lieferkette",)


def test_it_reads_deeply_nested_pages_without_recursion() -> None:
    page = b"<html><body>" + b"<div>" * 200 + b"<p>Deep text.</p>" + b"</div>" * 200 + b"</body></html>"
    assert extract(page).pages == ("Deep text.",)


def test_it_survives_absurdly_deep_nesting() -> None:
    # libxml2 stops building the tree past its depth limit, so such a page has no text we can reach.
    page = b"<html><body>" + b"<div>" * 20_000 + b"<p>Deep text.</p>" + b"</div>" * 20_000 + b"</body></html>"
    assert _error(page).code == "empty"


def test_it_refuses_web_pages_without_readable_text() -> None:
    error = _error(b"<html><head><script>alert(1)</script></head><body><nav>Home</nav></body></html>")
    assert (error.code, error.reason) == ("empty", "This web page has no readable text in its main content.")


# --- plain text -------------------------------------------------------------------------------------------------


def test_it_splits_text_pages_on_form_feeds() -> None:
    document = extract(b"First page.\r\nStill first.\fSecond page.\n\n\n\nAfter gap.\f\n")
    assert document.kind == "text"
    assert document.pages == ("First page.\nStill first.", "Second page.\n\nAfter gap.")
    assert document.title == "First page."


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + "Supplier\u2019s audit".encode(),
        codecs.BOM_UTF16_BE + "Supplier\u2019s audit".encode("utf-16-be"),
        "Supplier\u2019s audit".encode("utf-16-le"),
        "Supplier\u2019s audit".encode("cp1252"),
    ],
)
def test_it_decodes_text_in_common_encodings(data: bytes) -> None:
    assert extract(data).pages == ("Supplier\u2019s audit",)


def test_it_refuses_text_that_is_really_binary() -> None:
    error = _error(b"We audit" + b"\x01\x02\x03\x04\x05\x06" * 20)
    assert (error.code, error.reason) == ("unsupported_type", f"This looks like binary data; {HINT}.")


def test_it_refuses_damaged_utf16() -> None:
    error = _error(codecs.BOM_UTF16_LE + "We audit".encode("utf-16-le") + b"\x00\xd8")
    assert (error.code, error.reason) == (
        "bad_encoding",
        "This text file's encoding is damaged; save it as UTF-8 and upload it again.",
    )


def test_it_refuses_undecodable_text() -> None:
    error = _error(b"We audit \x81\x8d\x8f\x90\x9d suppliers")
    assert (error.code, error.reason) == (
        "bad_encoding",
        "We could not tell this text file's character encoding; save it as UTF-8 and upload it again.",
    )


def test_it_applies_the_page_limit_to_text_too() -> None:
    error = _error(b"page\f" * 4 + b"page", max_pages=3)
    assert error.code == "too_many_pages"


def test_it_reads_the_real_disclosure_texts() -> None:
    path = SAMPLES / "ctsca" / "target.txt"
    if not path.exists():
        pytest.skip(f"real sample texts not found at {path.parent}")
    document = extract(path.read_bytes())
    assert document.kind == "text"
    assert document.title == "CA Transparency in Supply Chains Act"


# --- reporting period and robustness ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("This statement covers the fiscal year 2023.", "fiscal year 2023"),
        ("for the financial year ending 31 March 2024", "financial year ending 31 March 2024"),
        ("for the year ended December 31, 2023, we", "year ended December 31, 2023"),
        ("in our FY2022/23 statement", "FY2022/23"),
        ("the reporting period from 1 April 2022 to 31 March 2023", "period from 1 April 2022 to 31 March 2023"),
        ("We audit suppliers every year.", ""),
    ],
)
def test_it_detects_the_reporting_period(text: str, period: str) -> None:
    assert detect_reporting_period((text,)) == period


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=3000), st.binary(max_size=3000).map(lambda tail: b"%PDF-1.7\n" + tail)))
def test_it_never_fails_with_anything_but_a_clear_reason(data: bytes) -> None:
    failure: ExtractionError | None = None
    try:
        document = extract(data)
    except ExtractionError as error:
        failure = error
    if failure is None:
        assert document.page_count >= 1
    else:
        assert failure.code in extraction.ERROR_CODES
        assert failure.reason.endswith(".")


def test_pages_that_repeat_the_same_sentences_keep_their_text() -> None:
    from disclosures.core.extraction import clean_pdf_pages

    page = "We audit every supplier each year.\nSuppliers certify compliance with laws on forced labor."
    cleaned = clean_pdf_pages([page] * 6)
    assert all("We audit every supplier each year." in text for text in cleaned)


def test_short_running_headers_are_still_removed() -> None:
    from disclosures.core.extraction import clean_pdf_pages

    bodies = [
        "We audit suppliers.",
        "Training is annual.",
        "Suppliers certify.",
        "Staff are accountable.",
        "Risks are assessed.",
        "Hotline is open.",
    ]
    pages = [f"Acme Corp Statement 2025\n{body}\nMore on page {i}.\nPage {i} of 6" for i, body in enumerate(bodies, 1)]
    cleaned = clean_pdf_pages(pages)
    assert all("Acme Corp Statement" not in text and "Page" not in text for text in cleaned)
    assert "Suppliers certify." in cleaned[2]

"""The worker's pipeline: real PDFs, text and web pages in; pages, a score and findings out, or a clear reason."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_httpserver import HTTPServer

from disclosures.core.types import AREAS
from disclosures.models import Disclosure, DisclosurePage, DisclosureScore, Finding
from disclosures.services.disclosures import (
    FAILURE_REASONS,
    disclosure_fail,
    disclosure_process,
    disclosure_submit,
)
from tests.fixtures.pdfs import encrypted_pdf, long_pdf, multipage_pdf, two_column_pdf

pytestmark = pytest.mark.django_db

TEXT = (
    "Northwind Apparel: disclosure under the California Transparency in Supply Chains Act.\n\n"
    "We engage an independent third party to conduct verification of product supply chains to evaluate and "
    "address risks of human trafficking and slavery. Our suppliers are subject to unannounced audits performed "
    "by an independent auditing firm. We require direct suppliers to certify that materials incorporated into "
    "our products comply with the laws regarding slavery and human trafficking. We maintain internal "
    "accountability standards and procedures for employees and contractors failing to meet company standards, "
    "up to and including termination. We provide training on human trafficking and slavery to employees and "
    "managers with direct responsibility for supply chain management."
)
HTML = (
    "<!doctype html><html><head><title>Supply chain disclosure</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/shop'>Shop</a></nav>"
    "<main><h1>California Transparency in Supply Chains Act</h1>"
    f"<p>{TEXT}</p></main>"
    "<footer>Cookie settings · Privacy</footer></body></html>"
)


@pytest.fixture
def submit(representative: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """Submit as the company's representative and run the queued worker job; returns the refreshed row."""

    def run(company: Any, **source: Any) -> Disclosure:
        with django_capture_on_commit_callbacks(execute=True):
            disclosure, _ = disclosure_submit(company=company, submitted_by=representative, **source)
        disclosure.refresh_from_db()
        return disclosure

    return run


def upload(data: bytes, name: str = "statement.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def counts(disclosure: Disclosure) -> tuple[int, int, int]:
    return (
        DisclosurePage.objects.filter(disclosure=disclosure).count(),
        DisclosureScore.objects.filter(disclosure=disclosure).count(),
        Finding.objects.filter(score__disclosure=disclosure).count(),
    )


def original_bytes(disclosure: Disclosure) -> bytes:
    with disclosure.original_file.open("rb") as handle:
        return handle.read()


class TestScoring:
    def test_a_multipage_pdf_is_read_page_by_page_and_scored(self, company: Any, submit: Any) -> None:
        disclosure = submit(company, upload=upload(multipage_pdf(pages=3)))
        assert disclosure.status in {Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW}
        assert disclosure.content_kind == Disclosure.ContentKind.PDF
        assert (disclosure.page_count, disclosure.pages_done) == (3, 3)
        assert disclosure.attempts == 1
        assert disclosure.processed_at is not None
        assert counts(disclosure) == (3, 1, 5)
        pages = list(disclosure.pages.order_by("number").values_list("number", "text"))
        assert [number for number, _ in pages] == [1, 2, 3]
        assert all("slavery" in text for _, text in pages)  # the running heading is stripped, the body kept
        score = disclosure.scores.get()
        assert score.cause == DisclosureScore.Cause.NEW_DISCLOSURE
        assert len(score.rubric_sha256) == 64
        assert sorted(score.findings.values_list("area", flat=True)) == sorted(AREAS)

    def test_evidence_points_into_the_stored_page_text(self, company: Any, submit: Any) -> None:
        disclosure = submit(company, text=TEXT)
        findings = Finding.objects.filter(score__disclosure=disclosure).exclude(evidence=[])
        assert findings.exists()
        pages = {page.number: page.text for page in disclosure.pages.all()}
        for finding in findings:
            for item in finding.evidence:
                assert pages[item["page"]][item["start"] : item["end"]].strip()

    def test_pasted_text_is_one_text_page(self, company: Any, submit: Any) -> None:
        disclosure = submit(company, text=TEXT)
        assert disclosure.content_kind == Disclosure.ContentKind.TEXT
        assert disclosure.status in {Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW}
        assert counts(disclosure) == (1, 1, 5)
        assert "independent third party" in disclosure.pages.get().text

    def test_a_two_column_pdf_is_scored(self, company: Any, submit: Any) -> None:
        disclosure = submit(company, upload=upload(two_column_pdf()))
        assert disclosure.status in {Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW}
        assert disclosure.page_count >= 1

    def test_a_real_uk_statement_pdf_is_scored(self, company: Any, submit: Any, samples_dir: Path) -> None:
        data = (samples_dir / "pdfs" / "vwr-international-2019-uk-msa.pdf").read_bytes()
        disclosure = submit(company, upload=upload(data))
        assert disclosure.status in {Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW}
        assert disclosure.page_count == 3
        assert "slavery" in " ".join(disclosure.pages.values_list("text", flat=True)).lower()

    def test_a_clear_disclosure_is_scored_without_review(self, company: Any, submit: Any) -> None:
        disclosure = submit(company, text=TEXT)
        assert disclosure.status == Disclosure.Status.SCORED
        assert not disclosure.scores.get().findings.filter(status="unclear").exists()

    def test_a_self_contradicting_disclosure_needs_review(self, company: Any, submit: Any, samples_dir: Path) -> None:
        # natures-ingredients says it does none of the five, then claims audits and certification.
        text = (samples_dir / "ctsca" / "natures-ingredients.txt").read_text()
        disclosure = submit(company, text=text)
        assert disclosure.status == Disclosure.Status.NEEDS_REVIEW
        assert disclosure.scores.get().findings.filter(status="unclear").exists()


class TestProgress:
    def test_page_n_of_n_is_written_while_the_pdf_is_read(
        self, company: Any, representative: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            disclosure, _ = disclosure_submit(
                company=company, submitted_by=representative, upload=upload(multipage_pdf(pages=6))
            )
        with CaptureQueriesContext(connection) as queries:
            for callback in callbacks:
                callback()
        progress = [
            query["sql"]
            for query in queries.captured_queries
            if query["sql"].startswith("UPDATE") and '"pages_done" = 1' in query["sql"]
        ]
        assert len(progress) == 1  # the first page is always reported; later ones at most every half second
        assert '"page_count" = 6' in progress[0]
        disclosure.refresh_from_db()
        assert (disclosure.pages_done, disclosure.page_count) == (6, 6)


class TestIdempotency:
    def test_running_the_job_again_after_a_requeue_writes_the_same_rows(self, company: Any, submit: Any) -> None:
        disclosure = submit(company, upload=upload(multipage_pdf(pages=4)))
        before = counts(disclosure)
        score_id = disclosure.scores.get().pk
        # What the stale-job reaper does for a worker that died after writing.
        Disclosure.objects.filter(pk=disclosure.pk).update(status=Disclosure.Status.RECEIVED)
        disclosure_process(disclosure_id=disclosure.pk)
        disclosure.refresh_from_db()
        assert counts(disclosure) == before == (4, 1, 5)
        assert disclosure.scores.get().pk == score_id
        assert disclosure.attempts == 2
        assert disclosure.status in {Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW}

    def test_a_finished_disclosure_is_not_claimed_again(self, company: Any, submit: Any) -> None:
        disclosure = submit(company, text=TEXT)
        disclosure_process(disclosure_id=disclosure.pk)
        disclosure_process(disclosure_id=disclosure.pk)
        disclosure.refresh_from_db()
        assert disclosure.attempts == 1
        assert counts(disclosure) == (1, 1, 5)

    def test_an_unknown_id_is_ignored(self) -> None:
        disclosure_process(disclosure_id=987654)
        assert not Disclosure.objects.exists()


class TestBadFiles:
    """Each unreadable input fails with its own code and plain reason; the original is kept either way."""

    @pytest.mark.parametrize(
        ("data", "code", "reason"),
        [
            (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "unsupported_type", "This looks like an image (PNG)"),
            (b"   \n\t  ", "empty", "The file is empty."),
            (b"%PDF-1.7\n1 0 obj <<>> garbage", "corrupt", "This PDF is damaged and cannot be read"),
        ],
    )
    def test_it_fails_with_the_reason(self, company: Any, submit: Any, data: bytes, code: str, reason: str) -> None:
        disclosure = submit(company, upload=upload(data, "file.pdf"))
        assert disclosure.status == Disclosure.Status.FAILED
        assert disclosure.failure_code == code
        assert reason in disclosure.failure_reason
        assert original_bytes(disclosure) == data
        assert counts(disclosure) == (0, 0, 0)

    def test_a_zip_archive_is_not_a_disclosure(self, company: Any, submit: Any) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("statement.txt", TEXT)
        disclosure = submit(company, upload=upload(buffer.getvalue(), "statement.zip"))
        assert (disclosure.status, disclosure.failure_code) == (Disclosure.Status.FAILED, "unsupported_type")
        assert "This looks like a ZIP archive or Word document" in disclosure.failure_reason

    def test_a_password_protected_pdf_says_so(self, company: Any, submit: Any) -> None:
        disclosure = submit(company, upload=upload(encrypted_pdf()))
        assert (disclosure.status, disclosure.failure_code) == (Disclosure.Status.FAILED, "encrypted")
        assert disclosure.failure_reason == "This PDF is password-protected; upload an unprotected copy."

    def test_a_scanned_pdf_says_there_is_no_selectable_text(self, company: Any, submit: Any, samples_dir: Path) -> None:
        data = (samples_dir / "pdfs" / "edan-uk-2022-uk-msa-scanned.pdf").read_bytes()
        disclosure = submit(company, upload=upload(data))
        assert (disclosure.status, disclosure.failure_code) == (Disclosure.Status.FAILED, "no_text_layer")
        assert disclosure.failure_reason.startswith("This PDF has no selectable text: it looks like a scanned image.")
        assert original_bytes(disclosure) == data

    def test_too_many_pages_are_refused_by_the_page_cap(self, company: Any, submit: Any, settings: Any) -> None:
        settings.DISCLOSURE_MAX_PAGES = 3
        disclosure = submit(company, upload=upload(long_pdf(pages=5)))
        assert (disclosure.status, disclosure.failure_code) == (Disclosure.Status.FAILED, "too_many_pages")
        assert disclosure.failure_reason.startswith("This document has 5 pages; the limit is 3.")

    def test_a_time_limit_marks_the_running_job_failed_with_a_plain_reason(self, company: Any) -> None:
        from tests.factories import DisclosureFactory

        disclosure = DisclosureFactory(company=company, status=Disclosure.Status.EXTRACTING, attempts=1)
        assert disclosure_fail(disclosure_id=disclosure.pk, code="timeout")
        disclosure.refresh_from_db()
        assert (disclosure.status, disclosure.failure_code) == (Disclosure.Status.FAILED, "timeout")
        assert disclosure.failure_reason == FAILURE_REASONS["timeout"]

    def test_an_unexpected_error_fails_the_job_instead_of_leaving_it_stuck(
        self, company: Any, representative: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            disclosure, _ = disclosure_submit(company=company, submitted_by=representative, text=TEXT)
        disclosure.original_file.storage.delete(disclosure.original_file.name)  # the kept file went missing
        for callback in callbacks:
            callback()
        disclosure.refresh_from_db()
        assert (disclosure.status, disclosure.failure_code) == (Disclosure.Status.FAILED, "internal_error")
        assert disclosure.failure_reason == FAILURE_REASONS["internal_error"]

    def test_a_finished_job_is_not_failed_by_a_late_time_limit(self, company: Any, submit: Any) -> None:
        disclosure = submit(company, text=TEXT)
        assert not disclosure_fail(disclosure_id=disclosure.pk, code="timeout")
        disclosure.refresh_from_db()
        assert disclosure.status != Disclosure.Status.FAILED


class TestUrls:
    @pytest.fixture(autouse=True)
    def _allow_local_server(self, settings: Any) -> None:
        settings.URL_FETCH_ALLOW_PRIVATE = True

    def test_a_web_page_is_fetched_kept_and_scored(self, company: Any, submit: Any, httpserver: HTTPServer) -> None:
        httpserver.expect_request("/supply-chain").respond_with_data(HTML, content_type="text/html; charset=utf-8")
        disclosure = submit(company, url=httpserver.url_for("/supply-chain"))
        assert disclosure.status in {Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW}
        assert disclosure.content_kind == Disclosure.ContentKind.HTML
        assert (disclosure.final_url, disclosure.http_status) == (httpserver.url_for("/supply-chain"), 200)
        assert original_bytes(disclosure) == HTML.encode()
        assert disclosure.sha256 == hashlib.sha256(HTML.encode()).hexdigest()
        text = disclosure.pages.get().text
        assert "independent third party" in text
        assert "Cookie settings" not in text

    def test_a_linked_pdf_is_fetched_after_redirects(self, company: Any, submit: Any, httpserver: HTTPServer) -> None:
        pdf = multipage_pdf(pages=2)
        httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/files/ca.pdf"})
        httpserver.expect_request("/files/ca.pdf").respond_with_data(pdf, content_type="application/pdf")
        disclosure = submit(company, url=httpserver.url_for("/old"))
        assert disclosure.source_url == httpserver.url_for("/old")
        assert disclosure.final_url == httpserver.url_for("/files/ca.pdf")
        assert disclosure.content_kind == Disclosure.ContentKind.PDF
        assert disclosure.page_count == 2

    def test_a_missing_page_fails_with_the_http_status(self, company: Any, submit: Any, httpserver: HTTPServer) -> None:
        httpserver.expect_request("/gone").respond_with_data("not here", status=404)
        disclosure = submit(company, url=httpserver.url_for("/gone"))
        assert (disclosure.status, disclosure.failure_code) == (Disclosure.Status.FAILED, "http_error")
        assert disclosure.http_status == 404
        assert "HTTP 404" in disclosure.failure_reason
        assert not disclosure.original_file

    def test_the_worker_refuses_a_private_address_without_the_setting(
        self,
        company: Any,
        representative: Any,
        settings: Any,
        httpserver: HTTPServer,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        httpserver.expect_request("/statement").respond_with_data(HTML, content_type="text/html")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            disclosure, _ = disclosure_submit(
                company=company, submitted_by=representative, url=httpserver.url_for("/statement")
            )
        settings.URL_FETCH_ALLOW_PRIVATE = False  # e.g. the name resolved to a private address at fetch time
        for callback in callbacks:
            callback()
        disclosure.refresh_from_db()
        assert (disclosure.status, disclosure.failure_code) == (Disclosure.Status.FAILED, "private_address")
        assert disclosure.failure_reason
        assert httpserver.log == []  # nothing was fetched

    def test_a_url_whose_content_the_company_already_has_is_a_duplicate(
        self, company: Any, submit: Any, httpserver: HTTPServer
    ) -> None:
        first = submit(company, text=TEXT)
        httpserver.expect_request("/statement.txt").respond_with_data(TEXT, content_type="text/plain")
        second = submit(company, url=httpserver.url_for("/statement.txt"))
        assert (second.status, second.failure_code) == (Disclosure.Status.FAILED, "duplicate")
        assert f"same document as disclosure #{first.pk}" in second.failure_reason
        assert second.sha256 == ""
        assert not second.original_file
        assert Disclosure.objects.filter(sha256=first.sha256).count() == 1

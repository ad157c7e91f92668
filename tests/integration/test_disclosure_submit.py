"""Submitting a disclosure from the web form: the three sources, the bad inputs, dedupe and who may submit."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_httpserver import HTTPServer

from disclosures.models import Disclosure
from disclosures.services.disclosures import SubmissionRejected, disclosure_submit
from tests.fixtures.pdfs import multipage_pdf

pytestmark = pytest.mark.django_db

TEXT = (
    "Northwind Apparel supply chain disclosure.\n\n"
    "We engage an independent third party to verify our product supply chains for risks of human trafficking "
    "and slavery. Our suppliers are subject to unannounced audits by an independent auditing firm."
)


def submit_url(company: Any) -> str:
    return reverse("filings:submit", args=[company.slug])


def post_form(client: Any, company: Any, data: dict[str, Any], capture: Any) -> Any:
    with capture(execute=True):
        return client.post(submit_url(company), data)


class TestTheForm:
    def test_it_shows_three_ways_to_submit_to_a_member(self, client: Any, company: Any, representative: Any) -> None:
        client.force_login(representative)
        response = client.get(submit_url(company))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'enctype="multipart/form-data"' in html
        assert 'type="file"' in html
        assert 'name="url"' in html
        assert 'name="text"' in html
        assert "data-drop-zone" in html
        assert "js/submit.js" in html

    def test_it_sends_anonymous_visitors_to_sign_in(self, client: Any, company: Any) -> None:
        response = client.get(submit_url(company))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_it_refuses_another_companys_representative(
        self, client: Any, company: Any, other_representative: Any
    ) -> None:
        client.force_login(other_representative)
        response = client.post(submit_url(company), {"text": TEXT})
        assert response.status_code == 403
        assert "Only approved representatives of Northwind Apparel Inc." in response.content.decode()
        assert not Disclosure.objects.exists()

    def test_it_refuses_a_signed_in_shopper(self, client: Any, company: Any, shopper: Any) -> None:
        client.force_login(shopper)
        assert client.get(submit_url(company)).status_code == 403

    def test_it_lets_staff_submit_for_any_company(
        self, client: Any, company: Any, reviewer: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        client.force_login(reviewer)
        response = post_form(client, company, {"text": TEXT}, django_capture_on_commit_callbacks)
        disclosure = Disclosure.objects.get()
        assert response.status_code == 302
        assert disclosure.submitted_by == reviewer

    def test_it_answers_404_for_an_unknown_company(self, client: Any, representative: Any) -> None:
        client.force_login(representative)
        assert client.get(reverse("filings:submit", args=["no-such-company"])).status_code == 404


class TestSources:
    def test_it_keeps_an_uploaded_pdf_and_redirects_to_its_status_page(
        self, client: Any, company: Any, representative: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        pdf = multipage_pdf(pages=2)
        client.force_login(representative)
        upload = SimpleUploadedFile("../../Our Statement.pdf", pdf, content_type="application/pdf")
        response = post_form(client, company, {"file": upload}, django_capture_on_commit_callbacks)
        disclosure = Disclosure.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("filings:detail", args=[disclosure.pk])
        assert disclosure.source == Disclosure.Source.UPLOAD
        assert disclosure.original_filename == "Our Statement.pdf"
        assert disclosure.sha256 == hashlib.sha256(pdf).hexdigest()
        assert disclosure.byte_size == len(pdf)
        with disclosure.original_file.open("rb") as handle:
            assert handle.read() == pdf
        assert disclosure.original_file.name == f"disclosures/{company.pk}/{disclosure.sha256}.bin"

    def test_it_keeps_pasted_text_as_utf8_bytes(
        self, client: Any, company: Any, representative: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        client.force_login(representative)
        text = TEXT + "\nCafé — \u2018quoted\u2019."
        post_form(client, company, {"text": text}, django_capture_on_commit_callbacks)
        disclosure = Disclosure.objects.get()
        assert disclosure.source == Disclosure.Source.TEXT
        with disclosure.original_file.open("rb") as handle:
            assert handle.read() == text.encode("utf-8")
        assert disclosure.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()

    def test_a_url_from_the_form_is_fetched_by_the_worker(
        self,
        client: Any,
        company: Any,
        representative: Any,
        settings: Any,
        httpserver: HTTPServer,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        settings.URL_FETCH_ALLOW_PRIVATE = True
        page = f"<!doctype html><html><body><main><p>{TEXT}</p></main></body></html>"
        httpserver.expect_request("/ca-supply-chain").respond_with_data(page, content_type="text/html")
        client.force_login(representative)
        url = httpserver.url_for("/ca-supply-chain")
        response = post_form(client, company, {"url": url}, django_capture_on_commit_callbacks)
        disclosure = Disclosure.objects.get()
        assert response.url == reverse("filings:detail", args=[disclosure.pk])
        assert (disclosure.source, disclosure.source_url, disclosure.http_status) == ("url", url, 200)
        assert disclosure.status in {Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW}

    def test_it_stores_a_url_without_fetching_it_in_the_request(
        self, company: Any, representative: Any, django_capture_on_commit_callbacks: Any, settings: Any
    ) -> None:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            disclosure, created = disclosure_submit(
                company=company, submitted_by=representative, url="  https://northwind.example/supply-chain  "
            )
        assert created
        assert disclosure.source == Disclosure.Source.URL
        assert disclosure.source_url == "https://northwind.example/supply-chain"
        assert disclosure.status == Disclosure.Status.RECEIVED
        assert not disclosure.original_file
        assert disclosure.sha256 == ""
        assert len(callbacks) == 1  # the worker is queued only once the row is committed


class TestBadInput:
    @pytest.mark.parametrize(
        ("data", "reason"),
        [
            ({}, "Choose a PDF file, give a web address, or paste the text."),
            ({"url": "https://a.example/x", "text": TEXT}, "Give only one of these"),
            ({"text": "   \n  "}, "The pasted text is empty."),
            ({"url": "ftp://northwind.example/statement.pdf"}, "Only web addresses starting with http:// or https://"),
            ({"url": "https://"}, "That does not look like a complete web address."),
            ({"url": "http://127.0.0.1:8000/statement"}, "private or local network"),
            ({"url": "http://[::1]/statement"}, "private or local network"),
            ({"url": "http://localhost/statement"}, "private or local network"),
        ],
    )
    def test_it_shows_the_reason_on_the_form(
        self, client: Any, company: Any, representative: Any, data: dict[str, str], reason: str
    ) -> None:
        client.force_login(representative)
        response = client.post(submit_url(company), data)
        assert response.status_code == 200
        assert reason in response.content.decode()
        assert not Disclosure.objects.exists()

    def test_it_refuses_an_empty_file(self, client: Any, company: Any, representative: Any) -> None:
        client.force_login(representative)
        response = client.post(submit_url(company), {"file": SimpleUploadedFile("empty.pdf", b"")})
        assert "The file is empty (0 bytes)." in response.content.decode()
        assert not Disclosure.objects.exists()

    def test_it_refuses_a_file_over_the_limit(
        self, client: Any, company: Any, representative: Any, settings: Any
    ) -> None:
        settings.DISCLOSURE_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
        client.force_login(representative)
        big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024))
        response = client.post(submit_url(company), {"file": big})
        assert "This is 3.0 MB; the limit is 2.0 MB." in response.content.decode()
        assert not Disclosure.objects.exists()

    def test_it_refuses_pasted_text_over_the_limit(self, company: Any, representative: Any, settings: Any) -> None:
        settings.DISCLOSURE_MAX_UPLOAD_BYTES = 1024
        with pytest.raises(SubmissionRejected) as rejected:
            disclosure_submit(company=company, submitted_by=representative, text="x" * 2048)
        assert rejected.value.code == "too_large"

    def test_it_accepts_a_local_address_when_the_setting_allows_it(
        self, company: Any, representative: Any, settings: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        settings.URL_FETCH_ALLOW_PRIVATE = True
        with django_capture_on_commit_callbacks(execute=False):
            disclosure, created = disclosure_submit(
                company=company, submitted_by=representative, url="http://127.0.0.1:9/statement"
            )
        assert created
        assert disclosure.source_url == "http://127.0.0.1:9/statement"

    def test_the_service_refuses_a_non_member(self, company: Any, other_representative: Any) -> None:
        with pytest.raises(PermissionDenied):
            disclosure_submit(company=company, submitted_by=other_representative, text=TEXT)


class TestDedupe:
    def test_resubmitting_the_same_text_returns_the_first_disclosure(
        self, company: Any, representative: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            first, created_first = disclosure_submit(company=company, submitted_by=representative, text=TEXT)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            second, created_second = disclosure_submit(company=company, submitted_by=representative, text=TEXT)
        assert (created_first, created_second) == (True, False)
        assert second.pk == first.pk
        assert Disclosure.objects.count() == 1
        assert callbacks == []  # nothing queued for a duplicate

    def test_the_same_document_for_another_company_is_a_new_disclosure(
        self,
        company: Any,
        other_company: Any,
        representative: Any,
        superuser: Any,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            first, _ = disclosure_submit(company=company, submitted_by=representative, text=TEXT)
            second, created = disclosure_submit(company=other_company, submitted_by=superuser, text=TEXT)
        assert created
        assert first.pk != second.pk

    def test_the_page_says_it_is_the_earlier_one(
        self, client: Any, company: Any, representative: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        client.force_login(representative)
        post_form(client, company, {"text": TEXT}, django_capture_on_commit_callbacks)
        response = client.post(submit_url(company), {"text": TEXT}, follow=True)
        assert "We already have this exact document" in response.content.decode()
        assert Disclosure.objects.count() == 1

    def test_a_double_submitted_url_waiting_in_the_queue_is_returned(
        self, company: Any, representative: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        url = "https://northwind.example/statement"
        with django_capture_on_commit_callbacks(execute=False):
            first, _ = disclosure_submit(company=company, submitted_by=representative, url=url)
            second, created = disclosure_submit(company=company, submitted_by=representative, url=url)
        assert not created
        assert second.pk == first.pk

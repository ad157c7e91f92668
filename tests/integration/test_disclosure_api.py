"""POST /api/v1/companies/<slug>/disclosures/ and GET /api/v1/disclosures/<id>/ for every kind of caller."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_httpserver import HTTPServer
from rest_framework.test import APIClient

from disclosures.api.authentication import token_hash
from disclosures.core.types import AREAS
from disclosures.models import ApiToken, Disclosure
from tests.factories import DisclosureFactory
from tests.fixtures.pdfs import multipage_pdf

pytestmark = pytest.mark.django_db

TEXT = (
    "We engage an independent third party to conduct verification of product supply chains to evaluate and "
    "address risks of human trafficking and slavery. Our suppliers are subject to unannounced audits performed "
    "by an independent auditing firm. We provide training on human trafficking to supply chain managers."
)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def submit_url(slug: str = "northwind-apparel") -> str:
    return reverse("api-disclosure-submit", args=[slug])


def detail_url(pk: int) -> str:
    return reverse("api-disclosure-detail", args=[pk])


def post(
    api: APIClient, capture: Any, data: dict[str, Any], *, fmt: str = "json", slug: str = "northwind-apparel"
) -> Any:
    with capture(execute=True):
        return api.post(submit_url(slug), data, format=fmt)


class TestSubmitting:
    def test_a_member_uploads_a_pdf_and_gets_202(
        self, api: APIClient, company: Any, representative: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        api.force_authenticate(representative)
        pdf = multipage_pdf(pages=2)
        response = post(
            api, django_capture_on_commit_callbacks, {"file": SimpleUploadedFile("s.pdf", pdf)}, fmt="multipart"
        )
        disclosure = Disclosure.objects.get()
        assert response.status_code == 202
        assert response.json() == {
            "id": disclosure.pk,
            "status": "received",
            "created": True,
            "status_url": f"/api/v1/disclosures/{disclosure.pk}/",
        }
        assert disclosure.source == Disclosure.Source.UPLOAD
        disclosure.refresh_from_db()
        assert disclosure.page_count == 2

    def test_a_member_sends_text_as_json(
        self, api: APIClient, company: Any, representative: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        api.force_authenticate(representative)
        response = post(api, django_capture_on_commit_callbacks, {"text": TEXT})
        assert response.status_code == 202
        disclosure = Disclosure.objects.get(pk=response.json()["id"])
        assert disclosure.source == Disclosure.Source.TEXT

    def test_a_member_sends_a_url_as_json(
        self,
        api: APIClient,
        company: Any,
        representative: Any,
        settings: Any,
        httpserver: HTTPServer,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        settings.URL_FETCH_ALLOW_PRIVATE = True
        httpserver.expect_request("/ca").respond_with_data(f"<html><body><main><p>{TEXT}</p></main></body></html>")
        api.force_authenticate(representative)
        response = post(api, django_capture_on_commit_callbacks, {"url": httpserver.url_for("/ca")})
        assert response.status_code == 202
        disclosure = Disclosure.objects.get(pk=response.json()["id"])
        assert (disclosure.source, disclosure.content_kind) == (Disclosure.Source.URL, Disclosure.ContentKind.HTML)

    def test_a_bearer_token_works(
        self, api: APIClient, company: Any, representative: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        ApiToken.objects.create(user=representative, name="ci", prefix="sct_abc", key_hash=token_hash("sct_abc123"))
        api.credentials(HTTP_AUTHORIZATION="Bearer sct_abc123")
        assert post(api, django_capture_on_commit_callbacks, {"text": TEXT}).status_code == 202

    def test_the_same_document_again_answers_with_the_existing_one(
        self, api: APIClient, company: Any, representative: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        api.force_authenticate(representative)
        first = post(api, django_capture_on_commit_callbacks, {"text": TEXT}).json()
        second = post(api, django_capture_on_commit_callbacks, {"text": TEXT})
        assert second.status_code == 202
        assert second.json()["id"] == first["id"]
        assert second.json()["created"] is False
        assert second.json()["status"] != "received"  # it is the processed one
        assert Disclosure.objects.count() == 1


class TestRefusals:
    @pytest.mark.parametrize(
        ("data", "detail"),
        [
            ({}, "Choose a PDF file, give a web address, or paste the text."),
            (
                {"url": "https://a.example/", "text": TEXT},
                "Give only one of these: a PDF file, a web address or pasted text.",
            ),
            ({"text": "  \n "}, "The pasted text is empty. Paste the text of the disclosure."),
            ({"url": "file:///etc/passwd"}, "Only web addresses starting with http:// or https:// work."),
            ({"url": "javascript:alert(1)"}, "Only web addresses starting with http:// or https:// work."),
            (
                {"url": "http://10.0.0.7/statement"},
                "That address points to a private or local network, which we cannot fetch.",
            ),
            (
                {"url": "http://169.254.169.254/latest/meta-data/"},
                "That address points to a private or local network, which we cannot fetch.",
            ),
            ({"url": None}, "url: This field may not be null."),
        ],
    )
    def test_bad_input_is_400_with_the_reason(
        self, api: APIClient, company: Any, representative: Any, data: dict[str, Any], detail: str
    ) -> None:
        api.force_authenticate(representative)
        response = api.post(submit_url(), data, format="json")
        assert response.status_code == 400
        assert response.json()["detail"] == detail
        assert not Disclosure.objects.exists()

    def test_an_empty_file_is_400(self, api: APIClient, company: Any, representative: Any) -> None:
        api.force_authenticate(representative)
        response = api.post(submit_url(), {"file": SimpleUploadedFile("e.pdf", b"")}, format="multipart")
        assert (response.status_code, response.json()["detail"]) == (
            400,
            "The file is empty (0 bytes). Choose the file again.",
        )

    def test_a_file_over_the_limit_is_413(
        self, api: APIClient, company: Any, representative: Any, settings: Any
    ) -> None:
        settings.DISCLOSURE_MAX_UPLOAD_BYTES = 1024 * 1024
        api.force_authenticate(representative)
        big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024))
        response = api.post(submit_url(), {"file": big}, format="multipart")
        assert response.status_code == 413
        assert response.json() == {
            "detail": "This is 2.0 MB; the limit is 1.0 MB. Upload only the disclosure pages, or paste the text."
        }
        assert not Disclosure.objects.exists()

    def test_text_over_the_limit_is_413(self, api: APIClient, company: Any, representative: Any, settings: Any) -> None:
        settings.DISCLOSURE_MAX_UPLOAD_BYTES = 1024
        api.force_authenticate(representative)
        response = api.post(submit_url(), {"text": "word " * 1000}, format="json")
        assert response.status_code == 413

    def test_a_body_over_djangos_memory_limit_is_413_json(
        self, api: APIClient, company: Any, representative: Any, settings: Any
    ) -> None:
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024 // 8
        api.force_authenticate(representative)
        response = api.post(submit_url(), {"text": "We audit suppliers. " * 70_000}, format="json")
        assert response.status_code == 413
        assert response.json() == {
            "detail": "Pasted text can be at most 1.2 MB. Save the text as a .txt file and upload the file instead."
        }

    def test_anonymous_is_401(self, api: APIClient, company: Any) -> None:
        response = api.post(submit_url(), {"text": TEXT}, format="json")
        assert response.status_code == 401
        assert response.json() == {"detail": "Authentication credentials were not provided."}

    def test_a_revoked_style_bad_token_is_401(self, api: APIClient, company: Any) -> None:
        api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
        assert api.post(submit_url(), {"text": TEXT}, format="json").status_code == 401

    @pytest.mark.parametrize("who", ["shopper", "other_representative", "officer", "contractor_staff"])
    def test_non_members_are_403(self, api: APIClient, company: Any, who: str, request: Any) -> None:
        api.force_authenticate(request.getfixturevalue(who))
        response = api.post(submit_url(), {"text": TEXT}, format="json")
        assert response.status_code == 403
        assert response.json() == {
            "detail": "Only representatives of Northwind Apparel Inc. can submit its disclosures."
        }

    def test_staff_may_submit(
        self, api: APIClient, company: Any, registry_staff: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        api.force_authenticate(registry_staff)
        assert post(api, django_capture_on_commit_callbacks, {"text": TEXT}).status_code == 202

    def test_an_unknown_company_is_404(self, api: APIClient, representative: Any) -> None:
        api.force_authenticate(representative)
        response = api.post(submit_url("nope"), {"text": TEXT}, format="json")
        assert response.status_code == 404
        assert "detail" in response.json()


class TestReading:
    @pytest.fixture
    def scored(
        self, api: APIClient, company: Any, representative: Any, django_capture_on_commit_callbacks: Any
    ) -> Disclosure:
        api.force_authenticate(representative)
        response = post(api, django_capture_on_commit_callbacks, {"text": TEXT})
        api.force_authenticate(None)
        return Disclosure.objects.get(pk=response.json()["id"])

    def test_anyone_reads_a_scored_disclosure_with_score_and_findings(self, api: APIClient, scored: Any) -> None:
        response = api.get(detail_url(scored.pk))
        assert response.status_code == 200
        data = response.json()
        score = scored.scores.get()
        assert data["status"] == scored.status
        assert data["finished"] is True
        assert data["company"] == {"name": "Northwind Apparel Inc.", "slug": "northwind-apparel"}
        assert data["progress"] == {"done": 1, "total": 1}
        assert data["score"]["compliance_score"] == score.compliance_score
        assert data["score"]["grade"] == score.grade
        assert data["score"]["rubric"] == score.rubric_version
        assert data["score"]["cause"] == "new_disclosure"
        assert [finding["area"] for finding in data["findings"]] == list(AREAS)
        finding = data["findings"][0]
        assert set(finding) == {
            "area",
            "status",
            "effective_status",
            "qualifiers",
            "confidence",
            "evidence",
            "overridden",
        }
        assert data["html_url"] == f"/disclosures/{scored.pk}/"

    def test_an_override_shows_as_the_effective_status(self, api: APIClient, scored: Any, reviewer: Any) -> None:
        finding = scored.scores.get().findings.get(area="training")
        finding.overridden_status, finding.override_reason, finding.overridden_by = "does_not", "Checked.", reviewer
        finding.save()
        data = api.get(detail_url(scored.pk)).json()
        training = next(f for f in data["findings"] if f["area"] == "training")
        assert (training["effective_status"], training["overridden"]) == ("does_not", True)

    def test_an_unfinished_disclosure_is_visible_only_to_members_and_staff(
        self, api: APIClient, company: Any, representative: Any, other_representative: Any, reviewer: Any
    ) -> None:
        disclosure = DisclosureFactory(company=company, status=Disclosure.Status.EXTRACTING, page_count=8, pages_done=2)
        assert api.get(detail_url(disclosure.pk)).status_code == 404
        api.force_authenticate(other_representative)
        assert api.get(detail_url(disclosure.pk)).json() == {"detail": "No such disclosure."}
        api.force_authenticate(reviewer)
        assert api.get(detail_url(disclosure.pk)).status_code == 200
        api.force_authenticate(representative)
        data = api.get(detail_url(disclosure.pk)).json()
        assert (data["status"], data["progress"], data["score"], data["findings"]) == (
            "extracting",
            {"done": 2, "total": 8},
            None,
            [],
        )

    def test_a_member_reads_the_failure_reason(self, api: APIClient, company: Any, representative: Any) -> None:
        disclosure = DisclosureFactory(
            company=company, status=Disclosure.Status.FAILED, failure_code="encrypted", failure_reason="Locked."
        )
        api.force_authenticate(representative)
        data = api.get(detail_url(disclosure.pk)).json()
        assert (data["status"], data["failure_code"], data["failure_reason"]) == ("failed", "encrypted", "Locked.")

    def test_an_unknown_id_is_404(self, api: APIClient) -> None:
        assert api.get(detail_url(999999)).status_code == 404

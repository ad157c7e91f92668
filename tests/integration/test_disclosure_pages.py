"""The disclosure page, its status JSON and the original download: what each visitor may see."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disclosures.models import Disclosure
from disclosures.selectors.disclosures import FindingView, highlight
from disclosures.services.disclosures import disclosure_submit
from tests.factories import DisclosureFactory
from tests.fixtures.pdfs import multipage_pdf

pytestmark = pytest.mark.django_db

TEXT = (
    "Northwind Apparel supply chain disclosure.\n\n"
    "We engage an independent third party to conduct verification of product supply chains to evaluate and "
    "address risks of human trafficking and slavery. Our suppliers are subject to unannounced audits performed by "
    "an independent auditing firm. We require direct suppliers to certify that materials incorporated into our "
    "products comply with the laws regarding slavery and human trafficking. We maintain internal accountability "
    "standards and procedures for employees and contractors failing to meet company standards, up to and "
    "including termination. We provide training on human trafficking and slavery to employees and managers "
    "with direct responsibility for supply chain management. <script>alert('x')</script>"
)


@pytest.fixture
def scored(company: Any, representative: Any, django_capture_on_commit_callbacks: Any) -> Disclosure:
    with django_capture_on_commit_callbacks(execute=True):
        disclosure, _ = disclosure_submit(company=company, submitted_by=representative, text=TEXT)
    disclosure.refresh_from_db()
    assert disclosure.status in {Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW}
    return disclosure


@pytest.fixture
def extracting(company: Any) -> Disclosure:
    disclosure = DisclosureFactory(
        company=company, status=Disclosure.Status.EXTRACTING, page_count=10, pages_done=3, attempts=1
    )
    disclosure.original_file.save("x.bin", ContentFile(b"%PDF-1.7 pretend"), save=True)
    return disclosure


@pytest.fixture
def failed(company: Any) -> Disclosure:
    return DisclosureFactory(
        company=company,
        status=Disclosure.Status.FAILED,
        failure_code="no_text_layer",
        failure_reason="This PDF has no selectable text: it looks like a scanned image.",
    )


def detail_url(disclosure: Disclosure) -> str:
    return reverse("filings:detail", args=[disclosure.pk])


def status_url(disclosure: Disclosure) -> str:
    return reverse("filings:status_json", args=[disclosure.pk])


def original_url(disclosure: Disclosure) -> str:
    return reverse("filings:original", args=[disclosure.pk])


class TestTheResult:
    def test_anyone_sees_a_scored_disclosure_with_grade_scores_and_chips(self, client: Any, scored: Any) -> None:
        response = client.get(detail_url(scored))
        html = response.content.decode()
        score = scored.scores.get()
        assert response.status_code == 200
        assert f'class="grade grade-{score.grade}"' in html
        assert f'<span class="score-number">{score.compliance_score}</span>' in html
        assert f'<span class="score-number">{score.practice_score}</span>' in html
        assert html.count('class="chip chip-') >= 10  # five area chips at the top, five in the findings
        assert "status.js" not in html

    def test_each_area_chip_links_to_its_highlighted_evidence(self, client: Any, scored: Any) -> None:
        html = client.get(detail_url(scored)).content.decode()
        for finding in scored.scores.get().findings.all():
            if finding.evidence:
                anchor = f"ev-{finding.area}-1"
                assert f'href="#{anchor}"' in html
                assert re.search(rf'<(mark class="evidence[^"]*"|span class="evidence-anchor") id="{anchor}"', html)
            else:
                assert f'href="#finding-{finding.area}"' in html

    def test_the_text_is_shown_escaped(self, client: Any, scored: Any) -> None:
        html = client.get(detail_url(scored)).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html

    def test_the_original_link_is_only_for_members(
        self, client: Any, scored: Any, representative: Any, other_representative: Any
    ) -> None:
        assert original_url(scored) not in client.get(detail_url(scored)).content.decode()
        client.force_login(other_representative)
        assert original_url(scored) not in client.get(detail_url(scored)).content.decode()
        client.force_login(representative)
        assert original_url(scored) in client.get(detail_url(scored)).content.decode()

    def test_needs_review_is_said_plainly(self, client: Any, scored: Any) -> None:
        Disclosure.objects.filter(pk=scored.pk).update(status=Disclosure.Status.NEEDS_REVIEW)
        html = client.get(detail_url(scored)).content.decode()
        assert "a reviewer will check them" in html

    def test_the_page_runs_a_fixed_number_of_queries(
        self, client: Any, scored: Any, django_assert_num_queries: Any
    ) -> None:
        # disclosure+company, score, findings, pages.
        with django_assert_num_queries(4):
            assert client.get(detail_url(scored)).status_code == 200


class TestWhileProcessing:
    def test_a_member_sees_page_n_of_n_in_a_live_region(
        self, client: Any, extracting: Any, representative: Any
    ) -> None:
        client.force_login(representative)
        response = client.get(detail_url(extracting))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Reading page 3 of 10" in html
        assert 'aria-live="polite"' in html
        assert f'data-status-url="{status_url(extracting)}"' in html
        assert 'max="10" value="3"' in html
        assert "js/status.js" in html
        assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in html
        assert response["Cache-Control"] == "no-store"

    @pytest.mark.parametrize("who", ["anonymous", "shopper", "other_representative", "officer"])
    def test_it_is_hidden_from_everyone_else(self, client: Any, extracting: Any, who: str, request: Any) -> None:
        if who != "anonymous":
            client.force_login(request.getfixturevalue(who))
        assert client.get(detail_url(extracting)).status_code == 404
        assert client.get(status_url(extracting)).status_code == 404

    def test_staff_see_it(self, client: Any, extracting: Any, reviewer: Any) -> None:
        client.force_login(reviewer)
        assert client.get(detail_url(extracting)).status_code == 200

    def test_the_status_json_reports_progress(self, client: Any, extracting: Any, representative: Any) -> None:
        client.force_login(representative)
        response = client.get(status_url(extracting))
        assert response.status_code == 200
        assert "no-cache" in response["Cache-Control"]
        data = response.json()
        assert data["status"] == "extracting"
        assert data["finished"] is False
        assert data["progress"] == {"done": 3, "total": 10}
        assert data["message"] == "Reading page 3 of 10…"
        assert data["detail_url"] == detail_url(extracting)

    def test_the_status_json_says_when_it_is_done(self, client: Any, scored: Any) -> None:
        data = client.get(status_url(scored)).json()
        assert data["finished"] is True
        assert data["status"] == scored.status
        assert data["progress"] == {"done": 1, "total": 1}


class TestFailures:
    def test_a_member_sees_the_reason_and_what_to_do(self, client: Any, failed: Any, representative: Any) -> None:
        client.force_login(representative)
        html = client.get(detail_url(failed)).content.decode()
        assert "This PDF has no selectable text: it looks like a scanned image." in html
        assert "This looks like a scan. Upload the PDF your word processor made" in html
        assert reverse("filings:submit", args=[failed.company.slug]) in html

    def test_nobody_else_sees_it(self, client: Any, failed: Any) -> None:
        assert client.get(detail_url(failed)).status_code == 404


class TestOriginal:
    def test_a_member_downloads_the_kept_pdf_as_an_attachment(
        self, client: Any, company: Any, representative: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        pdf = multipage_pdf(pages=1)
        with django_capture_on_commit_callbacks(execute=True):
            disclosure, _ = disclosure_submit(
                company=company, submitted_by=representative, upload=SimpleUploadedFile("a<b>.pdf", pdf)
            )
        client.force_login(representative)
        response = client.get(original_url(disclosure))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == pdf
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="northwind-apparel-disclosure-{disclosure.pk}.pdf"'
        )
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_pasted_text_downloads_as_plain_text(self, client: Any, scored: Any, representative: Any) -> None:
        client.force_login(representative)
        response = client.get(original_url(scored))
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response["Content-Disposition"].endswith(f'-disclosure-{scored.pk}.txt"')
        assert b"".join(response.streaming_content) == TEXT.encode()

    def test_a_web_page_is_never_served_as_html(self, client: Any, scored: Any, representative: Any) -> None:
        Disclosure.objects.filter(pk=scored.pk).update(content_kind=Disclosure.ContentKind.HTML)
        client.force_login(representative)
        response = client.get(original_url(scored))
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment;")

    def test_staff_may_download(self, client: Any, extracting: Any, superuser: Any) -> None:
        client.force_login(superuser)
        assert client.get(original_url(extracting)).status_code == 200

    @pytest.mark.parametrize("who", ["anonymous", "shopper", "other_representative"])
    def test_others_get_404_even_for_a_public_disclosure(
        self, client: Any, scored: Any, who: str, request: Any
    ) -> None:
        if who != "anonymous":
            client.force_login(request.getfixturevalue(who))
        assert client.get(original_url(scored)).status_code == 404


class TestHighlight:
    def finding(self, area: str, spans: list[tuple[int, int]]) -> FindingView:
        evidence = tuple(
            {"quote": "", "page": 1, "start": start, "end": end, "anchor": f"ev-{area}-{n}"}
            for n, (start, end) in enumerate(spans, start=1)
        )
        return FindingView(
            area=area,
            area_label=area.title(),
            question="",
            status="does",
            status_label="Does it",
            automatic_status="does",
            overridden=False,
            override_reason="",
            confidence=1.0,
            qualifiers=(),
            signals=(),
            evidence=evidence,
        )

    def test_it_marks_evidence_and_keeps_every_anchor_when_quotes_overlap(self) -> None:
        text = "We audit suppliers. We train staff. The end."
        findings = [self.finding("audits", [(0, 19)]), self.finding("verification", [(3, 18)])]
        segments = highlight(text, 1, findings)
        assert "".join(piece.text for piece in segments) == text
        assert [(piece.anchor, piece.alias) for piece in segments if piece.anchor] == [
            ("ev-audits-1", False),
            ("ev-verification-1", True),
        ]

    def test_it_ignores_offsets_outside_the_page(self) -> None:
        text = "Short page."
        segments = highlight(text, 1, [self.finding("training", [(5, 500), (600, 700)])])
        assert "".join(piece.text for piece in segments) == text
        assert [piece.text for piece in segments if piece.anchor] == [" page."]

"""Homepage checks against a real local web server: finding the link, ingesting, and noticing changes."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from pytest_httpserver import HTTPServer

from disclosures.models import Company, Disclosure, HomepageCheck
from disclosures.services.disclosures import disclosure_submit
from disclosures.services.discovery import company_homepage_check, company_homepage_recheck_all
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

DISCLOSURE = (
    "<html><body><main><h1>California Transparency in Supply Chains Act Disclosure</h1>"
    "<p>We engage an independent third party to conduct verification of product supply chains to evaluate and "
    "address risks of human trafficking and slavery. Our suppliers are subject to unannounced audits by an "
    "independent auditing firm. We train supply chain managers on human trafficking and slavery.</p>"
    "</main></body></html>"
)
CHANGED = DISCLOSURE.replace("We train", "Every year we train")


def homepage(link: str = "", label: str = "California Transparency in Supply Chains Act") -> str:
    footer = f'<footer><a href="/privacy">Privacy</a> <a href="{link}">{label}</a></footer>' if link else "<footer/>"
    return (
        "<!doctype html><html><body><header><nav><a href='/shop'>Shop</a></nav></header>"
        f"<main><h1>Northwind Apparel</h1><p>Clothes for everyone.</p></main>{footer}</body></html>"
    )


@pytest.fixture
def site(httpserver: HTTPServer, company: Any, settings: Any) -> HTTPServer:
    settings.URL_FETCH_ALLOW_PRIVATE = True
    company.website = httpserver.url_for("/")
    company.save()
    return httpserver


def serve(server: HTTPServer, home: str, pages: dict[str, str] | None = None) -> None:
    server.clear()
    server.expect_request("/").respond_with_data(home, content_type="text/html")
    for path, body in (pages or {}).items():
        server.expect_request(path).respond_with_data(body, content_type="text/html")


def check(company: Any, capture: Any) -> HomepageCheck:
    with capture(execute=True):
        return company_homepage_check(company=company)


class TestFirstVisit:
    def test_it_records_the_link_and_ingests_the_disclosure(
        self, site: HTTPServer, company: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        serve(site, homepage("/ca-disclosure"), {"/ca-disclosure": DISCLOSURE})
        result = check(company, django_capture_on_commit_callbacks)
        assert result.link_found
        assert result.link_url == site.url_for("/ca-disclosure")
        assert result.link_label == "California Transparency in Supply Chains Act"
        assert result.placement == HomepageCheck.Placement.FOOTER
        assert result.label_understandable
        assert result.change == HomepageCheck.Change.FIRST
        assert result.http_status == 200
        assert result.error == ""
        disclosure = Disclosure.objects.get(company=company)
        assert disclosure.source == Disclosure.Source.DISCOVERED
        assert disclosure.submitted_by is None
        assert disclosure.source_url == site.url_for("/ca-disclosure")
        assert disclosure.sha256 == result.disclosure_sha256
        assert disclosure.status in {Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW}
        score = disclosure.scores.get()
        assert score.homepage_checked
        assert score.cause == "new_disclosure"

    def test_a_vague_label_is_found_but_not_understandable(
        self, site: HTTPServer, company: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        serve(site, homepage("/legal/ctsca", label="CA"), {"/legal/ctsca": DISCLOSURE})
        result = check(company, django_capture_on_commit_callbacks)
        assert result.link_found
        assert not result.label_understandable

    def test_no_link_is_recorded_as_not_found(
        self, site: HTTPServer, company: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        serve(site, homepage())
        result = check(company, django_capture_on_commit_callbacks)
        assert (result.link_found, result.placement, result.change) == (False, "none", "first")
        assert not Disclosure.objects.exists()

    def test_a_company_that_already_submitted_keeps_its_own_disclosure(
        self,
        site: HTTPServer,
        company: Any,
        representative: Any,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            own, _ = disclosure_submit(company=company, submitted_by=representative, text="We audit suppliers.")
        serve(site, homepage("/ca"), {"/ca": DISCLOSURE})
        check(company, django_capture_on_commit_callbacks)
        assert list(Disclosure.objects.values_list("pk", flat=True)) == [own.pk]

    def test_an_unreachable_homepage_is_an_error_not_a_change(
        self, site: HTTPServer, company: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        site.expect_request("/").respond_with_data("down", status=503)
        result = check(company, django_capture_on_commit_callbacks)
        assert "503" in result.error
        assert not result.link_found

    def test_a_private_address_is_refused_without_the_setting(
        self, site: HTTPServer, company: Any, settings: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        settings.URL_FETCH_ALLOW_PRIVATE = False
        serve(site, homepage("/ca"), {"/ca": DISCLOSURE})
        result = check(company, django_capture_on_commit_callbacks)
        assert result.error
        assert site.log == []

    def test_a_company_without_a_website_says_so(self, company: Any) -> None:
        company.website = ""
        company.save()
        with pytest.raises(CommandError, match=r"Northwind Apparel Inc\. has no website on file\."):
            call_command("check_homepages", "--company", company.slug)
        assert not HomepageCheck.objects.exists()


class TestLaterVisits:
    def test_nothing_new_is_unchanged(
        self, site: HTTPServer, company: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        serve(site, homepage("/ca"), {"/ca": DISCLOSURE})
        check(company, django_capture_on_commit_callbacks)
        assert check(company, django_capture_on_commit_callbacks).change == HomepageCheck.Change.UNCHANGED
        assert Disclosure.objects.count() == 1

    def test_new_content_is_a_change_and_is_ingested(
        self, site: HTTPServer, company: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        serve(site, homepage("/ca"), {"/ca": DISCLOSURE})
        check(company, django_capture_on_commit_callbacks)
        serve(site, homepage("/ca"), {"/ca": CHANGED})
        assert check(company, django_capture_on_commit_callbacks).change == HomepageCheck.Change.CHANGED
        assert Disclosure.objects.filter(source=Disclosure.Source.DISCOVERED).count() == 2

    def test_the_same_content_at_a_new_address_has_moved(
        self, site: HTTPServer, company: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        serve(site, homepage("/ca"), {"/ca": DISCLOSURE})
        check(company, django_capture_on_commit_callbacks)
        serve(site, homepage("/legal/supply-chain"), {"/legal/supply-chain": DISCLOSURE})
        assert check(company, django_capture_on_commit_callbacks).change == HomepageCheck.Change.MOVED
        assert Disclosure.objects.count() == 1

    def test_an_outage_after_a_good_visit_is_not_called_a_disappearance(
        self, site: HTTPServer, company: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        serve(site, homepage("/ca"), {"/ca": DISCLOSURE})
        check(company, django_capture_on_commit_callbacks)
        site.clear()
        site.expect_request("/").respond_with_data("down", status=500)
        result = check(company, django_capture_on_commit_callbacks)
        assert (result.change, result.http_status) == (HomepageCheck.Change.UNCHANGED, 500)
        assert "HTTP 500" in result.error

    def test_a_removed_link_has_disappeared(
        self, site: HTTPServer, company: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        serve(site, homepage("/ca"), {"/ca": DISCLOSURE})
        check(company, django_capture_on_commit_callbacks)
        serve(site, homepage())
        assert check(company, django_capture_on_commit_callbacks).change == HomepageCheck.Change.DISAPPEARED

    def test_a_new_link_has_appeared_and_is_ingested(
        self, site: HTTPServer, company: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        serve(site, homepage())
        check(company, django_capture_on_commit_callbacks)
        serve(site, homepage("/ca"), {"/ca": DISCLOSURE})
        assert check(company, django_capture_on_commit_callbacks).change == HomepageCheck.Change.APPEARED
        assert Disclosure.objects.filter(source=Disclosure.Source.DISCOVERED).count() == 1

    def test_a_new_homepage_signal_rescores_the_published_disclosure(
        self,
        site: HTTPServer,
        company: Any,
        representative: Any,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            own, _ = disclosure_submit(company=company, submitted_by=representative, text="We audit our suppliers.")
        before = own.scores.get()
        assert not before.homepage_checked
        serve(site, homepage("/ca"), {"/ca": DISCLOSURE})
        check(company, django_capture_on_commit_callbacks)
        score = own.scores.get()
        assert score.homepage_checked
        assert score.cause == "rescore"
        assert score.compliance_score > before.compliance_score  # the statute's conspicuous homepage link


class TestEveryCompany:
    def test_the_monthly_job_checks_every_company_with_a_website(
        self, site: HTTPServer, company: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        serve(site, homepage())
        CompanyFactory(slug="no-site", website="")
        CompanyFactory(slug="also-here", website=site.url_for("/"))
        with django_capture_on_commit_callbacks(execute=True):
            assert company_homepage_recheck_all() == 2
        assert HomepageCheck.objects.count() == 2
        assert not HomepageCheck.objects.filter(company__slug="no-site").exists()

    def test_the_command_checks_one_company(
        self, site: HTTPServer, company: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        serve(site, homepage("/ca"), {"/ca": DISCLOSURE})
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("check_homepages", "--company", company.slug, stdout=out)
        assert out.getvalue() == (
            "northwind-apparel: link 'California Transparency in Supply Chains Act' in the footer; first check.\n"
        )
        assert Company.objects.get(pk=company.pk).homepage_checks.count() == 1

"""Database constraints hold even when code forgets to check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from disclosures.models import AuditEvent, Certification, Finding
from tests import factories

pytestmark = pytest.mark.django_db


def test_company_slugs_are_unique() -> None:
    factories.CompanyFactory(slug="acme")
    with pytest.raises(IntegrityError):
        factories.CompanyFactory(slug="acme")


def test_the_same_content_cannot_be_stored_twice_for_one_company() -> None:
    disclosure = factories.DisclosureFactory(sha256="a" * 64)
    with pytest.raises(IntegrityError):
        factories.DisclosureFactory(company=disclosure.company, sha256="a" * 64)


def test_the_same_content_may_belong_to_two_companies() -> None:
    factories.DisclosureFactory(sha256="b" * 64)
    factories.DisclosureFactory(sha256="b" * 64)


def test_registry_numbers_are_unique(contractor: object) -> None:
    Certification.objects.create(number="CSR-2026-000001-7", contractor=contractor, cert_type="pcc6108")
    with pytest.raises(IntegrityError):
        Certification.objects.create(number="CSR-2026-000001-7", contractor=contractor, cert_type="pcc6108")


def test_a_contract_cannot_end_before_it_starts() -> None:
    with pytest.raises(IntegrityError):
        factories.ContractFactory(start_date=dt.date(2026, 5, 1), end_date=dt.date(2026, 4, 30))


def test_a_certification_cannot_expire_before_it_takes_effect(contractor: object) -> None:
    with pytest.raises(IntegrityError):
        Certification.objects.create(
            number="CSR-2026-000002-5",
            contractor=contractor,
            cert_type="pcc6108",
            effective_from=dt.date(2026, 3, 1),
            effective_to=dt.date(2026, 2, 1),
        )


def test_one_score_per_disclosure_and_rubric_version() -> None:
    score = factories.DisclosureScoreFactory()
    with pytest.raises(IntegrityError):
        factories.DisclosureScoreFactory(disclosure=score.disclosure, rubric_version=score.rubric_version)


def test_an_override_without_a_reason_is_refused() -> None:
    finding = factories.FindingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.filter(pk=finding.pk).update(overridden_status="silent", override_reason="")


def test_scores_stay_within_100() -> None:
    with pytest.raises(IntegrityError):
        factories.DisclosureScoreFactory(compliance_score=101)


def test_audit_events_cannot_be_changed_or_deleted() -> None:
    event = AuditEvent.objects.create(action="test.event", summary="first")
    event.summary = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == "first"

"""The registry demo: every status is present, users are attached, and a second run creates nothing."""

from __future__ import annotations

from datetime import date

import pytest

from disclosures.models import AuditEvent, Certification, Contractor, ContractorMembership, Sanction, WatchlistEntry
from disclosures.models.registry import CertificationStatus
from disclosures.services.registry_demo import registry_seed_demo

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)


def counts() -> tuple[int, ...]:
    return (
        Contractor.objects.count(),
        Certification.objects.count(),
        Sanction.objects.count(),
        ContractorMembership.objects.count(),
        WatchlistEntry.objects.count(),
    )


def test_it_creates_twelve_fictional_contractors_in_every_status(
    contractor_staff: object, registry_staff: object, officer: object
) -> None:
    summary = registry_seed_demo(
        today=TODAY, contractor_staff_user=contractor_staff, registry_staff_user=registry_staff, officer_user=officer
    )
    demo = Contractor.objects.filter(slug__startswith="demo-")
    assert demo.count() == 12
    assert all("(Demo)" in name for name in demo.values_list("legal_name", flat=True))
    assert set(summary["statuses"]) == set(CertificationStatus.values)
    assert summary["sanctions"] >= 3


def test_it_attaches_memberships_and_a_watchlist(
    contractor_staff: object, registry_staff: object, officer: object
) -> None:
    registry_seed_demo(
        today=TODAY, contractor_staff_user=contractor_staff, registry_staff_user=registry_staff, officer_user=officer
    )
    assert ContractorMembership.objects.filter(user=contractor_staff, contractor__slug__startswith="demo-").count() == 2
    assert WatchlistEntry.objects.filter(user=officer).count() == 3
    assert Certification.objects.filter(verified_by=registry_staff).exists()


def test_it_shows_an_amendment_a_stale_form_and_a_public_works_contract() -> None:
    registry_seed_demo(today=TODAY)
    amended = Certification.objects.filter(contractor__slug="demo-high-desert-medical", cert_type="pcc6108").get()
    assert amended.status == CertificationStatus.ACTIVE
    assert amended.contract.amendments.count() == 1
    assert Certification.objects.filter(form_revision="CCC 07/2010", status=CertificationStatus.ACTIVE).exists()
    paving = Certification.objects.get(contractor__slug="demo-central-valley-paving")
    assert paving.status == CertificationStatus.NOT_APPLICABLE


def test_running_it_twice_creates_nothing_new(
    contractor_staff: object, registry_staff: object, officer: object
) -> None:
    users = {"contractor_staff_user": contractor_staff, "registry_staff_user": registry_staff, "officer_user": officer}
    registry_seed_demo(today=TODAY, **users)
    before = counts()
    events = AuditEvent.objects.count()
    second = registry_seed_demo(today=TODAY, **users)
    assert counts() == before
    assert (second["contractors"], second["certifications"], second["sanctions"]) == (0, 0, 0)
    assert AuditEvent.objects.count() == events

"""Seeded data for the open-data tests: companies with and without disclosures, old and new versions.

Kept apart from tests/factories.py because it encodes one scenario, not a row type.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from disclosures.models import Certification, Company, Disclosure, DisclosureScore
from disclosures.models.companies import Coverage, Industry
from tests import factories

LA = dt.timezone(dt.timedelta(hours=-8))


def aware(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 12, 0, tzinfo=LA)


def scored_disclosure(
    company: Company,
    *,
    created: dt.datetime,
    tier: str,
    grade: str,
    compliance: int,
    practice: int,
    findings: dict[str, tuple[str, dict[str, str]]] | None = None,
    status: str = Disclosure.Status.SCORED,
    reporting_year: int | None = None,
    source_url: str = "",
) -> DisclosureScore:
    disclosure = factories.DisclosureFactory(
        company=company, status=status, reporting_year=reporting_year, source_url=source_url
    )
    # created_at is auto_now_add: set the date the scenario needs afterwards.
    Disclosure.objects.filter(pk=disclosure.pk).update(created_at=created)
    score = factories.DisclosureScoreFactory(
        disclosure=disclosure,
        tier=tier,
        grade=grade,
        compliance_score=compliance,
        practice_score=practice,
        scored_at=created + dt.timedelta(minutes=5),
    )
    for area, (finding_status, qualifiers) in (findings or {}).items():
        factories.FindingFactory(score=score, area=area, status=finding_status, qualifiers=qualifiers)
    return score


@dataclass
class Seed:
    acme: Company
    bolt: Company
    cobalt: Company
    delta: Company
    evil: Company
    acme_latest: DisclosureScore
    bolt_latest: DisclosureScore


def seed_companies() -> Seed:
    acme = factories.CompanyFactory(name="Acme Apparel Inc.", slug="acme-apparel", industry=Industry.APPAREL)
    bolt = factories.CompanyFactory(
        name="Bolt Electronics", slug="bolt-electronics", industry=Industry.ELECTRONICS, coverage=Coverage.UNKNOWN
    )
    cobalt = factories.CompanyFactory(name="Cobalt Toys", slug="cobalt-toys", industry=Industry.TOYS)
    delta = factories.CompanyFactory(
        name="Delta Foods", slug="delta-foods", industry=Industry.FOOD, disclosure_url="https://delta.example/ca"
    )
    evil = factories.CompanyFactory(name='=Evil, "Quoted" Foods', slug="evil-foods", industry=Industry.FOOD)

    scored_disclosure(
        acme, created=aware(2023, 5, 1), tier="minimal", grade="F", compliance=30, practice=5, reporting_year=2022
    )
    acme_latest = scored_disclosure(
        acme,
        created=aware(2025, 3, 14),
        tier="substantial",
        grade="B",
        compliance=83,
        practice=64,
        source_url="https://acme.example/supply-chain",
        findings={
            "verification": ("does", {"performed_by": "third_party"}),
            "audits": ("does", {"independence": "independent", "announcement": "unannounced"}),
            "certification": ("does_not", {}),
            "accountability": ("silent", {}),
            "training": ("unclear", {}),
        },
    )
    training = acme_latest.findings.get(area="training")
    training.overridden_status = "does"
    training.override_reason = "The reviewer read page 2."
    training.save()

    bolt_latest = scored_disclosure(
        bolt,
        created=aware(2024, 7, 2),
        tier="partial",
        grade="C",
        compliance=58,
        practice=31,
        status=Disclosure.Status.NEEDS_REVIEW,
        reporting_year=2024,
        findings={
            "verification": ("does_hedged", {"performed_by": "internal"}),
            "audits": ("does_hedged", {"independence": "unspecified", "announcement": "announced"}),
            "certification": ("silent", {}),
            "accountability": ("does", {}),
            "training": ("does_not", {}),
        },
    )
    # A newer upload that failed does not replace what the public sees.
    factories.DisclosureFactory(company=bolt, status=Disclosure.Status.FAILED)
    # Delta has only an upload still waiting for the worker: no published disclosure yet.
    factories.DisclosureFactory(company=delta, status=Disclosure.Status.RECEIVED)
    scored_disclosure(evil, created=aware(2024, 1, 9), tier="complete", grade="A", compliance=100, practice=90)
    return Seed(acme, bolt, cobalt, delta, evil, acme_latest, bolt_latest)


def seed_registry() -> dict[str, Any]:
    contractor = factories.ContractorFactory(legal_name="Golden Bear Uniforms LLC", sos_number="201912345678")
    other = factories.ContractorFactory(legal_name="Sierra Laundry Co.", sos_number=None)
    shown = {}
    for number, status, owner in [
        ("CSR-2026-000001-4", "active", contractor),
        ("CSR-2026-000002-2", "revoked", contractor),
        ("CSR-2026-000003-0", "not_applicable", other),
        ("CSR-2026-000004-9", "draft", contractor),
        ("CSR-2026-000005-7", "submitted", other),
        ("CSR-2026-000006-5", "rejected", other),
    ]:
        certification = Certification.objects.create(
            number=number,
            contractor=owner,
            cert_type="pcc6108",
            status=status,
            signer_name="Secret Signer",
            signer_title="Chief Executive",
            document_sha256="f" * 64,
            effective_from=dt.date(2026, 1, 1),
            effective_to=dt.date(2026, 12, 31) if status != "not_applicable" else None,
        )
        shown[number] = certification
    factories.ContractFactory(contractor=contractor)
    return shown


def local_date(value: dt.datetime) -> str:
    return timezone.localdate(value).isoformat()

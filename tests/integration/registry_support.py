"""Builders for registry tests: contracts and certifications in any status, made through the real services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile

from disclosures.models import Certification, Contract, Contractor
from disclosures.services import registry as services

TODAY = date(2026, 3, 2)
IN_FORCE = (date(2026, 1, 1), date(2026, 12, 31))
FUTURE = (date(2026, 6, 1), date(2027, 5, 31))
ENDED = (date(2025, 1, 1), date(2025, 12, 31))
_counter = {"n": 0}


def pdf(text: str = "signed") -> ContentFile:
    return ContentFile(f"%PDF-1.4\n% {text}\n%%EOF\n".encode(), name="signed.pdf")


def make_contract(
    contractor: Contractor, *, category: str = "apparel", dates: tuple[date, date] = IN_FORCE, value: int = 250_000
) -> Contract:
    _counter["n"] += 1
    fields = services.ContractFields(
        agency="Department of General Services",
        number=f"T-{_counter['n']:05d}",
        category=category,
        start_date=dates[0],
        end_date=dates[1],
        value=value,
    )
    return services.contract_create(contractor=contractor, fields=fields)


def make_draft(
    contract: Contract, *, cert_type: str = "pcc6108", author: Any = None, form: str = "CCC 04/2017"
) -> Certification:
    fields = services.CertificationDraftFields(
        cert_type=cert_type,
        contract=contract,
        form_revision=form,
        signer_name="Pat Signer",
        signer_title="President",
        signed_date=TODAY - timedelta(days=5),
        under_penalty_of_perjury=True,
        access_cooperation=True,
    )
    certification = services.certification_create(
        contractor=contract.contractor, fields=fields, created_by=author, today=TODAY
    )
    services.certification_document_attach(certification=certification, upload=pdf(certification.number), actor=author)
    return certification


def _after_submission(certification: Certification, stage: str, staff: Any) -> Certification | None:
    decisions = {
        "rejected": lambda: services.certification_reject(certification=certification, reason="Unsigned.", actor=staff),
        "not_applicable": lambda: services.certification_mark_not_applicable(
            certification=certification, reason="Out.", actor=staff
        ),
    }
    return decisions[stage]() if stage in decisions else None


def _after_verification(certification: Certification, stage: str, staff: Any) -> None:
    if stage == "suspended":
        services.certification_suspend(certification=certification, reason="Investigation.", actor=staff)
    elif stage == "revoked":
        services.certification_revoke(certification=certification, reason="False.", actor=staff)
    elif stage == "superseded":
        newer = make_certification(certification.contract, "verified", cert_type=certification.cert_type, staff=staff)
        certification.refresh_from_db()
        assert newer.status != "superseded"


def make_certification(
    contract: Contract,
    stage: str = "active",
    *,
    cert_type: str = "pcc6108",
    staff: Any = None,
    method: str = "document_reviewed",
    form: str = "CCC 04/2017",
) -> Certification:
    """Drive a certification to ``stage``: draft, submitted, rejected, verified (dates decide: verified, active or
    expired), suspended, revoked, superseded or not_applicable."""
    certification = make_draft(contract, cert_type=cert_type, form=form)
    if stage == "draft":
        return certification
    services.certification_submit(certification=certification, actor=None)
    if stage == "submitted" or _after_submission(certification, stage, staff) is not None:
        return certification
    services.certification_verify(certification=certification, method=method, verified_by=staff, today=TODAY)
    _after_verification(certification, stage, staff)
    return certification


def certification_in(status: str, contractor: Contractor) -> Certification:
    """A certification whose stored status is ``status`` (dates chosen so it stays there)."""
    dates = {"verified": FUTURE, "expired": ENDED}.get(status, IN_FORCE)
    stage = {"active": "verified", "verified": "verified", "expired": "verified"}.get(status, status)
    certification = make_certification(make_contract(contractor, dates=dates), stage)
    assert certification.status == status, (certification.status, status)
    return certification

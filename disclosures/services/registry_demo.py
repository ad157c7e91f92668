"""Demo data for the registry: twelve FICTIONAL contractors covering every certification status.

Every name, number and person here is invented for the quickstart site; any resemblance to a real business is
accidental. Everything is created through the registry services, so the demo also exercises the real lifecycle
(drafts, documents, submission, verification, activation, expiry, suspension, revocation, supersession,
sanctions, an amendment). Idempotent: a contractor that already exists (by slug) is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from disclosures.models import Certification, Contract, Contractor, RegistrySettings, Sanction
from disclosures.models.registry import CertificationStatus, ContractCategory, VerificationMethod
from disclosures.services import registry as services
from disclosures.services.watchlists import watchlist_follow

Status = CertificationStatus
OLD_FORM = "CCC 07/2010"
DEMO_AGENCY = "Department of Demo Procurement (fictional)"


@dataclass(frozen=True, slots=True)
class DemoContractor:
    slug: str
    name: str
    sos_number: str
    supplier_id: str
    category: str
    starts: int  # days from today (negative: in the past)
    ends: int
    builder: str  # which lifecycle to run, see BUILDERS


DEMO_CONTRACTORS: tuple[DemoContractor, ...] = (
    DemoContractor("demo-golden-poppy-uniforms", "Golden Poppy Uniform Works (Demo)", "D0000000001", "DEMO0001",
                   ContractCategory.APPAREL, -120, 240, "active"),
    DemoContractor("demo-redwood-linen-laundry", "Redwood Linen Laundry Co. (Demo)", "D0000000002", "DEMO0002",
                   ContractCategory.LAUNDERING, 45, 410, "verified"),
    DemoContractor("demo-sierra-safety-supply", "Sierra Safety Supply (Demo)", "D0000000003", "DEMO0003",
                   ContractCategory.EQUIPMENT_SUPPLIES, -10, 355, "submitted"),
    DemoContractor("demo-pacific-tarp-canvas", "Pacific Tarp & Canvas (Demo)", "D0000000004", "DEMO0004",
                   ContractCategory.EQUIPMENT_SUPPLIES, 20, 385, "draft"),
    DemoContractor("demo-mojave-boot-makers", "Mojave Boot Makers (Demo)", "D0000000005", "DEMO0005",
                   ContractCategory.APPAREL, -400, -12, "expired"),
    DemoContractor("demo-coastline-garments", "Coastline Garment Partners (Demo)", "D0000000006", "DEMO0006",
                   ContractCategory.APPAREL, -200, 165, "suspended"),
    DemoContractor("demo-tule-fog-textiles", "Tule Fog Textiles (Demo)", "D0000000007", "DEMO0007",
                   ContractCategory.APPAREL, -300, 65, "revoked"),
    DemoContractor("demo-bay-bridge-office-goods", "Bay Bridge Office Goods (Demo)", "D0000000008", "DEMO0008",
                   ContractCategory.EQUIPMENT_SUPPLIES, -90, 275, "superseded"),
    DemoContractor("demo-central-valley-paving", "Central Valley Paving (Demo)", "D0000000009", "DEMO0009",
                   ContractCategory.PUBLIC_WORKS, -30, 335, "not_applicable"),
    DemoContractor("demo-shasta-workwear", "Shasta Workwear Collective (Demo)", "D0000000010", "DEMO0010",
                   ContractCategory.APPAREL, 10, 375, "rejected"),
    DemoContractor("demo-channel-islands-apparel", "Channel Islands Apparel (Demo)", "D0000000011", "DEMO0011",
                   ContractCategory.APPAREL, -340, 21, "stale_expiring"),
    DemoContractor("demo-high-desert-medical", "High Desert Medical Supply (Demo)", "D0000000012", "DEMO0012",
                   ContractCategory.EQUIPMENT_SUPPLIES, -380, -5, "amended"),
)  # fmt: skip


@dataclass
class _Context:
    today: date
    staff: Any  # registry staff user (or None): verifies and decides
    author: Any  # contractor staff user (or None): drafts and submits
    created: dict[str, int]


def _contract(contractor: Contractor, spec: DemoContractor, today: date, suffix: str = "A") -> Contract:
    fields = services.ContractFields(
        agency=DEMO_AGENCY,
        number=f"DEMO-{spec.supplier_id[-4:]}-{suffix}",
        category=spec.category,
        start_date=today + timedelta(days=spec.starts),
        end_date=today + timedelta(days=spec.ends),
        value=Decimal("725000.00") if spec.builder == "stale_expiring" else Decimal("185000.00"),
    )
    return services.contract_create(contractor=contractor, fields=fields)


def _draft(context: _Context, contract: Contract, cert_type: str, form: str = "CCC 04/2017") -> Certification:
    fields = services.CertificationDraftFields(
        cert_type=cert_type,
        contract=contract,
        form_revision=form,
        signer_name="Jordan Example",
        signer_title="Chief Compliance Officer (fictional)",
        signed_date=context.today - timedelta(days=30),
        under_penalty_of_perjury=True,
        access_cooperation=True,
    )
    certification = services.certification_create(
        contractor=contract.contractor, fields=fields, created_by=context.author, today=context.today
    )
    body = f"%PDF-1.4\n% FICTIONAL demo certification {certification.number}\n%%EOF\n".encode()
    services.certification_document_attach(
        certification=certification, upload=ContentFile(body, name="signed.pdf"), actor=context.author
    )
    context.created["certifications"] += 1
    return certification


def _submitted(context: _Context, contract: Contract, cert_type: str, form: str = "CCC 04/2017") -> Certification:
    certification = _draft(context, contract, cert_type, form)
    return services.certification_submit(certification=certification, actor=context.author)


def _verified(
    context: _Context,
    contract: Contract,
    cert_type: str,
    form: str = "CCC 04/2017",
    method: str = VerificationMethod.DOCUMENT_REVIEWED,
) -> Certification:
    certification = _submitted(context, contract, cert_type, form)
    return services.certification_verify(
        certification=certification, method=method, verified_by=context.staff, today=context.today
    )


def _pair(context: _Context, contract: Contract) -> list[Certification]:
    return [_verified(context, contract, "pcc6108"), _verified(context, contract, "sweatfree_code")]


def _sanction(context: _Context, contractor: Contractor, fields: services.SanctionFields) -> None:
    services.sanction_record(contractor=contractor, fields=fields, created_by=context.staff)
    context.created["sanctions"] += 1


def _build_active(context: _Context, contract: Contract) -> None:
    _pair(context, contract)
    _verified(context, contract, "recruitment_commitments")


def _build_draft(context: _Context, contract: Contract) -> None:
    _draft(context, contract, "pcc6108")


def _build_submitted(context: _Context, contract: Contract) -> None:
    _submitted(context, contract, "pcc6108")
    _submitted(context, contract, "sweatfree_code")


def _build_suspended(context: _Context, contract: Contract) -> None:
    _verified(context, contract, "sweatfree_code")
    fields = services.SanctionFields(
        kind=Sanction.Kind.PAYMENT_SUSPENSION,
        start_date=context.today - timedelta(days=7),
        authority="Department of Industrial Relations (fictional referral)",
        contract=contract,
        hearing_reference="DEMO-INV-0006",
    )
    _verified(context, contract, "pcc6108")
    _sanction(context, contract.contractor, fields)  # suspends the active certifications on this contract


def _build_revoked(context: _Context, contract: Contract) -> None:
    _pair(context, contract)
    start = context.today - timedelta(days=20)
    kinds = [
        services.SanctionFields(kind=Sanction.Kind.CONTRACT_VOIDED, start_date=start, authority="Demo agency counsel",
                                contract=contract, hearing_reference="DEMO-HRG-0007"),
        services.SanctionFields(kind=Sanction.Kind.PENALTY, start_date=start, authority="Demo agency counsel",
                                contract=contract, tainted_goods_value=Decimal("120000.00")),
        services.SanctionFields(kind=Sanction.Kind.BIDDERS_LIST_REMOVAL, start_date=start,
                                end_date=start + timedelta(days=360), authority="Demo agency counsel"),
    ]  # fmt: skip
    for fields in kinds:
        _sanction(context, contract.contractor, fields)


def _build_superseded(context: _Context, contract: Contract) -> None:
    _verified(context, contract, "pcc6108", form=OLD_FORM)
    _verified(context, contract, "sweatfree_code")
    _verified(context, contract, "pcc6108")  # replaces the first one: it becomes superseded


def _build_not_applicable(context: _Context, contract: Contract) -> None:
    services.certification_create(
        contractor=contract.contractor,
        fields=services.CertificationDraftFields(cert_type="pcc6108", contract=contract),
        created_by=context.author,
        today=context.today,
    )
    context.created["certifications"] += 1


def _build_rejected(context: _Context, contract: Contract) -> None:
    certification = _submitted(context, contract, "pcc6108")
    services.certification_reject(
        certification=certification,
        reason="The signature page is missing from the uploaded document (demo).",
        actor=context.staff,
    )


def _build_stale_expiring(context: _Context, contract: Contract) -> None:
    _verified(context, contract, "pcc6108", form=OLD_FORM, method=VerificationMethod.SELF_REPORTED)
    _verified(context, contract, "sweatfree_code", form=OLD_FORM)
    _verified(context, contract, "recruitment_commitments", method=VerificationMethod.SELF_REPORTED)


def _build_amended(context: _Context, contract: Contract) -> None:
    _pair(context, contract)  # the contract already ended: both expire on verification
    services.contract_amend(
        contract=contract,
        reference="Amendment 1 (demo)",
        signed_date=context.today - timedelta(days=3),
        new_end_date=context.today + timedelta(days=180),
        actor=context.staff,
        today=context.today,
    )


def _build_expired(context: _Context, contract: Contract) -> None:
    _pair(context, contract)


def _build_verified(context: _Context, contract: Contract) -> None:
    _pair(context, contract)


BUILDERS: dict[str, Callable[[_Context, Contract], None]] = {
    "active": _build_active,
    "verified": _build_verified,
    "submitted": _build_submitted,
    "draft": _build_draft,
    "expired": _build_expired,
    "suspended": _build_suspended,
    "revoked": _build_revoked,
    "superseded": _build_superseded,
    "not_applicable": _build_not_applicable,
    "rejected": _build_rejected,
    "stale_expiring": _build_stale_expiring,
    "amended": _build_amended,
}


def _create_one(spec: DemoContractor, context: _Context) -> Contractor:
    contractor = services.contractor_create(
        fields=services.ContractorFields(
            legal_name=spec.name,
            slug=spec.slug,
            other_names=[spec.name.replace(" (Demo)", "")],
            sos_number=spec.sos_number,
            supplier_id=spec.supplier_id,
            address="100 Example Way, Sacramento, CA (fictional)",
            website=f"https://{spec.slug}.example",
        ),
        actor=context.staff,
    )
    context.created["contractors"] += 1
    BUILDERS[spec.builder](context, _contract(contractor, spec, context.today))
    return contractor


def _attach_users(contractors: dict[str, Contractor], users: dict[str, Any]) -> None:
    staff_user = users.get("contractor_staff_user")
    if staff_user is not None:
        for slug in ("demo-pacific-tarp-canvas", "demo-channel-islands-apparel"):
            services.contractor_membership_add(user=staff_user, contractor=contractors[slug])
    officer = users.get("officer_user")
    if officer is not None:
        for slug in ("demo-coastline-garments", "demo-tule-fog-textiles", "demo-channel-islands-apparel"):
            watchlist_follow(user=officer, contractor=contractors[slug])


def registry_seed_demo(
    *,
    today: date,
    contractor_staff_user: Any = None,
    registry_staff_user: Any = None,
    officer_user: Any = None,
) -> dict[str, Any]:
    """Create the demo registry (idempotent). Returns what was created and every certification status present."""
    RegistrySettings.objects.get_or_create(pk=1)
    context = _Context(
        today=today,
        staff=registry_staff_user,
        author=contractor_staff_user,
        created={"contractors": 0, "certifications": 0, "sanctions": 0},
    )
    contractors: dict[str, Contractor] = {}
    for spec in DEMO_CONTRACTORS:
        existing = Contractor.objects.filter(slug=spec.slug).first()
        if existing is None:
            with transaction.atomic():
                existing = _create_one(spec, context)
        contractors[spec.slug] = existing
    _attach_users(contractors, {"contractor_staff_user": contractor_staff_user, "officer_user": officer_user})
    statuses = sorted(
        set(Certification.objects.filter(contractor__slug__startswith="demo-").values_list("status", flat=True))
    )
    return {**context.created, "statuses": statuses}

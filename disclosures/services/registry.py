"""Registry writes (REGISTRY.md §3): the certification lifecycle, contracts, amendments, sanctions, signing.

Every status change goes through ``_transition``, which locks the row, checks the transition table in
``disclosures.core.certification_rules``, validates, saves and writes the audit log in one transaction, so a
refused or concurrent change leaves nothing half-done. Views and API views only call these functions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosures.core import certification_rules as rules
from disclosures.core import signing
from disclosures.models import (
    Certification,
    Contract,
    ContractAmendment,
    Contractor,
    ContractorMembership,
    Sanction,
)
from disclosures.models.registry import CertificationStatus, ContractCategory, VerificationMethod
from disclosures.services.audit import audit_record

Status = CertificationStatus
NUMBER_ALLOCATION_ATTEMPTS = 8
DOCUMENT_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
)


# --- Signing key ----------------------------------------------------------------------------------------------


def registry_signing_key() -> signing.Ed25519PrivateKey:
    """The Ed25519 key that signs proofs.

    Production MUST set ``REGISTRY_SIGNING_KEY`` (base64 of 32 random bytes, e.g.
    ``python -c "import os, base64; print(base64.b64encode(os.urandom(32)).decode())"``) and keep it stable:
    every printed proof is checked against it. When it is unset the key is derived from ``SECRET_KEY`` (HKDF), which
    is convenient for development but ties proofs to the Django secret and changes if that is rotated.
    """
    configured = getattr(settings, "REGISTRY_SIGNING_KEY", None)
    seed = signing.seed_decode(configured) if configured else signing.seed_derive(settings.SECRET_KEY)
    return signing.private_key_from_seed(seed)


def registry_public_keys() -> dict[str, bytes]:
    """Key ids this site signs with (the current key; add retired keys here when rotating)."""
    raw = signing.public_key_raw(registry_signing_key())
    return {signing.key_id(raw): raw}


def registry_proof_sign(*, number: str, status: str, as_of: date, checked_at: datetime) -> signing.Proof:
    return signing.proof_make(
        private_key=registry_signing_key(), number=number, status=status, as_of=as_of, checked_at=checked_at
    )


# --- Contractors, memberships, contracts ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContractorFields:
    legal_name: str
    slug: str
    other_names: list[str] = field(default_factory=list)
    sos_number: str | None = None
    supplier_id: str | None = None
    address: str = ""
    website: str = ""


def contractor_create(*, fields: ContractorFields, actor: Any = None) -> Contractor:
    contractor = Contractor(
        legal_name=fields.legal_name,
        slug=fields.slug,
        other_names=list(fields.other_names),
        sos_number=fields.sos_number or None,
        supplier_id=fields.supplier_id or None,
        address=fields.address,
        website=fields.website,
    )
    contractor.full_clean()
    contractor.save()
    audit_record(action="contractor.create", actor=actor, obj=contractor, summary=contractor.legal_name)
    return contractor


def contractor_membership_add(*, user: Any, contractor: Contractor, actor: Any = None) -> ContractorMembership:
    membership, created = ContractorMembership.objects.get_or_create(user=user, contractor=contractor)
    if created:
        audit_record(
            action="contractor.membership_add",
            actor=actor,
            obj=contractor,
            summary=f"{user} joins {contractor}",
            data={"user_id": user.pk},
        )
    return membership


@dataclass(frozen=True, slots=True)
class ContractFields:
    agency: str
    number: str
    category: str
    start_date: date
    end_date: date
    value: Decimal | None = None
    is_solicitation: bool = False
    performed_abroad: bool = False


def contract_create(*, contractor: Contractor, fields: ContractFields, actor: Any = None) -> Contract:
    contract = Contract(contractor=contractor, **{name: getattr(fields, name) for name in fields.__slots__})
    contract.full_clean()
    contract.save()
    audit_record(
        action="contract.create",
        actor=actor,
        obj=contract,
        summary=f"{contract} for {contractor}",
        data={"category": contract.category, "start": str(contract.start_date), "end": str(contract.end_date)},
    )
    return contract


# --- Transitions ----------------------------------------------------------------------------------------------


def _as_validation_error(exc: rules.TransitionError) -> ValidationError:
    return ValidationError(
        _("A certification cannot go from %(current)s to %(target)s.")
        % {"current": Status(exc.current).label, "target": Status(exc.target).label},
        code=exc.code,
    )


def _copy_back(target: Certification, source: Certification) -> None:
    """Keep the caller's instance current after the locked copy was saved."""
    for item in Certification._meta.concrete_fields:
        setattr(target, item.attname, getattr(source, item.attname))


def _transition(
    *,
    certification: Certification,
    target: str,
    actor: Any,
    reason: str = "",
    updates: dict[str, Any] | None = None,
) -> Certification:
    with transaction.atomic():
        locked = Certification.objects.select_for_update().get(pk=certification.pk)
        try:
            rules.transition_check(locked.status, target)
        except rules.TransitionError as exc:
            raise _as_validation_error(exc) from exc
        previous = locked.status
        locked.status = target
        locked.status_reason = reason
        for name, value in (updates or {}).items():
            setattr(locked, name, value)
        locked.full_clean()
        if getattr(actor, "is_authenticated", False):
            locked._history_user = actor  # django-simple-history records who made the change
        locked.save()
        audit_record(
            action=f"certification.{target}",
            actor=actor,
            obj=locked,
            summary=f"{locked.number}: {previous} → {target}" + (f" ({reason})" if reason else ""),
            data={"number": locked.number, "from": previous, "to": target, "reason": reason},
        )
    _copy_back(certification, locked)
    return certification


def _require_reason(reason: str) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise ValidationError(_("Give a reason: it is shown in the registry and kept in the audit log."), code="reason")
    return cleaned


def _notify_watchers_on_commit(contractor_id: int) -> None:
    from disclosures.tasks.registry import watchlist_notify_contractor_task  # tasks import services: avoid a cycle

    transaction.on_commit(lambda: watchlist_notify_contractor_task.delay(contractor_id))


# --- Drafts, documents, submission ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CertificationDraftFields:
    cert_type: str
    contract: Contract | None = None
    solicitation_number: str = ""
    form_revision: str = ""
    signer_name: str = ""
    signer_title: str = ""
    signed_date: date | None = None
    under_penalty_of_perjury: bool = False
    access_cooperation: bool = False


def _is_out_of_scope(cert_type: str, contract: Contract | None) -> bool:
    """Public works contracts are excluded from § 6108: their § 6108 certifications are ``not_applicable``."""
    return (
        contract is not None
        and contract.category == ContractCategory.PUBLIC_WORKS
        and cert_type in rules.SECTION_6108_TYPES
    )


def _apply_draft_fields(certification: Certification, fields: CertificationDraftFields) -> None:
    if fields.contract is not None and fields.contract.contractor_id != certification.contractor_id:
        raise ValidationError(_("That contract belongs to another contractor."), code="contract_contractor")
    if fields.contract is None and not fields.solicitation_number.strip():
        raise ValidationError(_("Name the contract or the solicitation this certification is for."), code="contract")
    for name in CertificationDraftFields.__slots__:
        value = getattr(fields, name)
        setattr(certification, name, value.strip() if isinstance(value, str) else value)


def _next_number(year: int) -> str:
    prefix = rules.registry_number_sequence_prefix(year)
    last = (
        Certification.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last[len(prefix) : len(prefix) + 6]) if last else 0
    return rules.registry_number_make(year, sequence + 1)


def _save_with_new_number(certification: Certification, year: int) -> None:
    """Allocate the next number of the year; a concurrent insert of the same number loses and retries."""
    certification.full_clean(exclude=["number"], validate_unique=False)
    for _attempt in range(NUMBER_ALLOCATION_ATTEMPTS):
        certification.number = _next_number(year)
        try:
            with transaction.atomic():
                certification.save()
        except IntegrityError:
            certification.pk = None
            continue
        return
    raise ValidationError(_("Could not allocate a registry number; please try again."), code="number_allocation")


def certification_create(
    *, contractor: Contractor, fields: CertificationDraftFields, created_by: Any, today: date
) -> Certification:
    certification = Certification(contractor=contractor, created_by=created_by if created_by else None)
    _apply_draft_fields(certification, fields)
    out_of_scope = _is_out_of_scope(fields.cert_type, fields.contract)
    if out_of_scope:
        certification.status = Status.NOT_APPLICABLE
        certification.status_reason = _("Public works contracts are excluded from Public Contract Code § 6108.")
    with transaction.atomic():
        _save_with_new_number(certification, today.year)
        audit_record(
            action="certification.create",
            actor=created_by,
            obj=certification,
            summary=f"{certification.number} ({certification.cert_type}) for {contractor}",
            data={"number": certification.number, "status": certification.status, "type": certification.cert_type},
        )
    return certification


def certification_update(
    *, certification: Certification, fields: CertificationDraftFields, actor: Any
) -> Certification:
    if certification.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be edited."), code="not_draft")
    _apply_draft_fields(certification, fields)
    certification.full_clean()
    certification.save()
    audit_record(
        action="certification.update",
        actor=actor,
        obj=certification,
        summary=f"{certification.number} draft edited",
        data={"number": certification.number},
    )
    return certification


def _sniff_document(head: bytes) -> str:
    for magic, extension in DOCUMENT_SIGNATURES:
        if head.startswith(magic):
            return extension
    raise ValidationError(_("Upload the signed document as a PDF, PNG or JPEG file."), code="document_type")


def _hash_upload(upload: File) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def certification_document_attach(*, certification: Certification, upload: File, actor: Any) -> Certification:
    """Store the signed document with its sha256 (drafts only: a submitted document is evidence)."""
    if certification.status != Status.DRAFT:
        raise ValidationError(_("The document can only be changed while the certification is a draft."), "not_draft")
    upload.seek(0)
    extension = _sniff_document(upload.read(16))
    sha256, size = _hash_upload(upload)
    if size > settings.DISCLOSURE_MAX_UPLOAD_BYTES:
        raise ValidationError(_("The document is too large."), code="document_size")
    certification.document_sha256 = sha256
    certification.document.save(f"{sha256}{extension}", upload, save=False)
    certification.full_clean()
    certification.save(update_fields=["document", "document_sha256", "updated_at"])
    audit_record(
        action="certification.document_attach",
        actor=actor,
        obj=certification,
        summary=f"{certification.number} document {sha256[:12]}…",
        data={"number": certification.number, "sha256": sha256, "bytes": size},
    )
    return certification


def _submission_problems(certification: Certification) -> list[str]:
    problems = []
    if not certification.document_sha256:
        problems.append(_("Attach the signed document."))
    if not certification.signer_name.strip() or certification.signed_date is None:
        problems.append(_("Give the signer's name and the date signed."))
    if certification.cert_type in rules.SECTION_6108_TYPES and not certification.under_penalty_of_perjury:
        problems.append(_("Confirm the certification is signed under penalty of perjury."))
    if certification.cert_type == rules.PCC6108 and not certification.access_cooperation:
        problems.append(_("Confirm the agreement to give agencies access to records (§ 6108)."))
    return problems


def certification_submit(*, certification: Certification, actor: Any, now: datetime | None = None) -> Certification:
    if _is_out_of_scope(certification.cert_type, certification.contract):
        return certification_mark_not_applicable(
            certification=certification,
            reason=_("Public works contracts are excluded from Public Contract Code § 6108."),
            actor=actor,
        )
    if certification.status == Status.DRAFT:
        problems = _submission_problems(certification)
        if problems:
            raise ValidationError(problems, code="incomplete")
    return _transition(
        certification=certification,
        target=Status.SUBMITTED,
        actor=actor,
        updates={"submitted_at": now or timezone.now()},
    )


def certification_reopen(*, certification: Certification, actor: Any) -> Certification:
    """A rejected submission goes back to its author as a draft, keeping the rejection reason in the audit log."""
    return _transition(certification=certification, target=Status.DRAFT, actor=actor)


# --- Registry staff decisions ---------------------------------------------------------------------------------


def _window_defaults(certification: Certification) -> dict[str, date | None]:
    contract = certification.contract
    start = certification.effective_from or (contract.start_date if contract else certification.signed_date)
    end = certification.effective_to or (contract.end_date if contract else None)
    return {"effective_from": start, "effective_to": end}


def _supersede_older(certification: Certification, actor: Any) -> None:
    """A newly verified certification replaces older ones in force for the same contract (or solicitation)."""
    older = Certification.objects.filter(
        contractor_id=certification.contractor_id,
        cert_type=certification.cert_type,
        status__in=[Status.VERIFIED, Status.ACTIVE, Status.EXPIRED],
    ).exclude(pk=certification.pk)
    if certification.contract_id:
        older = older.filter(contract_id=certification.contract_id)
    else:
        older = older.filter(contract__isnull=True, solicitation_number__iexact=certification.solicitation_number)
    for previous in older:
        certification_supersede(
            certification=previous,
            replacement=certification,
            reason=_("Replaced by %(number)s.") % {"number": certification.number},
            actor=actor,
        )


def certification_verify(*, certification: Certification, method: str, verified_by: Any, today: date) -> Certification:
    if method not in VerificationMethod.values:
        raise ValidationError(_("Choose how the certification was verified."), code="method")
    with transaction.atomic():
        updates: dict[str, Any] = {
            "verification_method": method,
            "verified_by": verified_by,
            "verified_at": timezone.now(),
        }
        updates.update(_window_defaults(certification))
        _transition(certification=certification, target=Status.VERIFIED, actor=verified_by, updates=updates)
        _supersede_older(certification, verified_by)
        _settle_dates(certification, today=today, actor=verified_by)
    return certification


def certification_reject(*, certification: Certification, reason: str, actor: Any) -> Certification:
    return _transition(certification=certification, target=Status.REJECTED, actor=actor, reason=_require_reason(reason))


def certification_suspend(*, certification: Certification, reason: str, actor: Any) -> Certification:
    _transition(certification=certification, target=Status.SUSPENDED, actor=actor, reason=_require_reason(reason))
    _notify_watchers_on_commit(certification.contractor_id)
    return certification


def certification_reinstate(*, certification: Certification, reason: str, actor: Any, today: date) -> Certification:
    if certification.status != Status.SUSPENDED:  # expired → active is for amendments, not for reinstatement
        raise _as_validation_error(rules.TransitionError(certification.status, Status.ACTIVE))
    with transaction.atomic():
        _transition(certification=certification, target=Status.ACTIVE, actor=actor, reason=_require_reason(reason))
        _settle_dates(certification, today=today, actor=actor)
    return certification


def certification_revoke(*, certification: Certification, reason: str, actor: Any) -> Certification:
    _transition(certification=certification, target=Status.REVOKED, actor=actor, reason=_require_reason(reason))
    _notify_watchers_on_commit(certification.contractor_id)
    return certification


def _check_replacement(certification: Certification, replacement: Certification) -> None:
    same_target = (
        certification.contract_id == replacement.contract_id
        if certification.contract_id or replacement.contract_id
        else certification.solicitation_number.lower() == replacement.solicitation_number.lower()
    )
    if (
        replacement.pk == certification.pk
        or replacement.contractor_id != certification.contractor_id
        or replacement.cert_type != certification.cert_type
        or not same_target
        or replacement.status == Status.SUPERSEDED
    ):
        raise ValidationError(
            _("A certification can only be superseded by a newer one of the same type for the same contract."),
            code="replacement",
        )


def certification_supersede(
    *, certification: Certification, replacement: Certification, reason: str, actor: Any
) -> Certification:
    _check_replacement(certification, replacement)
    return _transition(
        certification=certification,
        target=Status.SUPERSEDED,
        actor=actor,
        reason=_require_reason(reason),
        updates={"superseded_by": replacement},
    )


def certification_mark_not_applicable(*, certification: Certification, reason: str, actor: Any) -> Certification:
    return _transition(
        certification=certification, target=Status.NOT_APPLICABLE, actor=actor, reason=_require_reason(reason)
    )


# --- Dates: activation, expiry, amendments --------------------------------------------------------------------


def _facts(certification: Certification) -> tuple[rules.CertificationFacts, rules.ContractFacts | None]:
    contract = certification.contract
    contract_facts = (
        rules.ContractFacts(category=contract.category, start_date=contract.start_date, end_date=contract.end_date)
        if contract
        else None
    )
    cert_facts = rules.CertificationFacts(
        number=certification.number,
        cert_type=certification.cert_type,
        stored_status=certification.status,
        effective_from=certification.effective_from,
        effective_to=certification.effective_to,
    )
    return cert_facts, contract_facts


def _settle_dates(certification: Certification, *, today: date, actor: Any = None) -> Certification:
    """Move a verified/active/expired certification to what its dates say today (activation or expiry)."""
    cert_facts, contract_facts = _facts(certification)
    wanted = rules.status_as_of(cert_facts, contract_facts, today)
    if wanted == certification.status or not rules.transition_allowed(certification.status, wanted):
        return certification
    if certification.status == Status.EXPIRED and wanted == Status.VERIFIED:
        return certification
    reason = {
        Status.ACTIVE: _("The contract is in force."),
        Status.EXPIRED: _("The contract ended."),
    }.get(wanted, "")
    return _transition(certification=certification, target=wanted, actor=actor, reason=reason)


def _due(statuses: list[str], condition: Q) -> QuerySet[Certification]:
    return Certification.objects.select_related("contract").filter(condition, status__in=statuses).order_by("pk")


def _settle_each(rows: QuerySet[Certification], today: date, counter: Callable[[str], None]) -> None:
    for certification in rows:
        before = certification.status
        try:
            _settle_dates(certification, today=today)
        except ValidationError:
            continue  # changed under us by a concurrent writer: the next run looks again
        if certification.status != before:
            counter(certification.status)


def certification_expire_due(*, today: date) -> dict[str, int]:
    """The daily job: activate verified certifications whose contract started, expire those whose contract ended.

    Idempotent: each row is re-read under a lock and moved only if its dates still call for it.
    """
    counts = {"activated": 0, "expired": 0}

    def count(status: str) -> None:
        key = "activated" if status == Status.ACTIVE else "expired"
        counts[key] += 1

    started = Q(effective_from__lte=today) | Q(effective_from__isnull=True, contract__start_date__lte=today)
    ended = Q(effective_to__lt=today) | Q(effective_to__isnull=True, contract__end_date__lt=today)
    _settle_each(_due([Status.VERIFIED], started | ended), today, count)
    _settle_each(_due([Status.ACTIVE], ended), today, count)
    return counts


def contract_amend(
    *, contract: Contract, reference: str, signed_date: date, new_end_date: date, actor: Any, today: date
) -> ContractAmendment:
    """Extend the end date; certifications that ran to the old end now run to the new one (and may revive)."""
    if new_end_date <= contract.end_date:
        raise ValidationError(_("An amendment must extend the end date."), code="amendment_end")
    with transaction.atomic():
        previous_end = contract.end_date
        amendment = ContractAmendment(
            contract=contract,
            reference=reference,
            signed_date=signed_date,
            previous_end_date=previous_end,
            new_end_date=new_end_date,
        )
        amendment.full_clean()
        amendment.save()
        contract.end_date = new_end_date
        contract.full_clean()
        contract.save(update_fields=["end_date", "updated_at"])
        contract.certifications.filter(effective_to=previous_end).update(effective_to=new_end_date)
        for certification in contract.certifications.filter(status__in=[Status.EXPIRED, Status.VERIFIED]):
            _settle_dates(certification, today=today, actor=actor)
        audit_record(
            action="contract.amend",
            actor=actor,
            obj=contract,
            summary=f"{contract} extended to {new_end_date} ({reference})",
            data={"reference": reference, "from": str(previous_end), "to": str(new_end_date)},
        )
    return amendment


# --- Sanctions ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SanctionFields:
    kind: str
    start_date: date
    authority: str
    end_date: date | None = None
    contract: Contract | None = None
    tainted_goods_value: Decimal | None = None
    penalty_amount: Decimal | None = None
    hearing_reference: str = ""
    is_public: bool = True
    notes: str = ""


def _sanction_limits(fields: SanctionFields) -> Decimal | None:
    try:
        return rules.sanction_check(
            kind=fields.kind,
            start=fields.start_date,
            end=fields.end_date,
            tainted_goods_value=fields.tainted_goods_value,
            penalty_amount=fields.penalty_amount,
        )
    except rules.SanctionLimitError as exc:
        raise ValidationError(exc.reason, code=exc.code) from exc


def _sanction_consequences(sanction: Sanction, actor: Any) -> None:
    """A voided contract revokes its certifications; a payment suspension suspends them while it is open."""
    if sanction.contract is None:
        return
    reason = _("%(sanction)s (%(authority)s).") % {
        "sanction": sanction.get_kind_display(),
        "authority": sanction.authority,
    }
    live = sanction.contract.certifications.filter(status__in=[Status.ACTIVE, Status.SUSPENDED])
    if sanction.kind == Sanction.Kind.CONTRACT_VOIDED:
        for certification in live:
            certification_revoke(certification=certification, reason=reason, actor=actor)
    elif sanction.kind == Sanction.Kind.PAYMENT_SUSPENSION:
        for certification in live.filter(status=Status.ACTIVE):
            certification_suspend(certification=certification, reason=reason, actor=actor)


def sanction_record(*, contractor: Contractor, fields: SanctionFields, created_by: Any) -> Sanction:
    if fields.contract is not None and fields.contract.contractor_id != contractor.pk:
        raise ValidationError(_("That contract belongs to another contractor."), code="contract_contractor")
    penalty = _sanction_limits(fields)
    sanction = Sanction(
        contractor=contractor,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        **{name: getattr(fields, name) for name in SanctionFields.__slots__},
    )
    sanction.penalty_amount = penalty
    sanction.full_clean()
    with transaction.atomic():
        sanction.save()
        audit_record(
            action="sanction.record",
            actor=created_by,
            obj=sanction,
            summary=f"{sanction.get_kind_display()} against {contractor}",
            data={
                "kind": sanction.kind,
                "start": str(sanction.start_date),
                "end": str(sanction.end_date) if sanction.end_date else None,
                "penalty": str(penalty) if penalty is not None else None,
            },
        )
        _sanction_consequences(sanction, created_by)
        _notify_watchers_on_commit(contractor.pk)
    return sanction

"""Registry reads: the lookup officers rely on (REGISTRY.md §4), visibility rules, queues and lists.

``registry_lookup`` answers by registry number, Secretary of State number, supplier id or fuzzy name, for any
``as_of`` date, and writes what it answered to the audit log (REGISTRY.md §2: every lookup is logged). Status,
applicability and gaps come from ``disclosures.core.certification_rules``; this module only gathers rows and decides
what the viewer may see.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rapidfuzz import fuzz, process, utils

from disclosures.core import certification_rules as rules
from disclosures.core.certification_rules import RegistryNumberError
from disclosures.models import (
    Certification,
    Contract,
    Contractor,
    Notification,
    RegistrySettings,
    Sanction,
    WatchlistEntry,
)
from disclosures.models.registry import (
    CertificationStatus,
    CertificationType,
    ContractCategory,
    VerificationMethod,
)
from disclosures.selectors.roles import user_contractor_ids, user_is_officer, user_is_registry_staff
from disclosures.services.audit import audit_record

__all__ = [
    "LookupNotFoundError",
    "LookupQuery",
    "LookupResult",
    "RegistryNumberError",
    "registry_lookup",
]

REGISTRY_TZ = ZoneInfo("America/Los_Angeles")
NAME_MIN_CONFIDENCE = 70
NAME_ALTERNATIVES = 5
PRIVATE_STATUSES = frozenset({CertificationStatus.DRAFT, CertificationStatus.REJECTED})
_NUMBER_LIKE = re.compile(r"^\s*csr[\s\-\u2013]*\d", re.IGNORECASE)


def registry_today() -> date:
    """Today in California: the registry's dates are Pacific dates, whatever the server's clock zone."""
    return timezone.now().astimezone(REGISTRY_TZ).date()


@dataclass(frozen=True, slots=True)
class RegistryPolicy:
    current_form_revision: str
    recruitment_required: bool
    far_threshold: Decimal


def registry_policy() -> RegistryPolicy:
    row = RegistrySettings.objects.order_by("pk").first() or RegistrySettings()
    required = bool(
        row.recruitment_commitments_required or getattr(settings, "RECRUITMENT_COMMITMENTS_REQUIRED", False)
    )
    return RegistryPolicy(row.current_form_revision, required, Decimal(row.far_threshold))


# --- Who sees what --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Visibility:
    detail: bool  # signer, document hash, verification detail, non-public sanctions
    private: bool  # drafts and rejected submissions
    own: bool  # contractor staff of this contractor


def registry_visibility(*, user: Any, contractor_id: int | None) -> Visibility:
    own = contractor_id is not None and contractor_id in user_contractor_ids(user)
    staff = user_is_registry_staff(user)
    return Visibility(detail=own or staff or user_is_officer(user), private=own or staff, own=own)


def registry_can_download_document(*, user: Any, certification: Certification) -> bool:
    return registry_visibility(user=user, contractor_id=certification.contractor_id).detail


# --- Result shapes --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LookupQuery:
    number: str = ""
    sos_number: str = ""
    supplier_id: str = ""
    name: str = ""
    contractor: str = ""  # any of: registry number, SoS number, supplier id, name (the API's ?contractor=)
    contract: str = ""
    as_of: date | None = None

    def is_empty(self) -> bool:
        return not any((self.number, self.sos_number, self.supplier_id, self.name, self.contractor))

    def describe(self) -> dict[str, str]:
        values = {
            "number": self.number,
            "sos_number": self.sos_number,
            "supplier_id": self.supplier_id,
            "name": self.name,
            "contractor": self.contractor,
            "contract": self.contract,
        }
        return {key: value for key, value in values.items() if value}


class LookupNotFoundError(LookupError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Match:
    by: str  # registry_number | sos_number | supplier_id | name
    confidence: int  # 0-100; 100 for exact identifiers
    matched_text: str


@dataclass(frozen=True, slots=True)
class Candidate:
    name: str
    slug: str
    confidence: int


@dataclass(frozen=True, slots=True)
class ContractorInfo:
    id: int
    name: str
    slug: str
    other_names: tuple[str, ...]
    sos_number: str
    supplier_id: str
    website: str


@dataclass(frozen=True, slots=True)
class SignerInfo:
    name: str
    title: str
    signed_date: date | None
    under_penalty_of_perjury: bool
    access_cooperation: bool
    verified_by: str


@dataclass(frozen=True, slots=True)
class CertificationResult:
    number: str
    cert_type: str
    cert_type_label: str
    voluntary: bool
    status: str
    status_label: str
    stored_status: str
    status_reason: str
    effective_from: date | None
    effective_to: date | None
    days_to_expiry: int | None
    form_revision: str
    stale_form: bool
    verification_method: str
    verification_method_label: str
    superseded_by: str
    signer: SignerInfo | None
    document_sha256: str | None
    has_document: bool
    proof_url: str


@dataclass(frozen=True, slots=True)
class GapResult:
    code: str
    message: str
    certification: str


@dataclass(frozen=True, slots=True)
class ContractResult:
    number: str
    agency: str
    is_solicitation: bool
    category: str
    category_label: str
    start_date: date | None
    end_date: date | None
    amended: bool
    section_6108_applies: bool
    applicability: str
    applicability_text: str
    certifications: tuple[CertificationResult, ...]
    gaps: tuple[GapResult, ...]


@dataclass(frozen=True, slots=True)
class SanctionResult:
    kind: str
    kind_label: str
    start_date: date
    end_date: date | None
    in_force: bool
    authority: str
    hearing_reference: str
    penalty_amount: Decimal | None
    contract_number: str
    is_public: bool


@dataclass(frozen=True, slots=True)
class Eligibility:
    eligible: bool
    bidders_list_removal_until: date | None
    active_sanctions: tuple[SanctionResult, ...]
    past_sanctions: tuple[SanctionResult, ...]


@dataclass(frozen=True, slots=True)
class LookupResult:
    contractor: ContractorInfo
    match: Match
    as_of: date
    checked_at: datetime
    contract_query: str
    contract_found: bool
    contracts: tuple[ContractResult, ...]
    gaps: tuple[GapResult, ...]
    eligibility: Eligibility
    caveats: tuple[str, ...]
    certification: CertificationResult | None  # the one asked for, when looked up by number
    alternatives: tuple[Candidate, ...] = ()
    detail_visible: bool = False
    statuses: dict[str, str] = field(default_factory=dict)


# --- Facts for the core ---------------------------------------------------------------------------------------


def contract_facts(contract: Contract | None) -> rules.ContractFacts | None:
    if contract is None:
        return None
    return rules.ContractFacts(
        category=contract.category,
        start_date=contract.start_date,
        end_date=contract.end_date,
        value=contract.value,
        performed_abroad=contract.performed_abroad,
    )


def certification_facts(certification: Certification) -> rules.CertificationFacts:
    return rules.CertificationFacts(
        number=certification.number,
        cert_type=certification.cert_type,
        stored_status=certification.status,
        effective_from=certification.effective_from,
        effective_to=certification.effective_to,
        form_revision=certification.form_revision,
        verification_method=certification.verification_method,
    )


def certification_status_as_of(*, certification: Certification, as_of: date) -> str:
    return rules.status_as_of(certification_facts(certification), contract_facts(certification.contract), as_of)


# --- Finding the contractor -----------------------------------------------------------------------------------


def _by_number(text: str) -> tuple[Contractor, Match, Certification]:
    parsed = rules.registry_number_parse(text)  # raises RegistryNumberError: malformed / bad_check_digit
    certification = Certification.objects.select_related("contractor").filter(number=parsed.canonical).first()
    if certification is None:
        raise LookupNotFoundError(_("No certification has registry number %(number)s.") % {"number": parsed.canonical})
    return certification.contractor, Match("registry_number", 100, parsed.canonical), certification


def _by_identifier(field_name: str, text: str) -> tuple[Contractor, Match] | None:
    cleaned = text.strip()
    contractor = Contractor.objects.filter(**{f"{field_name}__iexact": cleaned}).first() if cleaned else None
    return (contractor, Match(field_name, 100, cleaned)) if contractor else None


def _name_choices() -> list[tuple[int, str]]:
    choices: list[tuple[int, str]] = []
    for pk, legal_name, other_names in Contractor.objects.values_list("pk", "legal_name", "other_names"):
        choices.append((pk, legal_name))
        choices.extend((pk, str(name)) for name in (other_names or []) if name)
    return choices


def contractor_name_candidates(text: str, *, limit: int = NAME_ALTERNATIVES + 1) -> list[tuple[int, str, int]]:
    """(contractor id, matched name, confidence 0-100), best first, one entry per contractor.

    The registry is small (thousands of contractors at most), so a direct rapidfuzz pass over all names and
    other names is fast enough and needs no index.
    """
    choices = _name_choices()
    names = [name for _pk, name in choices]
    scored = process.extract(text, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=max(len(names), 1))
    best: dict[int, tuple[str, int]] = {}
    for name, score, index in scored:
        pk = choices[index][0]
        if pk not in best or score > best[pk][1]:
            best[pk] = (name, round(score))
    ranked = sorted(best.items(), key=lambda item: (-item[1][1], item[1][0]))
    return [(pk, name, score) for pk, (name, score) in ranked[:limit]]


def _by_name(text: str) -> tuple[Contractor, Match, tuple[Candidate, ...]]:
    candidates = [item for item in contractor_name_candidates(text) if item[2] >= NAME_MIN_CONFIDENCE]
    if not candidates:
        raise LookupNotFoundError(_("No contractor's name matches %(name)s closely enough.") % {"name": text.strip()})
    contractors = Contractor.objects.in_bulk([pk for pk, _name, _score in candidates])
    pk, name, score = candidates[0]
    alternatives = tuple(
        Candidate(contractors[other].legal_name, contractors[other].slug, other_score)
        for other, _name, other_score in candidates[1:]
    )
    return contractors[pk], Match("name", score, name), alternatives


def _resolve_free_text(text: str) -> tuple[Contractor, Match, Certification | None, tuple[Candidate, ...]]:
    if _NUMBER_LIKE.match(text):
        contractor, match, certification = _by_number(text)
        return contractor, match, certification, ()
    for field_name in ("sos_number", "supplier_id"):
        found = _by_identifier(field_name, text)
        if found:
            return found[0], found[1], None, ()
    contractor, match, alternatives = _by_name(text)
    return contractor, match, None, alternatives


def _resolve(query: LookupQuery) -> tuple[Contractor, Match, Certification | None, tuple[Candidate, ...]]:
    if query.number:
        contractor, match, certification = _by_number(query.number)
        return contractor, match, certification, ()
    for field_name, text in (("sos_number", query.sos_number), ("supplier_id", query.supplier_id)):
        if text:
            found = _by_identifier(field_name, text)
            if found is None:
                message = _("No contractor has that number on record: %(text)s.") % {"text": text.strip()}
                raise LookupNotFoundError(message)
            return found[0], found[1], None, ()
    if query.name:
        contractor, match, alternatives = _by_name(query.name)
        return contractor, match, None, alternatives
    if query.contractor:
        return _resolve_free_text(query.contractor)
    raise LookupNotFoundError(_("Give a registry number, Secretary of State number, supplier id or contractor name."))


# --- Building the answer --------------------------------------------------------------------------------------

GAP_MESSAGES = {
    rules.GAP_MISSING_PCC6108: gettext_noop(
        "No Public Contract Code § 6108 certification is on record for this contract."
    ),
    rules.GAP_MISSING_SWEATFREE: gettext_noop("No Sweatfree Code of Conduct statement is on record for this contract."),
    rules.GAP_EXPIRED: gettext_noop("The certification has expired and has not been renewed."),
    rules.GAP_STALE_FORM: gettext_noop("The certification was made on an outdated form revision."),
    rules.GAP_UNVERIFIED_SELF_REPORT: gettext_noop(
        "Self-reported: registry staff have not verified the signed document."
    ),
    rules.GAP_SUSPENDED: gettext_noop(
        "The certification is suspended while an investigation or payment suspension is open."
    ),
    rules.GAP_REVOKED: gettext_noop("The certification was revoked."),
    rules.GAP_MISSING_RECRUITMENT: gettext_noop(
        "No recruitment-commitments certification is on record, and the registry "
        "requires one for contracts of this size."
    ),
}
APPLICABILITY_MESSAGES = {
    "in_scope": gettext_noop(
        "§ 6108 applies: the contract buys or launders apparel, or buys equipment, materials or supplies."
    ),
    "public_works": gettext_noop("§ 6108 does not apply: public works contracts are excluded."),
    "out_of_scope": gettext_noop("§ 6108 does not apply to this category of contract."),
    "unknown": gettext_noop(
        "Not yet linked to an awarded contract: § 6108 applies if the contract will buy or launder apparel "
        "or buy equipment, materials or supplies."
    ),
}


def _gap_results(gaps: Iterable[rules.Gap]) -> tuple[GapResult, ...]:
    return tuple(GapResult(gap.code, _(GAP_MESSAGES[gap.code]), gap.certification) for gap in gaps)


def _signer(certification: Certification) -> SignerInfo:
    verified_by = certification.verified_by
    return SignerInfo(
        name=certification.signer_name,
        title=certification.signer_title,
        signed_date=certification.signed_date,
        under_penalty_of_perjury=certification.under_penalty_of_perjury,
        access_cooperation=certification.access_cooperation,
        verified_by=(verified_by.get_full_name() or verified_by.get_username()) if verified_by else "",
    )


def certification_result(
    *, certification: Certification, as_of: date, policy: RegistryPolicy, visibility: Visibility
) -> CertificationResult:
    facts = certification_facts(certification)
    contract = contract_facts(certification.contract)
    status = rules.status_as_of(facts, contract, as_of)
    start, end = rules.effective_window(facts, contract)
    superseded_by = certification.superseded_by.number if certification.superseded_by_id else ""
    return CertificationResult(
        number=certification.number,
        cert_type=certification.cert_type,
        cert_type_label=str(CertificationType(certification.cert_type).label),
        voluntary=rules.is_voluntary(certification.cert_type, recruitment_required=policy.recruitment_required),
        status=status,
        status_label=str(CertificationStatus(status).label),
        stored_status=certification.status,
        status_reason=certification.status_reason,
        effective_from=start,
        effective_to=end,
        days_to_expiry=(end - as_of).days if end and status == CertificationStatus.ACTIVE else None,
        form_revision=certification.form_revision,
        stale_form=rules.is_stale_form(facts, policy.current_form_revision),
        verification_method=certification.verification_method,
        verification_method_label=str(VerificationMethod(certification.verification_method).label),
        superseded_by=superseded_by,
        signer=_signer(certification) if visibility.detail else None,
        document_sha256=certification.document_sha256 if visibility.detail else None,
        has_document=bool(certification.document) and visibility.detail,
        proof_url=reverse("registry:proof", kwargs={"number": certification.number}),
    )


def _policy_for_gaps(policy: RegistryPolicy) -> rules.GapPolicy:
    return rules.GapPolicy(
        current_revision=policy.current_form_revision,
        recruitment_required=policy.recruitment_required,
        recruitment_threshold=policy.far_threshold,
    )


def _group_result(
    contract: Contract | None,
    certifications: Sequence[Certification],
    context: tuple[date, RegistryPolicy, Visibility],
    solicitation: str = "",
) -> ContractResult:
    as_of, policy, visibility = context
    facts = contract_facts(contract)
    applicability = rules.section_6108_applicability(contract.category if contract else None)
    gaps = rules.gaps_compute(
        contract=facts,
        certifications=[certification_facts(item) for item in certifications],
        as_of=as_of,
        policy=_policy_for_gaps(policy),
    )
    return ContractResult(
        number=contract.number if contract else solicitation,
        agency=contract.agency if contract else "",
        is_solicitation=contract.is_solicitation if contract else True,
        category=contract.category if contract else "",
        category_label=str(ContractCategory(contract.category).label) if contract else "",
        start_date=contract.start_date if contract else None,
        end_date=contract.end_date if contract else None,
        amended=bool(contract and contract.amendments.all()),
        section_6108_applies=applicability.applies,
        applicability=applicability.reason,
        applicability_text=_(APPLICABILITY_MESSAGES[applicability.reason]),
        certifications=tuple(
            certification_result(certification=item, as_of=as_of, policy=policy, visibility=visibility)
            for item in certifications
        ),
        gaps=_gap_results(gaps),
    )


def _visible_certifications(contractor: Contractor, visibility: Visibility) -> list[Certification]:
    rows = list(contractor.certifications.all())
    if not visibility.private:
        rows = [row for row in rows if row.status not in PRIVATE_STATUSES]
    return sorted(rows, key=lambda row: row.number)


def _matches_contract(text: str, contract: Contract | None, solicitation: str) -> bool:
    wanted = text.strip().lower()
    return wanted in {(contract.number.lower() if contract else ""), solicitation.lower()} - {""}


def _groups(
    contractor: Contractor, visibility: Visibility, focus: Certification | None, contract_query: str
) -> list[tuple[Contract | None, list[Certification], str]]:
    by_contract: dict[int, list[Certification]] = defaultdict(list)
    by_solicitation: dict[str, list[Certification]] = defaultdict(list)
    for row in _visible_certifications(contractor, visibility):
        if row.contract_id:
            by_contract[row.contract_id].append(row)
        else:
            by_solicitation[row.solicitation_number.strip().upper()].append(row)
    groups: list[tuple[Contract | None, list[Certification], str]] = [
        (contract, by_contract.get(contract.pk, []), "") for contract in contractor.contracts.all()
    ]
    groups.extend((None, rows, rows[0].solicitation_number) for rows in by_solicitation.values())
    if focus is not None and not contract_query:
        groups = [group for group in groups if focus in group[1]]
    if contract_query:
        groups = [group for group in groups if _matches_contract(contract_query, group[0], group[2])]
    return groups


def _sanction_result(sanction: Sanction, as_of: date) -> SanctionResult:
    return SanctionResult(
        kind=sanction.kind,
        kind_label=str(sanction.get_kind_display()),
        start_date=sanction.start_date,
        end_date=sanction.end_date,
        in_force=rules.sanction_in_force(sanction.start_date, sanction.end_date, as_of),
        authority=sanction.authority,
        hearing_reference=sanction.hearing_reference,
        penalty_amount=sanction.penalty_amount,
        contract_number=sanction.contract.number if sanction.contract else "",
        is_public=sanction.is_public,
    )


def _eligibility(contractor: Contractor, as_of: date, visibility: Visibility) -> Eligibility:
    sanctions = [
        _sanction_result(row, as_of)
        for row in contractor.sanctions.all()
        if (row.is_public or visibility.detail) and row.start_date <= as_of
    ]
    active = tuple(item for item in sanctions if item.in_force)
    removals = [item.end_date for item in active if item.kind == Sanction.Kind.BIDDERS_LIST_REMOVAL and item.end_date]
    return Eligibility(
        eligible=not removals,
        bidders_list_removal_until=max(removals) if removals else None,
        active_sanctions=active,
        past_sanctions=tuple(item for item in sanctions if not item.in_force),
    )


def _caveats(contracts: Sequence[ContractResult], policy: RegistryPolicy) -> tuple[str, ...]:
    caveats = [
        _(
            "A certification is the contractor's own declaration, signed under penalty of perjury. The registry "
            "records and checks the paperwork; it is not a state approval of the contractor."
        ),
        _(
            "Statuses are computed for the date checked. Suspensions and revocations are shown from the day they "
            "were recorded."
        ),
    ]
    types = {cert.cert_type for contract in contracts for cert in contract.certifications}
    if types & rules.VOLUNTARY_UNLESS_REQUIRED_TYPES and not policy.recruitment_required:
        caveats.append(
            _(
                "Recruitment-commitment and anti-trafficking compliance-plan certifications are voluntary "
                "commitments: no California law requires them yet."
            )
        )
    caveats.append(_("This is not legal advice."))
    return tuple(caveats)


def _contractor_info(contractor: Contractor) -> ContractorInfo:
    return ContractorInfo(
        id=contractor.pk,
        name=contractor.legal_name,
        slug=contractor.slug,
        other_names=tuple(str(name) for name in contractor.other_names or []),
        sos_number=contractor.sos_number or "",
        supplier_id=contractor.supplier_id or "",
        website=contractor.website,
    )


def _prefetched(contractor: Contractor) -> Contractor:
    certifications = Certification.objects.select_related("contract", "superseded_by", "verified_by")
    return (
        Contractor.objects.prefetch_related(
            Prefetch("certifications", queryset=certifications),
            Prefetch("contracts", queryset=Contract.objects.prefetch_related("amendments")),
            Prefetch("sanctions", queryset=Sanction.objects.select_related("contract")),
        )
        .filter(pk=contractor.pk)
        .get()
    )


def _build(
    contractor: Contractor,
    match: Match,
    focus: Certification | None,
    query: LookupQuery,
    user: Any,
) -> tuple[tuple[ContractResult, ...], Visibility, RegistryPolicy, CertificationResult | None]:
    visibility = registry_visibility(user=user, contractor_id=contractor.pk)
    if focus is not None and focus.status in PRIVATE_STATUSES and not visibility.private:
        message = _("No certification has registry number %(number)s.") % {"number": match.matched_text}
        raise LookupNotFoundError(message)
    policy = registry_policy()
    as_of = query.as_of or registry_today()
    context = (as_of, policy, visibility)
    groups = _groups(contractor, visibility, focus, query.contract)
    contracts = tuple(_group_result(contract, rows, context, solicitation) for contract, rows, solicitation in groups)
    focus_result = None
    if focus is not None:
        focus_result = next(
            (cert for contract in contracts for cert in contract.certifications if cert.number == focus.number),
            None,
        )
    return contracts, visibility, policy, focus_result


def _lookup(query: LookupQuery, user: Any, checked_at: datetime) -> LookupResult:
    found, match, focus, alternatives = _resolve(query)
    contractor = _prefetched(found)
    contracts, visibility, policy, focus_result = _build(contractor, match, focus, query, user)
    as_of = query.as_of or registry_today()
    return LookupResult(
        contractor=_contractor_info(contractor),
        match=match,
        as_of=as_of,
        checked_at=checked_at,
        contract_query=query.contract,
        contract_found=bool(contracts) or not query.contract,
        contracts=contracts,
        gaps=tuple(gap for contract in contracts for gap in contract.gaps),
        eligibility=_eligibility(contractor, as_of, visibility),
        caveats=_caveats(contracts, policy),
        certification=focus_result,
        alternatives=alternatives,
        detail_visible=visibility.detail,
        statuses={cert.number: cert.status for contract in contracts for cert in contract.certifications},
    )


def _audit_answer(result: LookupResult) -> dict[str, Any]:
    return {
        "contractor": result.contractor.name,
        "matched_by": result.match.by,
        "confidence": result.match.confidence,
        "statuses": result.statuses,
        "gaps": [f"{gap.code}:{gap.certification}" if gap.certification else gap.code for gap in result.gaps],
        "eligible": result.eligibility.eligible,
        "focus": result.certification.status if result.certification else None,
    }


def registry_lookup(
    *, query: LookupQuery, user: Any = None, checked_at: datetime | None = None, channel: str = "web"
) -> LookupResult:
    """Answer a lookup and log what was answered. Raises RegistryNumberError or LookupNotFoundError."""
    moment = checked_at or timezone.now()
    as_of = query.as_of or registry_today()
    logged = {"query": query.describe(), "as_of": as_of.isoformat(), "checked_at": moment.isoformat(), "via": channel}
    try:
        result = _lookup(query, user, moment)
    except RegistryNumberError as exc:
        audit_record(action="registry.lookup", actor=user, summary=f"{exc.code}", data={**logged, "answer": exc.code})
        raise
    except LookupNotFoundError:
        audit_record(action="registry.lookup", actor=user, summary="not found", data={**logged, "answer": "not_found"})
        raise
    contractor = Contractor(pk=result.contractor.id)
    audit_record(
        action="registry.lookup",
        actor=user,
        obj=contractor,
        summary=f"{result.contractor.name} via {result.match.by}",
        data={**logged, "answer": _audit_answer(result)},
    )
    return result


# --- Lists for the pages --------------------------------------------------------------------------------------


def certification_get(*, number: str) -> Certification | None:
    """By canonical or typed number; None when malformed or unknown."""
    try:
        canonical = rules.registry_number_parse(number).canonical
    except RegistryNumberError:
        return None
    return (
        Certification.objects.select_related("contractor", "contract", "verified_by", "created_by", "superseded_by")
        .filter(number=canonical)
        .first()
    )


def certifications_submitted() -> QuerySet[Certification]:
    return (
        Certification.objects.select_related("contractor", "contract")
        .filter(status=CertificationStatus.SUBMITTED)
        .order_by("submitted_at", "pk")
    )


def certifications_for_contractor(*, contractor: Contractor) -> QuerySet[Certification]:
    return contractor.certifications.select_related("contract").order_by("-created_at", "-pk")


def contractors_for_user(*, user: Any) -> QuerySet[Contractor]:
    return Contractor.objects.filter(pk__in=user_contractor_ids(user)).order_by("legal_name")


def watchlist_for_user(*, user: Any) -> QuerySet[WatchlistEntry]:
    return WatchlistEntry.objects.select_related("contractor").filter(user=user).order_by("contractor__legal_name")


def watchlist_contractor_ids(*, user: Any) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(WatchlistEntry.objects.filter(user=user).values_list("contractor_id", flat=True))


REGISTRY_NOTIFICATION_KINDS = (
    Notification.Kind.CERT_EXPIRING,
    Notification.Kind.CERT_EXPIRED,
    Notification.Kind.CERT_SUSPENDED,
    Notification.Kind.CERT_REVOKED,
    Notification.Kind.SANCTION,
    Notification.Kind.RENEWAL_REMINDER,
)


def registry_notifications_for_user(*, user: Any, limit: int = 50) -> list[Notification]:
    return list(
        Notification.objects.filter(user=user, kind__in=REGISTRY_NOTIFICATION_KINDS).order_by("-created_at", "-pk")[
            :limit
        ]
    )


def contractor_get(*, slug: str) -> Contractor | None:
    return Contractor.objects.filter(slug=slug).first()


def contract_get(*, pk: int) -> Contract | None:
    return Contract.objects.select_related("contractor").filter(pk=pk).first()


def certifications_replaceable_by(*, certification: Certification) -> QuerySet[Certification]:
    """Newer certifications that could supersede this one (same contractor, type and contract)."""
    rows = (
        Certification.objects.filter(contractor_id=certification.contractor_id, cert_type=certification.cert_type)
        .exclude(pk=certification.pk)
        .exclude(status=CertificationStatus.SUPERSEDED)
    )
    if certification.contract_id:
        return rows.filter(contract_id=certification.contract_id)
    return rows.filter(contract__isnull=True, solicitation_number__iexact=certification.solicitation_number)

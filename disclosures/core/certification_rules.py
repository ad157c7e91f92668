"""Certification rules for the contractor registry (REGISTRY.md §§ 1-3), in plain Python.

Registry numbers, the status a certification has on a given date, whether Public Contract Code § 6108 applies
to a contract, the gaps an officer should know about, the statutory sanction limits and the allowed status
transitions. Nothing here imports Django: callers pass plain values and dataclasses in and get them back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

# --- Registry numbers -----------------------------------------------------------------------------------------

PREFIX = "CSR"
SEQUENCE_MAX = 999_999
# Tolerant: any case, spaces anywhere, dashes optional (also en/em dashes pasted from documents).
_NUMBER_RE = re.compile(r"^CSR-?(\d{4})-?(\d{6})-?([0-9X])$")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"})


class RegistryNumberError(ValueError):
    """A registry number that cannot be right. ``code`` is ``malformed`` or ``bad_check_digit``."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    year: int
    sequence: int
    check: str

    @property
    def canonical(self) -> str:
        return f"{PREFIX}-{self.year:04d}-{self.sequence:06d}-{self.check}"

    def __str__(self) -> str:
        return self.canonical


def check_character(digits: str) -> str:
    """ISO 7064 MOD 11-2 over the digits: catches every single-digit error and every adjacent transposition.

    Each position gets a distinct non-zero weight (powers of 2 mod 11, a primitive root), so changing one digit or
    swapping two neighbours always changes the sum mod 11. The remainder 10 is written ``X``.
    """
    total = 0
    for char in digits:
        total = ((total + int(char)) * 2) % 11
    value = (12 - total) % 11
    return "X" if value == 10 else str(value)  # noqa: PLR2004 - the MOD 11-2 alphabet is 0-9 and X


def registry_number_make(year: int, sequence: int) -> str:
    if not 1000 <= year <= 9999:  # noqa: PLR2004 - four-digit years
        raise ValueError(f"year must have four digits, not {year}")
    if not 1 <= sequence <= SEQUENCE_MAX:
        raise ValueError(f"sequence must be between 1 and {SEQUENCE_MAX}, not {sequence}")
    digits = f"{year:04d}{sequence:06d}"
    return ParsedNumber(year, sequence, check_character(digits)).canonical


def registry_number_parse(text: str) -> ParsedNumber:
    """Parse a typed or pasted number; raises RegistryNumberError with a reason a person can act on."""
    cleaned = "".join(str(text or "").translate(_DASHES).split()).upper()
    match = _NUMBER_RE.match(cleaned)
    if match is None:
        raise RegistryNumberError(
            "malformed",
            "A registry number looks like CSR-2026-000123-7: the letters CSR, a four-digit year, a six-digit "
            "sequence and a check character (a digit or X).",
        )
    year, sequence, check = match.groups()
    expected = check_character(year + sequence)
    if check != expected:
        raise RegistryNumberError(
            "bad_check_digit",
            f"The check character of {PREFIX}-{year}-{sequence}-{check} does not match the rest of the number: "
            "one character is probably mistyped or two are swapped.",
        )
    return ParsedNumber(int(year), int(sequence), check)


def registry_number_sequence_prefix(year: int) -> str:
    """The prefix every number allocated in ``year`` starts with; zero-padding makes it sort by sequence."""
    return f"{PREFIX}-{year:04d}-"


# --- Statuses and transitions ---------------------------------------------------------------------------------

DRAFT = "draft"
SUBMITTED = "submitted"
VERIFIED = "verified"
ACTIVE = "active"
EXPIRED = "expired"
SUSPENDED = "suspended"
REVOKED = "revoked"
SUPERSEDED = "superseded"
NOT_APPLICABLE = "not_applicable"
REJECTED = "rejected"
STATUSES = (DRAFT, SUBMITTED, VERIFIED, ACTIVE, EXPIRED, SUSPENDED, REVOKED, SUPERSEDED, NOT_APPLICABLE, REJECTED)

# REGISTRY.md §3. Anything not listed is refused. "any → superseded" covers every status but superseded itself.
TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SUBMITTED, NOT_APPLICABLE, SUPERSEDED}),
    SUBMITTED: frozenset({VERIFIED, REJECTED, NOT_APPLICABLE, SUPERSEDED}),
    VERIFIED: frozenset({ACTIVE, EXPIRED, NOT_APPLICABLE, SUPERSEDED}),
    ACTIVE: frozenset({EXPIRED, SUSPENDED, REVOKED, SUPERSEDED}),
    SUSPENDED: frozenset({ACTIVE, REVOKED, SUPERSEDED}),
    # An amendment that extends the contract brings an expired certification back into force.
    EXPIRED: frozenset({ACTIVE, SUPERSEDED}),
    # A rejected submission goes back to its author as a draft to fix.
    REJECTED: frozenset({DRAFT, SUPERSEDED}),
    REVOKED: frozenset({SUPERSEDED}),
    NOT_APPLICABLE: frozenset({SUPERSEDED}),
    SUPERSEDED: frozenset(),
}


class TransitionError(ValueError):
    def __init__(self, current: str, target: str) -> None:
        reason = f"A certification cannot go from {current} to {target}."
        super().__init__(reason)
        self.code = "transition_not_allowed"
        self.reason = reason
        self.current = current
        self.target = target


def transition_allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def transition_check(current: str, target: str) -> None:
    if not transition_allowed(current, target):
        raise TransitionError(current, target)


# --- Applicability and status as of a date --------------------------------------------------------------------

PCC6108 = "pcc6108"
SWEATFREE_CODE = "sweatfree_code"
FAR_52_222_56 = "far_52_222_56"
RECRUITMENT_COMMITMENTS = "recruitment_commitments"
SECTION_6108_TYPES = frozenset({PCC6108, SWEATFREE_CODE})
VOLUNTARY_UNLESS_REQUIRED_TYPES = frozenset({RECRUITMENT_COMMITMENTS, FAR_52_222_56})

# § 6108 covers buying or laundering apparel, garments or accessories and buying equipment, materials or supplies.
SECTION_6108_CATEGORIES = frozenset({"apparel", "laundering", "equipment_supplies"})
PUBLIC_WORKS = "public_works"


@dataclass(frozen=True, slots=True)
class Applicability:
    applies: bool
    reason: str  # "in_scope" | "public_works" | "out_of_scope" | "unknown"


def section_6108_applicability(category: str | None) -> Applicability:
    if category is None or category == "":
        return Applicability(applies=False, reason="unknown")
    if category == PUBLIC_WORKS:
        return Applicability(applies=False, reason="public_works")
    if category in SECTION_6108_CATEGORIES:
        return Applicability(applies=True, reason="in_scope")
    return Applicability(applies=False, reason="out_of_scope")


@dataclass(frozen=True, slots=True)
class ContractFacts:
    category: str
    start_date: date
    end_date: date
    value: Decimal | None = None
    performed_abroad: bool = False


@dataclass(frozen=True, slots=True)
class CertificationFacts:
    number: str
    cert_type: str
    stored_status: str
    effective_from: date | None = None
    effective_to: date | None = None
    form_revision: str = ""
    verification_method: str = "self_reported"


# Statuses that the stored value settles whatever the date: dates do not move them.
_DATE_INDEPENDENT = frozenset({DRAFT, SUBMITTED, REJECTED, SUPERSEDED, REVOKED, NOT_APPLICABLE, SUSPENDED})


def effective_window(cert: CertificationFacts, contract: ContractFacts | None) -> tuple[date | None, date | None]:
    """The dates a certification is in force: its own, else its contract's (amendments move the contract's end)."""
    start = cert.effective_from or (contract.start_date if contract else None)
    end = cert.effective_to or (contract.end_date if contract else None)
    return start, end


def status_as_of(cert: CertificationFacts, contract: ContractFacts | None, as_of: date) -> str:
    """The status on ``as_of``: verified/active/expired follow the dates, so past and future checks are right.

    Suspension, revocation and supersession are taken as stored: the registry does not keep their start dates
    on the record itself (the audit log does), so a check dated before them still shows them.
    """
    if cert.cert_type in SECTION_6108_TYPES and contract is not None and contract.category == PUBLIC_WORKS:
        return NOT_APPLICABLE
    if cert.stored_status in _DATE_INDEPENDENT:
        return cert.stored_status
    start, end = effective_window(cert, contract)
    if end is not None and as_of > end:
        return EXPIRED
    if start is not None and as_of < start:
        return VERIFIED
    return ACTIVE


def days_until_expiry(cert: CertificationFacts, contract: ContractFacts | None, as_of: date) -> int | None:
    _start, end = effective_window(cert, contract)
    return None if end is None else (end - as_of).days


def is_stale_form(cert: CertificationFacts, current_revision: str) -> bool:
    """Only the DGS clause forms carry a revision; a blank revision on one of them is stale too."""
    if cert.cert_type not in SECTION_6108_TYPES or not current_revision:
        return False
    return cert.form_revision.strip().upper() != current_revision.strip().upper()


def is_voluntary(cert_type: str, *, recruitment_required: bool) -> bool:
    """Recruitment-commitment certifications are voluntary until an administrator makes them required."""
    return cert_type in VOLUNTARY_UNLESS_REQUIRED_TYPES and not recruitment_required


# --- Gaps -----------------------------------------------------------------------------------------------------

GAP_MISSING_PCC6108 = "missing_pcc6108"
GAP_MISSING_SWEATFREE = "missing_sweatfree"
GAP_EXPIRED = "expired"
GAP_STALE_FORM = "stale_form"
GAP_UNVERIFIED_SELF_REPORT = "unverified_self_report"
GAP_SUSPENDED = "suspended"
GAP_REVOKED = "revoked"
GAP_MISSING_RECRUITMENT = "missing_recruitment_commitments"
GAP_CODES = (
    GAP_MISSING_PCC6108,
    GAP_MISSING_SWEATFREE,
    GAP_EXPIRED,
    GAP_STALE_FORM,
    GAP_UNVERIFIED_SELF_REPORT,
    GAP_SUSPENDED,
    GAP_REVOKED,
    GAP_MISSING_RECRUITMENT,
)

# A certification "exists" for the missing-checks while it is in any of these; expired/suspended get their own gap.
_EXISTING = frozenset({SUBMITTED, VERIFIED, ACTIVE, SUSPENDED, EXPIRED})
_IN_FORCE = frozenset({VERIFIED, ACTIVE})
_CURRENT = frozenset({SUBMITTED, VERIFIED, ACTIVE, SUSPENDED})


@dataclass(frozen=True, slots=True)
class Gap:
    code: str
    certification: str = ""  # the registry number the gap is about, when there is one


@dataclass(frozen=True, slots=True)
class GapPolicy:
    current_revision: str
    recruitment_required: bool = False
    recruitment_threshold: Decimal = Decimal("550000")


def _types_with(statuses: Iterable[tuple[CertificationFacts, str]], wanted: frozenset[str]) -> set[str]:
    return {cert.cert_type for cert, status in statuses if status in wanted}


def _missing_gaps(
    contract: ContractFacts | None, evaluated: Sequence[tuple[CertificationFacts, str]], policy: GapPolicy
) -> list[Gap]:
    existing = _types_with(evaluated, _EXISTING)
    gaps: list[Gap] = []
    if contract is not None and section_6108_applicability(contract.category).applies:
        if PCC6108 not in existing:
            gaps.append(Gap(GAP_MISSING_PCC6108))
        if SWEATFREE_CODE not in existing:
            gaps.append(Gap(GAP_MISSING_SWEATFREE))
    over_threshold = contract is not None and (contract.value or Decimal(0)) > policy.recruitment_threshold
    if policy.recruitment_required and over_threshold and RECRUITMENT_COMMITMENTS not in existing:
        gaps.append(Gap(GAP_MISSING_RECRUITMENT))
    return gaps


def _certification_gaps(cert: CertificationFacts, status: str, in_force: set[str], policy: GapPolicy) -> list[Gap]:
    gaps: list[Gap] = []
    replaced = cert.cert_type in in_force  # another certification of this type is in force
    if status == EXPIRED and not replaced:
        gaps.append(Gap(GAP_EXPIRED, cert.number))
    if status == SUSPENDED:
        gaps.append(Gap(GAP_SUSPENDED, cert.number))
    if status == REVOKED and not replaced:
        gaps.append(Gap(GAP_REVOKED, cert.number))
    if status in _CURRENT and is_stale_form(cert, policy.current_revision):
        gaps.append(Gap(GAP_STALE_FORM, cert.number))
    if status in _CURRENT and status != SUSPENDED and cert.verification_method == "self_reported":
        gaps.append(Gap(GAP_UNVERIFIED_SELF_REPORT, cert.number))
    return gaps


def gaps_compute(
    *,
    contract: ContractFacts | None,
    certifications: Sequence[CertificationFacts],
    as_of: date,
    policy: GapPolicy,
) -> tuple[Gap, ...]:
    """What an officer should worry about for one contract (or solicitation, when ``contract`` is None)."""
    evaluated = [(cert, status_as_of(cert, contract, as_of)) for cert in certifications]
    in_force = _types_with(evaluated, _IN_FORCE)
    gaps = _missing_gaps(contract, evaluated, policy)
    for cert, status in evaluated:
        gaps.extend(_certification_gaps(cert, status, in_force, policy))
    return tuple(gaps)


# --- Sanctions ------------------------------------------------------------------------------------------------

BIDDERS_LIST_REMOVAL = "bidders_list_removal"
PENALTY = "penalty"
BIDDERS_LIST_MAX_DAYS = 360
MIN_PENALTY = Decimal("1000.00")
PENALTY_RATE = Decimal("0.20")
_CENTS = Decimal("0.01")


class SanctionLimitError(ValueError):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def penalty_for(tainted_goods_value: Decimal) -> Decimal:
    """§ 6108: the greater of $1,000 or 20% of the value of the tainted goods."""
    twenty_percent = (Decimal(tainted_goods_value) * PENALTY_RATE).quantize(_CENTS, rounding=ROUND_HALF_UP)
    return max(MIN_PENALTY, twenty_percent)


def bidders_list_removal_latest_end(start: date) -> date:
    return start + timedelta(days=BIDDERS_LIST_MAX_DAYS)


def _check_removal(start: date, end: date | None) -> None:
    if end is None:
        raise SanctionLimitError(
            "removal_end_required", "A removal from the bidders list needs an end date (at most 360 days)."
        )
    if end > bidders_list_removal_latest_end(start):
        raise SanctionLimitError(
            "removal_too_long",
            f"A removal from the bidders list may last at most {BIDDERS_LIST_MAX_DAYS} days: it must end by "
            f"{bidders_list_removal_latest_end(start).isoformat()}.",
        )


def _check_penalty(tainted_goods_value: Decimal | None, penalty_amount: Decimal | None) -> Decimal:
    if tainted_goods_value is None:
        raise SanctionLimitError("tainted_value_required", "A penalty needs the value of the tainted goods.")
    expected = penalty_for(tainted_goods_value)
    if penalty_amount is not None and Decimal(penalty_amount).quantize(_CENTS) != expected:
        raise SanctionLimitError(
            "penalty_mismatch",
            f"The penalty is the greater of $1,000 or 20% of the tainted goods' value: ${expected:,.2f} here.",
        )
    return expected


def sanction_check(
    *,
    kind: str,
    start: date,
    end: date | None,
    tainted_goods_value: Decimal | None = None,
    penalty_amount: Decimal | None = None,
) -> Decimal | None:
    """Enforce the statutory limits; returns the penalty amount to record (None when the kind has none)."""
    if end is not None and end < start:
        raise SanctionLimitError("end_before_start", "A sanction cannot end before it starts.")
    for amount in (tainted_goods_value, penalty_amount):
        if amount is not None and Decimal(amount) < 0:
            raise SanctionLimitError("negative_amount", "Amounts cannot be negative.")
    if kind == BIDDERS_LIST_REMOVAL:
        _check_removal(start, end)
    if kind == PENALTY:
        return _check_penalty(tainted_goods_value, penalty_amount)
    return penalty_amount


def sanction_in_force(start: date, end: date | None, as_of: date) -> bool:
    return start <= as_of and (end is None or as_of <= end)

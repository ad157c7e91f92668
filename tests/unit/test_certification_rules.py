"""Registry numbers, status as of a date, § 6108 applicability, gaps, sanction limits and transitions."""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disclosures.core import certification_rules as rules
from disclosures.core.certification_rules import (
    CertificationFacts,
    ContractFacts,
    GapPolicy,
    RegistryNumberError,
    SanctionLimitError,
    TransitionError,
)

NUMBER = rules.registry_number_make(2026, 123)
ALPHABET = string.digits + string.ascii_uppercase + "-"
APPAREL = ContractFacts(category="apparel", start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
POLICY = GapPolicy(current_revision="CCC 04/2017")


def cert(
    cert_type: str = "pcc6108",
    status: str = "active",
    *,
    number: str = NUMBER,
    form: str = "CCC 04/2017",
    method: str = "document_reviewed",
    start: date | None = None,
    end: date | None = None,
) -> CertificationFacts:
    return CertificationFacts(
        number=number,
        cert_type=cert_type,
        stored_status=status,
        effective_from=start,
        effective_to=end,
        form_revision=form,
        verification_method=method,
    )


# --- Registry numbers -----------------------------------------------------------------------------------------


def test_it_makes_human_friendly_numbers_with_a_check_character() -> None:
    assert rules.registry_number_make(2026, 123).startswith("CSR-2026-000123-")
    assert len(NUMBER) == len("CSR-2026-000123-7")


def test_it_parses_what_it_makes() -> None:
    parsed = rules.registry_number_parse(NUMBER)
    assert (parsed.year, parsed.sequence, parsed.canonical) == (2026, 123, NUMBER)


@pytest.mark.parametrize(
    "typed",
    [
        lambda n: n.lower(),
        lambda n: n.replace("-", ""),
        lambda n: n.replace("-", " "),
        lambda n: f"  {n}  ",
        lambda n: n.replace("-", "\u2013"),
    ],
)
def test_it_tolerates_case_spaces_and_missing_dashes(typed: object) -> None:
    assert rules.registry_number_parse(typed(NUMBER)).canonical == NUMBER  # type: ignore[operator]


@pytest.mark.parametrize("text", ["", "CSR-2026-123-7", "ABC-2026-000123-7", "CSR-2026-000123", "CSR-2026-0001234-7"])
def test_it_calls_wrong_shapes_malformed(text: str) -> None:
    with pytest.raises(RegistryNumberError) as caught:
        rules.registry_number_parse(text)
    assert caught.value.code == "malformed"


def test_it_uses_x_for_the_check_value_ten() -> None:
    numbers = [rules.registry_number_make(2026, sequence) for sequence in range(1, 60)]
    assert any(number.endswith("-X") for number in numbers)
    assert all(rules.registry_number_parse(number).canonical == number for number in numbers)


def _single_substitutions(number: str) -> list[str]:
    return [number[:i] + char + number[i + 1 :] for i in range(len(number)) for char in ALPHABET if char != number[i]]


def _adjacent_transpositions(number: str) -> list[str]:
    return [
        number[:i] + number[i + 1] + number[i] + number[i + 2 :]
        for i in range(len(number) - 1)
        if number[i] != number[i + 1]
    ]


@pytest.mark.parametrize("sequence", [1, 123, 4567, 99_999, 999_999])
def test_it_catches_every_single_character_typo(sequence: int) -> None:
    number = rules.registry_number_make(2026, sequence)
    for typo in _single_substitutions(number):
        try:
            parsed = rules.registry_number_parse(typo)
        except RegistryNumberError:
            continue
        # Only harmless edits survive, and they read back as the same number (a dash typed as nothing, etc.).
        assert parsed.canonical == number, typo


@pytest.mark.parametrize("sequence", [1, 123, 4567, 99_999, 999_999])
def test_it_catches_every_adjacent_transposition(sequence: int) -> None:
    number = rules.registry_number_make(2031, sequence)
    for typo in _adjacent_transpositions(number):
        with pytest.raises(RegistryNumberError):
            rules.registry_number_parse(typo)


@given(st.integers(min_value=2000, max_value=2099), st.integers(min_value=1, max_value=999_999), st.data())
def test_a_changed_digit_always_fails_the_check(year: int, sequence: int, data: st.DataObject) -> None:
    number = rules.registry_number_make(year, sequence)
    digit_positions = [i for i, char in enumerate(number[:-1]) if char.isdigit()]
    position = data.draw(st.sampled_from(digit_positions))
    replacement = data.draw(st.sampled_from([d for d in string.digits if d != number[position]]))
    typo = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(RegistryNumberError) as caught:
        rules.registry_number_parse(typo)
    assert caught.value.code == "bad_check_digit"


def test_a_bad_check_digit_names_the_problem() -> None:
    wrong = NUMBER[:-1] + ("0" if NUMBER[-1] != "0" else "1")
    with pytest.raises(RegistryNumberError) as caught:
        rules.registry_number_parse(wrong)
    assert caught.value.code == "bad_check_digit"
    assert "check character" in caught.value.reason


@pytest.mark.parametrize(("year", "sequence"), [(999, 1), (2026, 0), (2026, 1_000_000)])
def test_it_refuses_to_make_numbers_out_of_range(year: int, sequence: int) -> None:
    with pytest.raises(ValueError, match="must"):
        rules.registry_number_make(year, sequence)


# --- Applicability and status as of ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "applies", "reason"),
    [
        ("apparel", True, "in_scope"),
        ("laundering", True, "in_scope"),
        ("equipment_supplies", True, "in_scope"),
        ("public_works", False, "public_works"),
        ("other_services", False, "out_of_scope"),
        (None, False, "unknown"),
    ],
)
def test_section_6108_applies_by_contract_category(category: str | None, applies: bool, reason: str) -> None:
    result = rules.section_6108_applicability(category)
    assert (result.applies, result.reason) == (applies, reason)


def test_an_active_certification_is_active_on_the_last_day_of_the_contract() -> None:
    assert rules.status_as_of(cert(), APPAREL, date(2026, 12, 31)) == "active"


def test_it_is_expired_the_day_after_the_contract_ends() -> None:
    assert rules.status_as_of(cert(), APPAREL, date(2027, 1, 1)) == "expired"


def test_a_stored_expired_certification_was_active_before_expiry() -> None:
    assert rules.status_as_of(cert(status="expired"), APPAREL, date(2026, 6, 1)) == "active"


def test_a_verified_certification_waits_for_the_contract_to_start() -> None:
    assert rules.status_as_of(cert(status="verified"), APPAREL, date(2025, 12, 31)) == "verified"
    assert rules.status_as_of(cert(status="verified"), APPAREL, date(2026, 1, 1)) == "active"


def test_its_own_effective_dates_win_over_the_contract_dates() -> None:
    short = cert(start=date(2026, 2, 1), end=date(2026, 3, 31))
    assert rules.status_as_of(short, APPAREL, date(2026, 1, 15)) == "verified"
    assert rules.status_as_of(short, APPAREL, date(2026, 4, 1)) == "expired"


@pytest.mark.parametrize("stored", ["draft", "submitted", "rejected", "superseded", "revoked", "suspended"])
def test_decided_statuses_do_not_move_with_the_date(stored: str) -> None:
    assert rules.status_as_of(cert(status=stored), APPAREL, date(2030, 1, 1)) == stored


def test_public_works_certifications_are_not_applicable() -> None:
    works = ContractFacts(category="public_works", start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    assert rules.status_as_of(cert(), works, date(2026, 6, 1)) == "not_applicable"
    assert rules.status_as_of(cert("recruitment_commitments"), works, date(2026, 6, 1)) == "active"


def test_recruitment_commitments_are_voluntary_until_required() -> None:
    assert rules.is_voluntary("recruitment_commitments", recruitment_required=False)
    assert not rules.is_voluntary("recruitment_commitments", recruitment_required=True)
    assert not rules.is_voluntary("pcc6108", recruitment_required=False)


# --- Gaps -----------------------------------------------------------------------------------------------------


def gap_codes(contract: ContractFacts | None, certs: list[CertificationFacts], **policy: object) -> list[str]:
    chosen = GapPolicy(current_revision="CCC 04/2017", **policy)  # type: ignore[arg-type]
    return [
        gap.code
        for gap in rules.gaps_compute(contract=contract, certifications=certs, as_of=date(2026, 6, 1), policy=chosen)
    ]


def complete() -> list[CertificationFacts]:
    return [cert("pcc6108", number="A"), cert("sweatfree_code", number="B")]


def test_a_complete_verified_set_has_no_gaps() -> None:
    assert gap_codes(APPAREL, complete()) == []


def test_it_flags_a_missing_6108_certification() -> None:
    assert gap_codes(APPAREL, [cert("sweatfree_code")]) == ["missing_pcc6108"]


def test_it_flags_a_missing_sweatfree_statement() -> None:
    assert gap_codes(APPAREL, [cert("pcc6108")]) == ["missing_sweatfree"]


def test_drafts_do_not_count_as_certifications() -> None:
    assert gap_codes(APPAREL, [cert("pcc6108", "draft"), cert("sweatfree_code", "rejected")]) == [
        "missing_pcc6108",
        "missing_sweatfree",
    ]


def test_it_flags_an_expired_certification() -> None:
    certs = [cert("pcc6108", number="A", end=date(2026, 5, 31)), cert("sweatfree_code", number="B")]
    assert gap_codes(APPAREL, certs) == ["expired"]


def test_an_expired_certification_that_was_renewed_is_not_a_gap() -> None:
    certs = [*complete(), cert("pcc6108", "expired", number="OLD", end=date(2026, 5, 31))]
    assert gap_codes(APPAREL, certs) == []


def test_it_flags_a_stale_form_revision() -> None:
    certs = [cert("pcc6108", number="A", form="CCC 07/2010"), cert("sweatfree_code", number="B")]
    gaps = rules.gaps_compute(contract=APPAREL, certifications=certs, as_of=date(2026, 6, 1), policy=POLICY)
    assert [(gap.code, gap.certification) for gap in gaps] == [("stale_form", "A")]


def test_it_flags_an_unverified_self_report() -> None:
    certs = [cert("pcc6108", number="A", method="self_reported"), cert("sweatfree_code", number="B")]
    assert gap_codes(APPAREL, certs) == ["unverified_self_report"]


def test_a_submitted_certification_is_an_unverified_self_report() -> None:
    certs = [cert("pcc6108", "submitted", number="A", method="self_reported"), cert("sweatfree_code", number="B")]
    assert gap_codes(APPAREL, certs) == ["unverified_self_report"]


def test_it_flags_suspended_and_revoked_certifications() -> None:
    assert gap_codes(APPAREL, [cert("pcc6108", "suspended", number="A"), cert("sweatfree_code", number="B")]) == [
        "suspended"
    ]
    assert gap_codes(APPAREL, [cert("pcc6108", "revoked", number="A"), cert("sweatfree_code", number="B")]) == [
        "missing_pcc6108",
        "revoked",
    ]


def test_public_works_and_other_services_have_no_6108_gaps() -> None:
    for category in ("public_works", "other_services"):
        contract = ContractFacts(category=category, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
        assert gap_codes(contract, []) == []


def test_recruitment_commitments_are_a_gap_only_when_required_and_over_the_threshold() -> None:
    big = ContractFacts(
        category="apparel", start_date=date(2026, 1, 1), end_date=date(2026, 12, 31), value=Decimal("900000")
    )
    assert gap_codes(big, complete()) == []
    assert gap_codes(big, complete(), recruitment_required=True) == ["missing_recruitment_commitments"]
    assert gap_codes(APPAREL, complete(), recruitment_required=True) == []


def test_every_gap_code_is_produced_by_some_test_above() -> None:
    assert set(rules.GAP_CODES) == {
        "missing_pcc6108",
        "missing_sweatfree",
        "expired",
        "stale_form",
        "unverified_self_report",
        "suspended",
        "revoked",
        "missing_recruitment_commitments",
    }


# --- Sanctions ------------------------------------------------------------------------------------------------


def test_a_bidders_list_removal_may_last_360_days() -> None:
    start = date(2026, 1, 1)
    assert rules.sanction_check(kind="bidders_list_removal", start=start, end=date(2026, 12, 27)) is None


def test_a_bidders_list_removal_longer_than_360_days_is_refused() -> None:
    with pytest.raises(SanctionLimitError) as caught:
        rules.sanction_check(kind="bidders_list_removal", start=date(2026, 1, 1), end=date(2026, 12, 28))
    assert caught.value.code == "removal_too_long"


def test_a_bidders_list_removal_needs_an_end_date() -> None:
    with pytest.raises(SanctionLimitError) as caught:
        rules.sanction_check(kind="bidders_list_removal", start=date(2026, 1, 1), end=None)
    assert caught.value.code == "removal_end_required"


@pytest.mark.parametrize(
    ("tainted", "penalty"),
    [("0", "1000.00"), ("4999.99", "1000.00"), ("5000", "1000.00"), ("5000.05", "1000.01"), ("250000", "50000.00")],
)
def test_the_penalty_is_the_greater_of_1000_or_20_percent(tainted: str, penalty: str) -> None:
    assert rules.penalty_for(Decimal(tainted)) == Decimal(penalty)
    recorded = rules.sanction_check(
        kind="penalty", start=date(2026, 1, 1), end=None, tainted_goods_value=Decimal(tainted)
    )
    assert recorded == Decimal(penalty)


def test_a_penalty_other_than_the_statutory_amount_is_refused() -> None:
    with pytest.raises(SanctionLimitError) as caught:
        rules.sanction_check(
            kind="penalty",
            start=date(2026, 1, 1),
            end=None,
            tainted_goods_value=Decimal("100000"),
            penalty_amount=Decimal("5000"),
        )
    assert caught.value.code == "penalty_mismatch"


def test_a_penalty_needs_the_tainted_goods_value() -> None:
    with pytest.raises(SanctionLimitError) as caught:
        rules.sanction_check(kind="penalty", start=date(2026, 1, 1), end=None)
    assert caught.value.code == "tainted_value_required"


def test_sanctions_cannot_end_before_they_start_or_be_negative() -> None:
    with pytest.raises(SanctionLimitError, match="before"):
        rules.sanction_check(kind="other", start=date(2026, 2, 1), end=date(2026, 1, 1))
    with pytest.raises(SanctionLimitError, match="negative"):
        rules.sanction_check(kind="penalty", start=date(2026, 2, 1), end=None, tainted_goods_value=Decimal(-1))


def test_a_sanction_is_in_force_between_its_dates() -> None:
    assert rules.sanction_in_force(date(2026, 1, 1), date(2026, 3, 1), date(2026, 3, 1))
    assert not rules.sanction_in_force(date(2026, 1, 1), date(2026, 3, 1), date(2026, 3, 2))
    assert rules.sanction_in_force(date(2026, 1, 1), None, date(2036, 1, 1))


# --- Transitions ----------------------------------------------------------------------------------------------

ALLOWED = {
    ("draft", "submitted"),
    ("draft", "not_applicable"),
    ("submitted", "verified"),
    ("submitted", "rejected"),
    ("submitted", "not_applicable"),
    ("verified", "active"),
    ("verified", "expired"),
    ("verified", "not_applicable"),
    ("active", "expired"),
    ("active", "suspended"),
    ("active", "revoked"),
    ("suspended", "active"),
    ("suspended", "revoked"),
    ("expired", "active"),
    ("rejected", "draft"),
} | {(status, "superseded") for status in rules.STATUSES if status != "superseded"}


@pytest.mark.parametrize("current", rules.STATUSES)
@pytest.mark.parametrize("target", rules.STATUSES)
def test_every_transition_is_allowed_or_refused_as_the_table_says(current: str, target: str) -> None:
    if (current, target) in ALLOWED:
        rules.transition_check(current, target)
        assert rules.transition_allowed(current, target)
    else:
        with pytest.raises(TransitionError) as caught:
            rules.transition_check(current, target)
        assert caught.value.code == "transition_not_allowed"

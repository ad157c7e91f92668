"""How-to-improve notes: one concrete note per missing element, the law's asks first."""

from __future__ import annotations

import pytest

from disclosures.core.advice import (
    AREA_SIGNALS,
    COMPLIANCE,
    MAX_SIGNAL_TIPS,
    PRACTICE,
    QUALIFIER_MISSING_ADVICE,
    SIGNAL_ADVICE,
    STATUS_ADVICE,
    advice_for_finding,
)
from disclosures.core.explain import SIGNAL_TEXT
from disclosures.core.types import AREAS

ALL_AUDIT_SIGNALS = AREA_SIGNALS["audits"]


def codes(notes: tuple) -> list[str]:
    return [note.code for note in notes]


def test_audits_that_do_not_say_whether_they_are_unannounced_get_that_exact_advice() -> None:
    notes = advice_for_finding(
        area="audits",
        status="does",
        qualifiers={"independence": "independent", "announcement": "unspecified"},
        signals=ALL_AUDIT_SIGNALS,
    )

    assert codes(notes) == ["audits.announcement"]
    assert notes[0].text == "Say whether your audits are unannounced."
    assert notes[0].kind == COMPLIANCE


def test_a_missing_qualifier_flag_raises_the_same_note_even_without_the_qualifier_key() -> None:
    notes = advice_for_finding(
        area="verification",
        status="does_hedged",
        qualifiers={},
        signals=AREA_SIGNALS["verification"],
        flags=["qualifier_missing:verification.performed_by", "qualifier_missing:audits.independence"],
    )

    assert "verification.performed_by" in codes(notes)
    assert not any(code.startswith("audits.") for code in codes(notes))


@pytest.mark.parametrize("area", AREAS)
def test_a_silent_area_tells_the_company_to_address_it_and_says_so_first(area: str) -> None:
    notes = advice_for_finding(area=area, status="silent")

    assert notes[0].code == f"{area}.silent"
    assert notes[0].kind == COMPLIANCE
    assert notes[0].text == STATUS_ADVICE["silent"][area]


@pytest.mark.parametrize("area", AREAS)
def test_saying_it_does_not_is_compliant_so_the_note_is_about_practice_only(area: str) -> None:
    notes = advice_for_finding(area=area, status="does_not")

    assert codes(notes)[0] == f"{area}.does_not"
    assert all(note.kind == PRACTICE for note in notes)


def test_a_plan_is_advised_as_a_plan_not_as_a_plain_no() -> None:
    notes = advice_for_finding(area="training", status="does_not", flags=["planned:training", "planned:audits"])

    assert codes(notes) == ["training.planned"]


def test_a_contradiction_flag_wins_over_the_generic_unclear_note() -> None:
    notes = advice_for_finding(area="audits", status="unclear", flags=["contradiction:audits"])

    assert "audits.contradiction" in codes(notes)
    assert "audits.unclear" not in codes(notes)


def test_an_unclear_area_without_flags_gets_the_generic_unclear_note() -> None:
    assert codes(advice_for_finding(area="certification", status="unclear")) == ["certification.unclear"]


def test_a_full_answer_with_every_quality_signal_needs_no_advice() -> None:
    notes = advice_for_finding(
        area="audits",
        status="does",
        qualifiers={"independence": "independent", "announcement": "unannounced"},
        signals=ALL_AUDIT_SIGNALS,
    )

    assert notes == ()


def test_missing_quality_signals_give_at_most_a_few_practice_tips_in_priority_order() -> None:
    notes = advice_for_finding(
        area="audits", status="does", qualifiers={"independence": "independent", "announcement": "unannounced"}
    )

    assert codes(notes) == [f"audits.signal.{signal}" for signal in ALL_AUDIT_SIGNALS[:MAX_SIGNAL_TIPS]]
    assert all(note.kind == PRACTICE for note in notes)


def test_a_weaker_but_stated_practice_gets_a_practice_note_not_a_compliance_one() -> None:
    notes = advice_for_finding(
        area="audits",
        status="does",
        qualifiers={"independence": "internal", "announcement": "announced"},
        signals=ALL_AUDIT_SIGNALS,
    )

    assert codes(notes) == ["audits.independence.internal", "audits.announcement.announced"]
    assert {note.kind for note in notes} == {PRACTICE}


def test_compliance_notes_come_before_practice_notes() -> None:
    notes = advice_for_finding(area="verification", status="does", qualifiers={"performed_by": "unspecified"})

    kinds = [note.kind for note in notes]
    assert kinds == sorted(kinds, key=lambda kind: kind != COMPLIANCE)
    assert kinds[0] == COMPLIANCE
    assert PRACTICE in kinds


def test_supplier_termination_is_not_accountability_and_the_advice_says_so() -> None:
    assert "accountability.scope" in codes(advice_for_finding(area="accountability", status="does_hedged"))


def test_an_unknown_area_gets_no_advice_rather_than_an_error() -> None:
    assert advice_for_finding(area="packaging", status="silent") == ()


def test_every_signal_with_advice_is_a_signal_the_scorer_knows() -> None:
    assert set(SIGNAL_ADVICE) <= set(SIGNAL_TEXT)
    assert {signal for signals in AREA_SIGNALS.values() for signal in signals} <= set(SIGNAL_ADVICE)


def test_every_required_qualifier_has_its_note() -> None:
    assert set(QUALIFIER_MISSING_ADVICE) == {"verification.performed_by", "audits.independence", "audits.announcement"}

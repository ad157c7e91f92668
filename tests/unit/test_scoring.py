"""The scorer's contract: ScoreCard shape, evidence offsets, the two scores, tier, grade, flags, crosswalk."""

from __future__ import annotations

import json

import pytest

from disclosures.core.rubric import load_rubric
from disclosures.core.scoring import score_document, score_text
from disclosures.core.types import AREAS, STATUSES, ExtractedDocument, HomepageSignal

STRONG = """Supply Chain Statement

Verification. Before any new factory is approved, an independent consultancy screens it against the U.S.
Department of Labor list and our own risk model, including sub-suppliers and labor brokers; every supplier
is re-assessed annually.

Audits. Independent auditors conduct unannounced audits of all factories every year, interview workers
off-site, review payroll, and follow up with corrective action plans and re-audits, including tier 2 mills.

Certification. Our supplier agreement requires each supplier to certify in writing, every year, that the
materials it uses comply with laws on slavery and human trafficking, and to flow this down to its own suppliers.

We ban recruitment fees and repay any fees found, workers keep their passports, workers can use an anonymous
hotline, we publish our factory list online, and we track key performance indicators.
"""

ALL_NEGATIVE = (
    "We do not verify our supply chains. We do not audit suppliers. We do not require suppliers to certify "
    "anything. We do not maintain internal accountability standards on trafficking. We do not provide training "
    "on trafficking."
)


def test_it_returns_one_finding_per_area_in_order() -> None:
    card = score_text("We audit our suppliers every year.")
    assert card.rubric == "ctsca-1"
    assert tuple(card.areas) == AREAS
    assert all(finding.status in STATUSES for finding in card.areas.values())
    assert all(finding.area == area for area, finding in card.areas.items())


def test_it_serialises_to_plain_json() -> None:
    card = score_text(STRONG, homepage=HomepageSignal(link_found=True, label_understandable=False))
    data = json.loads(json.dumps(card.to_dict()))
    assert set(data["areas"]) == set(AREAS)
    assert data["areas"]["audits"]["evidence"][0]["page"] == 1
    assert isinstance(data["crosswalk"]["uk"]["elements"], dict)


def test_it_is_deterministic() -> None:
    assert score_text(STRONG).to_dict() == score_text(STRONG).to_dict()


def test_it_quotes_evidence_at_its_offsets() -> None:
    text = "Intro line.\nWe audit all suppliers every year with independent firms."
    evidence = score_text(text).areas["audits"].evidence
    assert len(evidence) == 1
    item = evidence[0]
    assert item.page == 1
    assert item.quote == text[item.start : item.end] == "We audit all suppliers every year with independent firms."


def test_it_truncates_long_quotes_with_an_ellipsis() -> None:
    filler = ", ".join(f"region number {n}" for n in range(40))
    text = f"We audit all suppliers every year in {filler}."
    item = score_text(text).areas["audits"].evidence[0]
    assert len(item.quote) == 300
    assert item.quote.endswith("\u2026")
    assert text[item.start : item.end].startswith(item.quote[:-1])
    assert "audit" in item.quote


def test_it_narrows_a_long_sentence_to_the_part_that_decided() -> None:
    filler = ", ".join(f"region number {n}" for n in range(40))
    text = f"In {filler}, we audit all suppliers every year."
    item = score_text(text).areas["audits"].evidence[0]
    assert item.start > 0
    assert len(item.quote) <= 300
    assert "we audit all suppliers" in item.quote
    assert item.quote == text[item.start : item.end] or item.quote.endswith("\u2026")


def test_it_points_evidence_at_the_right_page() -> None:
    doc = ExtractedDocument(
        kind="pdf", pages=("Our values matter.", "", "Buyers receive annual training on forced labor.")
    )
    item = score_document(doc).areas["training"].evidence[0]
    assert item.page == 3
    assert doc.pages[2][item.start : item.end] == item.quote


def test_it_scores_a_strong_statement() -> None:
    card = score_text(STRONG)
    assert card.areas["verification"].qualifiers == {"performed_by": "third_party"}
    assert card.areas["audits"].qualifiers == {"independence": "independent", "announcement": "unannounced"}
    assert {"worker_interviews", "corrective_action", "frequency"} <= set(card.areas["audits"].signals)
    assert set(card.beyond_statute) >= {"recruitment_fees", "identity_documents", "supplier_list_published"}
    # 3 areas x 2 + both qualifier points = 8 of 12.
    assert card.compliance_score == 67
    assert card.tier == "partial"


def test_it_caps_the_grade_at_c_when_the_tier_is_partial() -> None:
    card = score_text(STRONG)
    assert card.practice_score >= load_rubric().grades[1][1]  # a B on practice alone
    assert card.grade == "C"


def test_it_gives_full_compliance_but_no_practice_to_honest_negatives() -> None:
    card = score_text(ALL_NEGATIVE)
    assert {finding.status for finding in card.areas.values()} == {"does_not"}
    assert card.compliance_score == 100
    assert card.tier == "complete"
    assert card.practice_score == 0
    assert card.grade == "F"


def test_it_scores_silence_as_zero() -> None:
    card = score_text("We care deeply about people and the planet.")
    assert card.compliance_score == 0
    assert card.tier == "minimal"
    assert card.grade == "F"
    assert all(finding.evidence == () for finding in card.areas.values())


def test_it_adds_homepage_points_over_fifteen() -> None:
    silent = "We care deeply about people and the planet."
    assert (
        score_text(silent, homepage=HomepageSignal(link_found=True, label_understandable=True)).compliance_score == 20
    )
    assert (
        score_text(silent, homepage=HomepageSignal(link_found=True, label_understandable=False)).compliance_score == 13
    )
    assert (
        score_text(ALL_NEGATIVE, homepage=HomepageSignal(link_found=False, label_understandable=False)).compliance_score
        == 80
    )


def test_it_gives_one_point_for_unclear() -> None:
    card = score_text("We do not audit our suppliers. We conduct annual audits of all our factories.")
    assert card.areas["audits"].status == "unclear"
    assert card.compliance_score == 8  # 1 of 12


def test_it_earns_the_qualifier_point_only_when_stated() -> None:
    stated = score_text("Independent auditors conduct unannounced audits of our suppliers.")
    unstated = score_text("We audit our suppliers.")
    assert stated.compliance_score - unstated.compliance_score == 8  # one point of 12


def test_it_halves_base_points_for_hedged_findings() -> None:
    does = score_text("We train our buyers on supplier standards.")
    hedged = score_text("We may train our buyers on supplier standards.")
    assert does.areas["training"].status == "does"
    assert hedged.areas["training"].status == "does_hedged"
    assert does.practice_score > hedged.practice_score > 0


def test_it_reports_confidence_between_zero_and_one() -> None:
    card = score_text(STRONG)
    assert all(0 < finding.confidence <= 1 for finding in card.areas.values())
    assert card.areas["verification"].confidence > card.areas["training"].confidence - 1


def test_it_maps_findings_onto_other_regimes() -> None:
    text = STRONG + "\nThis statement was approved by the Board of Directors and signed by Jane Doe, Director."
    crosswalk = score_text(text).crosswalk
    assert crosswalk["uk"]["elements"]["due_diligence"] == "covered"
    assert crosswalk["uk"]["elements"]["training"] == "missing"
    assert crosswalk["uk"]["signals"]["board_approval"] is True
    assert crosswalk["uk"]["signals"]["director_signature"] is True
    assert crosswalk["au"]["signals"]["governing_body_approval"] is True
    assert crosswalk["ca"]["elements"]["remediation"] == "missing"


def test_it_marks_negative_crosswalk_elements() -> None:
    crosswalk = score_text(ALL_NEGATIVE).crosswalk
    assert crosswalk["uk"]["elements"]["training"] == "states_not_done"
    assert crosswalk["uk"]["signals"]["board_approval"] is False


@pytest.mark.parametrize("pages", [(), ("",), ("", "   ", "\n\n")])
def test_it_scores_empty_documents_as_silent(pages: tuple[str, ...]) -> None:
    card = score_document(ExtractedDocument(kind="text", pages=pages))
    assert {finding.status for finding in card.areas.values()} == {"silent"}

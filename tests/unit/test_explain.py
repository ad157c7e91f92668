"""Plain-language wording for flags, qualifiers, statuses and coverage (pure, no Django)."""

from __future__ import annotations

import pytest

from disclosures.core import explain
from disclosures.core.explain import Phrase, explain_flag, infer_coverage, render
from disclosures.core.types import AREAS, STATUSES


@pytest.mark.parametrize(
    ("flag", "text"),
    [
        ("qualifier_missing:audits.announcement", "does not say whether audits are unannounced"),
        ("qualifier_missing:audits.independence", "does not say whether audits are independent"),
        ("qualifier_missing:verification.performed_by", "does not say whether verification is done by a third party"),
        ("planned:training", "says training is planned, not done yet"),
        ("planned:audits", "says supplier audits are planned, not done yet"),
        ("contradiction:certification", "contradicts itself about supplier certification"),
        ("homepage_link_missing", "no link to the disclosure was found on the company's homepage"),
        ("low_confidence:audits", "the finding for audits is uncertain"),
        ("statute_echo_only:training", "only repeats the law's wording about training, without saying what it does"),
        (
            "blanket_statement",
            "relies on a blanket statement of compliance instead of describing what the company does",
        ),
    ],
)
def test_it_explains_known_flags_in_plain_language(flag: str, text: str) -> None:
    assert render(explain_flag(flag)) == text


def test_it_keeps_an_unknown_flag_readable_instead_of_dropping_it() -> None:
    assert render(explain_flag("new_kind:audits.something_else")) == "note: new kind: audits something else"


def test_it_explains_every_planned_area() -> None:
    texts = {render(explain_flag(f"planned:{area}")) for area in AREAS}
    assert len(texts) == len(AREAS)
    assert all("planned" in text for text in texts)


def test_it_translates_the_template_before_filling_in_params() -> None:
    phrase = Phrase("the finding for %(area)s is uncertain", {"area": "audits"})
    spanish = {"the finding for %(area)s is uncertain": "el hallazgo sobre %(area)s es incierto"}
    assert render(phrase, spanish.__getitem__) == "el hallazgo sobre audits es incierto"


def test_it_labels_every_status_and_area() -> None:
    assert {explain.status_label(s) for s in STATUSES} == set(explain.STATUS_LABELS.values())
    assert explain.status_label("does_not") == "Says it does not"
    assert explain.area_label("audits") == "Supplier audits"
    assert all(explain.STATUS_DESCRIPTIONS[s] for s in STATUSES)


def test_it_treats_an_area_missing_from_a_score_as_silent() -> None:
    assert explain.ordered_areas({"audits": "does"}) == [
        ("verification", "silent"),
        ("audits", "does"),
        ("certification", "silent"),
        ("accountability", "silent"),
        ("training", "silent"),
    ]


@pytest.mark.parametrize(
    ("area", "name", "value", "text"),
    [
        ("verification", "performed_by", "third_party", "done by a third party"),
        ("audits", "announcement", "semi_announced", "audits are announced as a time window, without a date"),
        ("audits", "announcement", "unspecified", "does not say whether audits are unannounced"),
        ("audits", "independence", "independent", "audits are independent"),
        ("training", "hours", "eight", "hours: eight"),
    ],
)
def test_it_explains_qualifiers(area: str, name: str, value: str, text: str) -> None:
    assert render(explain.explain_qualifier(area, name, value)) == text


def test_it_infers_coverage_when_all_three_tests_are_met() -> None:
    inference = infer_coverage(naics="315210", revenue_band="over_1b", sells_in_california=True)
    assert inference.verdict == explain.LIKELY_COVERED
    reasons = [render(p) for p in inference.reasons_for(inference.verdict)]
    assert reasons == [
        "its principal activity is retail or manufacturing (NAICS 315210)",
        "its worldwide revenue is reported as over $1 billion",
        "it sells in California",
    ]


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"naics": "5415", "revenue_band": "over_1b", "sells_in_california": True}, "neither retail nor manufacturing"),
        ({"industry": "apparel", "revenue_band": "under_100m", "sells_in_california": True}, "under $100 million"),
        ({"industry": "toys", "revenue_band": "100m_1b", "sells_in_california": False}, "not to do business"),
    ],
)
def test_it_says_likely_not_covered_with_the_failing_test(kwargs: dict, reason: str) -> None:
    inference = infer_coverage(**kwargs)
    assert inference.verdict == explain.LIKELY_NOT
    assert any(reason in render(p) for p in inference.reasons_for(explain.LIKELY_NOT))


def test_it_does_not_guess_when_facts_are_missing() -> None:
    inference = infer_coverage(industry="other", revenue_band="unknown", sells_in_california=None)
    assert inference.verdict == explain.COVERAGE_UNKNOWN
    assert len(inference.reasons_for(explain.COVERAGE_UNKNOWN)) == 3


def test_it_phrases_coverage_as_an_inference() -> None:
    assert explain.COVERAGE_LEADS[explain.LIKELY_COVERED].startswith("This company is likely covered")
    assert "not a legal finding" in explain.COVERAGE_CAVEAT

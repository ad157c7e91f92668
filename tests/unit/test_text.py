"""Sentence and heading segmentation with offsets, and the clause-level language helpers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosures.core.rubric import load_rubric
from disclosures.core.text import (
    Sentence,
    actor_of,
    clause_span,
    find_negation,
    is_hedged,
    is_planned,
    normalise,
    segment,
    words,
)

RUBRIC = load_rubric()
LANG = RUBRIC.language


def parts(text: str) -> list[Sentence]:
    return segment(text, heading_prefix=RUBRIC.heading_prefix)


def sentences(text: str) -> list[str]:
    return [text[item.start : item.end] for item in parts(text) if not item.is_heading]


def headings(text: str) -> list[str]:
    return [item.norm for item in parts(text) if item.is_heading]


# ----------------------------------------------------------------------------------------------------------
# Normalisation
# ----------------------------------------------------------------------------------------------------------

NORMALISE = [
    ("We audit \u201cevery\u201d supplier\u2019s site", 'we audit "every" supplier\'s site'),
    ("third\u2013party   audits\n\tannually", "third-party audits annually"),
    ("verifi-\ncation of suppliers", "verification of suppliers"),
    ("well-\nKnown", "well-\nknown".replace("\n", " ")),
    ("soft\u00adhyphen and \ufb01rms", "softhyphen and firms"),
    ("\u00a0 padded \u00a0", "padded"),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALISE)
def test_it_normalises_for_matching(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_it_keeps_hyphenated_words_whole() -> None:
    assert words("a self-assessment and t&c's") == ["a", "self-assessment", "and", "t&c's"]


# ----------------------------------------------------------------------------------------------------------
# Segmentation
# ----------------------------------------------------------------------------------------------------------


def test_it_splits_sentences_with_offsets_into_the_page() -> None:
    text = "We audit suppliers. We train buyers!  Do we verify? Yes."
    assert sentences(text) == ["We audit suppliers.", "We train buyers!", "Do we verify?", "Yes."]
    for item in parts(text):
        assert normalise(text[item.start : item.end]) == item.norm


def test_it_does_not_split_after_abbreviations() -> None:
    text = "We use the U.S. Department of Labor list. Acme Inc. audits vendors, e.g. in Asia. Mr. Smith leads it."
    assert sentences(text) == [
        "We use the U.S. Department of Labor list.",
        "Acme Inc. audits vendors, e.g. in Asia.",
        "Mr. Smith leads it.",
    ]


def test_it_joins_run_on_pdf_lines_and_hyphenation() -> None:
    text = (
        "We conduct unannounced audits of all our tier 1 suppliers and we also\nrequire a "
        "self-assessment question-\nnaire from new vendors."
    )
    found = parts(text)
    assert len(found) == 1
    assert found[0].norm == (
        "we conduct unannounced audits of all our tier 1 suppliers and we also require a "
        "self-assessment questionnaire from new vendors."
    )


def test_it_recognises_heading_lines() -> None:
    text = "Supplier Audits\nWe audit suppliers every year.\n\nTraining and Awareness\nBuyers are trained."
    assert headings(text) == ["supplier audits", "training and awareness"]
    assert [item.heading for item in parts(text) if not item.is_heading] == [
        "supplier audits",
        "training and awareness",
    ]


def test_it_does_not_take_a_wrapped_line_for_a_heading() -> None:
    text = "We conduct audits of our suppliers in\nAsia and Europe every year."
    assert headings(text) == []
    assert sentences(text) == [text]


def test_it_does_not_take_the_last_truncated_line_for_a_heading() -> None:
    text = "We care about workers.\nIn addition, Acme or its qualified third-party auditors"
    assert headings(text) == []


NUMBERED_HEADINGS = [
    ("1. Verification: We assess supplier risk every year.", "verification", "We assess supplier risk every year."),
    ("2) Audits - Independent firms audit our factories.", "audits", "Independent firms audit our factories."),
    (
        "Training \u2013 The company provides training to buyers.",
        "training",
        "The company provides training to buyers.",
    ),
    (
        "Supply Chain Verification. Our policy is to assess new factories.",
        "supply chain verification",
        "Our policy is to assess new factories.",
    ),
    (
        "Supplier Certifications: Acme requires suppliers to certify compliance.",
        "supplier certifications",
        "Acme requires suppliers to certify compliance.",
    ),
]


@pytest.mark.parametrize(("line", "heading", "rest"), NUMBERED_HEADINGS)
def test_it_splits_statute_echo_heading_prefixes(line: str, heading: str, rest: str) -> None:
    assert headings(line) == [heading]
    assert sentences(line) == [rest]


def test_it_does_not_take_an_ordinary_first_clause_for_a_heading() -> None:
    text = "We audit suppliers. Suppliers must sign our code."
    assert headings(text) == []


def test_it_handles_bullets_and_html_list_items() -> None:
    text = (
        "Our programme includes:\n"
        "\u2022 risk assessments of new suppliers\n"
        "- unannounced audits\n"
        "* training for buyers\n"
    )
    found = [item for item in parts(text) if not item.is_heading]
    assert [item.norm for item in found] == [
        "our programme includes:",
        "risk assessments of new suppliers",
        "unannounced audits",
        "training for buyers",
    ]
    assert [item.is_item for item in found] == [False, True, True, True]
    assert {item.lead for item in found[1:]} == {"our programme includes:"}


def test_it_treats_question_lines_as_headings() -> None:
    assert headings("Does the company audit suppliers?\nYes, annually.") == ["does the company audit suppliers?"]


def test_it_cuts_very_long_runs_into_pieces() -> None:
    text = "word " * 2000
    found = parts(text)
    assert len(found) > 1
    assert all(item.end - item.start <= 1200 for item in found)


def test_it_copes_with_empty_and_blank_text() -> None:
    assert parts("") == []
    assert parts(" \n\n\t ") == []


# ----------------------------------------------------------------------------------------------------------
# Negation, hedges, plans, actors
# ----------------------------------------------------------------------------------------------------------


def negation_kind(text: str, cue: str) -> str | None:
    norm = normalise(text)
    start = norm.index(cue)
    found = find_negation(norm, start, start + len(cue), LANG)
    return None if found is None else found.kind


NEGATIONS = [
    ("We do not audit suppliers.", "audit", "plain"),
    ("We don't currently conduct audits.", "audits", "plain"),
    ("Acme has never audited its vendors.", "audited", "plain"),
    ("We have no plans to conduct audits.", "audits", "plain"),
    ("It is not feasible for us to verify supply chains or audit suppliers.", "audit", "plain"),
    ("We do not have a formal training program.", "training", "partial"),
    ("We do not use third-party auditors.", "auditors", "qualifier"),
    ("We do not tolerate forced labor, and audits follow.", "audits", None),
    ("Suppliers that do not comply are audited.", "audited", None),
    ("Audits include but are not limited to site visits.", "visits", None),
    ("No audit has found forced labor.", "audit", None),
    ("We do not provide the audit date in advance.", "audit", None),
    ("We audit suppliers, not customers.", "audit", None),
]


@pytest.mark.parametrize(("text", "cue", "expected"), NEGATIONS)
def test_it_scopes_negation_to_the_activity(text: str, cue: str, expected: str | None) -> None:
    assert negation_kind(text, cue) == expected


HEDGES = [
    ("We reserve the right to audit suppliers.", "audit", True),
    ("Audits may be conducted where risks warrant.", "audits", True),
    ("We audit selected suppliers.", "audit", True),
    ("We audit all suppliers annually.", "audit", False),
    ("Suppliers will be audited annually.", "audited", False),
    ("We audit every factory, but we may skip low-risk offices.", "audit", False),
]


@pytest.mark.parametrize(("text", "cue", "expected"), HEDGES)
def test_it_detects_hedges_in_the_activitys_clause(text: str, cue: str, expected: bool) -> None:
    norm = normalise(text)
    assert is_hedged(norm, norm.index(cue), LANG) is expected


PLANS = [
    ("We will introduce supplier audits next year.", "audits", True),
    ("Acme plans to train its buyers.", "train", True),
    ("We are developing a training program.", "training", True),
    ("We are considering whether to require certifications.", "certifications", True),
    ("Training will be rolled out in 2026.", "training", True),
    ("Suppliers will be audited annually.", "audited", False),
    ("We continue to develop our audit program.", "audit", False),
    ("We trained all buyers last year.", "trained", False),
]


@pytest.mark.parametrize(("text", "cue", "expected"), PLANS)
def test_it_detects_future_plans(text: str, cue: str, expected: bool) -> None:
    norm = normalise(text)
    assert is_planned(norm, norm.index(cue), LANG) is expected


ACTORS = [
    ("We audit our suppliers.", "audit", "company"),
    ("Suppliers must audit their subcontractors.", "audit", "supplier"),
    ("We require suppliers to conduct audits of their own suppliers.", "audits", "supplier"),
    ("Suppliers must undergo audits.", "audits", "company"),
    ("Suppliers are audited every year.", "audited", "company"),
    ("We provide employees and contractors with training.", "training", "company"),
    ("Independent auditors inspect each factory.", "inspect", "third_party"),
    ("Our Supplier Sustainability team monitors working conditions.", "monitors", "company"),
    ("Factories inspect their own production lines.", "inspect", "supplier"),
]


@pytest.mark.parametrize(("text", "cue", "expected"), ACTORS)
def test_it_finds_who_does_the_activity(text: str, cue: str, expected: str) -> None:
    norm = normalise(text)
    start = norm.index(cue)
    assert actor_of(norm, start, start + len(cue), actors=RUBRIC.actors, breaks=LANG.clause_break) == expected


def test_it_bounds_clauses_at_but_and_semicolons() -> None:
    norm = normalise("We do not audit vendors; we train buyers, but we do not verify.")
    assert clause_span(norm, norm.index("train"), LANG.clause_break) == (norm.index(";") + 1, norm.index(", but"))
    assert clause_span(norm, 0, LANG.clause_break) == (0, norm.index(";"))


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=300)
    | st.lists(
        st.sampled_from(["Audits", "We audit.", "\n", "1.", "- ", ":", "U.S.", "ver-\nify", " "]), max_size=60
    ).map("".join)
)
def test_it_always_returns_ordered_in_bounds_spans_whose_text_normalises_to_the_norm(text: str) -> None:
    previous_end = 0
    for item in parts(text):
        assert previous_end <= item.start <= item.end <= len(text)
        assert normalise(text[item.start : item.end]) == item.norm
        previous_end = item.end

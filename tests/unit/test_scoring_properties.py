"""Property tests: the scorer never crashes, is deterministic, and its evidence offsets are always valid."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from disclosures.core.scoring import score_document
from disclosures.core.types import AREAS, STATUSES, ExtractedDocument, ScoreCard

# Words that reach deep into the rules, mixed with punctuation, bullets, headings and odd characters.
VOCABULARY = [
    "we",
    "do",
    "not",
    "no",
    "never",
    "audit",
    "audits",
    "audited",
    "verify",
    "verification",
    "risk",
    "assess",
    "certify",
    "warrant",
    "suppliers",
    "vendors",
    "factories",
    "employees",
    "contractors",
    "train",
    "training",
    "buyers",
    "disciplinary",
    "termination",
    "internal",
    "accountability",
    "third-party",
    "independent",
    "unannounced",
    "announced",
    "semi-announced",
    "window",
    "may",
    "reserve",
    "the",
    "right",
    "will",
    "plan",
    "to",
    "introduce",
    "is",
    "developing",
    "forced",
    "labor",
    "slavery",
    "trafficking",
    "laws",
    "any",
    "of",
    "measures",
    "listed",
    "above",
    "Verification:",
    "Audits",
    "\n",
    "\n\n",
    ".",
    ",",
    ";",
    ":",
    "-",
    "\u2022",
    "1.",
    "(a)",
    "?",
    "Yes.",
    "No.",
    "U.S.",
    "Inc.",
    "\u2019",
    "\u201c",
    "\u00ad",
    "ver-\nify",
    "   ",
    "\t",
    "hotline",
    "SMETA",
    "e.g.",
    "contractually",
    "agree",
    "code",
    "of",
    "conduct",
    "\u00e9",
    "\u0130",
    "\x00",
]

words_text = st.lists(st.sampled_from(VOCABULARY), max_size=120).map(" ".join)
any_text = st.one_of(st.text(max_size=400), words_text)


def check_card(card: ScoreCard, pages: tuple[str, ...]) -> None:
    assert tuple(card.areas) == AREAS
    assert 0 <= card.compliance_score <= 100
    assert 0 <= card.practice_score <= 100
    for finding in card.areas.values():
        assert finding.status in STATUSES
        assert 0 <= finding.confidence <= 1
        if finding.status not in ("does", "does_hedged"):
            assert finding.qualifiers == {}
        if finding.status == "silent":
            assert finding.evidence == ()
        for item in finding.evidence:
            assert 1 <= item.page <= len(pages)
            page = pages[item.page - 1]
            assert 0 <= item.start <= item.end <= len(page)
            span = page[item.start : item.end]
            assert len(item.quote) <= 300
            if len(span) <= 300:
                assert item.quote == span
            else:
                assert item.quote.endswith("\u2026")
                assert span.startswith(item.quote[:-1])


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_it_never_crashes_and_keeps_offsets_valid_on_one_page(text: str) -> None:
    doc = ExtractedDocument(kind="text", pages=(text,))
    check_card(score_document(doc), doc.pages)


@settings(max_examples=150, deadline=None)
@given(st.lists(any_text, max_size=4))
def test_it_keeps_offsets_valid_across_pages(pages: list[str]) -> None:
    doc = ExtractedDocument(kind="pdf", pages=tuple(pages))
    check_card(score_document(doc), doc.pages)


@settings(max_examples=100, deadline=None)
@given(words_text)
def test_it_is_deterministic(text: str) -> None:
    doc = ExtractedDocument(kind="text", pages=(text,))
    assert score_document(doc).to_dict() == score_document(doc).to_dict()

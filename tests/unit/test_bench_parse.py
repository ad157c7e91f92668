"""The parse benchmark's scoring measurement uses real, distinct disclosure text."""

from __future__ import annotations

import pytest

from disclosures.bench import parse


def test_real_text_scoring_scores_thirty_pages_of_distinct_sample_disclosures(samples_dir) -> None:
    result = parse.measure_real_text_scoring(pages=30)
    assert result["pages"] == 30
    assert result["chars"] == 30 * parse.REAL_PAGE_CHARS
    assert result["documents"] >= 40  # 21 hand-coded disclosures plus the LegalBench examples, deduplicated
    assert result["ms"] > 0


def test_it_says_so_when_there_are_no_samples(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr(parse, "SAMPLES_DIR", tmp_path)
    assert parse.measure_real_text_scoring(pages=30) == {"error": f"no sample disclosures under {tmp_path}"}


def test_the_budget_verdict_reads_the_real_text_figure() -> None:
    result = {
        "extract_score": {"pages_per_s": 250.0},
        "memory": {"peak_rss_mb": 60.0},
        "real_text_scoring": {"ms": 51.0},
    }
    assert parse._within_budget(result) == {
        "extract_score_pages_per_s": True,
        "peak_rss_mb": True,
        "score_ms_30_pages": False,
    }

"""The search benchmark runs end to end on a tiny index (its timings are reported, never asserted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosures.bench.search import format_table, generate_brands, run_search_bench
from disclosures.core.matching import normalize_names


@pytest.fixture(scope="module")
def result() -> dict:
    return run_search_bench(names=2_000, queries=100, seed=3, baseline_queries=5)


def test_it_reports_every_measurement(result: dict) -> None:
    expected = {
        "names",
        "aliases",
        "queries",
        "seed",
        "build_seconds",
        "index_mb",
        "index_rss_mb",
        "index_arrays_mb",
        "build_peak_mb",
        "latency_ms",
        "recall_at_10",
        "recall_by_kind",
        "bruteforce",
        "speedup_median",
        "pg_trgm",
        "budgets",
        "within_budget",
    }
    assert expected <= result.keys()
    assert result["names"] == 2_000
    assert result["queries"] == 100
    assert {"p50", "p95", "p99", "max"} <= result["latency_ms"].keys()
    assert {"queries", "ms_per_query", "recall_at_10"} <= result["bruteforce"].keys()
    assert result["pg_trgm"] is None


def test_recall_on_a_tiny_index_is_high(result: dict) -> None:
    assert result["recall_at_10"] >= 0.97
    assert set(result["recall_by_kind"]) == {"insert", "delete", "substitute", "transpose"}


def test_format_table_shows_the_headline_numbers(result: dict) -> None:
    table = format_table(result)
    for label in ("names", "build", "index memory", "p50", "recall@10", "brute force", "speed-up"):
        assert label in table


def test_generated_names_are_distinct_after_normalisation_with_or_without_the_sample() -> None:
    for nsi in (None, Path("/nonexistent/nsi_brands.csv")):
        brands = generate_brands(3_000, seed=5, **({"nsi_csv": nsi} if nsi else {}))
        keys = [n.replace(" ", "") for n in normalize_names([name for _, name, _ in brands])]
        assert len(brands) == 3_000
        assert len(set(keys)) == len(keys)
        assert all(keys)
        assert sorted(b[0] for b in brands) == list(range(1, 3_001))

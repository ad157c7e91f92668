"""Brand search: normalisation, ranking, typo tolerance and a small-scale recall check (no timings)."""

from __future__ import annotations

import random
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from disclosures.bench.search import generate_brands, make_typo
from disclosures.core.matching import BrandIndex, BrandMatch, normalize_name, normalize_names

BRANDS = [
    (1, "Nike", ["Nike Inc."]),
    (2, "Levi's", ["Levi Strauss & Co."]),
    (3, "Lululemon", ["lululemon athletica"]),
    (4, "Buffalo Wild Wings", ["BWW"]),
    (5, "H&M", ["Hennes & Mauritz"]),
    (6, "Nikon", []),
    (7, "Crédit Agricole", []),
    (8, "Patagonia", None),
    (9, "Ben & Jerry's", []),
    (10, "Nike Golf", []),
    (11, "Acme", []),
    (12, "Acme Holdings", ["Acme"]),
    (13, "Procter & Gamble Co.", ["P&G"]),
    (14, "The North Face", []),
    (15, "Wild Wings Cafe", []),
]


@pytest.fixture(scope="module")
def index() -> BrandIndex:
    return BrandIndex(BRANDS)


def ids(matches: list[BrandMatch]) -> list[object]:
    return [m.id for m in matches]


# --- normalisation ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NIKE", "nike"),
        ("Crème Brûlée", "creme brulee"),
        ("Ålandsbanken", "alandsbanken"),
        ("Straße", "strasse"),
        ("\uff2e\uff29\uff2b\uff25", "nike"),  # full-width
        ("Levi's", "levis"),
        ("Levi\u2019s", "levis"),
        ("Coca-Cola", "coca cola"),
        ("  Lulu   Lemon  ", "lulu lemon"),
        ("H&M", "h and m"),
        ("Ben & Jerry's", "ben and jerrys"),
        ("Nike, Inc.", "nike"),
        ("Acme Inc", "acme"),
        ("Acme LLC", "acme"),
        ("Acme Ltd", "acme"),
        ("Acme Limited", "acme"),
        ("Acme GmbH", "acme"),
        ("Acme Co", "acme"),
        ("Acme Co.", "acme"),
        ("Acme Corp", "acme"),
        ("Acme Corporation", "acme"),
        ("Acme Company", "acme"),
        ("Acme S.A.", "acme"),
        ("Acme AG", "acme"),
        ("Acme PLC", "acme"),
        ("Acme LP", "acme"),
        ("Acme LLP", "acme"),
        ("Acme N.V.", "acme"),
        ("Acme B.V.", "acme"),
        ("Levi Strauss & Co.", "levi strauss"),
        ("Acme Holdings Co., Ltd.", "acme holdings"),
        ("Inc. Magazine", "inc magazine"),
        ("Co", "co"),
        ("ガスト", "ガスト"),
        ("華潤萬家", "華潤萬家"),
        ("!!!", ""),
        ("", ""),
    ],
)
def test_normalize_name_folds_case_accents_punctuation_and_legal_suffixes(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected


def test_normalize_names_agrees_with_normalize_name_even_with_newlines_inside_names() -> None:
    names = ["Nike, Inc.", "Line\nBreak Ltd", "H&M", "", "Ünïcödé S.A."]
    assert normalize_names(names) == [normalize_name(n) for n in names]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_name_is_idempotent(raw: str) -> None:
    once = normalize_name(raw)
    assert normalize_name(once) == once


suffixed_names = st.from_regex(r"[A-Za-z&.,' ]{0,6}( (inc|Co\.|and|&|LLC|ltd|S\.A\.))*", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text() | suffixed_names, min_size=1, max_size=5))
def test_the_vectorised_and_single_name_paths_normalise_identically(raws: list[str]) -> None:
    # the index normalises names in bulk with numpy, queries one by one in Python: they must agree
    assert normalize_names(raws) == [normalize_name(r) for r in raws]


# --- ranking ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected_id", "kind"),
    [
        ("Nike", 1, "exact"),
        ("NIKE, Inc.", 1, "exact"),
        ("levis", 2, "exact"),
        ("Levi Strauss", 2, "alias"),
        ("lulu lemon", 3, "exact"),
        ("lulul", 3, "prefix"),
        ("lululemon athletica", 3, "alias"),
        ("bww", 4, "alias"),
        ("h and m", 5, "exact"),
        ("HM", 5, "exact"),
        ("credit agricole", 7, "exact"),
        ("CREDIT AGRICOLE", 7, "exact"),
        ("ben and jerrys", 9, "exact"),
        ("Procter and Gamble", 13, "exact"),
        ("north face", 14, "token"),
    ],
)
def test_it_finds_the_expected_brand_first(index: BrandIndex, query: str, expected_id: int, kind: str) -> None:
    best = index.search(query)[0]
    assert (best.id, best.kind) == (expected_id, kind)


def test_an_exact_match_scores_100_and_ranks_before_prefixes(index: BrandIndex) -> None:
    found = index.search("nike")
    assert found[0] == BrandMatch(1, "Nike", 100.0, "Nike", "exact")
    assert ids(found)[:2] == [1, 10]  # "Nike Golf" completes the query


def test_an_exact_name_ranks_before_an_exact_alias(index: BrandIndex) -> None:
    found = index.search("acme")
    assert ids(found)[:2] == [11, 12]
    assert [m.kind for m in found[:2]] == ["exact", "alias"]
    assert found[1].matched == "Acme"
    assert found[0].score > found[1].score


def test_a_multi_word_query_finds_names_containing_those_words(index: BrandIndex) -> None:
    assert set(ids(index.search("wild wings"))[:2]) == {4, 15}


@pytest.mark.parametrize(
    ("query", "expected_id"),
    [
        ("nkie", 1),  # transposition
        ("patagnia", 8),  # deletion
        ("patagoniaa", 8),  # insertion
        ("pategonia", 8),  # substitution
        ("apatagonia", 8),  # insertion at the start
        ("buffalo wild wigns", 4),  # typo late in a long name
        ("lululemno", 3),
        ("nikn", 6),
        ("credit agricol", 7),
    ],
)
def test_it_tolerates_single_typos(index: BrandIndex, query: str, expected_id: int) -> None:
    assert expected_id in ids(index.search(query)[:3])


@pytest.mark.parametrize("query", ["qzxwvj", "asdfghjkl", "", "   ", "!!!", "\n"])
def test_nonsense_returns_nothing(index: BrandIndex, query: str) -> None:
    assert index.search(query) == []


def test_each_brand_appears_once_even_when_name_and_alias_both_match(index: BrandIndex) -> None:
    found = index.search("nike inc")
    assert ids(found).count(1) == 1


def test_limit_is_respected(index: BrandIndex) -> None:
    assert len(index.search("n", limit=2)) == 2
    assert index.search("nike", limit=0) == []


def test_it_builds_from_an_iterator_and_reports_its_size() -> None:
    index = BrandIndex(row for row in BRANDS)
    assert len(index) == len(BRANDS)
    assert ids(index.search("patagonia")) == [8]


def test_ids_are_returned_as_given() -> None:
    key = uuid.uuid4()
    index = BrandIndex([(key, "Patagonia", []), ("slug-id", "Nikon", [])])
    assert index.search("patagonia")[0].id == key
    assert index.search("nikon")[0].id == "slug-id"


def test_an_empty_index_finds_nothing() -> None:
    index = BrandIndex([])
    assert len(index) == 0
    assert index.search("nike") == []


def test_a_typo_inside_a_legal_suffix_or_ampersand_still_finds_the_brand() -> None:
    index = BrandIndex([(1, "Zentora Foods Inc.", []), (2, "Harbor & Finch", []), (3, "Kelvo Cot", [])])
    assert ids(index.search("Zentora Foods Ibc."))[:1] == [1]
    assert ids(index.search("Harbor x Finch"))[:1] == [2]
    assert ids(index.search("Kelvo Co"))[:1] == [3]  # deleting "t" made a legal suffix


def test_typo_matches_keep_places_when_many_names_complete_the_query() -> None:
    brands = [(i, f"Zenta{letter}", []) for i, letter in enumerate("abcdefghijklmnopqrstuvwxyz")]
    index = BrandIndex([*brands, (100, "Zonta", [])])
    found = index.search("zenta")
    assert len(found) == 10
    assert 100 in ids(found)
    assert [m.kind for m in found].count("prefix") == 9  # the places typos did not need go back to completions


def test_one_typo_in_a_very_short_name_is_still_found() -> None:
    index = BrandIndex([(1, "KFC", []), (2, "Nike", [])])
    assert ids(index.search("kfx")) == [1]


brand_names = st.text(min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(
    names=st.lists(brand_names, min_size=1, max_size=30),
    query=st.text(max_size=40),
    limit=st.integers(min_value=0, max_value=12),
)
def test_search_never_crashes_and_returns_sorted_scores_within_limit(names: list[str], query: str, limit: int) -> None:
    index = BrandIndex((i, name, [name[::-1]]) for i, name in enumerate(names))
    found = index.search(query, limit=limit)
    assert len(found) <= limit
    assert all(0 <= m.score <= 100 for m in found)
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert len({m.id for m in found}) == len(found)
    assert all(m.kind in {"exact", "alias", "prefix", "token", "fuzzy"} for m in found)


@settings(max_examples=100, deadline=None)
@given(names=st.lists(brand_names, min_size=1, max_size=20), pick=st.integers(min_value=0))
def test_searching_an_indexed_name_returns_it_as_an_exact_match(names: list[str], pick: int) -> None:
    picked = pick % len(names)
    found = BrandIndex((i, n, []) for i, n in enumerate(names)).search(names[picked], limit=len(names))
    if normalize_name(names[picked]):
        match = next(m for m in found if m.id == picked)
        assert (match.score, match.kind) == (100, "exact")
    else:
        assert found == []


# --- scale --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["sample", "built-in"])
def test_recall_at_10_on_20000_names_with_single_typos_is_at_least_99_percent(source: str) -> None:
    nsi = None if source == "sample" else Path("/nonexistent/nsi_brands.csv")
    brands = generate_brands(20_000, seed=11, **({"nsi_csv": nsi} if nsi else {}))
    index = BrandIndex(brands)
    rng = random.Random(12)
    kinds = ("insert", "delete", "substitute", "transpose")
    picked = rng.sample(brands, 200)
    hits = 0
    for n, (brand_id, name, _) in enumerate(picked):
        typo = make_typo(name, kinds[n % 4], rng)
        hits += brand_id in ids(index.search(typo, limit=10))
    assert hits / len(picked) >= 0.99


def test_typos_are_found_among_thousands_of_names_sharing_a_long_prefix() -> None:
    rng = random.Random(8)
    tails = sorted(
        {"".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4)) for _ in range(3000)}
    )
    brands = [(i, f"First National Bank of {tail.title()}", []) for i, tail in enumerate(tails)]
    index = BrandIndex(brands)
    kinds = ("insert", "delete", "substitute", "transpose")
    for n, (brand_id, name, _) in enumerate(rng.sample(brands, 40)):
        typo = make_typo(name, kinds[n % 4], rng)
        assert brand_id in ids(index.search(typo)), (typo, name)


def test_make_typo_makes_exactly_one_edit() -> None:
    rng = random.Random(3)
    for kind in ("insert", "delete", "substitute", "transpose"):
        for name in ("Patagonia", "Buffalo Wild Wings", "ab"):
            assert OSA.distance(make_typo(name, kind, rng), name) == 1


def test_the_matching_module_never_imports_django() -> None:
    code = "import sys, disclosures.core.matching; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

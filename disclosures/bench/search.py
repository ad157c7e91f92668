"""Brand search benchmark: ``BrandIndex`` against rapidfuzz brute force (and pg_trgm) on the same names.

Names start from the real NSI brand list (``shared/samples/brands/nsi_brands.csv``, with its aliases) and are
extended to any size by combining its words with coined words, trade words and the odd legal suffix, so the
index sees realistic spelling, spacing, punctuation and non-Latin scripts. Queries are single-edit typos
(insert, delete, substitute or transpose at any position) of indexed names; recall@10 asks whether the typo'd
brand is among the first ten results. Timings are wall-clock on this machine and are never asserted in tests.
"""

from __future__ import annotations

import csv
import gc
import itertools
import os
import random
import statistics
import string
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from disclosures.core.matching import BrandIndex, normalize_names

__all__ = ["format_table", "generate_brands", "make_typo", "run_search_bench"]

NSI_CSV = Path(__file__).resolve().parents[2].parent / "shared/samples/brands/nsi_brands.csv"
# DESIGN.md §6; the memory budget is for 1,000,000 names and is checked scaled to that size.
BUDGETS = {"speedup_min": 100.0, "p95_ms": 5.0, "recall_min": 0.99, "index_mb_max": 400.0}
TYPO_KINDS = ("insert", "delete", "substitute", "transpose")

Brand = tuple[int, str, list[str]]

# Used when the NSI sample is absent: enough variety to make a few hundred thousand distinct names.
_FALLBACK_WORDS = (
    "acme",
    "apex",
    "arbor",
    "atlas",
    "aurora",
    "beacon",
    "birch",
    "bloom",
    "bluebird",
    "bolt",
    "bramble",
    "bright",
    "brook",
    "canyon",
    "cedar",
    "citadel",
    "clover",
    "coast",
    "cobalt",
    "comet",
    "copper",
    "coral",
    "crest",
    "crown",
    "daisy",
    "delta",
    "dune",
    "eagle",
    "echo",
    "ember",
    "evergreen",
    "falcon",
    "fern",
    "field",
    "finch",
    "flint",
    "forge",
    "fox",
    "garnet",
    "glacier",
    "golden",
    "granite",
    "grove",
    "harbor",
    "harvest",
    "hawk",
    "heron",
    "highland",
    "hollow",
    "horizon",
    "ivy",
    "jade",
    "juniper",
    "keystone",
    "lake",
    "lantern",
    "laurel",
    "legacy",
    "lighthouse",
    "linden",
    "lotus",
    "lumen",
    "maple",
    "meadow",
    "mercury",
    "mesa",
    "milestone",
    "mint",
    "monarch",
    "moss",
    "nimbus",
    "north",
    "oak",
    "oasis",
    "onyx",
    "orchard",
    "osprey",
    "pacific",
    "paragon",
    "pebble",
    "pine",
    "pioneer",
    "polar",
    "prairie",
    "quarry",
    "quartz",
    "raven",
    "redwood",
    "ridge",
    "river",
    "robin",
    "rosewood",
    "ruby",
    "sage",
    "sapphire",
    "sequoia",
    "shore",
    "sierra",
    "silver",
    "skyline",
    "solstice",
    "spruce",
    "star",
    "sterling",
    "stone",
    "summit",
    "sunrise",
    "swift",
    "thistle",
    "timber",
    "topaz",
    "trail",
    "tundra",
    "union",
    "valley",
    "vista",
    "walnut",
    "willow",
    "wren",
    "zenith",
)
_TRADE_WORDS = (
    "Apparel",
    "Bakery",
    "Beauty",
    "Brands",
    "Coffee",
    "Denim",
    "Electronics",
    "Foods",
    "Footwear",
    "Furniture",
    "Goods",
    "Group",
    "Holdings",
    "Home",
    "Jewelry",
    "Kitchen",
    "Labs",
    "Market",
    "Motors",
    "Organics",
    "Outdoor",
    "Outfitters",
    "Partners",
    "Pharmacy",
    "Retail",
    "Shoes",
    "Sports",
    "Studio",
    "Supply",
    "Textiles",
    "Toys",
    "Trading",
    "Works",
    "Garments",
    "Fashion",
    "Cosmetics",
    "Grocers",
    "Mills",
    "Imports",
)
_LEGAL_SUFFIXES = ("Inc.", "LLC", "Ltd", "Co.", "Corp.", "GmbH", "S.A.", "PLC", "& Co.", "Limited", "AG")
_ONSETS = (
    "b",
    "br",
    "c",
    "ch",
    "cl",
    "d",
    "dr",
    "f",
    "fl",
    "g",
    "gr",
    "h",
    "j",
    "k",
    "kl",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "qu",
    "r",
    "s",
    "sh",
    "st",
    "t",
    "tr",
    "v",
    "w",
    "z",
)
_VOWELS = (
    "a",
    "e",
    "i",
    "o",
    "u",
    "ai",
    "ea",
    "io",
    "ou",
    "y",
)
_CODAS = ("", "", "", "n", "r", "l", "s", "x", "nd", "rt", "m", "k")  # blanks: most coined words end in a vowel
_WORD_LEN = (3, 14)  # NSI words worth reusing
_MIN_VOCABULARY = 100
_LEGAL_SHARE = 0.1  # about one generated name in ten carries "Inc.", "LLC", ...
_BATCH = 4096
_SEED_NAME_MAX = 20


# --- names --------------------------------------------------------------------------------------------------


def _read_nsi(path: Path) -> list[tuple[str, list[str]]]:
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [(r["brand"].strip(), [a for a in r["match_names"].split("|") if a.strip()]) for r in rows]


def _vocabulary(seed_brands: Sequence[tuple[str, list[str]]]) -> list[str]:
    words = {
        w for name, _ in seed_brands for w in name.split() if _WORD_LEN[0] <= len(w) <= _WORD_LEN[1] and w.isalpha()
    }
    return sorted(words) if len(words) > _MIN_VOCABULARY else [w.title() for w in _FALLBACK_WORDS]


def _coined(rng: random.Random) -> str:
    syllables = rng.choice((2, 2, 2, 3, 3, 4))
    word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)) + rng.choice(_CODAS)
    return word.capitalize()


# Name shapes and how often each occurs: c = coined word, w = NSI word, t = trade word, s = short NSI brand;
# anything else is literal.
_SHAPES = (
    (("c",), 3),
    (("c", " ", "t"), 3),
    (("w", " ", "t"), 2),
    (("w", " ", "w"), 2),
    (("c", " ", "w"), 1),
    (("w", " ", "c"), 1),
    (("w", " & ", "w"), 1),
    (("c", "'s ", "t"), 1),
    (("s", " ", "t"), 1),
)
_SHAPE_CUM_WEIGHTS = tuple(itertools.accumulate(w for _, w in _SHAPES))


def _candidate(rng: random.Random, words: Sequence[str], seeds: Sequence[str]) -> str:
    """One brand-like name from a weighted mix of realistic shapes."""
    shape = rng.choices(_SHAPES, cum_weights=_SHAPE_CUM_WEIGHTS)[0][0]
    fill = {
        "c": lambda: _coined(rng),
        "w": lambda: rng.choice(words),
        "t": lambda: rng.choice(_TRADE_WORDS),
        "s": lambda: rng.choice(seeds) if seeds else _coined(rng),
    }
    name = "".join(fill[part]() if part in fill else part for part in shape)
    return f"{name} {rng.choice(_LEGAL_SUFFIXES)}" if rng.random() < _LEGAL_SHARE else name


def _distinct(pairs: Iterator[tuple[str, list[str]]], n: int, seen: set[str], out: list[Brand]) -> None:
    """Append pairs whose normalised key is new until ``out`` holds ``n`` brands."""
    batch: list[tuple[str, list[str]]] = []
    for pair in pairs:
        batch.append(pair)
        if len(batch) >= _BATCH:
            _take_batch(batch, n, seen, out)
            batch = []
            if len(out) >= n:
                return
    _take_batch(batch, n, seen, out)


def _take_batch(batch: list[tuple[str, list[str]]], n: int, seen: set[str], out: list[Brand]) -> None:
    if not batch:
        return
    for (name, aliases), norm in zip(batch, normalize_names([b[0] for b in batch]), strict=True):
        key = norm.replace(" ", "")
        if key and key not in seen and len(out) < n:
            seen.add(key)
            out.append((len(out) + 1, name, aliases))


def generate_brands(n: int, *, seed: int = 0, nsi_csv: Path = NSI_CSV) -> list[Brand]:
    """``n`` brands ``(id, name, aliases)`` with distinct normalised names, ids 1..n, deterministic per seed."""
    rng = random.Random(seed)
    nsi = _read_nsi(nsi_csv)
    rng.shuffle(nsi)
    out: list[Brand] = []
    seen: set[str] = set()
    _distinct(iter(nsi), n, seen, out)
    words = _vocabulary(nsi)
    seeds = [name for name, _ in nsi if len(name) <= _SEED_NAME_MAX]

    def made_up() -> Iterator[tuple[str, list[str]]]:
        while True:
            yield _candidate(rng, words, seeds), []

    if len(out) < n:
        _distinct(made_up(), n, seen, out)
    rng.shuffle(out)
    return out


# --- typos --------------------------------------------------------------------------------------------------


def make_typo(name: str, kind: str, rng: random.Random) -> str:
    """One edit of ``kind`` at a random position; always returns a different string when one exists."""
    letters = string.ascii_lowercase
    if not name:
        return rng.choice(letters)
    for _ in range(20):
        i = rng.randrange(len(name) + (kind == "insert"))
        if kind == "insert":
            typo = name[:i] + rng.choice(letters) + name[i:]
        elif kind == "delete" and len(name) > 1:
            typo = name[:i] + name[i + 1 :]
        elif kind == "substitute":
            typo = name[:i] + rng.choice(letters) + name[i + 1 :]
        elif kind == "transpose" and i + 1 < len(name):
            typo = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        else:
            continue
        if typo != name:
            return typo
    return name[:-1] + ("x" if name[-1:] != "x" else "y")


def _typo_queries(brands: Sequence[Brand], count: int, rng: random.Random) -> list[tuple[str, int, str]]:
    """(query, expected id, kind) for ``count`` distinct brands picked at random."""
    picked = rng.sample(range(len(brands)), min(count, len(brands)))
    out = []
    for i, row in enumerate(picked):
        kind = TYPO_KINDS[i % len(TYPO_KINDS)]
        brand_id, name, _ = brands[row]
        out.append((make_typo(name, kind, rng), brand_id, kind))
    return out


# --- measurements -------------------------------------------------------------------------------------------


def _mb(n_bytes: float) -> float:
    return round(n_bytes / 1e6, 1)


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # not Linux
        return 0


def _measure_build(brands: Sequence[Brand]) -> tuple[BrandIndex, dict[str, Any]]:
    """Time one build (and its resident-memory growth), then rebuild under tracemalloc for the memory the
    index keeps and the build's peak."""
    BrandIndex([(0, "warm up", [])]).search("warm")  # imports and lazy tables are not the index's memory
    gc.collect()
    rss_before = _rss_bytes()
    started = time.perf_counter()
    index = BrandIndex(brands)
    seconds = time.perf_counter() - started
    rss_growth = _rss_bytes() - rss_before
    del index
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    index = BrandIndex(brands)
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return index, {
        "build_seconds": round(seconds, 2),
        "index_mb": _mb(after - before),
        "index_rss_mb": _mb(rss_growth) if rss_before else None,
        "index_arrays_mb": _mb(index.memory_bytes()),
        "build_peak_mb": _mb(peak - before),
    }


def _percentiles(samples_ms: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)

    return {"p50": round(statistics.median(ordered), 3), "p95": at(0.95), "p99": at(0.99), "max": at(1.0)}


def _measure_index(index: BrandIndex, queries: Sequence[tuple[str, int, str]]) -> dict[str, Any]:
    for query, _, _ in queries[:10]:  # warm caches (first non-ASCII query builds the accent table)
        index.search(query, limit=10)
    times, hits = [], []
    for query, expected, _ in queries:
        started = time.perf_counter()
        found = index.search(query, limit=10)
        times.append((time.perf_counter() - started) * 1000)
        hits.append(any(m.id == expected for m in found))
    by_kind = {
        kind: round(statistics.fmean(h for h, q in zip(hits, queries, strict=True) if q[2] == kind), 4)
        for kind in TYPO_KINDS
        if any(q[2] == kind for q in queries)
    }
    return {
        "latency_ms": _percentiles(times),
        "recall_at_10": round(statistics.fmean(hits), 4),
        "recall_by_kind": by_kind,
        "times_ms": times,
    }


def _measure_bruteforce(brands: Sequence[Brand], queries: Sequence[tuple[str, int, str]]) -> dict[str, Any]:
    """rapidfuzz's own full scan, ``process.extract(q, names, scorer=fuzz.WRatio, limit=10)``."""
    names = [name for _, name, _ in brands]
    times, hits = [], []
    for query, expected, _ in queries:
        started = time.perf_counter()
        found = process.extract(query, names, scorer=fuzz.WRatio, limit=10)
        times.append((time.perf_counter() - started) * 1000)
        hits.append(any(brands[i][0] == expected for _, _, i in found))
    return {
        "queries": len(queries),
        "ms_per_query": round(statistics.median(times), 1) if times else None,
        "recall_at_10": round(statistics.fmean(hits), 4) if hits else None,
    }


def _measure_pg_trgm(dsn: str, brands: Sequence[Brand], queries: Sequence[tuple[str, int, str]]) -> dict[str, Any]:
    """pg_trgm GIN on lower(name), ``%`` filter ordered by similarity(). Runs in one transaction that is
    rolled back, so the extension, table and index leave nothing behind."""
    try:
        import psycopg  # only needed when a DSN is given
    except ImportError as exc:  # pragma: no cover - psycopg is a project dependency
        return {"error": f"psycopg is not installed: {exc}"}
    try:
        with psycopg.connect(dsn, connect_timeout=5) as conn:
            try:
                return _pg_trgm_in_transaction(conn, brands, queries)
            finally:
                conn.rollback()
    except psycopg.Error as exc:
        return {"error": str(exc).strip() or type(exc).__name__}


def _pg_trgm_in_transaction(conn: Any, brands: Sequence[Brand], queries: Sequence[tuple[str, int, str]]) -> dict:
    started = time.perf_counter()
    conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    conn.execute("CREATE TEMP TABLE bench_brand (id integer PRIMARY KEY, name text NOT NULL) ON COMMIT DROP")
    with conn.cursor() as cur, cur.copy("COPY bench_brand (id, name) FROM STDIN") as copy:
        for brand_id, name, _ in brands:
            copy.write_row((brand_id, name))
    loaded = time.perf_counter()
    conn.execute("CREATE INDEX ON bench_brand USING gin (lower(name) gin_trgm_ops)")
    conn.execute("ANALYZE bench_brand")
    indexed = time.perf_counter()
    sql = (
        "SELECT id FROM bench_brand WHERE lower(name) %% lower(%(q)s) "
        "ORDER BY similarity(lower(name), lower(%(q)s)) DESC LIMIT 10"
    )
    times, hits = [], []
    for query, expected, _ in queries:
        t0 = time.perf_counter()
        ids = [row[0] for row in conn.execute(sql, {"q": query}).fetchall()]
        times.append((time.perf_counter() - t0) * 1000)
        hits.append(expected in ids)
    return {
        "queries": len(queries),
        "ms_per_query": round(statistics.median(times), 1) if times else None,
        "recall_at_10": round(statistics.fmean(hits), 4) if hits else None,
        "load_seconds": round(loaded - started, 1),
        "gin_build_seconds": round(indexed - loaded, 1),
    }


def _verdict(result: dict[str, Any]) -> dict[str, bool]:
    return {
        "speedup": (result["speedup_median"] or 0) >= BUDGETS["speedup_min"],
        "p95": result["latency_ms"]["p95"] <= BUDGETS["p95_ms"],
        "recall": result["recall_at_10"] >= BUDGETS["recall_min"],
        "memory": result["index_mb"] * (1e6 / result["names"]) <= BUDGETS["index_mb_max"],
    }


def run_search_bench(
    *, names: int, queries: int = 300, seed: int = 0, baseline_queries: int = 20, pg_dsn: str | None = None
) -> dict[str, Any]:
    """Build an index over ``names`` generated brands and measure it; see the module docstring."""
    rng = random.Random(seed + 1)
    started = time.perf_counter()
    brands = generate_brands(names, seed=seed)
    typos = _typo_queries(brands, queries, rng)
    result: dict[str, Any] = {
        "names": len(brands),
        "aliases": sum(len(a) for _, _, a in brands),
        "queries": len(typos),
        "seed": seed,
        "generate_seconds": round(time.perf_counter() - started, 2),
        "source": "nsi_brands.csv + generated" if NSI_CSV.is_file() else "built-in word list",
    }
    index, build = _measure_build(brands)
    result |= build
    measured = _measure_index(index, typos)
    baseline = typos[:baseline_queries]
    result |= {k: v for k, v in measured.items() if k != "times_ms"}
    result["bruteforce"] = _measure_bruteforce(brands, baseline)
    same = measured["times_ms"][: len(baseline)]
    result["index_ms_same_queries"] = round(statistics.median(same), 3) if same else None
    brute_ms = result["bruteforce"]["ms_per_query"]
    result["speedup_median"] = round(brute_ms / result["latency_ms"]["p50"], 1) if brute_ms else None
    result["pg_trgm"] = _measure_pg_trgm(pg_dsn, brands, baseline) if pg_dsn else None
    result["budgets"] = dict(BUDGETS)
    result["within_budget"] = _verdict(result)
    return result


def format_table(result: dict[str, Any]) -> str:
    """The result as an aligned two-column text table for a terminal."""
    lat, brute, pg = result["latency_ms"], result["bruteforce"], result.get("pg_trgm")
    rows = [
        ("names (aliases)", f"{result['names']:,} ({result['aliases']:,})"),
        ("typo queries", f"{result['queries']} (seed {result['seed']})"),
        ("build", f"{result['build_seconds']} s"),
        (
            "index memory",
            f"{result['index_mb']} MB traced, {result['index_rss_mb']} MB resident growth "
            f"(build peak {result['build_peak_mb']} MB)",
        ),
        ("latency p50 / p95 / p99", f"{lat['p50']} / {lat['p95']} / {lat['p99']} ms"),
        ("recall@10", f"{result['recall_at_10']} " + str(result["recall_by_kind"])),
        (
            "rapidfuzz brute force",
            f"{brute['ms_per_query']} ms/query over {brute['queries']} queries, recall@10 {brute['recall_at_10']}",
        ),
        ("speed-up (median)", f"{result['speedup_median']}x"),
    ]
    if pg:
        text = pg.get("error") or f"{pg['ms_per_query']} ms/query, recall@10 {pg['recall_at_10']}"
        rows.append(("pg_trgm GIN", text))
    rows.append(("within budget", ", ".join(f"{k}={'yes' if v else 'NO'}" for k, v in result["within_budget"].items())))
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label.ljust(width)}  {value}" for label, value in rows)

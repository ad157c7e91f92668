"""Brand search: one in-memory ``BrandIndex`` per process, kept fresh across processes, plus result rows.

Freshness: every brand write bumps ``SearchIndexState.version`` (services/brands.py). Each process remembers
the version its index was built from and, at most once per ``SEARCH_INDEX_CHECK_SECONDS``, reads the current
one (a single primary-key query). When it changed, small indexes are rebuilt on the spot; large ones are
rebuilt in a background thread while requests keep using the old index, then swapped in. The first build is
synchronous: there is nothing to serve before it.
"""

from __future__ import annotations

import functools
import itertools
import json
import logging
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils.translation import gettext_lazy as _

from disclosures.models import Brand, BrandAlias, Company, SearchIndexState
from disclosures.selectors.companies import ScoreSummary, company_score_summaries

if TYPE_CHECKING:
    from disclosures.core.matching import BrandIndex, BrandMatch

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
MAX_LIMIT = 50
DEFAULT_LIMIT = 10
RESULT_CACHE_SIZE = 4096  # per process; popular and as-you-type queries repeat
DEFAULT_CHECK_SECONDS = 1.0
DEFAULT_BACKGROUND_MIN_ENTRIES = 50_000
_CHUNK = 20_000
# Brands and companies share one index; the lowest id bit says which table an entry points to.
_COMPANY_BIT = 1
# Whitespace controls are harmless in a query (pasted text); other control, unassigned or private-use
# characters, and the replacement character that decoding binary leaves behind, mean it is not a name.
_ALLOWED_CONTROLS = frozenset("\t\n\r")
_REJECTED_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn"})


# --- the index --------------------------------------------------------------------------------------------


def brand_entry_id(brand_id: int) -> int:
    return brand_id << 1


def company_entry_id(company_id: int) -> int:
    return (company_id << 1) | _COMPANY_BIT


def entry_target(entry_id: int) -> tuple[str, int]:
    return ("company" if entry_id & _COMPANY_BIT else "brand", entry_id >> 1)


def search_index_entries() -> Iterator[tuple[int, str, list[str]]]:
    """(id, name, aliases) for every brand and company, streamed: brands and aliases are read side by side in
    brand-id order, so memory stays flat however many rows there are."""
    aliases = BrandAlias.objects.order_by("brand_id").values_list("brand_id", "alias").iterator(_CHUNK)
    pending = next(aliases, None)
    for brand_id, name in Brand.objects.order_by("pk").values_list("pk", "name").iterator(_CHUNK):
        names = []
        while pending is not None and pending[0] <= brand_id:
            if pending[0] == brand_id:
                names.append(pending[1])
            pending = next(aliases, None)
        yield brand_entry_id(brand_id), name, names
    for company_id, name, company_aliases in (
        Company.objects.order_by().values_list("pk", "name", "aliases").iterator(_CHUNK)
    ):
        names = [a for a in company_aliases if isinstance(a, str)] if isinstance(company_aliases, list) else []
        yield company_entry_id(company_id), name, names


def search_index_version() -> tuple[int, str]:
    """The current version token. ``changed_at`` is in it so a recreated state row never looks unchanged."""
    return _state_versions()[0]


def _state_versions() -> tuple[tuple[int, str], int]:
    """(index version token, scores version), in one primary-key query."""
    row = SearchIndexState.objects.order_by("pk").values_list("version", "changed_at", "scores_version").first()
    if row is None:
        return (0, ""), 0
    return (row[0], row[1].isoformat() if row[1] else ""), row[2]


class _Targets:
    """entry id -> (slug, company id) for every index entry, in compact arrays (no per-entry Python objects
    beyond the slug), so an API search answers without reading brands from the database."""

    def __init__(self) -> None:
        import numpy as np

        ids: list[int] = []
        owners: list[int] = []
        slugs: list[str] = []
        for pk, slug, company_id in Brand.objects.order_by().values_list("pk", "slug", "company_id").iterator(_CHUNK):
            ids.append(brand_entry_id(pk))
            owners.append(company_id)
            slugs.append(slug)
        for pk, slug in Company.objects.order_by().values_list("pk", "slug").iterator(_CHUNK):
            ids.append(company_entry_id(pk))
            owners.append(pk)
            slugs.append(slug)
        order = np.argsort(np.asarray(ids, dtype=np.int64), kind="stable")
        self._ids = np.asarray(ids, dtype=np.int64)[order]
        self._owners = np.asarray(owners, dtype=np.int64)[order]
        self._slugs = [slugs[i] for i in order.tolist()]

    def get(self, entry_id: int) -> tuple[str, int] | None:
        position = int(self._ids.searchsorted(entry_id))
        if position < len(self._slugs) and int(self._ids[position]) == entry_id:
            return self._slugs[position], int(self._owners[position])
        return None


@dataclass(frozen=True)
class LoadedIndex:
    index: BrandIndex | _EmptyIndex
    version: tuple[int, str]
    entries: int
    build_seconds: float
    targets: _Targets | None = None


class _EmptyIndex:
    """Stands in for a BrandIndex over nothing (a fresh install), whatever BrandIndex makes of no entries."""

    def __len__(self) -> int:
        return 0

    def search(self, query: str, limit: int = 10) -> list[BrandMatch]:
        return []


def _build_index(loader: Callable[[], Iterable[tuple[int, str, list[str]]]]) -> LoadedIndex:
    from disclosures.core.matching import BrandIndex  # imported late: the site must start even without it

    started = time.perf_counter()
    version = search_index_version()  # read first: a change made while loading bumps it again
    entries = iter(loader())
    first = next(entries, None)
    index = _EmptyIndex() if first is None else BrandIndex(itertools.chain([first], entries))
    targets = _Targets()
    return LoadedIndex(
        index=index, version=version, entries=len(index), build_seconds=time.perf_counter() - started, targets=targets
    )


class SearchIndexHolder:
    """The process's index. Thread-safe; at most one rebuild runs at a time."""

    def __init__(self, loader: Callable[[], Iterable[tuple[int, str, list[str]]]] = search_index_entries) -> None:
        self._loader = loader
        self._lock = threading.Lock()
        self._loaded: LoadedIndex | None = None
        self._checked_at = float("-inf")
        self._rebuild: threading.Thread | None = None
        # What search results show of each company (name, slug, latest score), cached until scores change.
        self._companies: dict[int, dict[str, Any]] = {}
        self._scores_version: tuple[tuple[int, str], int] | None = None
        # (query, limit) -> (API rows, their JSON): popular and as-you-type queries repeat
        self.results: dict[tuple[str, int], tuple[list[dict[str, Any]], bytes]] = {}

    def get(self) -> LoadedIndex:
        loaded = self._loaded
        if loaded is None:
            return self._first_build()
        now = time.monotonic()
        if now - self._checked_at >= _setting("SEARCH_INDEX_CHECK_SECONDS", DEFAULT_CHECK_SECONDS):
            self._checked_at = now
            versions = _state_versions()
            if versions != self._scores_version:
                self._companies, self.results = {}, {}
                self._scores_version = versions
            if versions[0] != loaded.version:
                self._refresh(loaded)
        current = self._loaded or loaded
        if current is not loaded:
            self.results = {}  # a rebuilt index may rank differently
        return current

    def company_results(self, company_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """Result fields of each company (its own or its group's latest score), from the cache when fresh."""
        cache = self._companies
        missing = [pk for pk in set(company_ids) if pk not in cache]
        if missing:
            cache.update(_company_results(missing))
        return cache

    def reset(self) -> None:
        """Forget the index (tests, or after a bulk load that did not bump the version)."""
        self.wait_for_rebuild()
        with self._lock:
            self._loaded = None
            self._checked_at = float("-inf")
            self._companies = {}
            self._scores_version = None
            self.results = {}

    def wait_for_rebuild(self, timeout: float | None = None) -> None:
        thread = self._rebuild
        if thread is not None:
            thread.join(timeout)

    @property
    def rebuilding(self) -> bool:
        return self._rebuild is not None and self._rebuild.is_alive()

    def _first_build(self) -> LoadedIndex:
        with self._lock:
            if self._loaded is None:
                self._loaded = _build_index(self._loader)
                self._checked_at = time.monotonic()
                logger.info("brand index built: %s entries in %.2fs", self._loaded.entries, self._loaded.build_seconds)
            return self._loaded

    def _refresh(self, loaded: LoadedIndex) -> None:
        if loaded.entries < _setting("SEARCH_INDEX_BACKGROUND_MIN_ENTRIES", DEFAULT_BACKGROUND_MIN_ENTRIES):
            with self._lock:
                if self._loaded is loaded:
                    self._loaded = _build_index(self._loader)
            return
        with self._lock:
            if self.rebuilding:
                return
            self._rebuild = threading.Thread(target=self._rebuild_in_background, name="brand-index", daemon=True)
            self._rebuild.start()

    def _rebuild_in_background(self) -> None:
        try:
            fresh = _build_index(self._loader)
            with self._lock:
                self._loaded = fresh
            logger.info("brand index rebuilt: %s entries in %.2fs", fresh.entries, fresh.build_seconds)
        except Exception:
            # The old index keeps serving; the next version check (one interval later) tries again.
            logger.exception("brand index rebuild failed")
        finally:
            connections.close_all()  # this thread's own connections only


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


_holder = SearchIndexHolder()


def search_index() -> SearchIndexHolder:
    return _holder


# --- queries ----------------------------------------------------------------------------------------------


def search_query_clean(raw: object) -> str:
    """The query as the index should see it, or a ValidationError a person can act on."""
    if not isinstance(raw, str):
        raise ValidationError(_("Type a brand or company name."), code="empty")
    if any(ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in _REJECTED_CATEGORIES for ch in raw):
        raise ValidationError(_("The search contains characters that cannot be part of a name."), code="binary")
    if "\ufffd" in raw:
        raise ValidationError(_("The search contains characters that cannot be part of a name."), code="binary")
    query = " ".join(raw.split())
    if not query:
        raise ValidationError(_("Type a brand or company name."), code="empty")
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationError(
            _("The search is too long: at most %(max)d characters.") % {"max": MAX_QUERY_LENGTH}, code="too_long"
        )
    return query


def search_params_clean(raw_query: object, raw_limit: object) -> tuple[str, int]:
    """The API's ``q`` and ``limit`` (default 10, 1..MAX_LIMIT), or a ValidationError a person can act on."""
    query = search_query_clean(raw_query)
    if raw_limit is None or raw_limit == "":
        return query, DEFAULT_LIMIT
    try:
        limit = int(str(raw_limit).strip())
    except ValueError:
        raise ValidationError(_("limit must be a whole number."), code="invalid") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(_("limit must be between 1 and %(max)d.") % {"max": MAX_LIMIT}, code="range")
    return query, limit


@dataclass(frozen=True, slots=True)
class SearchRow:
    """One result: a brand (or a company with no brand in the results) with what the shopper needs."""

    company: Company
    brand: Brand | None
    match: BrandMatch
    summary: ScoreSummary | None

    @property
    def name(self) -> str:
        return self.brand.name if self.brand is not None else self.company.name


@dataclass(frozen=True)
class SearchOutcome:
    query: str
    rows: list[SearchRow] = field(default_factory=list)

    @property
    def did_you_mean(self) -> SearchRow | None:
        """The best guess, offered only when nothing matched closely (all matches are typo matches)."""
        if self.rows and self.rows[0].match.kind == "fuzzy":
            return self.rows[0]
        return None


def _load_targets(matches: list[Any]) -> tuple[dict[int, Brand], dict[int, Company]]:
    brand_ids, company_ids = [], []
    for match in matches:
        kind, pk = entry_target(match.id)
        (brand_ids if kind == "brand" else company_ids).append(pk)
    brands = Brand.objects.select_related("company__parent").in_bulk(brand_ids) if brand_ids else {}
    companies = Company.objects.select_related("parent").in_bulk(company_ids) if company_ids else {}
    return brands, companies


def _rows_from_matches(matches: list[Any], limit: int) -> list[tuple[Company, Brand | None, Any]]:
    brands, companies = _load_targets(matches)
    picked: list[tuple[Company, Brand | None, Any]] = []
    seen_brands: set[int] = set()
    branded_companies = {brand.company_id for brand in brands.values()}
    for match in matches:
        kind, pk = entry_target(match.id)
        if kind == "brand" and pk in brands and pk not in seen_brands:
            seen_brands.add(pk)
            picked.append((brands[pk].company, brands[pk], match))
        # A company already shown through one of its brands is not listed again on its own.
        elif kind == "company" and pk in companies and pk not in branded_companies:
            branded_companies.add(pk)
            picked.append((companies[pk], None, match))
        if len(picked) >= limit:
            break
    return picked


def brand_search(*, query: str, limit: int = 10) -> SearchOutcome:
    """Best-first rows for an already cleaned query; a handful of queries whatever the index size."""
    limit = max(1, min(limit, MAX_LIMIT))
    matches = list(search_index().get().index.search(query, limit=limit + 5))
    picked = _rows_from_matches(matches, limit)
    companies = [company for company, _brand, _match in picked]
    summaries = company_score_summaries(companies) if picked else {}
    rows = [
        SearchRow(company=company, brand=brand, match=match, summary=summaries.get(company.pk))
        for company, brand, match in picked
    ]
    return SearchOutcome(query=query, rows=rows)


# --- the API's fast path ------------------------------------------------------------------------------------


def _company_results(company_ids: list[int]) -> dict[int, dict[str, Any]]:
    companies = list(Company.objects.filter(pk__in=company_ids).select_related("parent"))
    summaries = company_score_summaries(companies)
    results = {}
    for company in companies:
        summary = summaries.get(company.pk)
        score = summary.score if summary is not None else None
        results[company.pk] = {
            "company": {"name": company.name, "slug": company.slug},
            "grade": score.grade if score else None,
            "compliance_score": score.compliance_score if score else None,
            "practice_score": score.practice_score if score else None,
            "tier": score.tier if score else "none",
            "areas": {chip.area: chip.status for chip in summary.chips} if summary else None,
            "inherited_from": (
                {"name": summary.source.name, "slug": summary.source.slug} if summary and summary.inherited else None
            ),
        }
    return results


@dataclass(frozen=True, slots=True)
class _Picked:
    entry_kind: str
    slug: str
    company_id: int
    match: BrandMatch


def _pick(matches: list[Any], targets: _Targets, limit: int) -> list[_Picked]:
    picked: list[_Picked] = []
    found = [(match, entry_target(match.id)[0], targets.get(match.id)) for match in matches]
    branded = {target[1] for match, kind, target in found if kind == "brand" and target is not None}
    for match, kind, target in found:
        if target is None or (kind == "company" and target[1] in branded):
            continue  # gone since the index was built, or a company already shown through one of its brands
        if kind == "company":
            branded.add(target[1])
        picked.append(_Picked(kind, target[0], target[1], match))
        if len(picked) >= limit:
            break
    return picked


@functools.cache
def _page_prefixes() -> tuple[str, str]:
    from django.urls import reverse

    return reverse("companies:brand", args=["-"])[:-2], reverse("companies:detail", args=["-"])[:-2]


def brand_search_results(*, query: str, limit: int = 10) -> list[dict[str, Any]]:
    """The API's result rows for a cleaned query, as plain data. Steady state: no database query at all (the
    index, the entry targets and the companies' result fields are all in memory, refreshed by version), and
    a repeated query is answered from a per-process cache that every version change clears."""
    return _cached_results(query=query, limit=limit)[0]


def brand_search_json(*, query: str, limit: int = 10) -> bytes:
    """The API's response body, ``{"results": [...]}`` as JSON bytes, rendered once per cached query."""
    return _cached_results(query=query, limit=limit)[1]


def _cached_results(*, query: str, limit: int) -> tuple[list[dict[str, Any]], bytes]:
    holder = search_index()
    loaded = holder.get()
    limit = max(1, min(limit, MAX_LIMIT))
    key = (query.casefold(), limit)
    cached = holder.results.get(key)
    if cached is not None:
        return cached
    rows = _result_rows(holder, loaded, query=query, limit=limit)
    entry = (rows, json.dumps({"results": rows}, ensure_ascii=False, separators=(",", ":")).encode())
    if len(holder.results) >= RESULT_CACHE_SIZE:
        holder.results.pop(next(iter(holder.results)))  # oldest first
    holder.results[key] = entry
    return entry


def _result_rows(holder: SearchIndexHolder, loaded: LoadedIndex, *, query: str, limit: int) -> list[dict[str, Any]]:
    targets = loaded.targets
    if targets is None:
        return []
    picked = _pick(list(loaded.index.search(query, limit=limit + 5)), targets, limit)
    companies = holder.company_results(p.company_id for p in picked)
    brand_url, company_url = _page_prefixes()
    rows = []
    for item in picked:
        company = companies.get(item.company_id)
        if company is None:
            continue
        is_brand = item.entry_kind == "brand"
        rows.append(
            {
                "brand": {"name": item.match.name, "slug": item.slug} if is_brand else None,
                **company,
                "match": {"score": item.match.score, "kind": item.match.kind, "matched": item.match.matched},
                "url": f"{brand_url if is_brand else company_url}{item.slug}/",
            }
        )
    return rows

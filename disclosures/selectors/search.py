"""Brand search: one in-memory ``BrandIndex`` per process, kept fresh across processes, plus result rows.

Freshness: every brand write bumps ``SearchIndexState.version`` (services/brands.py). Each process remembers
the version its index was built from and, at most once per ``SEARCH_INDEX_CHECK_SECONDS``, reads the current
one (a single primary-key query). When it changed, small indexes are rebuilt on the spot; large ones are
rebuilt in a background thread while requests keep using the old index, then swapped in. The first build is
synchronous: there is nothing to serve before it.
"""

from __future__ import annotations

import itertools
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
    row = SearchIndexState.objects.order_by("pk").values_list("version", "changed_at").first()
    return (0, "") if row is None else (row[0], row[1].isoformat() if row[1] else "")


@dataclass(frozen=True)
class LoadedIndex:
    index: BrandIndex | _EmptyIndex
    version: tuple[int, str]
    entries: int
    build_seconds: float


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
    return LoadedIndex(index=index, version=version, entries=len(index), build_seconds=time.perf_counter() - started)


class SearchIndexHolder:
    """The process's index. Thread-safe; at most one rebuild runs at a time."""

    def __init__(self, loader: Callable[[], Iterable[tuple[int, str, list[str]]]] = search_index_entries) -> None:
        self._loader = loader
        self._lock = threading.Lock()
        self._loaded: LoadedIndex | None = None
        self._checked_at = float("-inf")
        self._rebuild: threading.Thread | None = None

    def get(self) -> LoadedIndex:
        loaded = self._loaded
        if loaded is None:
            return self._first_build()
        now = time.monotonic()
        if now - self._checked_at >= _setting("SEARCH_INDEX_CHECK_SECONDS", DEFAULT_CHECK_SECONDS):
            self._checked_at = now
            if search_index_version() != loaded.version:
                self._refresh(loaded)
        return self._loaded or loaded

    def reset(self) -> None:
        """Forget the index (tests, or after a bulk load that did not bump the version)."""
        self.wait_for_rebuild()
        with self._lock:
            self._loaded = None
            self._checked_at = float("-inf")

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

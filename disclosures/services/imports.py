"""Bulk imports of brands and companies from CSV rows: idempotent, fast, and forgiving of bad rows.

Both imports work in chunks with bulk queries (a million rows is minutes, not hours), report every rejected row
with its line number while keeping the good ones, create companies they need, and bump the search index version
once at the end so every web process picks the new names up.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from disclosures.core.explain import infer_coverage
from disclosures.models import Brand, BrandAlias, Company
from disclosures.models.companies import Industry, RevenueBand
from disclosures.services.audit import audit_record
from disclosures.services.brands import search_index_bump

logger = logging.getLogger(__name__)

BRAND_COLUMNS = ("brand", "company")
BRAND_OPTIONAL_COLUMNS = ("aliases",)
COMPANY_COLUMNS = ("company", "website", "industry", "revenue_band", "sells_in_california", "parent")
COMPANY_OPTIONAL_COLUMNS = ("naics", "disclosure_url", "aliases")
ALIAS_SEPARATOR = "|"
CHUNK_SIZE = 2000
MAX_REPORTED_ERRORS = 1000  # a file of garbage should not fill memory with error messages

Row = tuple[int, Mapping[str, str | None]]  # (line number in the file, the row's cells by column name)
Progress = Callable[[int], None]


@dataclass
class ImportSummary:
    rows: int = 0
    companies_created: int = 0
    companies_updated: int = 0
    brands_created: int = 0
    aliases_added: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0

    def reject(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append((line, message))

    @property
    def changed(self) -> bool:
        return bool(self.companies_created or self.companies_updated or self.brands_created or self.aliases_added)

    def as_dict(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "companies_created": self.companies_created,
            "companies_updated": self.companies_updated,
            "brands_created": self.brands_created,
            "aliases_added": self.aliases_added,
            "unchanged": self.unchanged,
            "rejected": self.error_count,
        }


class CsvFormatError(Exception):
    """The file stops being CSV part-way (the rows before it are kept)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line


def csv_rows(text: str) -> tuple[list[str], Iterator[Row]]:
    """The header and an iterator of (line number, row) over CSV text; blank lines are skipped."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        fieldnames = list(reader.fieldnames or [])
    except csv.Error as error:
        raise CsvFormatError(1, str(error)) from error

    def rows() -> Iterator[Row]:
        try:
            for record in reader:
                yield reader.line_num, record
        except csv.Error as error:
            raise CsvFormatError(reader.line_num, str(error)) from error

    return fieldnames, rows()


def import_missing_columns(fieldnames: Iterable[str] | None, required: Iterable[str]) -> list[str]:
    """Required columns absent from a header (compared case- and space-insensitively)."""
    present = {(name or "").strip().casefold() for name in fieldnames or ()}
    return [column for column in required if column not in present]


def _cell(row: Mapping[str, str | None], column: str) -> str:
    for key, value in row.items():
        if (key or "").strip().casefold() == column:
            return " ".join((value or "").split())
    return ""


def _split_aliases(text: str) -> list[str]:
    return [" ".join(part.split())[:255] for part in text.split(ALIAS_SEPARATOR) if part.strip()]


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


# --- companies, shared ------------------------------------------------------------------------------------


class _CompanyDirectory:
    """Companies by case-insensitive name, and every slug in use; loaded once per import."""

    def __init__(self) -> None:
        self.by_name: dict[str, int] = {}
        self.slugs: set[str] = set()
        for pk, name, slug in Company.objects.order_by().values_list("pk", "name", "slug").iterator(20_000):
            self.by_name.setdefault(name.casefold(), pk)
            self.slugs.add(slug)

    def unique_slug(self, name: str) -> str:
        base = slugify(name)[:110] or "company"
        slug, counter = base, 2
        while slug in self.slugs:
            slug, counter = f"{base}-{counter}", counter + 1
        self.slugs.add(slug)
        return slug

    def new_company(self, name: str, **fields: object) -> Company:
        company = Company(name=name[:255], slug=self.unique_slug(name), **fields)
        company.full_clean(validate_unique=False, validate_constraints=False)
        return company

    def create_missing(self, names: Iterable[str], summary: ImportSummary) -> set[int]:
        """Create the companies not known yet (bare: name and slug); returns their ids."""
        wanted = {name.casefold(): name for name in names if name.casefold() not in self.by_name}
        if not wanted:
            return set()
        created = bulk_create_with_history([self.new_company(name) for name in wanted.values()], Company)
        self._remember(created)
        summary.companies_created += len(created)
        return {company.pk for company in created}

    def _remember(self, companies: Iterable[Company]) -> None:
        for company in companies:
            if company.pk is None:  # a backend that does not return ids: look them up
                company.pk = Company.objects.values_list("pk", flat=True).get(slug=company.slug)
            self.by_name[company.name.casefold()] = company.pk


# --- brands -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _BrandRow:
    line: int
    brand: str
    company: str
    aliases: tuple[str, ...]


def _parse_brand_row(line: int, row: Mapping[str, str | None]) -> _BrandRow:
    brand, company = _cell(row, "brand"), _cell(row, "company")
    if not brand:
        raise ValidationError("the brand name is empty")
    if not company:
        raise ValidationError("the company name is empty")
    if len(brand) > 255 or len(company) > 255:  # noqa: PLR2004 - the model's max_length
        raise ValidationError("a name is longer than 255 characters")
    aliases = tuple(a for a in _split_aliases(_cell(row, "aliases")) if a.casefold() != brand.casefold())
    return _BrandRow(line=line, brand=brand, company=company, aliases=aliases)


def _brand_slugs(rows: list[_BrandRow]) -> dict[int, str]:
    """A unique slug per new brand: its name, else the name with a counter (one query, plus one per clash)."""
    bases = {row.line: slugify(row.brand)[:140] or "brand" for row in rows}
    taken = set(Brand.objects.filter(slug__in=set(bases.values())).values_list("slug", flat=True))
    expanded: set[str] = set()
    slugs: dict[int, str] = {}
    for row in rows:
        base = slug = bases[row.line]
        if slug in taken:
            if base not in expanded:
                taken.update(Brand.objects.filter(slug__startswith=f"{base}-").values_list("slug", flat=True))
                expanded.add(base)
            counter = 2
            while (slug := f"{base}-{counter}") in taken:
                counter += 1
        taken.add(slug)
        slugs[row.line] = slug
    return slugs


def _existing_brands(company_ids: set[int], names: set[str]) -> dict[tuple[int, str], int]:
    if not company_ids:
        return {}
    pairs = Brand.objects.filter(company_id__in=company_ids, name__in=names).values_list("company_id", "name", "pk")
    return {(company_id, name): pk for company_id, name, pk in pairs}


@dataclass(frozen=True, slots=True)
class _ChunkBrands:
    ids: dict[tuple[int, str], int]  # (company id, brand name) -> brand id, for every valid row
    new: set[int]  # brands created by this chunk: they cannot have aliases yet


def _create_brands(
    rows: list[_BrandRow], directory: _CompanyDirectory, new_companies: set[int], summary: ImportSummary
) -> _ChunkBrands:
    keyed = {(directory.by_name[row.company.casefold()], row.brand): row for row in rows}
    # A company created a moment ago has no brands: only older companies need looking up.
    existing = _existing_brands({key[0] for key in keyed} - new_companies, {key[1] for key in keyed})
    new_rows = [row for key, row in keyed.items() if key not in existing]
    slugs = _brand_slugs(new_rows)
    brands = []
    for row in new_rows:
        brand = Brand(company_id=directory.by_name[row.company.casefold()], name=row.brand, slug=slugs[row.line])
        try:
            brand.full_clean(exclude=["company"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            summary.reject(row.line, "; ".join(error.messages))
            continue
        brands.append(brand)
    created = bulk_create_with_history(brands, Brand) if brands else []
    summary.brands_created += len(created)
    if any(brand.pk is None for brand in created):  # a backend that does not return ids
        return _ChunkBrands(
            existing | _existing_brands({b.company_id for b in brands}, {b.name for b in brands}), set()
        )
    return _ChunkBrands(existing | {(b.company_id, b.name): b.pk for b in created}, {b.pk for b in created})


def _add_aliases(rows: list[_BrandRow], brands: _ChunkBrands, directory: _CompanyDirectory) -> int:
    wanted: set[tuple[int, str]] = set()
    for row in rows:
        brand_id = brands.ids.get((directory.by_name[row.company.casefold()], row.brand))
        if brand_id is not None:
            wanted.update((brand_id, alias) for alias in row.aliases)
    older = {brand_id for brand_id, _ in wanted} - brands.new
    have = (
        set(BrandAlias.objects.filter(brand_id__in=older).values_list("brand_id", "alias").order_by())
        if older
        else set()
    )
    missing = [BrandAlias(brand_id=b, alias=a) for b, a in sorted(wanted - have)]
    BrandAlias.objects.bulk_create(missing, ignore_conflicts=True, batch_size=5000)
    return len(missing)


@transaction.atomic
def _brands_chunk(chunk: list[Row], directory: _CompanyDirectory, summary: ImportSummary) -> None:
    parsed: list[_BrandRow] = []
    for line, raw in chunk:
        try:
            parsed.append(_parse_brand_row(line, raw))
        except ValidationError as error:
            summary.reject(line, "; ".join(error.messages))
    new_companies = directory.create_missing((row.company for row in parsed), summary)
    before = summary.brands_created
    brands = _create_brands(parsed, directory, new_companies, summary)
    aliases = _add_aliases(parsed, brands, directory)
    summary.aliases_added += aliases
    if summary.brands_created == before and not aliases:
        summary.unchanged += len(parsed)


def brands_import_csv(*, rows: Iterable[Row], progress: Progress | None = None, actor: object = None) -> ImportSummary:
    """Import ``brand,company[,aliases]`` rows. Re-running the same file changes nothing.

    Companies are matched by name (case-insensitively) and created when missing; a brand is matched by
    company and exact name; aliases (``|``-separated) are added, never removed.
    """
    summary = ImportSummary()
    directory = _CompanyDirectory()
    try:
        for chunk in _chunks(rows, CHUNK_SIZE):
            summary.rows += len(chunk)
            _brands_chunk(chunk, directory, summary)
            if progress is not None:
                progress(summary.rows)
    finally:
        _finish(summary, action="brands.import", actor=actor)
    return summary


def _finish(summary: ImportSummary, *, action: str, actor: object) -> None:
    """Even an import that stopped half-way has committed chunks: make them visible to search."""
    summary.errors.sort()  # a chunk reports parse errors before database ones; people read by line
    if summary.changed:
        search_index_bump()
        audit_record(action=action, actor=actor, summary=f"{action}: {summary.as_dict()}", data=summary.as_dict())


# --- companies ------------------------------------------------------------------------------------------

_TRUE = frozenset({"yes", "y", "true", "t", "1"})
_FALSE = frozenset({"no", "n", "false", "f", "0"})


def _parse_bool(text: str) -> bool | None:
    value = text.casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value in {"", "unknown", "?"}:
        return None
    raise ValidationError(f"sells_in_california must be yes, no or empty, not {text!r}")


def _parse_choice(text: str, choices: type[Industry] | type[RevenueBand], column: str) -> str:
    """A value by its code or its English label, case-insensitively; "" when the cell is empty."""
    if not text:
        return ""
    value = text.casefold()
    for code, label in choices.choices:
        if value in {code.casefold(), str(label).casefold()}:
            return code
    codes = ", ".join(code for code, _ in choices.choices)
    raise ValidationError(f"{column} must be one of {codes}, not {text!r}")


@dataclass(frozen=True, slots=True)
class _CompanyRow:
    line: int
    name: str
    parent: str
    fields: dict[str, object]
    aliases: tuple[str, ...]


def _parse_company_row(line: int, row: Mapping[str, str | None]) -> _CompanyRow:
    name = _cell(row, "company")
    if not name:
        raise ValidationError("the company name is empty")
    parent = _cell(row, "parent")
    if len(name) > 255 or len(parent) > 255:  # noqa: PLR2004 - the model's max_length
        raise ValidationError("a name is longer than 255 characters")
    if parent.casefold() == name.casefold():
        raise ValidationError("a company cannot be its own parent")
    naics = _cell(row, "naics")
    if naics and not (naics.isdigit() and 2 <= len(naics) <= 6):  # noqa: PLR2004 - NAICS codes are 2-6 digits
        raise ValidationError(f"naics must be 2 to 6 digits, not {naics!r}")
    fields: dict[str, object] = {
        "website": _cell(row, "website"),
        "industry": _parse_choice(_cell(row, "industry"), Industry, "industry"),
        "revenue_band": _parse_choice(_cell(row, "revenue_band"), RevenueBand, "revenue_band"),
        "sells_in_california": _parse_bool(_cell(row, "sells_in_california")),
        "naics_code": naics,
        "disclosure_url": _cell(row, "disclosure_url"),
    }
    # An empty cell leaves the stored value alone; only sells_in_california distinguishes "unknown" (None).
    fields = {key: value for key, value in fields.items() if value not in ("", None)}
    return _CompanyRow(
        line=line, name=name, parent=parent, fields=fields, aliases=tuple(_split_aliases(_cell(row, "aliases")))
    )


def _apply_company_row(company: Company, row: _CompanyRow) -> bool:
    """Set the row's values on ``company``; True when anything changed."""
    changed = False
    for key, value in row.fields.items():
        if getattr(company, key) != value:
            setattr(company, key, value)
            changed = True
    current = [a for a in company.aliases or [] if isinstance(a, str)]
    known = {a.casefold() for a in current} | {company.name.casefold()}
    added = [a for a in row.aliases if a.casefold() not in known]
    if added:
        company.aliases = current + added
        changed = True
    if changed:
        company.coverage = infer_coverage(
            naics=company.naics_code,
            industry=company.industry,
            revenue_band=company.revenue_band,
            sells_in_california=company.sells_in_california,
        ).verdict
    return changed


_COMPANY_FIELDS = [
    "website", "industry", "revenue_band", "sells_in_california", "naics_code", "disclosure_url", "aliases",
    "coverage", "parent",
]  # fmt: skip


def _validated(company: Company, line: int, summary: ImportSummary) -> bool:
    try:
        company.full_clean(exclude=["parent"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        summary.reject(line, "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items()))
        return False
    return True


def _parent_loops(company_id: int, parent_id: int, parents: dict[int, int | None]) -> bool:
    seen, current = {company_id}, parent_id
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


@transaction.atomic
def _companies_chunk(chunk: list[_CompanyRow], directory: _CompanyDirectory, summary: ImportSummary) -> None:
    created = directory.create_missing(
        [row.name for row in chunk] + [row.parent for row in chunk if row.parent], summary
    )
    ids = {directory.by_name[row.name.casefold()] for row in chunk}
    companies = Company.objects.in_bulk(ids)
    parents = dict(Company.objects.exclude(parent=None).values_list("pk", "parent_id"))
    changed: dict[int, Company] = {}
    for row in chunk:
        company = companies[directory.by_name[row.name.casefold()]]
        snapshot = {name: getattr(company, name) for name in _COMPANY_FIELDS if name != "parent"}
        is_changed = _apply_company_row(company, row)
        if is_changed and not _validated(company, row.line, summary):
            for name, value in snapshot.items():
                setattr(company, name, value)
            continue
        if row.parent:
            parent_id = directory.by_name[row.parent.casefold()]
            if _parent_loops(company.pk, parent_id, parents):
                summary.reject(row.line, f"making {row.parent!r} the parent would create an ownership loop")
                continue
            if company.parent_id != parent_id:
                company.parent_id = parents[company.pk] = parent_id
                is_changed = True
        if is_changed:
            changed[company.pk] = company
        elif company.pk not in created:
            summary.unchanged += 1
    if changed:
        bulk_update_with_history(list(changed.values()), Company, _COMPANY_FIELDS)
        summary.companies_updated += len(changed.keys() - created)


def companies_import_csv(
    *, rows: Iterable[Row], progress: Progress | None = None, actor: object = None
) -> ImportSummary:
    """Import company attributes (``company,website,industry,revenue_band,sells_in_california,parent``
    plus optional ``naics,disclosure_url,aliases``). Companies and parents are created when missing, matched by
    name case-insensitively; empty cells leave stored values alone; coverage is re-inferred from the attributes.
    """
    summary = ImportSummary()
    directory = _CompanyDirectory()
    try:
        for chunk in _chunks(rows, CHUNK_SIZE):
            summary.rows += len(chunk)
            parsed = []
            for line, raw in chunk:
                try:
                    parsed.append(_parse_company_row(line, raw))
                except ValidationError as error:
                    summary.reject(line, "; ".join(error.messages))
            _companies_chunk(parsed, directory, summary)
            if progress is not None:
                progress(summary.rows)
    finally:
        _finish(summary, action="companies.import", actor=actor)
    return summary

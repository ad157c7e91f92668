"""Reads behind the open data: export rows, the public API lists, the statistics and the badge.

Every company-level number here comes from the company's latest score (``selectors.scores``), so the
statistics page, the exports, the API and the badge always agree. Companies with no published disclosure are
included with tier ``none``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from disclosures.core.exports import ExportMeta, csv_lines, json_chunks
from disclosures.core.types import AREAS
from disclosures.models import Certification, Company, Disclosure, DisclosureScore, Finding
from disclosures.models.companies import Industry
from disclosures.models.filings import Area, Tier
from disclosures.models.registry import CertificationStatus
from disclosures.selectors.scores import PUBLISHED_STATUSES, latest_scores_for_companies

OPEN_DATA_LICENCE = "CC BY 4.0"
OPEN_DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
OPEN_DATA_ATTRIBUTION = "Attribution: CA Supply Chain Check."
CHUNK_SIZE = 500
STATISTICS_CACHE_SECONDS = 300

GRADES: tuple[str, ...] = ("A", "B", "C", "D", "F")
TIERS: tuple[str, ...] = tuple(Tier.values)
ADDRESSED = frozenset({"does", "does_hedged", "does_not"})
STATES_IT_DOES = frozenset({"does", "does_hedged"})
THIRD_PARTY = frozenset({"third_party", "both"})

COMPANY_COLUMNS: tuple[str, ...] = (
    "slug",
    "name",
    "industry",
    "coverage",
    "tier",
    "grade",
    "compliance_score",
    "practice_score",
    *AREAS,
    "verification_performed_by",
    "audits_independence",
    "audits_announcement",
    "disclosure_date",
    "reporting_year",
    "disclosure_url",
    "rubric_version",
    "profile_url",
)

# Drafts, submissions not yet checked and rejected submissions are not registry entries anyone can rely on.
REGISTRY_PUBLIC_STATUSES: tuple[str, ...] = (
    CertificationStatus.VERIFIED,
    CertificationStatus.ACTIVE,
    CertificationStatus.EXPIRED,
    CertificationStatus.SUSPENDED,
    CertificationStatus.REVOKED,
    CertificationStatus.SUPERSEDED,
    CertificationStatus.NOT_APPLICABLE,
)
REGISTRY_COLUMNS: tuple[str, ...] = (
    "contractor_name",
    "sos_number",
    "certification_number",
    "certification_type",
    "status",
    "effective_from",
    "effective_to",
)


# --- company rows -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompanyDataRow:
    """One company as the open data shows it. Score fields are None when there is no published disclosure."""

    slug: str
    name: str
    industry: str
    coverage: str
    tier: str
    grade: str | None
    compliance_score: int | None
    practice_score: int | None
    areas: dict[str, str | None]
    verification_performed_by: str | None
    audits_independence: str | None
    audits_announcement: str | None
    disclosure_date: dt.date | None
    reporting_year: int | None
    disclosure_url: str
    rubric_version: str | None
    profile_url: str

    def as_flat(self) -> dict[str, Any]:
        """Export form: one flat mapping keyed by ``COMPANY_COLUMNS``, dates as ISO strings."""
        flat: dict[str, Any] = {
            "slug": self.slug,
            "name": self.name,
            "industry": self.industry,
            "coverage": self.coverage,
            "tier": self.tier,
            "grade": self.grade,
            "compliance_score": self.compliance_score,
            "practice_score": self.practice_score,
        }
        flat.update(self.areas)
        flat.update(
            {
                "verification_performed_by": self.verification_performed_by,
                "audits_independence": self.audits_independence,
                "audits_announcement": self.audits_announcement,
                "disclosure_date": self.disclosure_date.isoformat() if self.disclosure_date else None,
                "reporting_year": self.reporting_year,
                "disclosure_url": self.disclosure_url,
                "rubric_version": self.rubric_version,
                "profile_url": self.profile_url,
            }
        )
        return flat


def disclosure_year(disclosure: Disclosure) -> int:
    """The reporting year it states, else the (local) year we received it."""
    return disclosure.reporting_year or timezone.localtime(disclosure.created_at).year


def _findings_by_area(score: DisclosureScore) -> dict[str, Finding]:
    return {finding.area: finding for finding in score.findings.all()}


def _qualifier(findings: dict[str, Finding], area: str, name: str) -> str | None:
    finding = findings.get(area)
    if finding is None:
        return None
    return (finding.qualifiers or {}).get(name) or None


def company_row(company: Company, score: DisclosureScore | None) -> CompanyDataRow:
    profile_url = f"{settings.SITE_URL}/companies/{company.slug}/"
    if score is None:
        return CompanyDataRow(
            slug=company.slug,
            name=company.name,
            industry=company.industry,
            coverage=company.coverage,
            tier=Tier.NONE,
            grade=None,
            compliance_score=None,
            practice_score=None,
            areas=dict.fromkeys(AREAS),
            verification_performed_by=None,
            audits_independence=None,
            audits_announcement=None,
            disclosure_date=None,
            reporting_year=None,
            disclosure_url=company.disclosure_url,
            rubric_version=None,
            profile_url=profile_url,
        )
    disclosure = score.disclosure
    findings = _findings_by_area(score)
    return CompanyDataRow(
        slug=company.slug,
        name=company.name,
        industry=company.industry,
        coverage=company.coverage,
        tier=score.tier,
        grade=score.grade or None,
        compliance_score=score.compliance_score,
        practice_score=score.practice_score,
        areas={area: findings[area].effective_status if area in findings else None for area in AREAS},
        verification_performed_by=_qualifier(findings, Area.VERIFICATION, "performed_by"),
        audits_independence=_qualifier(findings, Area.AUDITS, "independence"),
        audits_announcement=_qualifier(findings, Area.AUDITS, "announcement"),
        disclosure_date=timezone.localdate(disclosure.created_at),
        reporting_year=disclosure_year(disclosure),
        disclosure_url=disclosure.final_url or disclosure.source_url or company.disclosure_url,
        rubric_version=score.rubric_version,
        profile_url=profile_url,
    )


def company_rows_for(companies: Sequence[Company]) -> list[CompanyDataRow]:
    """Rows for an already-fetched page of companies, in the same order (two more queries)."""
    scores = latest_scores_for_companies(company.pk for company in companies)
    return [company_row(company, scores.get(company.pk)) for company in companies]


def _companies_in_chunks(queryset: QuerySet[Company]) -> Iterator[list[Company]]:
    """Keyset pagination on the unique slug: constant memory, no long-lived cursor while a response streams."""
    last_slug = ""
    while True:
        chunk = list(queryset.filter(slug__gt=last_slug).order_by("slug")[:CHUNK_SIZE])
        if not chunk:
            return
        yield chunk
        last_slug = chunk[-1].slug


def company_export_rows(*, companies: QuerySet[Company] | None = None) -> Iterator[CompanyDataRow]:
    """Every company (ordered by slug) with its latest score; those without a disclosure get tier ``none``."""
    queryset = companies if companies is not None else Company.objects.all()
    for chunk in _companies_in_chunks(queryset):
        yield from company_rows_for(chunk)


def open_data_meta(*, generated_at: dt.datetime) -> ExportMeta:
    return ExportMeta(
        licence=OPEN_DATA_LICENCE,
        licence_url=OPEN_DATA_LICENCE_URL,
        attribution=OPEN_DATA_ATTRIBUTION,
        generated_at=generated_at.isoformat(timespec="seconds"),
    )


# --- registry rows ------------------------------------------------------------------------------------------


def registry_export_rows() -> Iterator[dict[str, Any]]:
    """Public fields only: never the signer, the document, contracts' values or non-public sanctions."""
    rows = (
        Certification.objects.filter(status__in=REGISTRY_PUBLIC_STATUSES)
        .order_by("number")
        .values(
            "contractor__legal_name",
            "contractor__sos_number",
            "number",
            "cert_type",
            "status",
            "effective_from",
            "effective_to",
        )
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield {
            "contractor_name": row["contractor__legal_name"],
            "sos_number": row["contractor__sos_number"] or None,
            "certification_number": row["number"],
            "certification_type": row["cert_type"],
            "status": row["status"],
            "effective_from": row["effective_from"].isoformat() if row["effective_from"] else None,
            "effective_to": row["effective_to"].isoformat() if row["effective_to"] else None,
        }


def registry_certification_list(*, status: str | None = None, cert_type: str | None = None) -> QuerySet[Certification]:
    queryset = Certification.objects.filter(status__in=REGISTRY_PUBLIC_STATUSES).select_related("contractor")
    if status:
        queryset = queryset.filter(status=status)
    if cert_type:
        queryset = queryset.filter(cert_type=cert_type)
    return queryset.order_by("number")


# --- the API company list -----------------------------------------------------------------------------------

COMPANY_ORDERINGS: dict[str, str] = {
    "name": "name",
    "compliance_score": "latest_compliance_score",
    "practice_score": "latest_practice_score",
    "disclosure_date": "latest_disclosure_at",
}


def _latest_score_subquery() -> QuerySet[DisclosureScore]:
    # Same order as selectors.scores.latest_scores_for_companies, so filters agree with the rows shown.
    return DisclosureScore.objects.filter(
        disclosure__company=OuterRef("pk"), disclosure__status__in=PUBLISHED_STATUSES
    ).order_by("-disclosure__created_at", "-scored_at")


def company_list(
    *,
    industry: str | None = None,
    tier: str | None = None,
    grade: str | None = None,
    coverage: str | None = None,
    ordering: str = "name",
) -> QuerySet[Company]:
    """Companies annotated with their latest score's numbers, filtered and ordered in the database.

    ``ordering`` is a key of ``COMPANY_ORDERINGS``, optionally prefixed with ``-``; companies without a score
    always come last.
    """
    latest = _latest_score_subquery()
    queryset = Company.objects.annotate(
        latest_tier=Coalesce(Subquery(latest.values("tier")[:1]), Value(Tier.NONE)),
        latest_grade=Subquery(latest.values("grade")[:1]),
        latest_compliance_score=Subquery(latest.values("compliance_score")[:1]),
        latest_practice_score=Subquery(latest.values("practice_score")[:1]),
        latest_disclosure_at=Subquery(latest.values("disclosure__created_at")[:1]),
    )
    if industry:
        queryset = queryset.filter(industry=industry)
    if coverage:
        queryset = queryset.filter(coverage=coverage)
    if tier:
        queryset = queryset.filter(latest_tier=tier)
    if grade:
        queryset = queryset.filter(latest_grade=grade)
    descending = ordering.startswith("-")
    expression = F(COMPANY_ORDERINGS[ordering.lstrip("-")])
    order = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return queryset.order_by(order, "name", "pk")


# --- statistics ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Share:
    key: str
    label: str
    count: int
    total: int

    @property
    def percent(self) -> float:
        return round(100 * self.count / self.total, 1) if self.total else 0.0


@dataclass(frozen=True, slots=True)
class IndustryBreakdown:
    key: str
    label: str
    companies: int
    tiers: tuple[Share, ...]
    grades: tuple[Share, ...]


@dataclass(frozen=True, slots=True)
class YearTrend:
    year: int
    disclosures: int
    average_compliance_score: float
    average_practice_score: float


@dataclass(frozen=True, slots=True)
class Statistics:
    companies: int
    companies_with_disclosure: int
    disclosures: int
    findings: int
    tiers: tuple[Share, ...]
    grades: tuple[Share, ...]
    industries: tuple[IndustryBreakdown, ...]
    areas: tuple[Share, ...]
    third_party_verification: Share
    unannounced_audits: Share
    years: tuple[YearTrend, ...]
    generated_at: dt.datetime


def _distribution(counter: Counter[str], keys: Iterable[str], labels: dict[str, Any], total: int) -> tuple[Share, ...]:
    return tuple(Share(key=key, label=str(labels[key]), count=counter[key], total=total) for key in keys)


def _grade_labels() -> dict[str, Any]:
    return {grade: grade for grade in GRADES}


@dataclass
class _Tally:
    """Running counts while walking every company's latest score once."""

    companies: int = 0
    scored: int = 0
    tiers: Counter[str] = field(default_factory=Counter)
    grades: Counter[str] = field(default_factory=Counter)
    addressed: Counter[str] = field(default_factory=Counter)
    third_party: int = 0
    unannounced: int = 0

    def add(self, row: CompanyDataRow) -> None:
        self.companies += 1
        self.tiers[row.tier] += 1
        if row.compliance_score is None:
            return
        self.scored += 1
        if row.grade:
            self.grades[row.grade] += 1
        for area, status in row.areas.items():
            if status in ADDRESSED:
                self.addressed[area] += 1
        if row.areas.get(Area.VERIFICATION) in STATES_IT_DOES and row.verification_performed_by in THIRD_PARTY:
            self.third_party += 1
        if row.areas.get(Area.AUDITS) in STATES_IT_DOES and row.audits_announcement == "unannounced":
            self.unannounced += 1


def _industry_breakdowns(by_industry: dict[str, _Tally]) -> tuple[IndustryBreakdown, ...]:
    labels = dict(Industry.choices)
    tier_labels = dict(Tier.choices)
    breakdowns = []
    for key in Industry.values:
        tally = by_industry.get(key)
        if tally is None:
            continue
        breakdowns.append(
            IndustryBreakdown(
                key=key,
                label=str(labels[key]),
                companies=tally.companies,
                tiers=_distribution(tally.tiers, TIERS, tier_labels, tally.companies),
                grades=_distribution(tally.grades, GRADES, _grade_labels(), tally.scored),
            )
        )
    return tuple(breakdowns)


def statistics_years() -> tuple[YearTrend, ...]:
    """Each published disclosure counted once, with its newest score, under ``disclosure_year``."""
    scores = (
        DisclosureScore.objects.filter(disclosure__status__in=PUBLISHED_STATUSES)
        .select_related("disclosure")
        .only(
            "compliance_score",
            "practice_score",
            "disclosure__reporting_year",
            "disclosure__created_at",
        )
        .order_by("disclosure_id", "-scored_at")
    )
    seen: set[int] = set()
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for score in scores.iterator(chunk_size=CHUNK_SIZE):
        if score.disclosure_id in seen:
            continue
        seen.add(score.disclosure_id)
        bucket = sums[disclosure_year(score.disclosure)]
        bucket[0] += 1
        bucket[1] += score.compliance_score
        bucket[2] += score.practice_score
    return tuple(
        YearTrend(
            year=year,
            disclosures=count,
            average_compliance_score=round(compliance / count, 1),
            average_practice_score=round(practice / count, 1),
        )
        for year, (count, compliance, practice) in sorted(sums.items())
    )


def statistics_get() -> Statistics:
    """The numbers of the statistics page and ``GET /api/v1/statistics/``, cached for a few minutes.

    Computing them walks every company, so a public page must not do it on every hit. The page and the API
    share the cache entry (one per language, because labels are translated), so they always agree.
    """
    key = f"data:statistics:v1:{translation.get_language()}"
    cached = cache.get(key)
    if cached is None:
        cached = statistics_compute()
        cache.set(key, cached, STATISTICS_CACHE_SECONDS)
    return cached


def statistics_compute(*, now: dt.datetime | None = None) -> Statistics:
    """The statistics, computed from the database now."""
    overall = _Tally()
    by_industry: dict[str, _Tally] = defaultdict(_Tally)
    for row in company_export_rows():
        overall.add(row)
        by_industry[row.industry].add(row)
    area_labels = dict(Area.choices)
    return Statistics(
        companies=overall.companies,
        companies_with_disclosure=overall.scored,
        disclosures=Disclosure.objects.filter(status__in=PUBLISHED_STATUSES).count(),
        findings=Finding.objects.filter(score__disclosure__status__in=PUBLISHED_STATUSES).count(),
        tiers=_distribution(overall.tiers, TIERS, dict(Tier.choices), overall.companies),
        grades=_distribution(overall.grades, GRADES, _grade_labels(), overall.scored),
        industries=_industry_breakdowns(by_industry),
        areas=_distribution(overall.addressed, AREAS, area_labels, overall.scored),
        third_party_verification=Share(
            key="third_party_verification",
            label=str(_("Third-party verification")),
            count=overall.third_party,
            total=overall.scored,
        ),
        unannounced_audits=Share(
            key="unannounced_audits",
            label=str(_("Unannounced audits")),
            count=overall.unannounced,
            total=overall.scored,
        ),
        years=statistics_years(),
        generated_at=now or timezone.now(),
    )


# --- the badge ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompanyBadge:
    slug: str
    name: str
    tier: str
    grade: str | None
    date: dt.date | None
    last_modified: dt.datetime


def company_badge_get(*, slug: str) -> CompanyBadge | None:
    """What the badge shows, or None for an unknown slug. ``last_modified`` drives conditional GET."""
    company = Company.objects.filter(slug=slug).first()
    if company is None:
        return None
    score = latest_scores_for_companies([company.pk]).get(company.pk)
    if score is None:
        return CompanyBadge(
            slug=company.slug,
            name=company.name,
            tier=Tier.NONE,
            grade=None,
            date=None,
            last_modified=company.updated_at,
        )
    disclosure = score.disclosure
    return CompanyBadge(
        slug=company.slug,
        name=company.name,
        tier=score.tier,
        grade=score.grade or None,
        date=timezone.localdate(disclosure.created_at),
        last_modified=max(company.updated_at, disclosure.updated_at, score.scored_at),
    )


# --- the four export files ----------------------------------------------------------------------------------


def _companies_csv(meta: ExportMeta) -> Iterator[str]:
    return csv_lines(meta=meta, columns=COMPANY_COLUMNS, rows=(row.as_flat() for row in company_export_rows()))


def _companies_json(meta: ExportMeta) -> Iterator[str]:
    return json_chunks(meta=meta, key="companies", rows=(row.as_flat() for row in company_export_rows()))


def _registry_csv(meta: ExportMeta) -> Iterator[str]:
    return csv_lines(meta=meta, columns=REGISTRY_COLUMNS, rows=registry_export_rows())


def _registry_json(meta: ExportMeta) -> Iterator[str]:
    return json_chunks(meta=meta, key="certifications", rows=registry_export_rows())


# File name -> the text chunks of that export; the streamed downloads and the dated snapshots share these.
OPEN_DATA_EXPORTS: dict[str, Callable[[ExportMeta], Iterator[str]]] = {
    "companies.csv": _companies_csv,
    "companies.json": _companies_json,
    "registry.csv": _registry_csv,
    "registry.json": _registry_json,
}


def open_data_export(*, name: str, generated_at: dt.datetime) -> Iterator[str]:
    """The text of one export, lazily: nothing is read from the database until the first chunk is asked for."""
    return OPEN_DATA_EXPORTS[name](open_data_meta(generated_at=generated_at))


# --- dated snapshots on disk --------------------------------------------------------------------------------


def _snapshot_day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) == len("2025-01-31") else None
    except ValueError:
        return None


def open_data_snapshots() -> list[dt.date]:
    """Days with a snapshot directory under ``OPEN_DATA_DIR``, newest first."""
    root = Path(settings.OPEN_DATA_DIR)
    if not root.is_dir():
        return []
    days = [_snapshot_day(child.name) for child in root.iterdir() if child.is_dir()]
    return sorted((day for day in days if day is not None), reverse=True)


def open_data_snapshot_file(*, day: str, name: str) -> Path | None:
    """The file of a snapshot, or None. Only known names and real dates are joined into a path: no traversal."""
    parsed = _snapshot_day(day)
    if parsed is None or name not in OPEN_DATA_EXPORTS:
        return None
    candidate = Path(settings.OPEN_DATA_DIR) / parsed.isoformat() / name
    return candidate if candidate.is_file() else None

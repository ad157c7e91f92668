"""What the brand and company pages (and their API twins) show: latest score, findings with evidence,
ownership chain, coverage as an inference, and a group parent's statement when a company has none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.http import Http404
from django.utils.translation import gettext

from disclosures.core.explain import (
    LIKELY_NOT,
    CoverageInference,
    Phrase,
    explain_flags,
    explain_qualifiers,
    explain_signal,
    infer_coverage,
)
from disclosures.core.types import AREAS
from disclosures.models import Brand, Company, DisclosureScore, Finding, FindingContest
from disclosures.models.companies import Coverage
from disclosures.selectors.scores import latest_scores_for_companies

# Ownership chains are short in practice; the cap only guards against bad data (a loop or a very deep tree).
MAX_CHAIN_DEPTH = 8


@dataclass(frozen=True, slots=True)
class AreaChip:
    area: str
    status: str
    overridden: bool = False


@dataclass(frozen=True, slots=True)
class ScoreSummary:
    """The score a company is shown with; ``source`` is the company whose disclosure it is (maybe a parent)."""

    score: DisclosureScore
    source: Company
    inherited: bool
    chips: tuple[AreaChip, ...]

    @property
    def disclosure(self) -> object:
        return self.score.disclosure


@dataclass(frozen=True, slots=True)
class EvidenceView:
    quote: str
    page: int | None
    start: int | None
    end: int | None
    anchor: str  # where the disclosure page highlights this quote: "ev-<area>-<n>"


@dataclass(frozen=True, slots=True)
class FindingView:
    id: int
    area: str
    status: str  # effective: a reviewer's override wins
    scorer_status: str
    overridden: bool
    override_reason: str
    contested: bool
    qualifiers: dict[str, str]
    qualifier_phrases: tuple[Phrase, ...]
    signals: tuple[str, ...]
    signal_phrases: tuple[Phrase, ...]
    evidence: tuple[EvidenceView, ...]
    confidence: float


@dataclass(frozen=True, slots=True)
class CoverageView:
    verdict: str
    reasons: tuple[Phrase, ...]
    stored_reason: str
    is_voluntary: bool
    inference: CoverageInference


@dataclass(frozen=True)
class CompanyProfile:
    company: Company
    chain: list[Company]  # the company first, then its parent, grandparent, ...
    brands: list[Brand]
    subsidiaries: list[Company]
    summary: ScoreSummary | None
    coverage: CoverageView
    findings: list[FindingView] = field(default_factory=list)
    flags: list[Phrase] = field(default_factory=list)

    @property
    def parents(self) -> list[Company]:
        return self.chain[1:]


@dataclass(frozen=True)
class BrandProfile:
    brand: Brand
    aliases: list[str]
    profile: CompanyProfile


# --- ownership and inherited scores (shared with the search selector) -----------------------------------


def company_ancestors_map(companies: Iterable[Company]) -> dict[int, Company]:
    """id -> Company for the given companies and all their ancestors; parents already loaded are reused."""
    known: dict[int, Company] = {}
    for company in companies:
        known[company.pk] = company
        if company.parent_id and Company.parent.is_cached(company) and company.parent is not None:
            known.setdefault(company.parent_id, company.parent)
    for _depth in range(MAX_CHAIN_DEPTH):
        missing = {c.parent_id for c in known.values() if c.parent_id and c.parent_id not in known}
        if not missing:
            break
        for parent in Company.objects.filter(pk__in=missing):
            known[parent.pk] = parent
    return known


def company_chain(company: Company, known: dict[int, Company]) -> list[Company]:
    chain = [company]
    seen = {company.pk}
    current = company
    while current.parent_id and current.parent_id not in seen and len(chain) <= MAX_CHAIN_DEPTH:
        parent = known.get(current.parent_id)
        if parent is None:
            break
        chain.append(parent)
        seen.add(parent.pk)
        current = parent
    return chain


def score_chips(score: DisclosureScore) -> tuple[AreaChip, ...]:
    by_area = {finding.area: finding for finding in score.findings.all()}
    chips = []
    for area in AREAS:
        finding = by_area.get(area)
        if finding is None:
            chips.append(AreaChip(area=area, status="silent"))
        else:
            chips.append(AreaChip(area=area, status=finding.effective_status, overridden=finding.is_overridden))
    return tuple(chips)


def company_score_summaries(
    companies: Iterable[Company], *, known: dict[int, Company] | None = None
) -> dict[int, ScoreSummary]:
    """company id -> the score to show: its own latest, else the nearest ancestor's (RUBRIC.md §2 rule 11)."""
    companies = list(companies)
    if known is None:
        known = company_ancestors_map(companies)
    scores = latest_scores_for_companies(known.keys())
    summaries: dict[int, ScoreSummary] = {}
    for company in companies:
        for owner in company_chain(company, known):
            score = scores.get(owner.pk)
            if score is not None:
                summaries[company.pk] = ScoreSummary(
                    score=score, source=owner, inherited=owner.pk != company.pk, chips=score_chips(score)
                )
                break
    return summaries


# --- findings, coverage ---------------------------------------------------------------------------------


def _evidence_views(raw: object, area: str) -> tuple[EvidenceView, ...]:
    items = [item for item in raw if isinstance(item, dict)] if isinstance(raw, list) else []
    views = []
    # Numbered over every item, as the disclosure page numbers its highlight anchors.
    for number, item in enumerate(items, start=1):
        if item.get("quote"):
            views.append(
                EvidenceView(
                    quote=str(item["quote"]),
                    page=item.get("page"),
                    start=item.get("start"),
                    end=item.get("end"),
                    anchor=f"ev-{area}-{number}",
                )
            )
    return tuple(views)


def _finding_view(finding: Finding, *, contested: bool) -> FindingView:
    qualifiers = {str(k): str(v) for k, v in (finding.qualifiers or {}).items()}
    signals = tuple(str(s) for s in (finding.signals or []))
    return FindingView(
        id=finding.pk,
        area=finding.area,
        status=finding.effective_status,
        scorer_status=finding.status,
        overridden=finding.is_overridden,
        override_reason=finding.override_reason,
        contested=contested,
        qualifiers=qualifiers,
        qualifier_phrases=tuple(explain_qualifiers(finding.area, qualifiers)),
        signals=signals,
        signal_phrases=tuple(explain_signal(s) for s in signals),
        evidence=_evidence_views(finding.evidence, finding.area),
        confidence=finding.confidence,
    )


def score_finding_views(score: DisclosureScore) -> list[FindingView]:
    """All five areas in the statute's order, with contested markers (one query for the open contests)."""
    findings = {finding.area: finding for finding in score.findings.all()}
    contested = set(
        FindingContest.objects.filter(
            finding_id__in=[f.pk for f in findings.values()], status=FindingContest.Status.OPEN
        ).values_list("finding_id", flat=True)
    )
    views = []
    for area in AREAS:
        finding = findings.get(area)
        if finding is not None:
            views.append(_finding_view(finding, contested=finding.pk in contested))
    return views


def company_coverage(company: Company, *, has_disclosure: bool) -> CoverageView:
    inference = infer_coverage(
        naics=company.naics_code,
        industry=company.industry,
        revenue_band=company.revenue_band,
        sells_in_california=company.sells_in_california,
    )
    # A verdict somebody recorded (admin, import) wins over what the attributes alone suggest.
    verdict = company.coverage if company.coverage != Coverage.UNKNOWN else inference.verdict
    return CoverageView(
        verdict=verdict,
        reasons=inference.reasons_for(verdict),
        stored_reason=company.coverage_reason,
        is_voluntary=verdict == LIKELY_NOT and has_disclosure,
        inference=inference,
    )


# --- pages ----------------------------------------------------------------------------------------------


def company_get_by_slug(*, slug: str) -> Company:
    company = Company.objects.select_related("parent").filter(slug=slug).first()
    if company is None:
        raise Http404(gettext("No company with that address."))
    return company


def brand_get_by_slug(*, slug: str) -> Brand:
    brand = Brand.objects.select_related("company__parent").filter(slug=slug).first()
    if brand is None:
        raise Http404(gettext("No brand with that address."))
    return brand


def company_profile(*, company: Company) -> CompanyProfile:
    known = company_ancestors_map([company])
    summary = company_score_summaries([company], known=known).get(company.pk)
    findings = score_finding_views(summary.score) if summary is not None else []
    flags = explain_flags(list(summary.score.flags or [])) if summary is not None else []
    return CompanyProfile(
        company=company,
        chain=company_chain(company, known),
        brands=list(company.brands.order_by("name")),
        subsidiaries=list(company.subsidiaries.order_by("name")),
        summary=summary,
        findings=findings,
        flags=flags,
        coverage=company_coverage(company, has_disclosure=summary is not None and not summary.inherited),
    )


def brand_profile(*, brand: Brand) -> BrandProfile:
    return BrandProfile(
        brand=brand,
        aliases=list(brand.aliases.values_list("alias", flat=True)),
        profile=company_profile(company=brand.company),
    )

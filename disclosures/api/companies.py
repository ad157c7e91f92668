"""API: a company's public profile, ``GET /api/v1/companies/<slug>/`` (DESIGN.md §5.3)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from disclosures.api.search import AreaStatusesSerializer, ErrorSerializer, FindingStatusField, NamedRefSerializer
from disclosures.core import explain
from disclosures.core.types import AREAS
from disclosures.selectors.companies import (
    CompanyProfile,
    EvidenceView,
    FindingView,
    company_get_by_slug,
    company_profile,
)
from disclosures.templatetags.display import disclosure_page_url


@extend_schema_field({"type": "string", "enum": list(AREAS)}, component_name="DisclosureArea")
class AreaField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=AREAS, **kwargs)


_VERDICTS = (explain.LIKELY_COVERED, explain.LIKELY_NOT, explain.COVERAGE_UNKNOWN)


@extend_schema_field({"type": "string", "enum": list(_VERDICTS)}, component_name="CoverageVerdict")
class VerdictField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=_VERDICTS, **kwargs)


@extend_schema_serializer(component_name="EvidenceQuote")
class EvidenceSerializer(serializers.Serializer):
    quote = serializers.CharField(help_text="The sentence, at most 300 characters.")
    page = serializers.IntegerField(allow_null=True, help_text="1-based page of the disclosure.")
    start = serializers.IntegerField(allow_null=True, help_text="Character offset into that page's text.")
    end = serializers.IntegerField(allow_null=True)


@extend_schema_serializer(component_name="CompanyFinding")
class FindingSerializer(serializers.Serializer):
    area = AreaField()
    status = FindingStatusField(help_text="Effective status: a reviewer's override wins.")
    status_label = serializers.CharField()
    scorer_status = FindingStatusField(help_text="What the automatic scorer found.")
    qualifiers = serializers.DictField(child=serializers.CharField())
    qualifier_texts = serializers.ListField(child=serializers.CharField())
    signals = serializers.ListField(child=serializers.CharField())
    evidence = EvidenceSerializer(many=True)
    confidence = serializers.FloatField()
    overridden = serializers.BooleanField(help_text="A reviewer changed the automatic finding.")
    override_reason = serializers.CharField(allow_blank=True)
    contested = serializers.BooleanField(help_text="The company has an open contest against this finding.")


@extend_schema_serializer(component_name="CompanyScore")
class ScoreSerializer(serializers.Serializer):
    grade = serializers.CharField()
    compliance_score = serializers.IntegerField()
    practice_score = serializers.IntegerField()
    tier = serializers.CharField()
    rubric_version = serializers.CharField()
    scored_at = serializers.DateTimeField()
    areas = AreaStatusesSerializer()
    flags = serializers.ListField(child=serializers.CharField(), help_text="Machine-readable flags.")
    flag_texts = serializers.ListField(child=serializers.CharField(), help_text="The flags in plain language.")
    needs_review = serializers.BooleanField(help_text="Automatic result still waiting for a reviewer.")
    inherited_from = NamedRefSerializer(
        allow_null=True, help_text="The parent company whose group statement this is, when the company has none."
    )


@extend_schema_serializer(component_name="CompanyDisclosureRef")
class DisclosureRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    received_at = serializers.DateTimeField()
    title = serializers.CharField(allow_blank=True)
    reporting_period = serializers.CharField(allow_blank=True)
    source_url = serializers.CharField(allow_blank=True, help_text="Where the company published it.")
    page_url = serializers.CharField(allow_blank=True, help_text="Our page with the evidence highlighted.")


@extend_schema_serializer(component_name="CompanyCoverage")
class CoverageSerializer(serializers.Serializer):
    verdict = VerdictField(help_text="An inference from public facts, never a legal finding.")
    headline = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField(allow_blank=True)
    is_voluntary = serializers.BooleanField()
    caveat = serializers.CharField(help_text="Coverage is always an inference, never a legal finding.")


def _finding_data(finding: FindingView) -> dict[str, Any]:
    return {
        "area": finding.area,
        "status": finding.status,
        "status_label": gettext(explain.status_label(finding.status)),
        "scorer_status": finding.scorer_status,
        "qualifiers": finding.qualifiers,
        "qualifier_texts": [explain.render(p, gettext) for p in finding.qualifier_phrases],
        "signals": list(finding.signals),
        "evidence": [_evidence_data(e) for e in finding.evidence],
        "confidence": finding.confidence,
        "overridden": finding.overridden,
        "override_reason": finding.override_reason,
        "contested": finding.contested,
    }


def _evidence_data(evidence: EvidenceView) -> dict[str, Any]:
    return {"quote": evidence.quote, "page": evidence.page, "start": evidence.start, "end": evidence.end}


def _score_data(profile: CompanyProfile) -> dict[str, Any] | None:
    summary = profile.summary
    if summary is None:
        return None
    score = summary.score
    return {
        "grade": score.grade,
        "compliance_score": score.compliance_score,
        "practice_score": score.practice_score,
        "tier": score.tier,
        "rubric_version": score.rubric_version,
        "scored_at": score.scored_at,
        "areas": {chip.area: chip.status for chip in summary.chips},
        "flags": [str(flag) for flag in score.flags or []],
        "flag_texts": [explain.render(p, gettext) for p in profile.flags],
        "needs_review": score.disclosure.status == "needs_review",
        "inherited_from": {"name": summary.source.name, "slug": summary.source.slug} if summary.inherited else None,
    }


def _disclosure_data(profile: CompanyProfile) -> dict[str, Any] | None:
    if profile.summary is None:
        return None
    disclosure = profile.summary.score.disclosure
    return {
        "id": disclosure.pk,
        "received_at": disclosure.created_at,
        "title": disclosure.title,
        "reporting_period": disclosure.reporting_period,
        "source_url": disclosure.final_url or disclosure.source_url or profile.summary.source.disclosure_url,
        "page_url": disclosure_page_url(disclosure),
    }


def _coverage_data(profile: CompanyProfile) -> dict[str, Any]:
    coverage = profile.coverage
    return {
        "verdict": coverage.verdict,
        "headline": gettext(explain.COVERAGE_HEADLINES[coverage.verdict]),
        "reasons": [explain.render(p, gettext) for p in coverage.reasons],
        "note": coverage.stored_reason,
        "is_voluntary": coverage.is_voluntary,
        "caveat": gettext(explain.COVERAGE_CAVEAT),
    }


def profile_data(profile: CompanyProfile) -> dict[str, Any]:
    company = profile.company
    parent = profile.chain[1] if len(profile.chain) > 1 else None
    return {
        "name": company.name,
        "slug": company.slug,
        "aliases": [a for a in company.aliases or [] if isinstance(a, str)],
        "website": company.website,
        "industry": company.industry,
        "naics_code": company.naics_code,
        "revenue_band": company.revenue_band,
        "sells_in_california": company.sells_in_california,
        "parent": {"name": parent.name, "slug": parent.slug} if parent else None,
        "ownership_chain": [{"name": c.name, "slug": c.slug} for c in profile.chain],
        "brands": [{"name": b.name, "slug": b.slug} for b in profile.brands],
        "subsidiaries": [{"name": c.name, "slug": c.slug} for c in profile.subsidiaries],
        "coverage": _coverage_data(profile),
        "score": _score_data(profile),
        "disclosure": _disclosure_data(profile),
        "findings": [_finding_data(f) for f in profile.findings],
    }


class CompanyDetailApi(APIView):
    """A company's public profile: latest score with findings and evidence, brands, parent and coverage."""

    permission_classes = [AllowAny]

    @extend_schema_serializer(component_name="CompanyProfile")
    class OutputSerializer(serializers.Serializer):
        name = serializers.CharField()
        slug = serializers.CharField()
        aliases = serializers.ListField(child=serializers.CharField())
        website = serializers.CharField(allow_blank=True)
        industry = serializers.CharField()
        naics_code = serializers.CharField(allow_blank=True)
        revenue_band = serializers.CharField()
        sells_in_california = serializers.BooleanField(allow_null=True)
        parent = NamedRefSerializer(allow_null=True)
        ownership_chain = NamedRefSerializer(many=True, help_text="The company first, then its parents.")
        brands = NamedRefSerializer(many=True)
        subsidiaries = NamedRefSerializer(many=True)
        coverage = CoverageSerializer()
        score = ScoreSerializer(allow_null=True, help_text="Null when no disclosure was found.")
        disclosure = DisclosureRefSerializer(allow_null=True)
        findings = FindingSerializer(many=True)

    @extend_schema(
        operation_id="companies_retrieve",
        summary="Company profile",
        description=(
            "The latest score of the company's newest published disclosure (or, when it has none, its parent "
            "group's statement), every finding with its quoted evidence, reviewer overrides and open contests, "
            "the brands, the ownership chain and the coverage inference. 404 for an unknown slug."
        ),
        responses={200: OutputSerializer, 404: ErrorSerializer, 429: ErrorSerializer},
        examples=[
            OpenApiExample(
                "Unknown company",
                value={"detail": "No company with that address."},
                response_only=True,
                status_codes=["404"],
            )
        ],
    )
    def get(self, request: Request, slug: str) -> Response:
        profile = company_profile(company=company_get_by_slug(slug=slug))
        return Response(self.OutputSerializer(profile_data(profile)).data)


urlpatterns: list[URLPattern] = [
    path("companies/<slug:slug>/", CompanyDetailApi.as_view(), name="api-company-detail"),
]

"""API: the open-data lists (companies, registry certifications) and the statistics.

Enumerated values in responses are documented as strings with their values listed in the description rather
than as enum components: the schema is shared by every area, and drf-spectacular warns when two areas use
the same field name for different choice sets.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from disclosures.api import schema as _schema_extensions  # noqa: F401 - registers the schema extensions
from disclosures.core.types import AREAS, STATUSES
from disclosures.models.companies import Coverage, Industry
from disclosures.models.filings import Tier
from disclosures.models.registry import CertificationType
from disclosures.selectors.data import (
    COMPANY_ORDERINGS,
    GRADES,
    REGISTRY_PUBLIC_STATUSES,
    company_list,
    company_rows_for,
    registry_certification_list,
    statistics_get,
)

MAX_PAGE_SIZE = 200
ORDERING_CHOICES = [key for name in COMPANY_ORDERINGS for key in (name, f"-{name}")]


def _one_of(values: Any) -> str:
    return "One of: " + ", ".join(f"`{value}`" for value in values) + "."


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """limit/offset paging that answers 400 to a malformed value instead of silently using the default."""

    default_limit = 50
    max_limit = MAX_PAGE_SIZE

    def _integer(self, request: Request, name: str, minimum: int) -> int | None:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return None
        try:
            value = int(raw)
        except ValueError:
            raise ValidationError({name: [f"A whole number is required, not {raw[:20]!r}."]}) from None
        if value < minimum:
            raise ValidationError({name: [f"Must be at least {minimum}."]})
        return value

    def get_limit(self, request: Request) -> int:
        value = self._integer(request, self.limit_query_param, 1)
        return self.default_limit if value is None else min(value, self.max_limit)

    def get_offset(self, request: Request) -> int:
        return self._integer(request, self.offset_query_param, 0) or 0

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {self.max_limit} (larger values are capped); default 50.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.offset_query_param,
                "required": False,
                "in": "query",
                "description": "How many rows to skip.",
                "schema": {"type": "integer", "minimum": 0},
            },
        ]


class ErrorSerializer(serializers.Serializer):
    class Meta:
        ref_name = "DataApiError"

    detail = serializers.CharField(help_text="What was wrong, in plain language.")
    errors = serializers.DictField(required=False, help_text="Per-parameter messages, for 400 responses.")


BAD_REQUEST = OpenApiResponse(
    response=ErrorSerializer,
    description="A query parameter has a value that is not allowed.",
    examples=[
        OpenApiExample(
            "Unknown ordering",
            value={"detail": 'ordering: "score" is not a valid choice.', "errors": {"ordering": ['"score" is …']}},
            status_codes=["400"],
        )
    ],
)


# --- companies ----------------------------------------------------------------------------------------------


class _AreasSerializer(serializers.Serializer):
    class Meta:
        ref_name = "OpenDataAreaStatuses"

    verification = serializers.CharField(allow_null=True, help_text=_one_of(STATUSES) + " Null without a score.")
    audits = serializers.CharField(allow_null=True, help_text=_one_of(STATUSES) + " Null without a score.")
    certification = serializers.CharField(allow_null=True, help_text=_one_of(STATUSES) + " Null without a score.")
    accountability = serializers.CharField(allow_null=True, help_text=_one_of(STATUSES) + " Null without a score.")
    training = serializers.CharField(allow_null=True, help_text=_one_of(STATUSES) + " Null without a score.")


class _QualifiersSerializer(serializers.Serializer):
    class Meta:
        ref_name = "OpenDataQualifiers"

    verification_performed_by = serializers.CharField(
        allow_null=True, help_text=_one_of(("third_party", "internal", "both", "unspecified"))
    )
    audits_independence = serializers.CharField(
        allow_null=True, help_text=_one_of(("independent", "internal", "mixed", "unspecified"))
    )
    audits_announcement = serializers.CharField(
        allow_null=True, help_text=_one_of(("unannounced", "semi_announced", "announced", "mixed", "unspecified"))
    )


COMPANY_EXAMPLE = {
    "slug": "northwind-apparel",
    "name": "Northwind Apparel Inc.",
    "industry": "apparel",
    "coverage": "likely_covered",
    "tier": "substantial",
    "grade": "C",
    "compliance_score": 75,
    "practice_score": 55,
    "areas": {
        "verification": "does",
        "audits": "does_hedged",
        "certification": "does",
        "accountability": "silent",
        "training": "does_not",
    },
    "qualifiers": {
        "verification_performed_by": "third_party",
        "audits_independence": "unspecified",
        "audits_announcement": "unannounced",
    },
    "disclosure_date": "2025-03-14",
    "reporting_year": 2024,
    "disclosure_url": "https://northwind-apparel.example/ca-supply-chains",
    "rubric_version": "ctsca-1",
    "profile_url": "https://supplychain.example/companies/northwind-apparel/",
}


class CompanyListApi(APIView):
    pagination_class = StrictLimitOffsetPagination

    class InputSerializer(serializers.Serializer):
        industry = serializers.ChoiceField(choices=Industry.values, required=False, help_text="Only this industry.")
        tier = serializers.ChoiceField(
            choices=Tier.values, required=False, help_text="Only this compliance tier; `none` = no disclosure found."
        )
        grade = serializers.ChoiceField(choices=GRADES, required=False, help_text="Only this grade.")
        coverage = serializers.ChoiceField(
            choices=Coverage.values, required=False, help_text="Only companies with this likely coverage by the law."
        )
        ordering = serializers.ChoiceField(
            choices=ORDERING_CHOICES,
            required=False,
            default="name",
            help_text="Sort key; a leading `-` sorts descending. Companies without a score always come last.",
        )

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "OpenDataCompany"

        slug = serializers.SlugField()
        name = serializers.CharField()
        industry = serializers.CharField(help_text=_one_of(Industry.values))
        coverage = serializers.CharField(help_text=_one_of(Coverage.values))
        tier = serializers.CharField(help_text=_one_of(Tier.values) + " `none`: no disclosure found.")
        grade = serializers.CharField(allow_null=True, help_text=_one_of(GRADES) + " Null without a score.")
        compliance_score = serializers.IntegerField(allow_null=True, min_value=0, max_value=100)
        practice_score = serializers.IntegerField(allow_null=True, min_value=0, max_value=100)
        areas = _AreasSerializer(help_text="Status of each of the five areas, after any reviewer's correction.")
        qualifiers = _QualifiersSerializer(source="*", help_text="The statute's extra details, when stated.")
        disclosure_date = serializers.DateField(allow_null=True, help_text="When we received the disclosure.")
        reporting_year = serializers.IntegerField(allow_null=True, help_text="Stated, else the year received.")
        disclosure_url = serializers.CharField(help_text="Where the disclosure was published; may be empty.")
        rubric_version = serializers.CharField(allow_null=True)
        profile_url = serializers.CharField(help_text="The company's page on this site.")

    @extend_schema(
        operation_id="companies_list",
        tags=["open data"],
        summary="List companies with their latest scores",
        description=(
            "Every company, including those with no disclosure (tier `none`, null scores), with its latest scored "
            "disclosure's tier, grade, scores, the five area statuses and the statute's qualifiers. Filter with "
            "`industry`, `tier`, `grade` and `coverage`; sort with `ordering`. Paginated with `limit`/`offset`."
        ),
        parameters=[InputSerializer],
        responses={200: OutputSerializer(many=True), 400: BAD_REQUEST},
        examples=[OpenApiExample("A company", value=COMPANY_EXAMPLE, response_only=True, status_codes=["200"])],
    )
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(company_list(**params.validated_data), request, view=self)
        data = self.OutputSerializer(company_rows_for(page or []), many=True).data
        return paginator.get_paginated_response(data)


# --- statistics ---------------------------------------------------------------------------------------------


class _ShareSerializer(serializers.Serializer):
    class Meta:
        ref_name = "StatisticsShare"

    key = serializers.CharField()
    label = serializers.CharField(help_text="In the request's language.")
    count = serializers.IntegerField(min_value=0)
    total = serializers.IntegerField(min_value=0, help_text="The denominator.")
    percent = serializers.FloatField(min_value=0, max_value=100, help_text="100 * count / total, one decimal.")


class _IndustrySerializer(serializers.Serializer):
    class Meta:
        ref_name = "StatisticsIndustry"

    key = serializers.CharField()
    label = serializers.CharField()
    companies = serializers.IntegerField(min_value=0)
    tiers = _ShareSerializer(many=True)
    grades = _ShareSerializer(many=True)


class _YearSerializer(serializers.Serializer):
    class Meta:
        ref_name = "StatisticsYear"

    year = serializers.IntegerField()
    disclosures = serializers.IntegerField(min_value=0)
    average_compliance_score = serializers.FloatField()
    average_practice_score = serializers.FloatField()


def _share_example(key: str, count: int, total: int) -> dict[str, Any]:
    return {
        "key": key,
        "label": key.capitalize(),
        "count": count,
        "total": total,
        "percent": round(100 * count / total, 1),
    }


STATISTICS_EXAMPLE = {
    "companies": 4,
    "companies_with_disclosure": 3,
    "disclosures": 5,
    "findings": 25,
    "tiers": [_share_example(tier, count, 4) for tier, count in zip(Tier.values, (1, 1, 1, 0, 1), strict=True)],
    "grades": [_share_example(grade, count, 3) for grade, count in zip(GRADES, (1, 0, 2, 0, 0), strict=True)],
    "industries": [],
    "areas": [_share_example(area, 2, 3) for area in AREAS],
    "third_party_verification": _share_example("third_party_verification", 1, 3),
    "unannounced_audits": _share_example("unannounced_audits", 1, 3),
    "years": [{"year": 2024, "disclosures": 5, "average_compliance_score": 71.4, "average_practice_score": 40.2}],
    "generated_at": "2025-06-01T09:30:00-07:00",
}


class StatisticsApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "Statistics"

        companies = serializers.IntegerField(min_value=0)
        companies_with_disclosure = serializers.IntegerField(min_value=0)
        disclosures = serializers.IntegerField(min_value=0, help_text="Scored disclosures, every version.")
        findings = serializers.IntegerField(min_value=0, help_text="Findings recorded on scored disclosures.")
        tiers = _ShareSerializer(many=True, help_text="All companies by tier (out of all companies).")
        grades = _ShareSerializer(many=True, help_text="Companies with a score by grade.")
        industries = _IndustrySerializer(many=True)
        areas = _ShareSerializer(many=True, help_text="Latest disclosures stating each area (does/hedged/does not).")
        third_party_verification = _ShareSerializer()
        unannounced_audits = _ShareSerializer()
        years = _YearSerializer(many=True, help_text="Each scored disclosure once, by reporting year.")
        generated_at = serializers.DateTimeField()

    @extend_schema(
        operation_id="statistics_retrieve",
        tags=["statistics"],
        summary="The statistics page's numbers",
        description=(
            "Counts of companies, disclosures and findings; distribution of compliance tiers and grades overall and "
            "by industry; the share of latest disclosures that state each of the five areas, with third-party "
            "verification and with unannounced audits; and the trend over reporting years. Each company counts once, "
            "with its latest scored disclosure, except in `years` and `disclosures`, which count every disclosure."
        ),
        responses={200: OutputSerializer},
        examples=[OpenApiExample("Statistics", value=STATISTICS_EXAMPLE, response_only=True, status_codes=["200"])],
    )
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(statistics_get()).data)


# --- registry certifications --------------------------------------------------------------------------------


class RegistryCertificationListApi(APIView):
    pagination_class = StrictLimitOffsetPagination

    class InputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(
            choices=[str(status) for status in REGISTRY_PUBLIC_STATUSES], required=False, help_text="Only this status."
        )
        type = serializers.ChoiceField(
            choices=CertificationType.values, required=False, help_text="Only this certification type."
        )

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "OpenDataCertification"

        contractor_name = serializers.CharField(source="contractor.legal_name")
        sos_number = serializers.CharField(source="contractor.sos_number", allow_null=True)
        certification_number = serializers.CharField(source="number")
        certification_type = serializers.CharField(source="cert_type", help_text=_one_of(CertificationType.values))
        status = serializers.CharField(help_text=_one_of(REGISTRY_PUBLIC_STATUSES))
        effective_from = serializers.DateField(allow_null=True)
        effective_to = serializers.DateField(allow_null=True)

    @extend_schema(
        operation_id="registry_certifications_list",
        tags=["open data"],
        summary="List the registry's public certification entries",
        description=(
            "Public fields of every certification that registry staff have checked: contractor name, Secretary of "
            "State number, registry number, type, status as recorded and effective dates. No signer, document or "
            "non-public sanction. For an as-of answer an officer can rely on, use `/api/v1/registry/verify`."
        ),
        parameters=[InputSerializer],
        responses={200: OutputSerializer(many=True), 400: BAD_REQUEST},
        examples=[
            OpenApiExample(
                "A certification",
                value={
                    "contractor_name": "Golden Bear Uniforms LLC",
                    "sos_number": "201912345678",
                    "certification_number": "CSR-2026-000123",
                    "certification_type": "pcc6108",
                    "status": "active",
                    "effective_from": "2026-01-01",
                    "effective_to": "2026-12-31",
                },
                response_only=True,
                status_codes=["200"],
            )
        ],
    )
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        queryset = registry_certification_list(
            status=params.validated_data.get("status"), cert_type=params.validated_data.get("type")
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page or [], many=True).data)


urlpatterns: list[URLPattern] = [
    path("companies/", CompanyListApi.as_view(), name="api-company-list"),
    path("statistics/", StatisticsApi.as_view(), name="api-statistics"),
    path("registry/certifications/", RegistryCertificationListApi.as_view(), name="api-registry-certification-list"),
]

"""API: brand search, ``GET /api/v1/brands/search?q=&limit=`` (DESIGN.md §5.3)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.urls import URLPattern, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from disclosures.api.throttling import FixedWindowAnonThrottle
from disclosures.core.types import STATUSES
from disclosures.selectors.search import MAX_LIMIT, brand_search_json, search_params_clean

MATCH_KINDS = ("exact", "alias", "prefix", "token", "fuzzy")


@extend_schema_serializer(component_name="ApiError")
class ErrorSerializer(serializers.Serializer):
    """Every error: a sentence a person can act on."""

    detail = serializers.CharField()


@extend_schema_serializer(component_name="NamedRef")
class NamedRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


@extend_schema_field({"type": "string", "enum": list(STATUSES)}, component_name="FindingStatus")
class FindingStatusField(serializers.ChoiceField):
    """One of the five statuses. Its enum is inlined: one choice set under several field names would otherwise
    make drf-spectacular invent (and warn about) several enum components."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=STATUSES, **kwargs)


@extend_schema_field({"type": "string", "enum": list(MATCH_KINDS)}, component_name="BrandMatchKind")
class MatchKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=MATCH_KINDS, **kwargs)


@extend_schema_serializer(component_name="AreaStatuses")
class AreaStatusesSerializer(serializers.Serializer):
    """Status of each of the five areas; an area the disclosure never mentions is ``silent``."""

    verification = FindingStatusField()
    audits = FindingStatusField()
    certification = FindingStatusField()
    accountability = FindingStatusField()
    training = FindingStatusField()


@extend_schema_serializer(component_name="BrandSearchMatch")
class BrandMatchSerializer(serializers.Serializer):
    score = serializers.FloatField(help_text="0-100; 100 is an exact match of the name.")
    kind = MatchKindField(help_text="exact name, alias, as-you-type prefix, whole word, or typo-tolerant.")
    matched = serializers.CharField(help_text="The name or alias that matched.")


@extend_schema_serializer(component_name="BrandSearchResult")
class BrandSearchResultSerializer(serializers.Serializer):
    brand = NamedRefSerializer(allow_null=True, help_text="Null when a company matched and none of its brands.")
    company = NamedRefSerializer()
    grade = serializers.CharField(allow_null=True, help_text="A-F; null when no disclosure was found.")
    compliance_score = serializers.IntegerField(allow_null=True)
    practice_score = serializers.IntegerField(allow_null=True)
    tier = serializers.CharField(help_text="Compliance tier; `none` when no disclosure was found.")
    areas = AreaStatusesSerializer(allow_null=True)
    inherited_from = NamedRefSerializer(
        allow_null=True, help_text="The parent company whose group statement the score comes from, if any."
    )
    match = BrandMatchSerializer()
    url = serializers.CharField(help_text="The brand (or company) page.")


_EXAMPLE = {
    "results": [
        {
            "brand": {"name": "Northwind", "slug": "northwind"},
            "company": {"name": "Northwind Apparel Inc.", "slug": "northwind-apparel"},
            "grade": "C",
            "compliance_score": 75,
            "practice_score": 55,
            "tier": "substantial",
            "areas": {
                "verification": "does",
                "audits": "does_hedged",
                "certification": "does",
                "accountability": "silent",
                "training": "does_not",
            },
            "inherited_from": None,
            "match": {"score": 95.0, "kind": "fuzzy", "matched": "Northwind"},
            "url": "/brands/northwind/",
        }
    ]
}


class BrandSearchApi(APIView):
    """Typo-tolerant brand and company lookup, best match first."""

    # Public and read-only: who asks changes nothing, so no authentication runs; every client is limited per
    # IP address by the anonymous rate. This keeps the busiest endpoint lean (bench http).
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [FixedWindowAnonThrottle]

    @extend_schema_serializer(component_name="BrandSearchResults")
    class OutputSerializer(serializers.Serializer):
        results = BrandSearchResultSerializer(many=True)

    @extend_schema(
        operation_id="brands_search",
        summary="Search brands",
        description=(
            'Brand or company name, typos welcome ("nkie" finds Nike). Each result carries the owning company, '
            "its latest grade, both scores and the five area statuses. A company with no disclosure of its own "
            "shows its parent's group statement (`inherited_from`). Empty, over-long (more than 200 characters) "
            "or binary queries get 400. Anonymous clients are throttled (429)."
        ),
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True, description="1-200 characters."
            ),
            OpenApiParameter(
                "limit", OpenApiTypes.INT, OpenApiParameter.QUERY, description=f"1-{MAX_LIMIT}, default 10."
            ),
        ],
        responses={200: OutputSerializer, 400: ErrorSerializer, 429: ErrorSerializer},
        examples=[OpenApiExample("A typo", value=_EXAMPLE, response_only=True, status_codes=["200"])],
    )
    def get(self, request: Request) -> HttpResponse:
        # The hot path: parameters are checked by a selector (documented in `parameters` above), and rows come
        # out of the in-memory index already in the OutputSerializer's shape (pinned by the API tests), so no
        # serializer runs per request.
        try:
            query, limit = search_params_clean(request.query_params.get("q"), request.query_params.get("limit"))
        except DjangoValidationError as error:
            raise serializers.ValidationError({"detail": error.messages[0]}) from error
        return HttpResponse(brand_search_json(query=query, limit=limit), content_type="application/json")


urlpatterns: list[URLPattern] = [
    path("brands/search", BrandSearchApi.as_view(), name="api-brand-search"),
]

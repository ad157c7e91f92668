"""API: submit a disclosure (company members) and read its status, score and findings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from disclosures.models import Company, Disclosure
from disclosures.selectors.disclosures import (
    PUBLIC_STATUSES,
    disclosure_for_user,
    disclosure_latest_score,
    disclosure_progress,
)
from disclosures.services.disclosures import SubmissionRejected, disclosure_submit, too_big_for_a_form


class DisclosureErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="A plain-language reason.")

    class Meta:
        ref_name = "DisclosureError"


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The submission is too large."
    default_code = "too_large"


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=DisclosureErrorSerializer, description=description)


class DisclosureSubmitApi(APIView):
    """POST /api/v1/companies/<slug>/disclosures/: one of a file, a URL or pasted text."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class MultipartInputSerializer(serializers.Serializer):
        file = serializers.FileField(required=False, allow_empty_file=True, help_text="A PDF, text or HTML file.")
        url = serializers.CharField(required=False, allow_blank=True, max_length=2000)
        text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)

        class Meta:
            ref_name = "DisclosureSubmitMultipartInput"

    class InputSerializer(serializers.Serializer):
        url = serializers.CharField(
            required=False, allow_blank=True, max_length=2000, help_text="The disclosure's web page or PDF."
        )
        text = serializers.CharField(
            required=False, allow_blank=True, trim_whitespace=False, help_text="The disclosure's text, pasted."
        )

        class Meta:
            ref_name = "DisclosureSubmitJsonInput"

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        status = serializers.CharField(help_text="received, extracting, scoring, scored, needs_review or failed.")
        created = serializers.BooleanField(help_text="False when the company already had exactly this document.")
        status_url = serializers.CharField(help_text="Poll this for progress and the result.")

        class Meta:
            ref_name = "DisclosureSubmitOutput"

    @extend_schema(
        operation_id="disclosure_submit",
        tags=["disclosures"],
        description="Submit a disclosure for a company you represent: a multipart `file`, or JSON with `url` or "
        "`text` (exactly one). Answers 202 at once; the worker extracts and scores it, so poll `status_url`. "
        "Sending a document the company already has answers 202 with `created: false` and the existing id.",
        request={"multipart/form-data": MultipartInputSerializer, "application/json": InputSerializer},
        responses={
            202: OutputSerializer,
            400: _error("No source, several sources, empty text or file, or a bad or private URL."),
            401: _error("Not signed in (session or `Authorization: Bearer <token>`)."),
            403: _error("You do not represent this company."),
            404: _error("No company with this slug."),
            413: _error("The file or text is larger than the upload limit (text over 5 MB: send it as a file)."),
        },
        examples=[
            OpenApiExample("By URL", value={"url": "https://example.com/supply-chain"}, request_only=True),
            OpenApiExample(
                "Accepted",
                value={"id": 42, "status": "received", "created": True, "status_url": "/api/v1/disclosures/42/"},
                response_only=True,
                status_codes=["202"],
            ),
        ],
    )
    def post(self, request: Request, slug: str) -> Response:
        company = get_object_or_404(Company, slug=slug)
        try:
            payload = request.data
        except RequestDataTooBig:
            raise PayloadTooLarge(too_big_for_a_form()) from None
        serializer = self.MultipartInputSerializer(data=payload)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            disclosure, created = disclosure_submit(
                company=company,
                submitted_by=request.user,
                upload=data.get("file"),
                url=data.get("url", ""),
                text=data.get("text", ""),
            )
        except SubmissionRejected as rejection:
            if rejection.code == "too_large":
                raise PayloadTooLarge(rejection.reason) from None
            raise ValidationError({"detail": rejection.reason}) from None
        output = {
            "id": disclosure.pk,
            "status": disclosure.status,
            "created": created,
            "status_url": reverse("api-disclosure-detail", args=[disclosure.pk]),
        }
        return Response(self.OutputSerializer(output).data, status=status.HTTP_202_ACCEPTED)


class DisclosureProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(help_text="Pages read so far.")
    total = serializers.IntegerField(help_text="Pages in the document (0 until known).")

    class Meta:
        ref_name = "DisclosureProgress"


class DisclosureEvidenceSerializer(serializers.Serializer):
    quote = serializers.CharField()
    page = serializers.IntegerField()
    start = serializers.IntegerField(help_text="Offset into the page text.")
    end = serializers.IntegerField()

    class Meta:
        ref_name = "DisclosureEvidence"


class DisclosureCompanySerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()

    class Meta:
        ref_name = "DisclosureCompany"


class DisclosureScoreOutputSerializer(serializers.Serializer):
    compliance_score = serializers.IntegerField()
    practice_score = serializers.IntegerField()
    tier = serializers.CharField()
    grade = serializers.CharField()
    flags = serializers.ListField(child=serializers.CharField())
    rubric = serializers.CharField(source="rubric_version")
    rubric_sha256 = serializers.CharField()
    cause = serializers.CharField(help_text="new_disclosure, rubric_change or rescore.")
    homepage_checked = serializers.BooleanField()
    scored_at = serializers.DateTimeField()

    class Meta:
        ref_name = "DisclosureScore"


class DisclosureFindingOutputSerializer(serializers.Serializer):
    area = serializers.CharField()
    status = serializers.CharField(help_text="As the scorer found it.")
    effective_status = serializers.CharField(help_text="After a reviewer's override, if any.")
    qualifiers = serializers.DictField(child=serializers.CharField())
    confidence = serializers.FloatField()
    evidence = DisclosureEvidenceSerializer(many=True)
    overridden = serializers.BooleanField(source="is_overridden")

    class Meta:
        ref_name = "DisclosureFinding"


class DisclosureDetailApi(APIView):
    """GET /api/v1/disclosures/<id>/: status, progress, failure reason, score and findings."""

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        company = DisclosureCompanySerializer()
        source = serializers.CharField(help_text="upload, url, text or discovered.")
        content_kind = serializers.CharField(help_text="unknown (until read), pdf, html or text.")
        status = serializers.CharField(help_text="received, extracting, scoring, scored, needs_review or failed.")
        finished = serializers.BooleanField()
        failure_code = serializers.CharField(help_text="Stable code for programs; empty unless failed.")
        failure_reason = serializers.CharField(help_text="Plain-language reason; empty unless failed.")
        progress = DisclosureProgressSerializer()
        page_count = serializers.IntegerField()
        title = serializers.CharField()
        reporting_period = serializers.CharField()
        source_url = serializers.CharField()
        final_url = serializers.CharField()
        http_status = serializers.IntegerField(allow_null=True)
        sha256 = serializers.CharField()
        byte_size = serializers.IntegerField()
        created_at = serializers.DateTimeField()
        processed_at = serializers.DateTimeField(allow_null=True)
        html_url = serializers.CharField(help_text="The disclosure's page on this site.")
        score = DisclosureScoreOutputSerializer(allow_null=True, help_text="Null until scored.")
        findings = DisclosureFindingOutputSerializer(many=True, help_text="Empty until scored.")

        class Meta:
            ref_name = "DisclosureDetail"

    @extend_schema(
        operation_id="disclosure_detail",
        tags=["disclosures"],
        description="A disclosure's status (`received`, `extracting`, `scoring`, `scored`, `needs_review`, "
        "`failed`), progress while the worker reads it (page `done` of `total`), the plain-language failure "
        "reason, and once scored the score and the five findings with their quoted evidence. Scored disclosures "
        "are public; unfinished or failed ones are visible only to the company's members and staff (404 otherwise).",
        responses={200: OutputSerializer, 404: _error("No such disclosure, or not visible to you.")},
    )
    def get(self, request: Request, pk: int) -> Response:
        disclosure = disclosure_for_user(pk=pk, user=request.user)
        if disclosure is None:
            raise NotFound("No such disclosure.")
        score = disclosure_latest_score(disclosure) if disclosure.status in PUBLIC_STATUSES else None
        data = _disclosure_fields(disclosure)
        data.update(
            company=disclosure.company,
            score=score,
            findings=score.ordered_findings if score is not None else [],
            html_url=reverse("filings:detail", args=[disclosure.pk]),
            progress=disclosure_progress(disclosure)["progress"],
            finished=disclosure.is_finished,
        )
        return Response(self.OutputSerializer(data).data)


_DISCLOSURE_FIELDS = (
    *("id", "source", "content_kind", "status", "failure_code", "failure_reason", "page_count", "title"),
    *("reporting_period", "source_url", "final_url", "http_status", "sha256", "byte_size", "created_at"),
    "processed_at",
)


def _disclosure_fields(disclosure: Disclosure) -> dict[str, Any]:
    return {name: getattr(disclosure, name) for name in _DISCLOSURE_FIELDS}


urlpatterns: list[URLPattern] = [
    path("companies/<slug:slug>/disclosures/", DisclosureSubmitApi.as_view(), name="api-disclosure-submit"),
    path("disclosures/<int:pk>/", DisclosureDetailApi.as_view(), name="api-disclosure-detail"),
]

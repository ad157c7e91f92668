"""API: the portal and the reviewer decisions, one APIView per operation.

Everything here needs a signed-in user or an API token; a token acts as its user, so the same membership and
role checks apply as on the pages (the services and selectors enforce them). Creating a token needs a browser
session: a leaked token must not be able to mint fresh ones that outlive its revocation.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from disclosures.api.companies import AreaField
from disclosures.api.search import ErrorSerializer, FindingStatusField
from disclosures.models import ApiToken, Company, FindingContest, Membership
from disclosures.selectors import portal as selectors
from disclosures.selectors.reviews import review_contest_get, review_finding_get
from disclosures.selectors.roles import user_roles
from disclosures.services.companies import company_profile_update, membership_request
from disclosures.services.reviews import finding_contest_open, finding_contest_resolve, finding_override
from disclosures.services.tokens import api_token_create, api_token_revoke

AUTH_ERRORS = {401: ErrorSerializer, 403: ErrorSerializer}
COMPANY_ERRORS = {**AUTH_ERRORS, 404: ErrorSerializer}


# Choice fields documented as named enum components (one choice set under several field names would otherwise
# make drf-spectacular invent, and warn about, several enums).
CHANGE_CAUSES = ("", *selectors.CAUSES)  # empty: unchanged
CONTEST_OUTCOMES = ("upheld", "dismissed")


@extend_schema_field({"type": "string", "enum": Membership.Status.values}, component_name="MembershipStatus")
class MembershipStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Membership.Status.values, **kwargs)


@extend_schema_field({"type": "string", "enum": FindingContest.Status.values}, component_name="FindingContestStatus")
class ContestStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=FindingContest.Status.values, **kwargs)


@extend_schema_field({"type": "string", "enum": list(CONTEST_OUTCOMES)}, component_name="FindingContestOutcome")
class ContestOutcomeField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=CONTEST_OUTCOMES, **kwargs)


@extend_schema_field({"type": "string", "enum": list(CHANGE_CAUSES)}, component_name="VersionChangeCause")
class ChangeCauseField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=CHANGE_CAUSES, **kwargs)


def _not_found(detail: str) -> Response:
    return Response({"detail": detail}, status=status.HTTP_404_NOT_FOUND)


# --- tokens ------------------------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="ApiTokenInfo")
class TokenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The first characters of the key, to tell tokens apart.")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


class TokenListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="portal_tokens_list",
        description="The signed-in user's active API tokens (never the keys themselves).",
        responses={200: TokenSerializer(many=True), **AUTH_ERRORS},
        tags=["portal"],
    )
    def get(self, request: Request) -> Response:
        tokens = ApiToken.objects.filter(user=request.user, revoked_at=None)
        return Response(TokenSerializer(tokens, many=True).data)


class TokenCreateApi(APIView):
    permission_classes = [IsAuthenticated]
    authentication_classes = [SessionAuthentication]  # not with a token: see the module docstring

    @extend_schema_serializer(component_name="ApiTokenCreateInput")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100, help_text="Name it after the system that will use it.")

    @extend_schema_serializer(component_name="ApiTokenCreated")
    class OutputSerializer(TokenSerializer):
        key = serializers.CharField(help_text="The raw key. Shown this once; only its hash is stored.")

    @extend_schema(
        operation_id="portal_tokens_create",
        description="Create a named API token for the signed-in user (browser session only). The key is in "
        "this response and nowhere else. Representatives, procurement officers and staff only.",
        request=InputSerializer,
        responses={201: OutputSerializer, 400: ErrorSerializer, **AUTH_ERRORS},
        tags=["portal"],
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, raw = api_token_create(user=request.user, name=data.validated_data["name"])
        body = {**TokenSerializer(token).data, "key": raw}
        return Response(self.OutputSerializer(body).data, status=status.HTTP_201_CREATED)


class TokenRevokeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="portal_tokens_revoke",
        description="Revoke one of your tokens. It stops working at once (401). Revoking twice is harmless.",
        request=None,
        responses={200: TokenSerializer, **COMPANY_ERRORS},
        tags=["portal"],
    )
    def post(self, request: Request, pk: int) -> Response:
        token = ApiToken.objects.filter(pk=pk, user=request.user).first()
        if token is None:
            return _not_found(_("No such token."))
        return Response(TokenSerializer(api_token_revoke(token=token, user=request.user)).data)


# --- who am I ----------------------------------------------------------------------------------------------------


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema_serializer(component_name="PortalMe")
    class OutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        email = serializers.CharField()
        email_verified = serializers.BooleanField()
        roles = serializers.ListField(child=serializers.CharField())
        companies = serializers.ListField(child=serializers.CharField(), help_text="Slugs you may act for.")
        pending_companies = serializers.ListField(child=serializers.CharField())

    @extend_schema(
        operation_id="portal_me",
        description="The user a session or token acts as: roles and the companies it may act for.",
        responses={200: OutputSerializer, **AUTH_ERRORS},
        tags=["portal"],
    )
    def get(self, request: Request) -> Response:
        overview = selectors.portal_home(user=request.user)
        body = {
            "username": request.user.get_username(),
            "email": request.user.email,
            "email_verified": overview.email_verified,
            "roles": sorted(user_roles(request.user)),
            "companies": [m.company.slug for m in overview.approved],
            "pending_companies": [m.company.slug for m in overview.pending],
        }
        return Response(self.OutputSerializer(body).data)


# --- membership and company --------------------------------------------------------------------------------------


class MembershipRequestApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema_serializer(component_name="MembershipRequestInput")
    class InputSerializer(serializers.Serializer):
        company = serializers.SlugField(help_text="The company's slug.")
        message = serializers.CharField(required=False, allow_blank=True, max_length=1000)

    @extend_schema_serializer(component_name="MembershipRequestResult")
    class OutputSerializer(serializers.Serializer):
        company = serializers.CharField()
        status = MembershipStatusField()

    @extend_schema(
        operation_id="portal_membership_request",
        description="Ask to represent a company. Approved at once when your confirmed email address is at the "
        "company's web domain; otherwise a reviewer decides.",
        request=InputSerializer,
        responses={200: OutputSerializer, 400: ErrorSerializer, **COMPANY_ERRORS},
        tags=["portal"],
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        company = Company.objects.filter(slug=data.validated_data["company"]).first()
        if company is None:
            return _not_found(_("No such company."))
        membership = membership_request(
            user=request.user, company=company, message=data.validated_data.get("message", "")
        )
        return Response(self.OutputSerializer({"company": company.slug, "status": membership.status}).data)


@extend_schema_serializer(component_name="PortalDisclosureVersion")
class VersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    submitted_by = serializers.CharField(allow_null=True)
    source = serializers.CharField()
    status = serializers.CharField()
    failure_reason = serializers.CharField(allow_blank=True)
    grade = serializers.CharField(allow_null=True)
    rubric_versions = serializers.ListField(child=serializers.CharField())


def _version_data(row: selectors.VersionRow) -> dict[str, Any]:
    disclosure = row.disclosure
    return {
        "id": disclosure.pk,
        "created_at": disclosure.created_at,
        "submitted_by": disclosure.submitted_by.get_username() if disclosure.submitted_by else None,
        "source": disclosure.source,
        "status": disclosure.status,
        "failure_reason": disclosure.failure_reason,
        "grade": row.score.grade if row.score else None,
        "rubric_versions": [score.rubric_version for score in row.scores],
    }


class CompanyVersionsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="portal_company_versions",
        description="Every version of the company's disclosure, including ones still being processed or failed. "
        "The company's representatives only.",
        responses={200: VersionSerializer(many=True), **COMPANY_ERRORS},
        tags=["portal"],
    )
    def get(self, request: Request, slug: str) -> Response:
        company = selectors.company_get_for_representative(user=request.user, slug=slug)
        rows = selectors.company_versions(company=company)
        return Response(VersionSerializer([_version_data(row) for row in rows], many=True).data)


@extend_schema_serializer(component_name="PortalCompanyProfile")
class ProfileSerializer(serializers.Serializer):
    website = serializers.URLField(required=False, allow_blank=True, max_length=200)
    disclosure_url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    aliases = serializers.ListField(child=serializers.CharField(max_length=255), required=False, max_length=50)


class CompanyProfileUpdateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="portal_company_profile_update",
        description="Change the company's website, disclosure address or other names; fields left out stay as "
        "they are. The company's representatives only; every change is recorded.",
        request=ProfileSerializer,
        responses={200: ProfileSerializer, 400: ErrorSerializer, **COMPANY_ERRORS},
        tags=["portal"],
    )
    def post(self, request: Request, slug: str) -> Response:
        company = selectors.company_get_for_representative(user=request.user, slug=slug)
        data = ProfileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        company = company_profile_update(company=company, user=request.user, **data.validated_data)
        return Response(ProfileSerializer(company).data)


# --- right of reply and review -----------------------------------------------------------------------------------


@extend_schema_serializer(component_name="FindingContestInfo")
class ContestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    finding = serializers.IntegerField(source="finding_id")
    status = ContestStatusField()
    explanation = serializers.CharField()
    resolution_note = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)


class FindingContestApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema_serializer(component_name="FindingContestInput")
    class InputSerializer(serializers.Serializer):
        explanation = serializers.CharField(max_length=5000, help_text="Why the finding is wrong.")

    @extend_schema(
        operation_id="portal_finding_contest",
        description="Contest one finding of your company's disclosure. It shows as contested publicly until a "
        "reviewer decides. The company's representatives only.",
        request=InputSerializer,
        responses={201: ContestSerializer, 400: ErrorSerializer, **COMPANY_ERRORS},
        tags=["portal"],
    )
    def post(self, request: Request, pk: int) -> Response:
        finding = selectors.finding_get_for_representative(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contest = finding_contest_open(finding=finding, user=request.user, **data.validated_data)
        return Response(ContestSerializer(contest).data, status=status.HTTP_201_CREATED)


@extend_schema_serializer(component_name="FindingInfo")
class FindingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    area = AreaField()
    status = FindingStatusField(help_text="The scorer's original status; never changed.")
    effective_status = FindingStatusField(help_text="What pages show.")
    is_overridden = serializers.BooleanField()
    override_reason = serializers.CharField(allow_blank=True)
    overridden_at = serializers.DateTimeField(allow_null=True)


class FindingOverrideApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema_serializer(component_name="FindingOverrideInput")
    class InputSerializer(serializers.Serializer):
        status = FindingStatusField()
        reason = serializers.CharField(max_length=2000, help_text="Required; shown publicly.")

    @extend_schema(
        operation_id="review_finding_override",
        description="Override a finding's status with a reason (reviewers only). The scorer's status is kept; "
        "choosing it again removes the override.",
        request=InputSerializer,
        responses={200: FindingSerializer, 400: ErrorSerializer, **COMPANY_ERRORS},
        tags=["review"],
    )
    def post(self, request: Request, pk: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        finding = finding_override(finding=review_finding_get(pk=pk), user=request.user, **data.validated_data)
        return Response(FindingSerializer(finding).data)


class ContestResolveApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema_serializer(component_name="ContestResolveInput")
    class InputSerializer(serializers.Serializer):
        outcome = ContestOutcomeField()
        note = serializers.CharField(max_length=2000, help_text="The explanation the company receives.")
        status = FindingStatusField(required=False, help_text="The finding's new status; required when upheld.")

    @extend_schema(
        operation_id="review_contest_resolve",
        description="Resolve an open contest (reviewers only): upheld overrides the finding, dismissed leaves it. "
        "The company's representatives are notified.",
        request=InputSerializer,
        responses={200: ContestSerializer, 400: ErrorSerializer, **COMPANY_ERRORS},
        tags=["review"],
    )
    def post(self, request: Request, pk: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contest = finding_contest_resolve(
            contest=review_contest_get(pk=pk),
            user=request.user,
            upheld=data.validated_data["outcome"] == "upheld",
            note=data.validated_data["note"],
            status=data.validated_data.get("status", ""),
        )
        return Response(ContestSerializer(contest).data)


# --- comparison --------------------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="VersionCompareAreaChange")
class AreaChangeSerializer(serializers.Serializer):
    area = AreaField()
    old_status = FindingStatusField()
    new_status = FindingStatusField()
    changed = serializers.BooleanField()
    cause = ChangeCauseField(
        allow_blank=True,
        help_text="Why it changed: the text, the rubric, both, a reviewer, or unknown; empty when unchanged.",
    )


class VersionCompareApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema_serializer(component_name="VersionCompare")
    class OutputSerializer(serializers.Serializer):
        old_score = serializers.IntegerField(source="old.pk")
        new_score = serializers.IntegerField(source="new.pk")
        same_text = serializers.BooleanField()
        same_rubric = serializers.BooleanField()
        compliance_delta = serializers.IntegerField()
        practice_delta = serializers.IntegerField()
        areas = AreaChangeSerializer(many=True)

    @extend_schema(
        operation_id="portal_versions_compare",
        description="Compare two scores of the company's disclosures (ids from the versions list's scores): "
        "which findings changed, and whether the text or a rubric update changed them.",
        parameters=[
            OpenApiParameter("a", int, required=True, description="A score id."),
            OpenApiParameter("b", int, required=True, description="Another score id."),
        ],
        responses={200: OutputSerializer, 400: ErrorSerializer, **COMPANY_ERRORS},
        tags=["portal"],
    )
    def get(self, request: Request, slug: str) -> Response:
        company = selectors.company_get_for_representative(user=request.user, slug=slug)
        ids = [request.query_params.get(name, "") for name in ("a", "b")]
        if not all(value.isdigit() for value in ids) or ids[0] == ids[1]:
            return Response({"detail": _("Give two different score ids as a and b.")}, status=400)
        first, second = (selectors.company_score_get(company=company, pk=int(value)) for value in ids)
        comparison = selectors.score_comparison(first=first, second=second)
        return Response(self.OutputSerializer(comparison).data)


urlpatterns: list[URLPattern] = [
    path("portal/me/", MeApi.as_view(), name="api-portal-me"),
    path("portal/tokens/", TokenListApi.as_view(), name="api-portal-tokens"),
    path("portal/tokens/create/", TokenCreateApi.as_view(), name="api-portal-token-create"),
    path("portal/tokens/<int:pk>/revoke/", TokenRevokeApi.as_view(), name="api-portal-token-revoke"),
    path("portal/memberships/", MembershipRequestApi.as_view(), name="api-portal-membership-request"),
    path("portal/companies/<slug:slug>/disclosures/", CompanyVersionsApi.as_view(), name="api-portal-versions"),
    path("portal/companies/<slug:slug>/compare/", VersionCompareApi.as_view(), name="api-portal-compare"),
    path("portal/companies/<slug:slug>/profile/", CompanyProfileUpdateApi.as_view(), name="api-portal-profile"),
    path("portal/findings/<int:pk>/contest/", FindingContestApi.as_view(), name="api-portal-contest"),
    path("review/findings/<int:pk>/override/", FindingOverrideApi.as_view(), name="api-review-override"),
    path("review/contests/<int:pk>/resolve/", ContestResolveApi.as_view(), name="api-review-contest-resolve"),
]

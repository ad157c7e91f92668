"""API: the contractor certification registry.

``GET /registry/verify`` is the lookup (REGISTRY.md §4), open to anyone: anonymous callers see statuses, dates,
gaps and eligibility but never signer details or documents. The public key and the proof checker are open too.
Certification actions are for registry staff (and, for submitting, the contractor's own staff); following a
contractor is for procurement officers.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import URLPattern, path
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from disclosures.core import signing
from disclosures.core.certification_rules import RegistryNumberError
from disclosures.models import Certification, Contractor
from disclosures.models.registry import VerificationMethod
from disclosures.selectors import registry as selectors
from disclosures.selectors.roles import user_contractor_ids, user_is_officer, user_is_registry_staff
from disclosures.services import registry as services
from disclosures.services.watchlists import watchlist_follow, watchlist_unfollow

ErrorSerializer = inline_serializer("RegistryError", fields={"detail": serializers.CharField()})


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


# --- Output shapes shared by the lookup -----------------------------------------------------------------------


class SignerSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    signed_date = serializers.DateField(allow_null=True)
    under_penalty_of_perjury = serializers.BooleanField()
    access_cooperation = serializers.BooleanField()
    verified_by = serializers.CharField()


class CertificationOutSerializer(serializers.Serializer):
    number = serializers.CharField()
    type = serializers.CharField(source="cert_type")
    type_label = serializers.CharField(source="cert_type_label")
    voluntary = serializers.BooleanField(
        help_text="Recruitment commitments are voluntary until a setting requires them."
    )
    status = serializers.CharField(help_text="Status as of the lookup's as_of date.")
    status_label = serializers.CharField()
    status_reason = serializers.CharField()
    effective_from = serializers.DateField(allow_null=True)
    effective_to = serializers.DateField(allow_null=True)
    days_to_expiry = serializers.IntegerField(allow_null=True)
    form_revision = serializers.CharField()
    stale_form = serializers.BooleanField()
    verification_method = serializers.CharField()
    superseded_by = serializers.CharField()
    signer = SignerSerializer(allow_null=True, help_text="Officers, registry staff and the contractor only.")
    document_sha256 = serializers.CharField(
        allow_null=True, help_text="Officers, registry staff and the contractor only."
    )
    proof_url = serializers.CharField()


class GapSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    certification = serializers.CharField()


class ContractOutSerializer(serializers.Serializer):
    number = serializers.CharField()
    agency = serializers.CharField()
    is_solicitation = serializers.BooleanField()
    category = serializers.CharField()
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    amended = serializers.BooleanField()
    section_6108_applies = serializers.BooleanField()
    applicability = serializers.CharField()
    applicability_text = serializers.CharField()
    certifications = CertificationOutSerializer(many=True)
    gaps = GapSerializer(many=True)


class SanctionOutSerializer(serializers.Serializer):
    kind = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    in_force = serializers.BooleanField()
    authority = serializers.CharField()
    hearing_reference = serializers.CharField()
    penalty_amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    contract_number = serializers.CharField()


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField(help_text="False while the contractor is removed from the bidders list.")
    bidders_list_removal_until = serializers.DateField(allow_null=True)
    active_sanctions = SanctionOutSerializer(many=True)
    past_sanctions = SanctionOutSerializer(many=True)


class ContractorOutSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    other_names = serializers.ListField(child=serializers.CharField())
    sos_number = serializers.CharField()
    supplier_id = serializers.CharField()
    website = serializers.CharField()


class MatchSerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=["registry_number", "sos_number", "supplier_id", "name"])
    confidence = serializers.IntegerField(min_value=0, max_value=100)
    matched_text = serializers.CharField()


class CandidateSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    confidence = serializers.IntegerField()


class ProofOutSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    as_of = serializers.DateField()
    checked_at = serializers.CharField()
    key_id = serializers.CharField()
    signature = serializers.CharField(help_text="Ed25519 over the canonical JSON payload, base64url.")
    payload = serializers.CharField()
    text = serializers.CharField(help_text="The printable block that verify_proof and /registry/verify-proof/ read.")


def _proof_data(result: selectors.LookupResult) -> dict[str, Any] | None:
    focus = result.certification
    if focus is None:
        return None
    proof = services.registry_proof_sign(
        number=focus.number, status=focus.status, as_of=result.as_of, checked_at=result.checked_at
    )
    return {
        "number": proof.number,
        "status": proof.status,
        "as_of": proof.as_of,
        "checked_at": signing.checked_at_text(proof.checked_at),
        "key_id": proof.key_id,
        "signature": proof.signature,
        "payload": proof.payload().decode("ascii"),
        "text": signing.proof_format(proof),
    }


# --- Lookup ---------------------------------------------------------------------------------------------------


class RegistryVerifyApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "RegistryVerifyInput"

        number = serializers.CharField(required=False, allow_blank=True, max_length=60)
        contractor = serializers.CharField(required=False, allow_blank=True, max_length=200)
        sos_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
        supplier_id = serializers.CharField(required=False, allow_blank=True, max_length=40)
        name = serializers.CharField(required=False, allow_blank=True, max_length=200)
        contract = serializers.CharField(required=False, allow_blank=True, max_length=60)
        as_of = serializers.DateField(required=False, allow_null=True)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if not any(attrs.get(key) for key in ("number", "contractor", "sos_number", "supplier_id", "name")):
                raise serializers.ValidationError(
                    "Give number= (a registry number) or contractor= (a name, Secretary of State number or "
                    "supplier id)."
                )
            return attrs

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "RegistryVerifyOutput"

        contractor = ContractorOutSerializer()
        matched_by = serializers.CharField(source="match.by")
        confidence = serializers.IntegerField(source="match.confidence")
        match = MatchSerializer()
        alternatives = CandidateSerializer(many=True)
        as_of = serializers.DateField()
        checked_at = serializers.DateTimeField()
        contract_query = serializers.CharField()
        contract_found = serializers.BooleanField()
        certification = CertificationOutSerializer(allow_null=True, help_text="The certification asked for by number.")
        contracts = ContractOutSerializer(many=True)
        gaps = GapSerializer(many=True)
        eligibility = EligibilitySerializer()
        caveats = serializers.ListField(child=serializers.CharField())
        proof = ProofOutSerializer(allow_null=True, help_text="A signed proof, when looked up by registry number.")

    @extend_schema(
        operation_id="registry_verify",
        summary="Check a contractor's certifications",
        description=(
            "Look up by registry number (`number=`) or by contractor (`contractor=`: name, Secretary of State "
            "number or supplier id; also `sos_number=`, `supplier_id=`, `name=`), optionally a contract or "
            "solicitation number and an `as_of` date (default: today in California). Anonymous callers never see "
            "signer details or document hashes. Every lookup is written to the audit log."
        ),
        parameters=[InputSerializer],
        responses={
            200: OutputSerializer,
            400: _error("Malformed registry number, bad check digit, bad as_of date or no query."),
            404: _error("No certification with that number, or no contractor matches."),
        },
        examples=[
            OpenApiExample(
                "Bad check digit",
                value={"detail": "The check character of CSR-2026-000123-8 does not match the rest of the number."},
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    def get(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        query = selectors.LookupQuery(
            **{key: value or "" for key, value in serializer.validated_data.items() if key != "as_of"},
            as_of=serializer.validated_data.get("as_of"),
        )
        try:
            result = selectors.registry_lookup(query=query, user=request.user, channel="api")
        except RegistryNumberError as exc:
            raise exceptions.ValidationError({"detail": f"{exc.code}: {exc.reason}"}) from exc
        except selectors.LookupNotFoundError as exc:
            raise exceptions.NotFound(exc.reason) from exc
        data = self.OutputSerializer(result).data
        data["proof"] = ProofOutSerializer(_proof_data(result)).data if result.certification else None
        return Response(data)


# --- Keys and proofs ------------------------------------------------------------------------------------------


class RegistryPublicKeyApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "RegistryPublicKeyOutput"

        algorithm = serializers.CharField()
        key_id = serializers.CharField()
        public_key_pem = serializers.CharField()
        keys = serializers.ListField(child=serializers.DictField(), help_text="Every key id the site signs with.")

    @extend_schema(
        operation_id="registry_public_key",
        summary="The public key registry proofs are signed with",
        description="Ed25519 public key (PEM) and its key id; the same as /registry/public-key.",
        responses={200: OutputSerializer},
    )
    def get(self, request: Request) -> Response:
        keys = services.registry_public_keys()
        listed = [{"key_id": key_id, "public_key_pem": signing.public_key_pem(raw)} for key_id, raw in keys.items()]
        data = {"algorithm": "Ed25519", **listed[0], "keys": listed}
        return Response(self.OutputSerializer(data).data)


class RegistryProofCheckApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "RegistryProofCheckInput"

        proof = serializers.CharField(max_length=5000, help_text="The proof text block, as printed.")

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "RegistryProofCheckOutput"

        result = serializers.ChoiceField(choices=["valid", "tampered", "unknown_key", "malformed"])
        valid = serializers.BooleanField()
        detail = serializers.CharField()
        number = serializers.CharField(allow_null=True)
        status = serializers.CharField(allow_null=True)
        as_of = serializers.DateField(allow_null=True)

    @extend_schema(
        operation_id="registry_proof_check",
        summary="Check a printed proof's signature",
        description="Offline check: no lookup is made; the answer only says whether the printed fields are signed.",
        request=InputSerializer,
        responses={200: OutputSerializer, 400: _error("No proof text given.")},
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            parsed = signing.proof_parse(serializer.validated_data["proof"])
        except signing.ProofError as exc:
            data = {
                "result": "malformed",
                "valid": False,
                "detail": exc.reason,
                "number": None,
                "status": None,
                "as_of": None,
            }
            return Response(self.OutputSerializer(data).data)
        check = signing.proof_check(parsed, services.registry_public_keys())
        data = {
            "result": check.result,
            "valid": check.is_valid,
            "detail": check.reason,
            "number": parsed.number,
            "status": parsed.status,
            "as_of": parsed.as_of,
        }
        return Response(self.OutputSerializer(data).data)


# --- Certification actions ------------------------------------------------------------------------------------


class CertificationStateSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    status_reason = serializers.CharField()
    effective_from = serializers.DateField(allow_null=True)
    effective_to = serializers.DateField(allow_null=True)
    verification_method = serializers.CharField()


def _certification_or_404(number: str) -> Certification:
    certification = selectors.certification_get(number=number)
    if certification is None:
        raise exceptions.NotFound("No certification has that registry number.")
    return certification


def _require(request: Request, allowed: bool, message: str) -> None:
    if not request.user or not request.user.is_authenticated:
        raise exceptions.NotAuthenticated()
    if not allowed:
        raise exceptions.PermissionDenied(message)


class _StaffActionApi(APIView):
    """Base for registry-staff actions: POST with a reason, answer with the new state."""

    action_description = ""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "RegistryStaffActionInput"

        reason = serializers.CharField(max_length=1000)

    OutputSerializer = CertificationStateSerializer

    def perform(self, certification: Certification, data: dict[str, Any], request: Request) -> None:
        raise NotImplementedError

    def post(self, request: Request, number: str) -> Response:
        _require(request, user_is_registry_staff(request.user), "Registry staff only.")
        certification = _certification_or_404(number)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            self.perform(certification, serializer.validated_data, request)
        except ValidationError as exc:
            raise exceptions.ValidationError({"detail": " ".join(exc.messages)}) from exc
        return Response(self.OutputSerializer(certification).data)


def _staff_schema(operation_id: str, summary: str, request_serializer: type[serializers.Serializer]) -> Any:
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=f"{summary}. Registry staff only; the change and the reason go to the audit log.",
        request=request_serializer,
        responses={
            200: CertificationStateSerializer,
            400: _error("Missing reason, or a status change the registry does not allow."),
            401: _error("Not signed in."),
            403: _error("Not registry staff."),
            404: _error("No certification with that number."),
        },
    )


class CertificationVerifyApi(_StaffActionApi):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "RegistryCertificationVerifyInput"

        method = serializers.ChoiceField(choices=VerificationMethod.choices)

    def perform(self, certification: Certification, data: dict[str, Any], request: Request) -> None:
        services.certification_verify(
            certification=certification,
            method=data["method"],
            verified_by=request.user,
            today=selectors.registry_today(),
        )

    @_staff_schema("registry_certification_verify", "Verify a submitted certification", InputSerializer)
    def post(self, request: Request, number: str) -> Response:
        return super().post(request, number)


class CertificationRejectApi(_StaffActionApi):
    def perform(self, certification: Certification, data: dict[str, Any], request: Request) -> None:
        services.certification_reject(certification=certification, reason=data["reason"], actor=request.user)

    @_staff_schema("registry_certification_reject", "Reject a submitted certification", _StaffActionApi.InputSerializer)
    def post(self, request: Request, number: str) -> Response:
        return super().post(request, number)


class CertificationSuspendApi(_StaffActionApi):
    def perform(self, certification: Certification, data: dict[str, Any], request: Request) -> None:
        services.certification_suspend(certification=certification, reason=data["reason"], actor=request.user)

    @_staff_schema("registry_certification_suspend", "Suspend an active certification", _StaffActionApi.InputSerializer)
    def post(self, request: Request, number: str) -> Response:
        return super().post(request, number)


class CertificationReinstateApi(_StaffActionApi):
    def perform(self, certification: Certification, data: dict[str, Any], request: Request) -> None:
        services.certification_reinstate(
            certification=certification, reason=data["reason"], actor=request.user, today=selectors.registry_today()
        )

    @_staff_schema(
        "registry_certification_reinstate", "Reinstate a suspended certification", _StaffActionApi.InputSerializer
    )
    def post(self, request: Request, number: str) -> Response:
        return super().post(request, number)


class CertificationRevokeApi(_StaffActionApi):
    def perform(self, certification: Certification, data: dict[str, Any], request: Request) -> None:
        services.certification_revoke(certification=certification, reason=data["reason"], actor=request.user)

    @_staff_schema("registry_certification_revoke", "Revoke a certification", _StaffActionApi.InputSerializer)
    def post(self, request: Request, number: str) -> Response:
        return super().post(request, number)


class CertificationSubmitApi(APIView):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "RegistryCertificationSubmitInput"

    OutputSerializer = CertificationStateSerializer

    @extend_schema(
        operation_id="registry_certification_submit",
        summary="Submit a draft certification",
        description="The contractor's own staff submit a complete draft (document, signer, date, perjury flag).",
        request=None,
        responses={
            200: CertificationStateSerializer,
            400: _error("The draft is incomplete or not a draft."),
            401: _error("Not signed in."),
            403: _error("Not staff of this contractor."),
            404: _error("No certification with that number."),
        },
    )
    def post(self, request: Request, number: str) -> Response:
        certification = _certification_or_404(number)
        _require(
            request,
            certification.contractor_id in user_contractor_ids(request.user),
            "Only the contractor's own staff submit its certifications.",
        )
        try:
            services.certification_submit(certification=certification, actor=request.user)
        except ValidationError as exc:
            raise exceptions.ValidationError({"detail": " ".join(exc.messages)}) from exc
        return Response(self.OutputSerializer(certification).data)


# --- Watchlist ------------------------------------------------------------------------------------------------


class WatchlistEntryApi(APIView):
    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "RegistryWatchlistEntryOutput"

        contractor = serializers.CharField()
        following = serializers.BooleanField()

    def _contractor(self, request: Request, slug: str) -> Contractor:
        _require(request, user_is_officer(request.user), "Procurement officers only.")
        contractor = selectors.contractor_get(slug=slug)
        if contractor is None:
            raise exceptions.NotFound("No such contractor.")
        return contractor

    @extend_schema(
        operation_id="registry_watchlist_follow",
        summary="Follow a contractor",
        description="Procurement officers are notified of expiries, suspensions, revocations and sanctions.",
        request=None,
        responses={
            200: OutputSerializer,
            401: _error("Not signed in."),
            403: _error("Not a procurement officer."),
            404: _error("No such contractor."),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        contractor = self._contractor(request, slug)
        watchlist_follow(user=request.user, contractor=contractor)
        return Response(self.OutputSerializer({"contractor": contractor.slug, "following": True}).data)

    @extend_schema(
        operation_id="registry_watchlist_unfollow",
        summary="Stop following a contractor",
        description="Removes the contractor from the officer's watchlist.",
        request=None,
        responses={
            200: OutputSerializer,
            401: _error("Not signed in."),
            403: _error("Not a procurement officer."),
            404: _error("No such contractor."),
        },
    )
    def delete(self, request: Request, slug: str) -> Response:
        contractor = self._contractor(request, slug)
        watchlist_unfollow(user=request.user, contractor=contractor)
        return Response(self.OutputSerializer({"contractor": contractor.slug, "following": False}).data)


urlpatterns: list[URLPattern] = [
    path("registry/verify", RegistryVerifyApi.as_view(), name="api-registry-verify"),
    path("registry/public-key", RegistryPublicKeyApi.as_view(), name="api-registry-public-key"),
    path("registry/verify-proof", RegistryProofCheckApi.as_view(), name="api-registry-verify-proof"),
    path(
        "registry/certifications/<str:number>/verify",
        CertificationVerifyApi.as_view(),
        name="api-registry-certification-verify",
    ),
    path(
        "registry/certifications/<str:number>/reject",
        CertificationRejectApi.as_view(),
        name="api-registry-certification-reject",
    ),
    path(
        "registry/certifications/<str:number>/suspend",
        CertificationSuspendApi.as_view(),
        name="api-registry-certification-suspend",
    ),
    path(
        "registry/certifications/<str:number>/reinstate",
        CertificationReinstateApi.as_view(),
        name="api-registry-certification-reinstate",
    ),
    path(
        "registry/certifications/<str:number>/revoke",
        CertificationRevokeApi.as_view(),
        name="api-registry-certification-revoke",
    ),
    path(
        "registry/certifications/<str:number>/submit",
        CertificationSubmitApi.as_view(),
        name="api-registry-certification-submit",
    ),
    path("registry/watchlist/<slug:slug>", WatchlistEntryApi.as_view(), name="api-registry-watchlist"),
]

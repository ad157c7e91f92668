"""The registry API: lookup answers and errors, keys and proofs, staff actions, and the role matrix."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.urls import include, path, reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from disclosures.api import registry as registry_api
from disclosures.core import signing
from disclosures.core.certification_rules import registry_number_make
from disclosures.models import Certification, WatchlistEntry
from disclosures.services import registry as services
from tests.integration.registry_support import make_certification, make_contract, make_draft

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "shopper", "officer", "own_staff", "other_staff", "registry_staff", "superuser")
VERIFY = "/api/v1/registry/verify"


def api(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


# --- Lookup ---------------------------------------------------------------------------------------------------


def test_it_answers_with_the_registry_fields(active: Certification) -> None:
    response = api().get(VERIFY, {"number": active.number, "as_of": "2026-03-02"})
    data = response.json()
    assert response.status_code == 200
    assert set(data) >= {
        "contractor",
        "matched_by",
        "confidence",
        "contracts",
        "gaps",
        "eligibility",
        "caveats",
        "checked_at",
        "as_of",
        "certification",
        "proof",
    }
    assert (data["matched_by"], data["confidence"], data["as_of"]) == ("registry_number", 100, "2026-03-02")
    certification = data["contracts"][0]["certifications"][0]
    assert (certification["status"], certification["form_revision"]) == ("active", "CCC 04/2017")
    assert data["contracts"][0]["section_6108_applies"] is True
    assert [gap["code"] for gap in data["gaps"]] == ["missing_sweatfree"]
    assert data["eligibility"]["eligible"] is True
    assert any("penalty of perjury" in caveat for caveat in data["caveats"])


def test_anonymous_callers_never_see_signers_or_documents(active: Certification) -> None:
    data = api().get(VERIFY, {"number": active.number}).json()
    assert (data["certification"]["signer"], data["certification"]["document_sha256"]) == (None, None)
    assert "Pat Signer" not in str(data)


def test_officers_see_the_signer_and_document_hash(active: Certification, officer: Any) -> None:
    data = api(officer).get(VERIFY, {"number": active.number}).json()
    assert data["certification"]["signer"]["name"] == "Pat Signer"
    assert data["certification"]["document_sha256"] == active.document_sha256


def test_the_proof_in_the_answer_verifies_against_the_published_key(active: Certification) -> None:
    proof = api().get(VERIFY, {"number": active.number}).json()["proof"]
    key = api().get("/api/v1/registry/public-key").json()
    assert proof["key_id"] == key["key_id"]
    parsed = signing.proof_parse(proof["text"])
    public = signing.public_key_from_pem(key["public_key_pem"])
    assert signing.proof_check(parsed, {key["key_id"]: public}).is_valid


def test_it_looks_up_by_contractor_name_with_confidence(active: Certification) -> None:
    data = api().get(VERIFY, {"contractor": "Golden Bear Uniform", "contract": active.contract.number}).json()
    assert data["matched_by"] == "name"
    assert 70 <= data["confidence"] <= 100
    assert data["proof"] is None


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"number": "CSR-2026-1"}, 400, "malformed"),
        ({"number": registry_number_make(2026, 1)[:-1] + "Z"}, 400, "malformed"),
        ({}, 400, "number="),
        ({"number": registry_number_make(2026, 777)}, 404, "No certification"),
        ({"contractor": "Nothing Like It Whatsoever"}, 404, "No contractor"),
    ],
)
def test_bad_or_unknown_queries_get_a_json_detail(active: Certification, params: dict, status: int, words: str) -> None:
    response = api().get(VERIFY, params)
    assert response.status_code == status
    assert words in response.json()["detail"]


def test_a_bad_check_digit_is_a_400_naming_the_problem(active: Certification) -> None:
    wrong = active.number[:-1] + ("0" if active.number[-1] != "0" else "1")
    response = api().get(VERIFY, {"number": wrong})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("bad_check_digit:")


def test_a_bad_as_of_is_a_400(active: Certification) -> None:
    response = api().get(VERIFY, {"number": active.number, "as_of": "next tuesday"})
    assert response.status_code == 400
    assert "as_of" in response.json()["detail"]


def test_as_of_after_expiry_says_expired(active: Certification) -> None:
    data = api().get(VERIFY, {"number": active.number, "as_of": "2027-01-01"}).json()
    assert data["certification"]["status"] == "expired"


# --- Proof checking -------------------------------------------------------------------------------------------


def test_the_proof_checker_answers_valid_tampered_unknown_and_malformed(active: Certification) -> None:
    text = api().get(VERIFY, {"number": active.number}).json()["proof"]["text"]
    url = "/api/v1/registry/verify-proof"
    assert api().post(url, {"proof": text}, format="json").json()["result"] == "valid"
    tampered = text.replace("status: active", "status: suspended")
    assert api().post(url, {"proof": tampered}, format="json").json()["result"] == "tampered"
    foreign = signing.proof_format(
        signing.proof_make(
            private_key=signing.private_key_from_seed(b"\x09" * 32),
            number=active.number,
            status="active",
            as_of=date(2026, 3, 2),
            checked_at=datetime(2026, 3, 2, tzinfo=UTC),
        )
    )
    assert api().post(url, {"proof": foreign}, format="json").json()["result"] == "unknown_key"
    assert api().post(url, {"proof": "junk"}, format="json").json()["result"] == "malformed"
    assert api().post(url, {}, format="json").status_code == 400


# --- Actions --------------------------------------------------------------------------------------------------


def test_registry_staff_verify_through_the_api(contractor: Any, registry_staff: Any) -> None:
    certification = make_certification(make_contract(contractor), "submitted")
    url = f"/api/v1/registry/certifications/{certification.number}/verify"
    response = api(registry_staff).post(url, {"method": "agency_confirmed"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["verification_method"]) == ("active", "agency_confirmed")


def test_a_refused_transition_is_a_400_with_a_detail(active: Certification, registry_staff: Any) -> None:
    url = f"/api/v1/registry/certifications/{active.number}/reject"
    response = api(registry_staff).post(url, {"reason": "late"}, format="json")
    assert response.status_code == 400
    assert "cannot go from Active to Rejected" in response.json()["detail"]


def test_an_action_without_a_reason_is_a_400(active: Certification, registry_staff: Any) -> None:
    response = api(registry_staff).post(f"/api/v1/registry/certifications/{active.number}/suspend", {}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()["detail"]


def test_an_action_on_an_unknown_number_is_a_404(registry_staff: Any) -> None:
    number = registry_number_make(2026, 31337)
    response = api(registry_staff).post(f"/api/v1/registry/certifications/{number}/revoke", {"reason": "x"})
    assert response.status_code == 404


# --- Role matrix ----------------------------------------------------------------------------------------------

STAFF = (401, 403, 403, 403, 403, 200, 200)
OWN = (401, 403, 403, 200, 403, 403, 403)
OFFICERS = (401, 403, 200, 403, 403, 200, 200)
OPEN = (200,) * 7

API_CASES = [
    ("get", "verify", OPEN),
    ("get", "public-key", OPEN),
    ("post", "verify-proof", OPEN),
    ("post", "suspend", STAFF),
    ("post", "revoke", STAFF),
    ("post", "reinstate", STAFF),
    ("post", "verify-action", STAFF),
    ("post", "reject", STAFF),
    ("post", "submit", OWN),
    ("post", "follow", OFFICERS),
    ("delete", "unfollow", OFFICERS),
]


def _request(
    case: str, active: Certification, suspended: Certification, submitted: Certification, draft: Certification
) -> tuple[str, dict]:
    slug = active.contractor.slug
    certifications = "/api/v1/registry/certifications"
    return {
        "verify": (VERIFY, {"number": active.number}),
        "public-key": ("/api/v1/registry/public-key", {}),
        "verify-proof": ("/api/v1/registry/verify-proof", {"proof": "anything"}),
        "suspend": (f"{certifications}/{active.number}/suspend", {"reason": "r"}),
        "revoke": (f"{certifications}/{active.number}/revoke", {"reason": "r"}),
        "reinstate": (f"{certifications}/{suspended.number}/reinstate", {"reason": "r"}),
        "verify-action": (f"{certifications}/{submitted.number}/verify", {"method": "document_reviewed"}),
        "reject": (f"{certifications}/{submitted.number}/reject", {"reason": "r"}),
        "submit": (f"{certifications}/{draft.number}/submit", {}),
        "follow": (f"/api/v1/registry/watchlist/{slug}", {}),
        "unfollow": (f"/api/v1/registry/watchlist/{slug}", {}),
    }[case]


@pytest.mark.parametrize("case", API_CASES, ids=[f"{c[0]}-{c[1]}" for c in API_CASES])
@pytest.mark.parametrize("role", ROLES)
def test_the_api_role_matrix(case: tuple, role: str, cast: dict[str, Any], active: Certification) -> None:
    method, name, expected_row = case
    suspended = make_certification(make_contract(active.contractor), "suspended")
    submitted = make_certification(make_contract(active.contractor), "submitted")
    draft = make_draft(make_contract(active.contractor))
    url, data = _request(name, active, suspended, submitted, draft)
    client = api(cast[role])
    response = client.get(url, data) if method == "get" else getattr(client, method)(url, data, format="json")
    assert response.status_code == expected_row[ROLES.index(role)], (role, name, response.content)
    assert "detail" in response.json() or response.status_code == 200


def test_following_through_the_api_adds_to_the_watchlist(officer: Any, active: Certification) -> None:
    api(officer).post(f"/api/v1/registry/watchlist/{active.contractor.slug}")
    assert WatchlistEntry.objects.filter(user=officer).count() == 1
    api(officer).delete(f"/api/v1/registry/watchlist/{active.contractor.slug}")
    assert WatchlistEntry.objects.count() == 0


def test_the_public_key_api_matches_the_service() -> None:
    data = api().get("/api/v1/registry/public-key").json()
    assert data["algorithm"] == "Ed25519"
    assert [data["key_id"]] == list(services.registry_public_keys())


def test_the_registry_openapi_schema_generates_without_warnings() -> None:
    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/", include(registry_api.urlpatterns))])
    schema = generator.get_schema(request=None, public=True)
    assert "/api/v1/registry/verify" in schema["paths"]
    assert not GENERATOR_STATS._warn_cache, dict(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, dict(GENERATOR_STATS._error_cache)


def test_reverse_names_exist() -> None:
    assert reverse("api-registry-verify") == VERIFY

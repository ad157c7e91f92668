"""Registry pages: what each renders, and the role matrix for every page (anonymous to superuser)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from disclosures.core import signing
from disclosures.core.certification_rules import registry_number_make
from disclosures.models import Certification, Sanction, WatchlistEntry
from disclosures.services import registry as services
from tests.integration.registry_support import make_certification, make_contract, make_draft, pdf

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "shopper", "officer", "own_staff", "other_staff", "registry_staff", "superuser")


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- What the public pages show -------------------------------------------------------------------------------


def test_the_lookup_page_works_without_javascript(client: Client, active: Certification) -> None:
    response = client.get(reverse("registry:lookup"), {"q": active.number})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Golden Bear Uniforms LLC" in body
    assert "Active" in body
    assert "penalty of perjury" in body
    assert "Pat Signer" not in body


def test_the_lookup_page_explains_a_bad_check_digit(client: Client, active: Certification) -> None:
    wrong = active.number[:-1] + ("0" if active.number[-1] != "0" else "1")
    response = client.get(reverse("registry:lookup"), {"q": wrong, "by": "number"})
    assert response.status_code == 400
    assert "check character" in response.content.decode()


def test_the_lookup_page_says_not_found(client: Client) -> None:
    response = client.get(reverse("registry:lookup"), {"q": "Nobody Whatsoever Ltd", "by": "name"})
    assert response.status_code == 404
    assert "Not found" in response.content.decode()


def test_the_lookup_page_shows_name_match_confidence(client: Client, active: Certification) -> None:
    response = client.get(reverse("registry:lookup"), {"q": "golden bear uniform", "by": "name"})
    assert re.search(r"with \d+% confidence", response.content.decode())


def test_the_proof_page_has_status_qr_short_url_and_a_valid_signature(client: Client, active: Certification) -> None:
    response = client.get(reverse("registry:proof", kwargs={"number": active.number}), {"as_of": "2026-03-02"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/svg+xml' in body
    assert f"/registry/{active.number}/" in body
    assert "style=" not in body
    assert "<script>" not in body
    block = re.search(r"-----BEGIN REGISTRY PROOF-----.*?-----END REGISTRY PROOF-----", body, re.S).group(0)
    proof = signing.proof_parse(block)
    assert (proof.number, proof.status, proof.as_of.isoformat()) == (active.number, "active", "2026-03-02")
    assert signing.proof_check(proof, services.registry_public_keys()).is_valid
    assert "penalty of perjury" in body


def test_the_proof_page_shows_the_signer_to_officers_only(client: Client, officer: Any, active: Certification) -> None:
    url = reverse("registry:proof", kwargs={"number": active.number})
    assert "Pat Signer" not in client.get(url).content.decode()
    assert "Pat Signer" in client_for(officer).get(url).content.decode()


def test_the_proof_page_redirects_a_loosely_typed_number(client: Client, active: Certification) -> None:
    loose = active.number.lower().replace("-", "")
    response = client.get(reverse("registry:proof", kwargs={"number": loose}))
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:proof", kwargs={"number": active.number})


def _bad_check(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


@pytest.mark.parametrize("number", ["CSR-2026-12", _bad_check(registry_number_make(2026, 5))])
def test_the_proof_page_refuses_malformed_and_mistyped_numbers(client: Client, number: str) -> None:
    response = client.get(reverse("registry:proof", kwargs={"number": number}))
    assert response.status_code == 400
    assert "CSR-" in response.content.decode()


def test_the_proof_page_404s_an_unknown_number(client: Client) -> None:
    number = registry_number_make(2026, 424242)
    assert client.get(reverse("registry:proof", kwargs={"number": number})).status_code == 404


def test_the_proof_page_refuses_a_bad_as_of(client: Client, active: Certification) -> None:
    url = reverse("registry:proof", kwargs={"number": active.number})
    assert client.get(url, {"as_of": "yesterday"}).status_code == 400


def test_the_public_key_is_pem_with_its_key_id(client: Client) -> None:
    response = client.get(reverse("registry:public_key"))
    body = response.content.decode()
    key_id = next(iter(services.registry_public_keys()))
    assert response["Content-Type"].startswith("text/plain")
    assert f"Key-Id: {key_id}" in body
    pem = body[: body.index("-----END PUBLIC KEY-----") + len("-----END PUBLIC KEY-----")]
    assert signing.key_id(signing.public_key_from_pem(pem)) == key_id


def _signed_block(client: Client, certification: Certification) -> str:
    body = client.get(reverse("registry:proof", kwargs={"number": certification.number})).content.decode()
    return re.search(r"-----BEGIN REGISTRY PROOF-----.*?-----END REGISTRY PROOF-----", body, re.S).group(0)


def test_the_proof_checker_page_says_valid_tampered_or_unknown_key(client: Client, active: Certification) -> None:
    block = _signed_block(client, active)
    url = reverse("registry:verify_proof")
    assert "Valid." in client.post(url, {"proof": block}).content.decode()
    assert (
        "Tampered." in client.post(url, {"proof": block.replace("status: active", "status: revoked")}).content.decode()
    )
    foreign = signing.proof_format(
        signing.proof_make(
            private_key=signing.private_key_from_seed(b"\x07" * 32),
            number=active.number,
            status="active",
            as_of=date(2026, 3, 2),
            checked_at=datetime(2026, 3, 2, tzinfo=UTC),
        )
    )
    assert "Unknown key." in client.post(url, {"proof": foreign}).content.decode()
    assert "Cannot read this proof." in client.post(url, {"proof": "hello"}).content.decode()


# --- Contractor staff flow ------------------------------------------------------------------------------------


def test_contractor_staff_create_upload_and_submit(contractor: Any, contractor_staff: Any) -> None:
    contract = make_contract(contractor)
    client = client_for(contractor_staff)
    data = {
        "cert_type": "pcc6108",
        "contract": contract.pk,
        "form_revision": "CCC 04/2017",
        "signer_name": "Pat Signer",
        "signed_date": "2026-02-01",
        "under_penalty_of_perjury": "on",
        "access_cooperation": "on",
        "document": pdf("upload"),
    }
    response = client.post(reverse("registry:certification_new", kwargs={"slug": contractor.slug}), data)
    certification = Certification.objects.get()
    assert response.status_code == 302
    assert certification.document_sha256
    client.post(reverse("registry:certification_submit", kwargs={"number": certification.number}))
    certification.refresh_from_db()
    assert certification.status == "submitted"


def test_the_staff_page_verifies_a_submitted_certification(registry_staff: Any, contractor: Any) -> None:
    certification = make_certification(make_contract(contractor), "submitted")
    client = client_for(registry_staff)
    page = client.get(reverse("registry:staff_certification", kwargs={"number": certification.number}))
    assert "Verify" in page.content.decode()
    url = reverse("registry:staff_action", kwargs={"number": certification.number, "action": "verify"})
    client.post(url, {"verify-method": "document_reviewed"})
    certification.refresh_from_db()
    assert (certification.status, certification.verified_by) == ("active", registry_staff)


def test_a_refused_staff_action_is_explained_not_an_error(registry_staff: Any, active: Certification) -> None:
    url = reverse("registry:staff_action", kwargs={"number": active.number, "action": "reject"})
    response = client_for(registry_staff).post(url, {"reason": "no"}, follow=True)
    assert "cannot go from Active to Rejected" in response.content.decode()


def test_the_sanction_form_enforces_the_360_day_limit(registry_staff: Any, contractor: Any) -> None:
    url = reverse("registry:staff_sanction", kwargs={"slug": contractor.slug})
    data = {"kind": "bidders_list_removal", "start_date": "2026-01-01", "end_date": "2027-01-01", "authority": "DGS"}
    response = client_for(registry_staff).post(url, data)
    assert response.status_code == 400
    assert "360 days" in response.content.decode()
    assert not Sanction.objects.exists()


def test_officers_follow_and_unfollow_from_the_lookup(officer: Any, active: Certification, contractor: Any) -> None:
    client = client_for(officer)
    lookup_url = reverse("registry:lookup") + f"?q={active.number}"
    assert "Follow this contractor" in client.get(lookup_url).content.decode()
    client.post(reverse("registry:follow", kwargs={"slug": contractor.slug}), {"next": lookup_url})
    assert WatchlistEntry.objects.filter(user=officer, contractor=contractor).exists()
    assert contractor.legal_name in client.get(reverse("registry:watchlist")).content.decode()
    client.post(reverse("registry:unfollow", kwargs={"slug": contractor.slug}))
    assert not WatchlistEntry.objects.exists()


# --- The role matrix ------------------------------------------------------------------------------------------
# Expected status per role, in ROLES order. 302 for anonymous means "sent to sign in".

PUBLIC = (200,) * 7
OWN_ONLY = (302, 403, 403, "ok", 403, 403, 403)
DETAIL = (302, 403, 200, 200, 403, 200, 200)
STAFF = (302, 403, 403, 403, 403, "ok", "ok")
OFFICERS = (302, 403, "ok", 403, 403, "ok", "ok")


PAGE_CASES = [
    # (method, url name, kwargs key, data, expected per role)
    ("get", "registry:lookup", None, "q", PUBLIC),
    ("get", "registry:proof", "number", None, PUBLIC),
    ("get", "registry:public_key", None, None, PUBLIC),
    ("get", "registry:verify_proof", None, None, PUBLIC),
    ("post", "registry:verify_proof", None, "proof", PUBLIC),
    ("get", "registry:contractor_home", None, None, (302, 403, 403, 200, 200, 403, 403)),
    ("get", "registry:certification_new", "slug", None, (302, 403, 403, 200, 403, 403, 403)),
    ("get", "registry:certification_edit", "number", None, (302, 403, 403, 200, 403, 403, 403)),
    ("post", "registry:certification_submit", "draft_number", None, OWN_ONLY),
    ("post", "registry:certification_reopen", "number", None, OWN_ONLY),
    ("get", "registry:certification_document", "number", None, DETAIL),
    ("get", "registry:staff_queue", None, None, STAFF),
    ("get", "registry:staff_certification", "number", None, STAFF),
    ("post", "registry:staff_action", "suspend", "reason", STAFF),
    ("get", "registry:staff_sanction", "slug", None, STAFF),
    ("get", "registry:staff_amend", "pk", None, STAFF),
    ("get", "registry:watchlist", None, None, OFFICERS),
    ("post", "registry:follow", "slug", None, OFFICERS),
    ("post", "registry:unfollow", "slug", None, OFFICERS),
]


def _kwargs(key: str | None, certification: Certification, draft: Certification) -> dict[str, Any]:
    return {
        None: {},
        "number": {"number": certification.number},
        "draft_number": {"number": draft.number},
        "slug": {"slug": certification.contractor.slug},
        "pk": {"pk": certification.contract_id},
        "suspend": {"number": certification.number, "action": "suspend"},
    }[key]


def _data(key: str | None, certification: Certification) -> dict[str, str]:
    return {None: {}, "q": {"q": certification.number}, "proof": {"proof": "x"}, "reason": {"reason": "Audit."}}[key]


@pytest.mark.parametrize("case", PAGE_CASES, ids=[f"{c[0]}-{c[1]}" for c in PAGE_CASES])
@pytest.mark.parametrize("role", ROLES)
def test_the_role_matrix(case: tuple, role: str, cast: dict[str, Any], active: Certification, contractor: Any) -> None:
    method, name, key, data_key, expected_row = case
    draft = make_draft(active.contract)
    url = reverse(name, kwargs=_kwargs(key, active, draft))
    response = getattr(client_for(cast[role]), method)(url, _data(data_key, active))
    expected = expected_row[ROLES.index(role)]
    if expected == "ok":
        assert response.status_code in {200, 302}, response.status_code
        assert "/accounts/login/" not in response.get("Location", "")
    elif expected == 302:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, (role, name, response.status_code)

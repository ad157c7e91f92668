"""API tokens: created on the portal and shown once, stored hashed, acting as their user, revoked at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from disclosures.api.authentication import token_hash
from disclosures.models import ApiToken, Company, Disclosure
from disclosures.services.tokens import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return api


def test_creating_a_token_on_the_portal_shows_the_key_once_and_stores_only_its_hash(
    client: Client, representative: Any
) -> None:
    client.force_login(representative)

    response = client.post(reverse("portal:token_create"), {"name": "ERP export"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    raw = response.context["raw_key"]
    token = ApiToken.objects.get(user=representative)
    assert token.name == "ERP export"
    assert raw.startswith(token.prefix)
    assert token.key_hash == token_hash(raw)
    assert raw not in token.key_hash
    home = client.get(reverse("portal:home")).content.decode()
    assert raw not in home
    assert token.prefix in home


def test_a_token_acts_as_its_user(representative: Any, company: Company) -> None:
    _token, raw = api_token_create(user=representative, name="ERP")

    response = bearer(raw).get("/api/v1/portal/me/")

    assert response.status_code == 200
    assert response.json()["username"] == "rep"
    assert response.json()["companies"] == [company.slug]
    assert ApiToken.objects.get(user=representative).last_used_at is not None


def test_a_revoked_token_gets_401(client: Client, representative: Any) -> None:
    token, raw = api_token_create(user=representative, name="ERP")
    client.force_login(representative)

    client.post(reverse("portal:token_revoke", kwargs={"pk": token.pk}))

    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    response = bearer(raw).get("/api/v1/portal/me/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_an_unknown_token_gets_401(db: None) -> None:
    assert bearer("sct_not-a-real-token").get("/api/v1/portal/me/").status_code == 401


def test_one_cannot_revoke_someone_elses_token(client: Client, representative: Any, other_representative: Any) -> None:
    token, _raw = api_token_create(user=representative, name="ERP")
    client.force_login(other_representative)

    page = client.post(reverse("portal:token_revoke", kwargs={"pk": token.pk}))
    api = APIClient()
    api.force_authenticate(other_representative)
    via_api = api.post(f"/api/v1/portal/tokens/{token.pk}/revoke/")

    assert page.status_code == via_api.status_code == 404
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, user=other_representative)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_a_plain_account_cannot_create_tokens(client: Client, shopper: Any) -> None:
    client.force_login(shopper)

    response = client.post(reverse("portal:token_create"), {"name": "mine"})

    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_procurement_officers_can_create_tokens(officer: Any) -> None:
    token, raw = api_token_create(user=officer, name="Procurement system")

    assert token.is_active
    assert bearer(raw).get("/api/v1/portal/me/").json()["roles"] == ["officer", "user"]


def test_a_token_name_is_required(client: Client, representative: Any) -> None:
    client.force_login(representative)

    response = client.post(reverse("portal:token_create"), {"name": "  "})

    assert response.status_code == 400
    assert response.context["token_form"].errors["name"]


def test_the_api_creates_tokens_only_from_a_browser_session(representative: Any) -> None:
    _token, raw = api_token_create(user=representative, name="ERP")
    session = APIClient()
    session.force_login(representative)

    with_session = session.post("/api/v1/portal/tokens/create/", {"name": "Second"}, format="json")
    with_token = bearer(raw).post("/api/v1/portal/tokens/create/", {"name": "Minted by a token"}, format="json")

    assert with_session.status_code == 201
    assert with_session.json()["key"].startswith("sct_")
    assert with_token.status_code in {401, 403}
    assert not ApiToken.objects.filter(name="Minted by a token").exists()


def test_the_api_lists_active_tokens_without_keys(representative: Any) -> None:
    _token, raw = api_token_create(user=representative, name="ERP")
    revoked, _ = api_token_create(user=representative, name="Old")
    api_token_revoke(token=revoked, user=representative)

    response = bearer(raw).get("/api/v1/portal/tokens/")

    assert [row["name"] for row in response.json()] == ["ERP"]
    assert "key" not in response.json()[0]
    assert raw not in response.content.decode()


def test_a_representatives_token_submits_for_their_company_and_not_for_another(
    representative: Any, company: Company, other_company: Company, django_capture_on_commit_callbacks: Any
) -> None:
    _token, raw = api_token_create(user=representative, name="ERP")
    text = "We audit all tier one suppliers every year through unannounced third-party audits. " * 3

    with django_capture_on_commit_callbacks(execute=False):
        own = bearer(raw).post(f"/api/v1/companies/{company.slug}/disclosures/", {"text": text}, format="json")
        other = bearer(raw).post(f"/api/v1/companies/{other_company.slug}/disclosures/", {"text": text}, format="json")

    assert own.status_code == 202
    assert own.json()["status"] == "received"
    assert Disclosure.objects.get(pk=own.json()["id"]).company == company
    assert other.status_code == 403
    assert not Disclosure.objects.filter(company=other_company).exists()


def test_a_token_loses_its_power_when_its_user_loses_the_membership(representative: Any, company: Company) -> None:
    _token, raw = api_token_create(user=representative, name="ERP")
    representative.memberships.update(status="rejected")

    response = bearer(raw).get(f"/api/v1/portal/companies/{company.slug}/disclosures/")

    assert response.status_code == 403

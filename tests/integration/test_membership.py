"""Who may act for a company: automatic approval by a *verified* email domain, otherwise a reviewer decides."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from disclosures.models import Membership, Notification
from disclosures.selectors.portal import email_domain_matches_website
from disclosures.selectors.roles import user_can_act_for_company
from disclosures.services.accounts import email_verification_confirm, email_verification_token
from disclosures.services.companies import membership_decide, membership_request
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


def verified_user(email: str) -> object:
    user = UserFactory(username=email, email=email)
    email_verification_confirm(token=email_verification_token(user=user))
    return user


@pytest.mark.parametrize(
    ("email", "website", "matches"),
    [
        ("ana@northwind.example", "https://www.northwind.example/", True),
        ("ana@eu.northwind.example", "https://northwind.example", True),
        ("ana@NORTHWIND.example", "http://northwind.example/about", True),
        ("ana@notnorthwind.example", "https://northwind.example", False),
        ("ana@northwind.example.evil.test", "https://northwind.example", False),
        ("ana@gmail.com", "https://gmail.com", False),
        ("ana@northwind.example", "", False),
    ],
)
def test_email_domains_match_the_website_domain_or_its_subdomains_only(email: str, website: str, matches: bool) -> None:
    assert email_domain_matches_website(email=email, website=website) is matches


def test_a_verified_address_at_the_company_domain_is_approved_at_once(company: object) -> None:
    user = verified_user("ana@northwind-apparel.example")

    membership = membership_request(user=user, company=company)

    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by is None
    assert "domain" in membership.decision_reason
    assert user_can_act_for_company(user, company.pk)


def test_an_unverified_address_at_the_company_domain_never_approves_itself(company: object) -> None:
    user = UserFactory(username="ana", email="ana@northwind-apparel.example")

    membership = membership_request(user=user, company=company)

    assert membership.status == Membership.Status.REQUESTED
    assert not user_can_act_for_company(user, company.pk)


def test_verifying_the_address_later_approves_a_waiting_request_at_the_domain(company: object) -> None:
    user = UserFactory(username="ana", email="ana@northwind-apparel.example")
    other = CompanyFactory(website="https://elsewhere.example")
    membership_request(user=user, company=company)
    membership_request(user=user, company=other)

    email_verification_confirm(token=email_verification_token(user=user))

    assert Membership.objects.get(user=user, company=company).status == Membership.Status.APPROVED
    assert Membership.objects.get(user=user, company=other).status == Membership.Status.REQUESTED


def test_a_verified_address_at_another_domain_waits_for_a_reviewer(company: object) -> None:
    user = verified_user("ana@gmail.com")

    assert membership_request(user=user, company=company).status == Membership.Status.REQUESTED


def test_asking_twice_changes_nothing(company: object) -> None:
    user = UserFactory(username="ana")
    first = membership_request(user=user, company=company, message="Head of sourcing")

    second = membership_request(user=user, company=company, message="again")

    assert first.pk == second.pk
    assert Membership.objects.get(pk=first.pk).message == "Head of sourcing"


def test_a_reviewer_approves_a_request_and_the_user_is_notified(
    company: object, reviewer: object, django_capture_on_commit_callbacks: object
) -> None:
    user = UserFactory(username="ana", email="ana@gmail.com")
    membership = membership_request(user=user, company=company)

    with django_capture_on_commit_callbacks(execute=True):
        membership_decide(membership=membership, decided_by=reviewer, approve=True)

    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by == reviewer
    assert Notification.objects.get(user=user).kind == Notification.Kind.MEMBERSHIP
    assert mail.outbox[0].to == ["ana@gmail.com"]
    assert membership.history.count() == 2  # requested, then approved


def test_declining_needs_a_reason_which_the_user_is_told(
    company: object, reviewer: object, django_capture_on_commit_callbacks: object
) -> None:
    user = UserFactory(username="ana")
    membership = membership_request(user=user, company=company)

    with pytest.raises(ValidationError):
        membership_decide(membership=membership, decided_by=reviewer, approve=False, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        membership_decide(membership=membership, decided_by=reviewer, approve=False, reason="Not on the staff list")

    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.REJECTED
    assert "Not on the staff list" in Notification.objects.get(user=user).message


def test_a_declined_user_may_ask_again_and_the_old_decision_stays_in_history(company: object, reviewer: object) -> None:
    user = UserFactory(username="ana")
    membership = membership_request(user=user, company=company)
    membership_decide(membership=membership, decided_by=reviewer, approve=False, reason="Unknown person")

    again = membership_request(user=user, company=company, message="I am the CFO")

    assert again.status == Membership.Status.REQUESTED
    assert again.decision_reason == ""
    assert Membership.Status.REJECTED in set(again.history.values_list("status", flat=True))


def test_a_decided_request_cannot_be_decided_again(company: object, reviewer: object) -> None:
    membership = membership_request(user=UserFactory(username="ana"), company=company)
    membership_decide(membership=membership, decided_by=reviewer, approve=True)

    with pytest.raises(ValidationError):
        membership_decide(membership=membership, decided_by=reviewer, approve=False, reason="changed my mind")


def test_only_reviewers_decide(company: object, representative: object, registry_staff: object) -> None:
    membership = membership_request(user=UserFactory(username="ana"), company=company)

    for user in (representative, registry_staff):
        with pytest.raises(PermissionDenied):
            membership_decide(membership=membership, decided_by=user, approve=True)


# --- through the pages and the API -----------------------------------------------------------------------------


def test_the_request_page_finds_the_company_by_name_and_sends_the_request(client: Client, company: object) -> None:
    user = UserFactory(username="ana")
    client.force_login(user)

    response = client.post(reverse("portal:request"), {"company": "northwind apparel inc.", "message": "Buyer"})

    assert response.status_code == 302
    assert response.url == reverse("portal:home")
    assert Membership.objects.get(user=user).status == Membership.Status.REQUESTED
    home = client.get(reverse("portal:home")).content.decode()
    assert 'id="pending-requests"' in home
    assert "Northwind Apparel Inc." in home


def test_an_auto_approved_request_goes_straight_to_the_company_portal(client: Client, company: object) -> None:
    client.force_login(verified_user("ana@northwind-apparel.example"))

    response = client.post(reverse("portal:request"), {"company": company.slug})

    assert response.url == reverse("portal:company", kwargs={"slug": company.slug})


def test_an_unknown_company_name_is_a_form_error(client: Client, company: object) -> None:
    client.force_login(UserFactory(username="ana"))

    response = client.post(reverse("portal:request"), {"company": "No Such Company"})

    assert response.status_code == 200
    assert response.context["form"].errors["company"]
    assert not Membership.objects.exists()


def test_a_reviewer_decides_on_the_review_page(client: Client, company: object, reviewer: object) -> None:
    membership = membership_request(user=UserFactory(username="ana", email="ana@gmail.com"), company=company)
    client.force_login(reviewer)
    url = reverse("review:membership", kwargs={"pk": membership.pk})

    missing_reason = client.post(url, {"decision": "reject", "reason": ""})
    approved = client.post(url, {"decision": "approve"})

    assert missing_reason.status_code == 400
    assert missing_reason.context["form"].errors["reason"]
    assert approved.status_code == 302
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.APPROVED


def test_a_representative_cannot_decide_requests_on_the_review_page(
    client: Client, company: object, representative: object
) -> None:
    membership = membership_request(user=UserFactory(username="ana"), company=company)
    client.force_login(representative)

    response = client.post(reverse("review:membership", kwargs={"pk": membership.pk}), {"decision": "approve"})

    assert response.status_code == 403
    assert Membership.objects.get(pk=membership.pk).status == Membership.Status.REQUESTED


def test_the_api_requests_membership_and_reports_the_outcome(company: object) -> None:
    api = APIClient()
    api.force_authenticate(verified_user("ana@northwind-apparel.example"))

    approved = api.post("/api/v1/portal/memberships/", {"company": company.slug}, format="json")
    unknown = api.post("/api/v1/portal/memberships/", {"company": "nope"}, format="json")

    assert approved.status_code == 200
    assert approved.json() == {"company": company.slug, "status": "approved"}
    assert unknown.status_code == 404
    assert "detail" in unknown.json()

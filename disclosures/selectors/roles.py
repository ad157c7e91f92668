"""Who may do what. Roles are Django groups plus memberships; every permission check reads from here."""

from __future__ import annotations

from typing import Any

from disclosures.models import ContractorMembership, Membership

OFFICER_GROUP = "procurement_officers"
REGISTRY_STAFF_GROUP = "registry_staff"
REVIEWER_GROUP = "reviewers"
ROLE_GROUPS = (OFFICER_GROUP, REGISTRY_STAFF_GROUP, REVIEWER_GROUP)


def user_roles(user: Any) -> frozenset[str]:
    """Role names for templates and permission checks: officer, registry_staff, reviewer, representative, ..."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_cache", None)
    if cached is not None:
        return cached
    roles = {"user"}
    groups = set(user.groups.values_list("name", flat=True))
    if OFFICER_GROUP in groups:
        roles.add("officer")
    if REGISTRY_STAFF_GROUP in groups or user.is_superuser:
        roles.add("registry_staff")
    if REVIEWER_GROUP in groups or user.is_superuser:
        roles.add("reviewer")
    if Membership.objects.filter(user=user, status=Membership.Status.APPROVED).exists():
        roles.add("representative")
    if ContractorMembership.objects.filter(user=user).exists():
        roles.add("contractor_staff")
    if user.is_superuser:
        roles.add("superuser")
    user._role_cache = frozenset(roles)
    return user._role_cache


def user_is_officer(user: Any) -> bool:
    return bool({"officer", "registry_staff"} & user_roles(user))


def user_is_registry_staff(user: Any) -> bool:
    return "registry_staff" in user_roles(user)


def user_is_reviewer(user: Any) -> bool:
    return "reviewer" in user_roles(user)


def user_company_ids(user: Any) -> set[int]:
    """Companies the user may act for (approved memberships only)."""
    if user is None or not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, status=Membership.Status.APPROVED).values_list("company_id", flat=True)
    )


def user_can_act_for_company(user: Any, company_id: int) -> bool:
    return company_id in user_company_ids(user)


def user_contractor_ids(user: Any) -> set[int]:
    if user is None or not user.is_authenticated:
        return set()
    return set(ContractorMembership.objects.filter(user=user).values_list("contractor_id", flat=True))

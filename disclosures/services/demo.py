"""Idempotent demo data for the quickstart site: fictional companies, brands, disclosures, users and registry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from disclosures.demo.companies import DEMO_COMPANIES, DemoCompany
from disclosures.demo.texts import QUALITY_TEXTS
from disclosures.models import Brand, Company, ContractorMembership, Membership
from disclosures.models.companies import Coverage
from disclosures.selectors.roles import OFFICER_GROUP, REGISTRY_STAFF_GROUP, REVIEWER_GROUP
from disclosures.services.brands import brand_create, brand_update


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    email: str
    groups: tuple[str, ...] = ()
    is_staff: bool = False
    is_superuser: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "demo-admin-2026", "superuser (everything)", "admin@demo.example", (), True, True),
    DemoUser(
        "reviewer", "demo-reviewer-2026", "reviewer (review queue)", "reviewer@demo.example", (REVIEWER_GROUP,), True
    ),
    DemoUser(
        "registrar", "demo-registrar-2026", "registry staff", "registrar@demo.example", (REGISTRY_STAFF_GROUP,), True
    ),
    DemoUser("officer", "demo-officer-2026", "procurement officer", "officer@agency.demo.example", (OFFICER_GROUP,)),
    DemoUser(
        "northwind",
        "demo-northwind-2026",
        "representative of Northwind Apparel Inc.",
        "compliance@northwind-apparel.example",
    ),
    DemoUser(
        "voltara", "demo-voltara-2026", "representative of Voltara Electronics Inc.", "esg@voltara-electronics.example"
    ),
    DemoUser("contractor", "demo-contractor-2026", "contractor staff (registry)", "bids@contractor.demo.example"),
    DemoUser("shopper", "demo-shopper-2026", "shopper account", "shopper@demo.example"),
)
REPRESENTS = {"northwind": "northwind-apparel", "voltara": "voltara-electronics"}


def _coverage(spec: DemoCompany) -> tuple[str, str]:
    industry_word = "retail seller" if spec.industry == "retail" else "manufacturer"
    if spec.revenue_band == "under_100m":
        return Coverage.LIKELY_NOT, (
            "Reported worldwide revenue is under $100 million, below the law's threshold; it discloses voluntarily."
        )
    if spec.revenue_band in {"over_1b", "100m_1b"} and spec.sells_in_california:
        return Coverage.LIKELY_COVERED, (
            f"A {industry_word} with reported worldwide revenue over $100 million that sells in California."
        )
    return Coverage.UNKNOWN, "We could not find enough public information to tell."


def _company_upsert(spec: DemoCompany) -> Company:
    coverage, reason = _coverage(spec)
    defaults: dict[str, Any] = {
        "name": spec.name,
        "website": f"https://www.{spec.slug}.example",
        "industry": spec.industry,
        "revenue_band": spec.revenue_band,
        "sells_in_california": spec.sells_in_california,
        "coverage": coverage,
        "coverage_reason": reason,
    }
    company, _ = Company.objects.update_or_create(slug=spec.slug, defaults=defaults)
    return company


def _brands_upsert(company: Company, spec: DemoCompany) -> int:
    created = 0
    for name, aliases in spec.brands.items():
        brand = Brand.objects.filter(company=company, name=name).first()
        if brand is None:
            brand_create(company=company, name=name, aliases=aliases)
            created += 1
        elif sorted(brand.aliases.values_list("alias", flat=True)) != sorted(aliases):
            brand_update(brand=brand, aliases=aliases)
    return created


def _users_upsert() -> dict[str, Any]:
    user_model = get_user_model()
    users = {}
    for spec in DEMO_USERS:
        user, _ = user_model.objects.get_or_create(username=spec.username)
        user.email, user.is_staff, user.is_superuser = spec.email, spec.is_staff, spec.is_superuser
        user.set_password(spec.password)
        user.save()
        for group_name in spec.groups:
            user.groups.add(Group.objects.get_or_create(name=group_name)[0])
        users[spec.username] = user
    return users


def _disclosure_submit(company: Company, quality: str, *, submitted_by: Any) -> bool:
    from disclosures.services.disclosures import disclosure_submit

    text = QUALITY_TEXTS[quality].format(name=company.name)
    _, created = disclosure_submit(company=company, submitted_by=submitted_by, text=text)
    return created


def demo_seed(*, today: dt.date) -> dict[str, Any]:
    """Create or refresh the demo data; running it again creates nothing new."""
    from disclosures.services.registry_demo import registry_seed_demo

    with transaction.atomic():
        users = _users_upsert()
        companies = {spec.slug: _company_upsert(spec) for spec in DEMO_COMPANIES}
        for spec in DEMO_COMPANIES:
            if spec.parent:
                Company.objects.filter(pk=companies[spec.slug].pk).update(parent=companies[spec.parent])
        brands_created = sum(_brands_upsert(companies[spec.slug], spec) for spec in DEMO_COMPANIES)
        for username, slug in REPRESENTS.items():
            Membership.objects.update_or_create(
                user=users[username], company=companies[slug], defaults={"status": Membership.Status.APPROVED}
            )
        registry = registry_seed_demo(
            today=today,
            contractor_staff_user=users["contractor"],
            registry_staff_user=users["registrar"],
            officer_user=users["officer"],
        )
    # Disclosures are submitted outside the transaction so that processing (eager or a worker) sees them.
    disclosures_created = sum(
        _disclosure_submit(companies[spec.slug], spec.quality, submitted_by=users.get("admin"))
        for spec in DEMO_COMPANIES
        if spec.quality
    )
    return {
        "companies": len(companies),
        "brands_created": brands_created,
        "disclosures_created": disclosures_created,
        "registry": registry,
        "contractor_memberships": ContractorMembership.objects.filter(user=users["contractor"]).count(),
    }

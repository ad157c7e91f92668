"""One small world for the authorization matrix and the web-hardening scans, built once per module.

Every role of DESIGN.md §7 has one user; every URL kwarg the matrix needs (slugs, pks, registry numbers) points at
a real row of the right kind: a scored disclosure of the represented company and one of another company, an
unpublished one, findings, an open contest, a pending membership request, API tokens, contractors with drafts,
submitted and active certifications and a signed document. Rows are made through the services wherever a
service exists, so the states are the ones the site really produces.

``world_fixture`` builds it inside an atomic block that stays open for the module and is rolled back at the end
(Django's ``setUpTestData`` pattern); each test runs in its own savepoint on top, so POSTs in one cell never leak
into the next.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings

from disclosures.models import Certification, ContractorMembership, Disclosure, Finding, Membership
from disclosures.services.companies import membership_request
from disclosures.services.disclosures import disclosure_process, disclosure_submit
from disclosures.services.reviews import finding_contest_open
from disclosures.services.tokens import api_token_create
from tests import factories
from tests.integration import registry_support

ROLES: tuple[str, ...] = (
    "anonymous",
    "shopper",
    "representative",
    "other_representative",
    "officer",
    "contractor_staff",
    "registry_staff",
    "reviewer",
    "superuser",
)
STATEMENT = (
    "Northwind Apparel: disclosure under the California Transparency in Supply Chains Act. "
    "We engage an independent third party to conduct verification of product supply chains. Our suppliers may be "
    "subject to audits. We require direct suppliers to certify that materials comply with slavery laws. We maintain "
    "internal accountability standards. We provide training on human trafficking to supply chain managers."
)


@dataclass
class World:
    users: dict[str, Any]
    media_root: Path
    ids: dict[str, Any] = field(default_factory=dict)  # everything the URL kwargs are made of

    def user(self, role: str) -> Any:
        return self.users.get(role)


def _users() -> dict[str, Any]:
    company = factories.CompanyFactory(
        name="Northwind Apparel Inc.", slug="northwind-apparel", website="https://northwind-apparel.example"
    )
    other = factories.CompanyFactory(name="Southpaw Toys LLC", slug="southpaw-toys")
    representative = factories.UserFactory(username="rep", email="rep@northwind-apparel.example")
    factories.MembershipFactory(user=representative, company=company)
    other_representative = factories.UserFactory(username="otherrep", email="rep@southpaw-toys.example")
    factories.MembershipFactory(user=other_representative, company=other)
    contractor = factories.ContractorFactory(legal_name="Golden Bear Uniforms LLC", slug="golden-bear-uniforms")
    contractor_staff = factories.UserFactory(username="contractorstaff")
    ContractorMembership.objects.create(user=contractor_staff, contractor=contractor)
    return {
        "_company": company,
        "_other_company": other,
        "_contractor": contractor,
        "shopper": factories.UserFactory(username="shopper"),
        "representative": representative,
        "other_representative": other_representative,
        "officer": factories.UserFactory(username="officer", groups=["procurement_officers"]),
        "contractor_staff": contractor_staff,
        "registry_staff": factories.UserFactory(username="registrar", groups=["registry_staff"], is_staff=True),
        "reviewer": factories.UserFactory(username="reviewer", groups=["reviewers"], is_staff=True),
        "superuser": factories.UserFactory(username="admin", is_staff=True, is_superuser=True),
    }


def scored_disclosure(company: Any, user: Any, text: str) -> Disclosure:
    """Submit pasted text and run the worker's processing right here (on-commit never fires in the block)."""
    disclosure, _ = disclosure_submit(company=company, submitted_by=user, text=text)
    disclosure_process(disclosure_id=disclosure.pk)
    disclosure.refresh_from_db()
    assert disclosure.status in (Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW), disclosure.failure_reason
    return disclosure


def _filings(world: World) -> None:
    company, other = world.users["_company"], world.users["_other_company"]
    rep, other_rep = world.users["representative"], world.users["other_representative"]
    factories.BrandFactory(name="Northwind", slug="northwind", company=company)
    earlier = scored_disclosure(company, rep, STATEMENT.replace("may be subject to", "are subject to unannounced"))
    disclosure = scored_disclosure(company, rep, STATEMENT)  # the current version; two, so they can be compared
    scores = [earlier.scores.get().pk, disclosure.scores.get().pk]
    finding = Finding.objects.filter(score__disclosure=disclosure).order_by("pk").first()
    contested = Finding.objects.filter(score__disclosure=disclosure).exclude(pk=finding.pk).order_by("pk").first()
    contest = finding_contest_open(finding=contested, user=rep, explanation="We do audit, unannounced, every year.")
    unpublished, _ = disclosure_submit(
        company=company, submitted_by=rep, upload=SimpleUploadedFile("draft.pdf", b"%PDF-1.4 not yet read")
    )
    others = scored_disclosure(other, other_rep, STATEMENT.replace("Northwind Apparel", "Southpaw Toys"))
    applicant = factories.UserFactory(username="applicant", email="applicant@example.org")
    pending = membership_request(user=applicant, company=company, message="I run their compliance team.")
    assert pending.status == Membership.Status.REQUESTED
    world.ids.update(
        company=company.slug,
        other_company=other.slug,
        brand="northwind",
        brand_pk=company.brands.get().pk,
        other_brand_pk=factories.BrandFactory(name="Southpaw", slug="southpaw", company=other).pk,
        disclosure=disclosure.pk,
        unpublished=unpublished.pk,
        other_disclosure=others.pk,
        scores=scores,
        finding=finding.pk,
        other_finding=Finding.objects.filter(score__disclosure=others).order_by("pk").first().pk,
        other_score=others.scores.get().pk,
        contest=contest.pk,
        membership=pending.pk,
    )


def _tokens(world: World) -> None:
    token, raw = api_token_create(user=world.users["representative"], name="ERP")
    officer_token, officer_raw = api_token_create(user=world.users["officer"], name="Procurement system")
    world.ids.update(token=token.pk, token_raw=raw, officer_token_raw=officer_raw, officer_token=officer_token.pk)


def _registry(world: World) -> None:
    contractor = world.users["_contractor"]
    other = factories.ContractorFactory(legal_name="Sierra Linen Service Inc.", slug="sierra-linen")
    contract = registry_support.make_contract(contractor)
    draft = registry_support.make_certification(contract, "draft")
    submitted = registry_support.make_certification(registry_support.make_contract(contractor), "submitted")
    active = registry_support.make_certification(
        registry_support.make_contract(contractor), "verified", staff=world.users["registry_staff"]
    )
    other_draft = registry_support.make_certification(registry_support.make_contract(other), "draft")
    assert Certification.objects.get(pk=active.pk).status in {"active", "verified"}
    world.ids.update(
        contractor=contractor.slug,
        other_contractor=other.slug,
        contract=contract.pk,
        draft=draft.number,
        submitted=submitted.number,
        active=active.number,
        other_draft=other_draft.number,
    )


@contextlib.contextmanager
def world_fixture(django_db_blocker: Any, media_root: Path) -> Iterator[World]:
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root, PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        users = _users()
        world = World(users={**users, "anonymous": None}, media_root=media_root)
        _filings(world)
        _tokens(world)
        _registry(world)
        try:
            yield world
        finally:
            transaction.set_rollback(True)

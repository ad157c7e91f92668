"""factory_boy factories for rows; multi-step states (a scored disclosure) go through the services."""

from __future__ import annotations

import datetime as dt
import hashlib

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from disclosures import models as m


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def groups(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            self.save()


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Company

    name = factory.Sequence(lambda n: f"Example Goods {n} Inc.")
    slug = factory.Sequence(lambda n: f"example-goods-{n}")
    website = factory.LazyAttribute(lambda o: f"https://{o.slug}.example")
    industry = m.companies.Industry.APPAREL
    revenue_band = m.companies.RevenueBand.OVER_1B
    sells_in_california = True
    coverage = m.companies.Coverage.LIKELY_COVERED
    coverage_reason = "Apparel manufacturer with reported revenue over $1 billion that sells in California."


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Brand

    name = factory.Sequence(lambda n: f"Brandname {n}")
    slug = factory.Sequence(lambda n: f"brandname-{n}")
    company = factory.SubFactory(CompanyFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    status = m.Membership.Status.APPROVED


class DisclosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Disclosure

    company = factory.SubFactory(CompanyFactory)
    source = m.Disclosure.Source.TEXT
    content_kind = m.Disclosure.ContentKind.TEXT
    sha256 = factory.Sequence(lambda n: hashlib.sha256(f"disclosure {n}".encode()).hexdigest())
    status = m.Disclosure.Status.RECEIVED


class DisclosureScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.DisclosureScore

    disclosure = factory.SubFactory(DisclosureFactory, status=m.Disclosure.Status.SCORED)
    rubric_version = "ctsca-1"
    compliance_score = 75
    practice_score = 55
    tier = m.filings.Tier.SUBSTANTIAL
    grade = "C"
    scored_at = factory.LazyFunction(timezone.now)


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Finding

    score = factory.SubFactory(DisclosureScoreFactory)
    area = m.filings.Area.AUDITS
    status = m.filings.FindingStatus.DOES
    evidence = factory.LazyFunction(lambda: [{"quote": "We audit suppliers.", "page": 1, "start": 0, "end": 19}])


class ContractorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Contractor

    legal_name = factory.Sequence(lambda n: f"Example Uniform Supply {n} LLC")
    slug = factory.Sequence(lambda n: f"example-uniform-supply-{n}")
    sos_number = factory.Sequence(lambda n: f"{201900000000 + n}")
    supplier_id = factory.Sequence(lambda n: f"{10000000 + n}")


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Contract

    contractor = factory.SubFactory(ContractorFactory)
    agency = "Department of General Services"
    number = factory.Sequence(lambda n: f"DGS-26-{n:05d}")
    category = m.registry.ContractCategory.APPAREL
    value = 250_000
    start_date = dt.date(2026, 1, 1)
    end_date = dt.date(2026, 12, 31)

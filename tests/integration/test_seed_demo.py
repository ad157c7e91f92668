"""seed_demo builds the demo site's data and running it again creates nothing new."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from disclosures.models import (
    Brand,
    BrandAlias,
    Certification,
    Company,
    Contractor,
    Disclosure,
    DisclosureScore,
    Finding,
    Membership,
)
from disclosures.models.registry import CertificationStatus
from disclosures.services.demo import DEMO_USERS, demo_seed

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def _counts() -> dict[str, int]:
    models = (Company, Brand, BrandAlias, Disclosure, DisclosureScore, Finding, Membership, Contractor, Certification)
    return {model.__name__: model.objects.count() for model in models}


def test_it_creates_companies_brands_disclosures_and_the_registry(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        demo_seed(today=TODAY)
    counts = _counts()
    assert counts["Company"] >= 25
    assert counts["Brand"] >= 80
    assert counts["BrandAlias"] > 0
    assert counts["Contractor"] >= 12
    industries = set(Company.objects.values_list("industry", flat=True))
    assert {"apparel", "food", "electronics", "toys", "home_goods"} <= industries
    assert Company.objects.filter(disclosures__isnull=True).exists(), "some companies have no disclosure"
    statuses = set(Disclosure.objects.values_list("status", flat=True))
    assert statuses <= {"scored", "needs_review"}
    assert "scored" in statuses
    cert_statuses = set(Certification.objects.values_list("status", flat=True))
    assert cert_statuses >= {s.value for s in CertificationStatus}


def test_running_it_twice_creates_nothing_new(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        demo_seed(today=TODAY)
    first = _counts()
    with django_capture_on_commit_callbacks(execute=True):
        summary = demo_seed(today=TODAY)
    assert _counts() == first
    assert summary["brands_created"] == 0
    assert summary["disclosures_created"] == 0


def test_disclosures_of_varied_quality_get_different_grades(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        demo_seed(today=TODAY)
    strong = DisclosureScore.objects.get(disclosure__company__slug="northwind-apparel")
    negative = DisclosureScore.objects.get(disclosure__company__slug="coastline-activewear")
    weak = DisclosureScore.objects.get(disclosure__company__slug="meridian-footwear")
    assert strong.practice_score > weak.practice_score > negative.practice_score
    assert negative.findings.filter(status="does_not").count() >= 3


def test_the_command_prints_every_demo_user_with_a_password_that_works(
    client, django_capture_on_commit_callbacks
) -> None:
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    for user in DEMO_USERS:
        assert f"{user.username}" in printed
        assert user.password in printed
    northwind = next(u for u in DEMO_USERS if u.username == "northwind")
    assert client.login(username=northwind.username, password=northwind.password)

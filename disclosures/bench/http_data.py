"""Bulk data for ``bench http``: companies with scores and many brands, written fast with bulk_create."""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from disclosures.models import Brand, Company, Disclosure, DisclosureScore, Finding
from disclosures.services.brands import search_index_bump

SYLLABLES = (
    *("al", "bo", "ca", "de", "el", "fa", "go", "ha", "in", "jo", "ka", "lu", "ma", "ne", "or", "pa", "qui"),
    *("ro", "sa", "ta", "ul", "ve", "wi", "xa", "yo", "zu", "ber", "con", "dor", "fin", "gar", "hol", "lin"),
    *("mar", "nor", "pin", "ron", "sel", "tor", "van", "wel"),
)
AREAS = ("verification", "audits", "certification", "accountability", "training")


def _name(rng: random.Random) -> str:
    words = rng.randint(1, 3)
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).title() for _ in range(words))


def _scored_companies(rng: random.Random, companies: int) -> list[Company]:
    company_rows = Company.objects.bulk_create(
        [Company(name=f"Bench Company {i}", slug=f"bench-company-{i}") for i in range(companies)]
    )
    now = timezone.now()
    disclosures = Disclosure.objects.bulk_create(
        [Disclosure(company=c, source="text", sha256=f"{i:064x}", status="scored") for i, c in enumerate(company_rows)]
    )
    scores = DisclosureScore.objects.bulk_create(
        [
            DisclosureScore(
                disclosure=d,
                rubric_version="ctsca-1",
                compliance_score=rng.randint(20, 100),
                practice_score=rng.randint(0, 100),
                tier="partial",
                grade=rng.choice("ABCDF"),
                scored_at=now,
            )
            for d in disclosures
        ]
    )
    Finding.objects.bulk_create(
        [Finding(score=s, area=a, status=rng.choice(["does", "silent", "does_not"])) for s in scores for a in AREAS]
    )
    return company_rows


@transaction.atomic
def populate(*, names: int, companies: int = 500, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    company_rows = _scored_companies(rng, companies)
    seen: set[str] = set()
    brands = []
    while len(brands) < names:
        name = _name(rng)
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        brands.append(Brand(name=name, slug=f"b{len(brands)}", company=company_rows[len(brands) % companies]))
    Brand.objects.bulk_create(brands, batch_size=5000)
    search_index_bump()
    sample = rng.sample(brands, min(500, len(brands)))
    return {"names": [b.name for b in sample], "slugs": [c.slug for c in company_rows[:200]]}

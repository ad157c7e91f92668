"""Writes to brands and their aliases. Every change bumps the search index version so all processes refresh."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from disclosures.models import Brand, BrandAlias, Company, SearchIndexState


def search_index_bump() -> int:
    """Mark the brand index stale everywhere; returns the new version."""
    state, _ = SearchIndexState.objects.get_or_create(pk=1)
    SearchIndexState.objects.filter(pk=state.pk).update(version=F("version") + 1)
    state.refresh_from_db(fields=["version"])
    return state.version


def search_scores_bump() -> None:
    """Mark every process's cached search-result scores stale (a score, override or ownership changed)."""
    state, _ = SearchIndexState.objects.get_or_create(pk=1)
    SearchIndexState.objects.filter(pk=state.pk).update(scores_version=F("scores_version") + 1)


def brand_unique_slug(name: str, *, company: Company) -> str:
    base = slugify(name)[:140] or "brand"
    slug = base
    if Brand.objects.filter(slug=slug).exists():
        slug = f"{base}-{company.slug}"[:155]
    counter = 2
    while Brand.objects.filter(slug=slug).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def _clean_aliases(aliases: Iterable[str], *, name: str) -> list[str]:
    seen: set[str] = set()
    cleaned = []
    for alias in aliases:
        text = " ".join(alias.split())[:255]
        if text and text.casefold() != name.casefold() and text.casefold() not in seen:
            seen.add(text.casefold())
            cleaned.append(text)
    return cleaned


@transaction.atomic
def brand_create(*, company: Company, name: str, aliases: Iterable[str] = ()) -> Brand:
    name = " ".join(name.split())
    brand = Brand(company=company, name=name, slug=brand_unique_slug(name, company=company))
    brand.full_clean()
    brand.save()
    BrandAlias.objects.bulk_create([BrandAlias(brand=brand, alias=a) for a in _clean_aliases(aliases, name=name)])
    search_index_bump()
    return brand


@transaction.atomic
def brand_update(*, brand: Brand, name: str | None = None, aliases: Iterable[str] | None = None) -> Brand:
    if name is not None and " ".join(name.split()) != brand.name:
        brand.name = " ".join(name.split())
        brand.full_clean()
        brand.save(update_fields=["name", "updated_at"])
    if aliases is not None:
        wanted = _clean_aliases(aliases, name=brand.name)
        brand.aliases.exclude(alias__in=wanted).delete()
        existing = set(brand.aliases.values_list("alias", flat=True))
        BrandAlias.objects.bulk_create([BrandAlias(brand=brand, alias=a) for a in wanted if a not in existing])
    search_index_bump()
    return brand


@transaction.atomic
def brand_delete(*, brand: Brand) -> None:
    brand.delete()
    search_index_bump()

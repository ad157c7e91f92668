"""Brand and company pages: grade, both scores, tier, chips, evidence, ownership chain and coverage."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from disclosures.selectors.companies import brand_get_by_slug, brand_profile, company_get_by_slug, company_profile


@require_safe
def brand_detail(request: HttpRequest, slug: str) -> HttpResponse:
    profile = brand_profile(brand=brand_get_by_slug(slug=slug))
    return render(request, "brands/detail.html", {"brand_profile": profile, "profile": profile.profile})


@require_safe
def company_detail(request: HttpRequest, slug: str) -> HttpResponse:
    profile = company_profile(company=company_get_by_slug(slug=slug))
    return render(request, "companies/detail.html", {"profile": profile})


urlpatterns: list[URLPattern] = [
    path("brands/<slug:slug>/", brand_detail, name="brand"),
    path("companies/<slug:slug>/", company_detail, name="detail"),
]

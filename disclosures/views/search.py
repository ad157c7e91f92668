"""The home page: the brand search box (results come with the brand-search work)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    return render(request, "brands/home.html", {"query": query})


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
]

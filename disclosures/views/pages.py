"""Static-ish pages: about the scores, report or get help, and the health check."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from disclosures.selectors.health import site_health


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/about.html")


@require_safe
def get_help(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/help.html")


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    health = site_health()
    return JsonResponse(health, status=200 if health["ok"] else 503)


@require_safe
@never_cache
def ping(request: HttpRequest) -> JsonResponse:
    """Liveness: answers without touching the database or the broker (load balancers, benchmarks)."""
    return JsonResponse({"ok": True})


urlpatterns = [
    path("about/", about, name="about"),
    path("help/", get_help, name="help"),
    path("healthz", healthz, name="healthz"),
    path("ping", ping, name="ping"),
]

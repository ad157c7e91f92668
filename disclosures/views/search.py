"""The home page: the brand search box, with server-rendered results for ``?q=`` (works without JavaScript)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from disclosures.selectors.search import MAX_QUERY_LENGTH, brand_search, search_query_clean

RESULTS_PER_PAGE = 10


def _printable(raw: str) -> str:
    """What to echo back into the search box: no control characters, at most the allowed length."""
    return "".join(ch for ch in raw if ch.isprintable() or ch == " ").strip()[:MAX_QUERY_LENGTH]


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q", "")
    context: dict[str, object] = {"query": _printable(raw), "outcome": None, "error": ""}
    status = 200
    if raw.strip():
        try:
            query = search_query_clean(raw)
        except ValidationError as error:
            context["error"] = error.messages[0]
            status = 400
        else:
            context["outcome"] = brand_search(query=query, limit=RESULTS_PER_PAGE)
    return render(request, "brands/home.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
]

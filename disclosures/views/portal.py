"""Pages: portal. (INTERIM: replaced by the portal work; keeps URL names resolvable meanwhile.)"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _interim(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Being built.")


urlpatterns: list[URLPattern] = [
    path("", _interim, name="home"),
]

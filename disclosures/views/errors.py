"""Error pages: HTML for people, JSON ``{"detail": ...}`` under /api/; never a traceback."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from disclosures.services.disclosures import too_big_for_a_form


def _respond(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    context = {"status": status, "message": message}
    try:
        return render(request, "errors/error.html", context, status=status)
    except Exception:  # an error page must never fail itself
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return _respond(request, 413, too_big_for_a_form())
    return _respond(request, 400, _("The request could not be understood. Check what you sent and try again."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, 403, _("You do not have permission to see this page."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, 404, _("We could not find that page."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _respond(request, 500, _("Something went wrong on our side. It has been logged; please try again later."))

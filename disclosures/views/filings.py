"""Pages: submit a disclosure, follow it while the worker reads it, see the result, download the original."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from disclosures.forms import DisclosureSubmitForm
from disclosures.models import Company, Disclosure
from disclosures.selectors.disclosures import (
    disclosure_for_user,
    disclosure_progress,
    disclosure_view,
    original_download,
    user_may_manage_company_disclosures,
)
from disclosures.services.disclosures import SubmissionRejected, disclosure_submit


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    company = get_object_or_404(Company, slug=slug)
    if not user_may_manage_company_disclosures(request.user, company.pk):
        return render(request, "disclosures/forbidden.html", {"company": company}, status=403)
    # Pasted text over DATA_UPLOAD_MAX_MEMORY_SIZE never gets here: CSRF middleware reads the body first and
    # Django answers 400 (see the hand-over notes); the API view turns the same case into a 413 with a reason.
    form = DisclosureSubmitForm(request.POST, request.FILES) if request.method == "POST" else DisclosureSubmitForm()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            disclosure, created = disclosure_submit(
                company=company, submitted_by=request.user, upload=data["file"], url=data["url"], text=data["text"]
            )
        except SubmissionRejected as rejection:
            source = "text" if data["text"] and not data["file"] else "file"
            form.add_rejection(rejection.code, rejection.reason, source=source)
        except PermissionDenied:
            return render(request, "disclosures/forbidden.html", {"company": company}, status=403)
        else:
            if not created:
                messages.info(request, _("We already have this exact document, so here is the one you sent before."))
            return redirect("filings:detail", pk=disclosure.pk)
    context = {
        "company": company,
        "form": form,
        "max_megabytes": settings.DISCLOSURE_MAX_UPLOAD_BYTES // (1024 * 1024),
        "max_pages": settings.DISCLOSURE_MAX_PAGES,
    }
    return render(request, "disclosures/submit.html", context)


def _visible_or_404(request: HttpRequest, pk: int) -> Disclosure:
    disclosure = disclosure_for_user(pk=pk, user=request.user)
    if disclosure is None:
        raise Http404(_("No such disclosure."))
    return disclosure


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _visible_or_404(request, pk)
    can_manage = user_may_manage_company_disclosures(request.user, disclosure.company_id)
    view = disclosure_view(disclosure, translate=_, with_advice=can_manage)
    context = {
        "disclosure": disclosure,
        "company": disclosure.company,
        "view": view,
        "can_manage": can_manage,
        "progress": disclosure_progress(disclosure),
        "status_message": status_message(disclosure),
        "failure_advice": failure_advice(disclosure.failure_code),
    }
    response = render(request, "disclosures/detail.html", context)
    if not disclosure.is_finished:
        response["Cache-Control"] = "no-store"
    return response


@require_safe
@never_cache
def status_json(request: HttpRequest, pk: int) -> JsonResponse:
    disclosure = _visible_or_404(request, pk)
    payload = disclosure_progress(disclosure)
    payload["message"] = status_message(disclosure)
    payload["detail_url"] = reverse("filings:detail", args=[disclosure.pk])
    return JsonResponse(payload)


@require_safe
def original(request: HttpRequest, pk: int) -> FileResponse:
    disclosure = Disclosure.objects.select_related("company").filter(pk=pk).first()
    allowed = disclosure is not None and user_may_manage_company_disclosures(request.user, disclosure.company_id)
    if not allowed or not disclosure.original_file:
        raise Http404(_("No such file."))
    content_type, filename = original_download(disclosure)
    response = FileResponse(
        disclosure.original_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


_RESUBMIT_SMALLER = gettext_lazy("Upload only the pages that hold the disclosure, or paste its text instead.")
_RESUBMIT_PDF = gettext_lazy("Upload the disclosure as a PDF with selectable text, or paste its text instead.")
_CHECK_ADDRESS = gettext_lazy(
    "Check that the address opens in a private browser window without signing in, or upload the PDF instead."
)
FAILURE_ADVICE = {
    "encrypted": gettext_lazy(
        "Save a copy without a password (in most PDF readers: Print, then Save as PDF) and upload that."
    ),
    "no_text_layer": gettext_lazy(
        "This looks like a scan. Upload the PDF your word processor made, or paste the text instead."
    ),
    "duplicate": gettext_lazy("Nothing: the earlier disclosure named above already has the result."),
    "private_url": _CHECK_ADDRESS,
    "http_error": _CHECK_ADDRESS,
    "internal_error": gettext_lazy("Try again in a little while, or paste the text of the disclosure instead."),
    **dict.fromkeys(("too_large", "too_many_pages", "too_much_text", "bomb", "too_slow", "timeout"), _RESUBMIT_SMALLER),
    **dict.fromkeys(("empty", "unsupported_type", "corrupt", "bad_encoding", "no_text", "worker_lost"), _RESUBMIT_PDF),
}


def failure_advice(code: str) -> str:
    """What a representative can do about a failure; an unknown code (e.g. a fetch error) gets the URL advice."""
    return str(FAILURE_ADVICE.get(code, _CHECK_ADDRESS if code else _RESUBMIT_PDF))


def status_message(disclosure: Disclosure) -> str:
    """The one sentence read out (aria-live) while the worker runs."""
    status = disclosure.status
    if status == Disclosure.Status.RECEIVED:
        return _("Received. Waiting for a worker to start reading it…")
    if status == Disclosure.Status.EXTRACTING and disclosure.page_count:
        return _("Reading page %(done)s of %(total)s…") % {
            "done": disclosure.pages_done,
            "total": disclosure.page_count,
        }
    if status == Disclosure.Status.EXTRACTING:
        return _("Reading the document…")
    if status == Disclosure.Status.SCORING:
        return ngettext("Read %(total)s page. Scoring…", "Read %(total)s pages. Scoring…", disclosure.page_count) % {
            "total": disclosure.page_count
        }
    if status == Disclosure.Status.FAILED:
        return _("We could not read this disclosure.")
    return _("Done.")


urlpatterns: list[URLPattern] = [
    path("companies/<slug:slug>/disclosures/new/", submit, name="submit"),
    path("disclosures/<int:pk>/", detail, name="detail"),
    path("disclosures/<int:pk>/status.json", status_json, name="status_json"),
    path("disclosures/<int:pk>/original/", original, name="original"),
]

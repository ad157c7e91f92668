"""Pages: the contractor certification registry (REGISTRY.md).

Public: the lookup, the printable proof page, the public key and the proof checker. Contractor staff: their
own drafts, documents and submissions. Registry staff: verify, reject, suspend, reinstate, revoke, supersede,
sanctions and amendments. Officers: the watchlist. Every decision is made in services and selectors.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from disclosures.core import signing
from disclosures.core.certification_rules import RegistryNumberError, registry_number_parse
from disclosures.models import Certification, Contractor
from disclosures.selectors import registry as selectors
from disclosures.selectors.roles import user_contractor_ids, user_is_officer, user_is_registry_staff
from disclosures.services import registry as services
from disclosures.services.watchlists import watchlist_follow, watchlist_unfollow
from disclosures.views.registry_forms import (
    AmendmentForm,
    AsOfForm,
    CertificationDraftForm,
    LookupForm,
    ReasonForm,
    SanctionForm,
    SupersedeForm,
    VerifyForm,
    VerifyProofForm,
)

# --- Access helpers -------------------------------------------------------------------------------------------


def _require_registry_staff(request: HttpRequest) -> None:
    if not user_is_registry_staff(request.user):
        raise PermissionDenied(_("Registry staff only."))


def _require_officer(request: HttpRequest) -> None:
    if not user_is_officer(request.user):
        raise PermissionDenied(_("Procurement officers only."))


def _own_certification(request: HttpRequest, number: str) -> Certification:
    certification = selectors.certification_get(number=number)
    if certification is None:
        raise Http404(_("No such certification."))
    if certification.contractor_id not in user_contractor_ids(request.user):
        raise PermissionDenied(_("You can only work on your own contractor's certifications."))
    return certification


def _staff_certification(request: HttpRequest, number: str) -> Certification:
    _require_registry_staff(request)
    certification = selectors.certification_get(number=number)
    if certification is None:
        raise Http404(_("No such certification."))
    return certification


def _contractor_or_404(slug: str) -> Contractor:
    contractor = selectors.contractor_get(slug=slug)
    if contractor is None:
        raise Http404(_("No such contractor."))
    return contractor


def _lookup_url(contractor: Contractor) -> str:
    return reverse("registry:lookup") + "?" + urlencode({"by": "name", "q": contractor.legal_name})


def _number_error(exc: RegistryNumberError) -> str:
    """The core's reasons are English; pages show a translatable sentence for each code."""
    if exc.code == "bad_check_digit":
        return _(
            "The check character does not match the rest of the number: one character is probably mistyped or two "
            "are swapped. Check the number against the document."
        )
    return _(
        "A registry number looks like CSR-2026-000123-7: the letters CSR, a four-digit year, a six-digit sequence "
        "and a check character (a digit or X)."
    )


def _error_messages(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- Public: lookup, proof, key, proof checker ----------------------------------------------------------------


def _run_lookup(request: HttpRequest, form: LookupForm) -> dict[str, Any]:
    try:
        result = selectors.registry_lookup(query=form.to_query(), user=request.user)
    except RegistryNumberError as exc:
        return {"error": _number_error(exc), "error_code": exc.code}
    except selectors.LookupNotFoundError as exc:
        return {"error": exc.reason, "error_code": "not_found"}
    return {
        "result": result,
        "following": result.contractor.id in selectors.watchlist_contractor_ids(user=request.user),
    }


@require_safe
@never_cache
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if form.is_bound and form.is_valid():
        context.update(_run_lookup(request, form))
        status = {"malformed": 400, "bad_check_digit": 400, "not_found": 404}.get(context.get("error_code", ""), 200)
    elif form.is_bound:
        status = 400
    context["can_follow"] = user_is_officer(request.user)
    return render(request, "registry/lookup.html", context, status=status)


def _live_url(number: str) -> str:
    return f"{settings.SITE_URL}{reverse('registry:proof', kwargs={'number': number})}"


def _proof_context(request: HttpRequest, result: selectors.LookupResult) -> dict[str, Any]:
    focus = result.certification
    assert focus is not None  # looked up by number  # noqa: S101 - an invariant, not input validation
    proof = services.registry_proof_sign(
        number=focus.number, status=focus.status, as_of=result.as_of, checked_at=result.checked_at
    )
    live_url = _live_url(focus.number)
    return {
        "result": result,
        "cert": focus,
        "contract": result.contracts[0] if result.contracts else None,
        "proof": proof,
        "proof_text": signing.proof_format(proof),
        "payload": proof.payload().decode("ascii"),
        "live_url": live_url,
        "qr_data_uri": segno.make(live_url, error="m").svg_data_uri(scale=4, border=2),
        "can_follow": user_is_officer(request.user),
    }


def _as_of_from(request: HttpRequest) -> date | None:
    form = AsOfForm(request.GET)
    if not form.is_valid():
        raise ValidationError(_("The as-of date must look like 2026-03-01."))
    return form.cleaned_data.get("as_of")


@require_safe
@never_cache
def proof(request: HttpRequest, number: str) -> HttpResponse:
    try:
        canonical = registry_number_parse(number).canonical
        as_of = _as_of_from(request)
    except RegistryNumberError as exc:
        context = {"error": _number_error(exc), "number": number}
        return render(request, "registry/proof_error.html", context, status=400)
    except ValidationError as exc:
        return render(request, "registry/proof_error.html", {"error": exc.messages[0], "number": number}, status=400)
    if canonical != number:
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return HttpResponseRedirect(reverse("registry:proof", kwargs={"number": canonical}) + query)
    try:
        result = selectors.registry_lookup(
            query=selectors.LookupQuery(number=canonical, as_of=as_of), user=request.user, channel="proof"
        )
    except selectors.LookupNotFoundError as exc:
        return render(request, "registry/proof_error.html", {"error": exc.reason, "number": number}, status=404)
    return render(request, "registry/proof.html", _proof_context(request, result))


@require_safe
def public_key(request: HttpRequest) -> HttpResponse:
    """Stable URL: the PEM public key proofs are signed with, followed by its key id."""
    keys = services.registry_public_keys()
    body = "".join(
        f"{signing.public_key_pem(raw)}Key-Id: {key_id}\nAlgorithm: Ed25519\n" for key_id, raw in keys.items()
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


@require_http_methods(["GET", "HEAD", "POST"])
def verify_proof(request: HttpRequest) -> HttpResponse:
    form = VerifyProofForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "keys": services.registry_public_keys()}
    if request.method == "POST" and form.is_valid():
        try:
            parsed = signing.proof_parse(form.cleaned_data["proof"])
        except signing.ProofError as exc:
            context["check"] = signing.ProofCheck("malformed", exc.reason)
        else:
            context["check"] = signing.proof_check(parsed, services.registry_public_keys())
            context["parsed"] = parsed
    return render(request, "registry/verify_proof.html", context)


@require_safe
@login_required
def certification_document(request: HttpRequest, number: str) -> FileResponse:
    certification = selectors.certification_get(number=number)
    if certification is None or not certification.document:
        raise Http404(_("No document."))
    if not selectors.registry_can_download_document(user=request.user, certification=certification):
        raise PermissionDenied(_("Signed documents are for officers, registry staff and the contractor."))
    name = f"{certification.number}{certification.document.name[certification.document.name.rfind('.') :]}"
    return FileResponse(
        certification.document.open("rb"),
        as_attachment=True,
        filename=name,
        content_type="application/octet-stream",
    )


# --- Contractor staff -----------------------------------------------------------------------------------------


@require_safe
@login_required
def contractor_home(request: HttpRequest) -> HttpResponse:
    contractors = list(selectors.contractors_for_user(user=request.user))
    if not contractors:
        raise PermissionDenied(_("Your account is not linked to a contractor."))
    rows = [(item, list(selectors.certifications_for_contractor(contractor=item))) for item in contractors]
    return render(request, "registry/contractor_home.html", {"rows": rows, "today": selectors.registry_today()})


def _save_draft(
    request: HttpRequest, form: CertificationDraftForm, certification: Certification | None, contractor: Contractor
) -> Certification:
    if certification is None:
        certification = services.certification_create(
            contractor=contractor, fields=form.to_fields(), created_by=request.user, today=selectors.registry_today()
        )
    else:
        services.certification_update(certification=certification, fields=form.to_fields(), actor=request.user)
    upload = form.cleaned_data.get("document")
    if upload:
        services.certification_document_attach(certification=certification, upload=upload, actor=request.user)
    return certification


def _draft_page(request: HttpRequest, contractor: Contractor, certification: Certification | None) -> HttpResponse:
    initial = (
        CertificationDraftForm.initial_from(certification)
        if certification
        else {"form_revision": selectors.registry_policy().current_form_revision}
    )
    editable = certification is None or certification.status == "draft"
    form = CertificationDraftForm(request.POST or None, request.FILES or None, contractor=contractor, initial=initial)
    if request.method == "POST" and editable and form.is_valid():
        try:
            saved = _save_draft(request, form, certification, contractor)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved %(number)s.") % {"number": saved.number})
            return redirect("registry:certification_edit", number=saved.number)
    context = {"form": form, "contractor": contractor, "certification": certification, "editable": editable}
    return render(request, "registry/certification_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def certification_new(request: HttpRequest, slug: str) -> HttpResponse:
    contractor = _contractor_or_404(slug)
    if contractor.pk not in user_contractor_ids(request.user):
        raise PermissionDenied(_("You can only create certifications for your own contractor."))
    return _draft_page(request, contractor, None)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def certification_edit(request: HttpRequest, number: str) -> HttpResponse:
    certification = _own_certification(request, number)
    return _draft_page(request, certification.contractor, certification)


def _own_action(
    request: HttpRequest, number: str, action: Callable[[Certification], Certification], done: str
) -> HttpResponse:
    certification = _own_certification(request, number)
    try:
        action(certification)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, done % {"number": certification.number, "status": certification.get_status_display()})
    return redirect("registry:certification_edit", number=certification.number)


@require_POST
@login_required
def certification_submit(request: HttpRequest, number: str) -> HttpResponse:
    return _own_action(
        request,
        number,
        lambda cert: services.certification_submit(certification=cert, actor=request.user),
        _("%(number)s is now %(status)s."),
    )


@require_POST
@login_required
def certification_reopen(request: HttpRequest, number: str) -> HttpResponse:
    return _own_action(
        request,
        number,
        lambda cert: services.certification_reopen(certification=cert, actor=request.user),
        _("%(number)s is a draft again: fix it and submit it once more."),
    )


# --- Registry staff -------------------------------------------------------------------------------------------


@require_safe
@login_required
def staff_queue(request: HttpRequest) -> HttpResponse:
    _require_registry_staff(request)
    return render(request, "registry/staff_queue.html", {"submitted": selectors.certifications_submitted()})


def _staff_forms(certification: Certification) -> dict[str, Any]:
    numbers = [row.number for row in selectors.certifications_replaceable_by(certification=certification)]
    return {
        "verify_form": VerifyForm(prefix="verify"),
        "reason_form": ReasonForm(),
        "supersede_form": SupersedeForm(numbers=numbers) if numbers else None,
    }


@require_safe
@login_required
def staff_certification(request: HttpRequest, number: str) -> HttpResponse:
    certification = _staff_certification(request, number)
    today = selectors.registry_today()
    context = {
        "certification": certification,
        "status_today": selectors.certification_status_as_of(certification=certification, as_of=today),
        "today": today,
        "history": certification.history.select_related("history_user").order_by("-history_date")[:20],
        **_staff_forms(certification),
    }
    return render(request, "registry/staff_certification.html", context)


def _staff_verify(request: HttpRequest, certification: Certification) -> None:
    form = VerifyForm(request.POST, prefix="verify")
    if not form.is_valid():
        raise ValidationError(_("Choose how the certification was verified."))
    services.certification_verify(
        certification=certification,
        method=form.cleaned_data["method"],
        verified_by=request.user,
        today=selectors.registry_today(),
    )


def _reason(request: HttpRequest) -> str:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Give a reason: it is shown in the registry and kept in the audit log."))
    return form.cleaned_data["reason"]


def _staff_supersede(request: HttpRequest, certification: Certification) -> None:
    numbers = [row.number for row in selectors.certifications_replaceable_by(certification=certification)]
    form = SupersedeForm(request.POST, numbers=numbers)
    if not form.is_valid():
        raise ValidationError(_("Choose the newer certification and give a reason."))
    replacement = selectors.certification_get(number=form.cleaned_data["replacement"])
    services.certification_supersede(
        certification=certification, replacement=replacement, reason=form.cleaned_data["reason"], actor=request.user
    )


STAFF_ACTIONS: dict[str, Callable[[HttpRequest, Certification], Any]] = {
    "verify": _staff_verify,
    "reject": lambda r, c: services.certification_reject(certification=c, reason=_reason(r), actor=r.user),
    "suspend": lambda r, c: services.certification_suspend(certification=c, reason=_reason(r), actor=r.user),
    "reinstate": lambda r, c: services.certification_reinstate(
        certification=c, reason=_reason(r), actor=r.user, today=selectors.registry_today()
    ),
    "revoke": lambda r, c: services.certification_revoke(certification=c, reason=_reason(r), actor=r.user),
    "not_applicable": lambda r, c: services.certification_mark_not_applicable(
        certification=c, reason=_reason(r), actor=r.user
    ),
    "supersede": _staff_supersede,
}


@require_POST
@login_required
def staff_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    certification = _staff_certification(request, number)
    handler = STAFF_ACTIONS.get(action)
    if handler is None:
        raise Http404(_("No such action."))
    try:
        handler(request, certification)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(
            request,
            _("%(number)s is now %(status)s.")
            % {"number": certification.number, "status": certification.get_status_display()},
        )
    return redirect("registry:staff_certification", number=certification.number)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def staff_sanction(request: HttpRequest, slug: str) -> HttpResponse:
    _require_registry_staff(request)
    contractor = _contractor_or_404(slug)
    form = SanctionForm(request.POST or None, contractor=contractor)
    if request.method == "POST" and form.is_valid():
        try:
            services.sanction_record(contractor=contractor, fields=form.to_fields(), created_by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Sanction recorded against %(name)s.") % {"name": contractor.legal_name})
            return HttpResponseRedirect(_lookup_url(contractor))
    status = 400 if form.errors else 200
    return render(request, "registry/sanction_form.html", {"form": form, "contractor": contractor}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def staff_amend(request: HttpRequest, pk: int) -> HttpResponse:
    _require_registry_staff(request)
    contract = selectors.contract_get(pk=pk)
    if contract is None:
        raise Http404(_("No such contract."))
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_amend(
                contract=contract, actor=request.user, today=selectors.registry_today(), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("%(contract)s now ends on %(end)s.") % {"contract": contract, "end": contract.end_date}
            )
            return HttpResponseRedirect(_lookup_url(contract.contractor))
    status = 400 if form.errors else 200
    return render(request, "registry/amend_form.html", {"form": form, "contract": contract}, status=status)


# --- Officers: watchlist --------------------------------------------------------------------------------------


@require_safe
@login_required
def watchlist(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    context = {
        "entries": selectors.watchlist_for_user(user=request.user),
        "notifications": selectors.registry_notifications_for_user(user=request.user),
    }
    return render(request, "registry/watchlist.html", context)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else reverse("registry:watchlist")


@require_POST
@login_required
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    _require_officer(request)
    contractor = _contractor_or_404(slug)
    watchlist_follow(user=request.user, contractor=contractor)
    messages.success(request, _("You now follow %(name)s.") % {"name": contractor.legal_name})
    return HttpResponseRedirect(_back(request))


@require_POST
@login_required
def unfollow(request: HttpRequest, slug: str) -> HttpResponse:
    _require_officer(request)
    contractor = _contractor_or_404(slug)
    watchlist_unfollow(user=request.user, contractor=contractor)
    messages.success(request, _("You no longer follow %(name)s.") % {"name": contractor.legal_name})
    return HttpResponseRedirect(_back(request))


urlpatterns: list[URLPattern] = [
    path("", lookup, name="lookup"),
    path("public-key", public_key, name="public_key"),
    path("verify-proof/", verify_proof, name="verify_proof"),
    path("my/", contractor_home, name="contractor_home"),
    path("my/<slug:slug>/new/", certification_new, name="certification_new"),
    path("my/certifications/<str:number>/", certification_edit, name="certification_edit"),
    path("my/certifications/<str:number>/submit/", certification_submit, name="certification_submit"),
    path("my/certifications/<str:number>/reopen/", certification_reopen, name="certification_reopen"),
    path("staff/", staff_queue, name="staff_queue"),
    path("staff/certifications/<str:number>/", staff_certification, name="staff_certification"),
    path("staff/certifications/<str:number>/<slug:action>/", staff_action, name="staff_action"),
    path("staff/contractors/<slug:slug>/sanctions/new/", staff_sanction, name="staff_sanction"),
    path("staff/contracts/<int:pk>/amend/", staff_amend, name="staff_amend"),
    path("watchlist/", watchlist, name="watchlist"),
    path("watchlist/<slug:slug>/follow/", follow, name="follow"),
    path("watchlist/<slug:slug>/unfollow/", unfollow, name="unfollow"),
    path("documents/<str:number>/", certification_document, name="certification_document"),
    path("<str:number>/", proof, name="proof"),
]

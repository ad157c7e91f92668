"""The reviewer queue and the decisions taken from it: override a finding (always with a reason), resolve a
contest, decide a membership request, mark a ``needs_review`` disclosure reviewed. Registry certifications
are listed here and decided on the registry's own staff page.

Reviewers and registry staff see the queue; the services check each decision's own role.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from disclosures.core.explain import area_label
from disclosures.core.types import AREAS
from disclosures.models import Finding
from disclosures.portal_forms import ContestResolveForm, MembershipDecisionForm, OverrideForm, form_add_service_errors
from disclosures.selectors import reviews as selectors
from disclosures.selectors.portal import disclosure_result
from disclosures.services.companies import membership_decide
from disclosures.services.reviews import disclosure_review_complete, finding_contest_resolve, finding_override

View = Callable[..., HttpResponse]
GET_POST = ["GET", "HEAD", "POST"]
PAGE_SIZE = 50


def review_view(view: View) -> View:
    """Reviewers and registry staff only; a decision the user's role does not allow is a 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            if not selectors.user_may_see_queue(request.user):
                raise PermissionDenied(_("The review queue is for reviewers and registry staff."))
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            return render(request, "review/forbidden.html", {"reason": str(error)}, status=403)

    return login_required(wrapper)


@review_view
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    filters = selectors.QueueFilters.from_query(request.GET)
    items = selectors.review_queue(filters=filters)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "counts": selectors.queue_counts(),
        "companies": selectors.queue_companies(),
        "areas": [(area, area_label(area)) for area in AREAS],
        "kinds": selectors.KINDS,
    }
    return render(request, "review/queue.html", context)


def _override_form(finding: Finding, status: str) -> OverrideForm:
    # One form per finding on the page; the prefix keeps their field ids apart.
    return OverrideForm(prefix=f"finding-{finding.pk}", initial={"status": status})


@review_view
@require_safe
def disclosure(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.review_disclosure_get(pk=pk)
    result = disclosure_result(disclosure=item)
    rows = [
        (
            finding_item,
            _override_form(finding_item.finding, finding_item.status),
            selectors.finding_history(finding=finding_item.finding),
        )
        for finding_item in (result.findings if result else [])
        if finding_item.finding is not None
    ]
    context = {"disclosure": item, "result": result, "rows": rows}
    return render(request, "review/disclosure.html", context)


@review_view
@require_POST
def disclosure_complete(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.review_disclosure_get(pk=pk)
    try:
        disclosure_review_complete(disclosure=item, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("review:disclosure", pk=item.pk)
    messages.success(request, _("Disclosure #%(id)s is marked reviewed and published.") % {"id": item.pk})
    return redirect("review:queue")


@review_view
@require_http_methods(GET_POST)
def override(request: HttpRequest, pk: int) -> HttpResponse:
    finding: Finding = selectors.review_finding_get(pk=pk)
    prefix = f"finding-{finding.pk}"
    form = OverrideForm(request.POST or None, prefix=prefix, initial={"status": finding.effective_status})
    if request.method == "POST" and form.is_valid():
        try:
            finding_override(finding=finding, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The finding is overridden; the scorer's original stays in its history."))
            return redirect("review:disclosure", pk=finding.score.disclosure_id)
    context = {"finding": finding, "form": form, "history": selectors.finding_history(finding=finding)}
    return render(request, "review/override.html", context, status=400 if form.errors else 200)


@review_view
@require_http_methods(GET_POST)
def contest(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.review_contest_get(pk=pk)
    form = ContestResolveForm(request.POST or None, initial={"status": item.finding.effective_status})
    if request.method == "POST" and form.is_valid():
        try:
            finding_contest_resolve(
                contest=item,
                user=request.user,
                upheld=form.cleaned_data["outcome"] == "upheld",
                note=form.cleaned_data["note"],
                status=form.cleaned_data["status"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The contest is resolved and the company notified."))
            return redirect("review:queue")
    context = {"contest": item, "form": form, "history": selectors.finding_history(finding=item.finding)}
    return render(request, "review/contest.html", context, status=400 if form.errors else 200)


@review_view
@require_http_methods(GET_POST)
def membership(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.review_membership_get(pk=pk)
    form = MembershipDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_decide(
                membership=item,
                decided_by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The request is decided and the user notified."))
            return redirect("review:queue")
    context = {"membership": item, "form": form, "facts": selectors.membership_facts(item)}
    return render(request, "review/membership.html", context, status=400 if form.errors else 200)


urlpatterns: list[URLPattern] = [
    path("", queue, name="queue"),
    path("disclosures/<int:pk>/", disclosure, name="disclosure"),
    path("disclosures/<int:pk>/reviewed/", disclosure_complete, name="disclosure_complete"),
    path("findings/<int:pk>/override/", override, name="override"),
    path("contests/<int:pk>/", contest, name="contest"),
    path("memberships/<int:pk>/", membership, name="membership"),
]

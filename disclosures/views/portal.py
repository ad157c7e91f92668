"""The company portal: a user's companies, requests, notifications and API tokens; per company its disclosure
versions, the current result with how-to-improve notes, version comparison, profile and brands, change log,
and contesting a finding. Company-scoped pages go through selectors that refuse non-representatives.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from disclosures.models import ApiToken, Company, Membership
from disclosures.portal_forms import (
    BrandForm,
    CompanyProfileForm,
    CompareForm,
    ContestForm,
    MembershipRequestForm,
    TokenCreateForm,
    form_add_service_errors,
)
from disclosures.selectors import portal as selectors
from disclosures.services.accounts import notifications_mark_read
from disclosures.services.companies import (
    company_brand_add,
    company_brand_remove,
    company_brand_update,
    company_profile_update,
    membership_request,
)
from disclosures.services.reviews import finding_contest_open
from disclosures.services.tokens import api_token_create, api_token_revoke

View = Callable[..., HttpResponse]
GET_POST = ["GET", "HEAD", "POST"]


def portal_view(view: View) -> View:
    """Signed-in users only; a refused company gets a page that says why and how to ask for access."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            context = {"reason": str(error), "slug": kwargs.get("slug", "")}
            return render(request, "portal/forbidden.html", context, status=403)

    return login_required(wrapper)


# --- the user's own things ---------------------------------------------------------------------------------------


@portal_view
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    context = {"overview": selectors.portal_home(user=request.user), "token_form": TokenCreateForm()}
    return render(request, "portal/home.html", context)


def _request_message(request: HttpRequest, membership: Membership) -> None:
    if membership.status == Membership.Status.APPROVED:
        messages.success(request, _("You can now act for %(company)s.") % {"company": membership.company.name})
        return
    messages.info(
        request,
        _("Your request to act for %(company)s is waiting for a reviewer.") % {"company": membership.company.name},
    )
    if not selectors.user_email_is_verified(user=request.user):
        messages.info(
            request,
            _("Confirm your email address: if it is at the company's web domain, you will be approved at once."),
        )


@portal_view
@require_http_methods(GET_POST)
def request_membership(request: HttpRequest) -> HttpResponse:
    initial = {"company": request.GET.get("company", "")}
    form = MembershipRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        company: Company = form.cleaned_data["company"]
        try:
            membership = membership_request(user=request.user, company=company, message=form.cleaned_data["message"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            _request_message(request, membership)
            if membership.status == Membership.Status.APPROVED:
                return redirect("portal:company", slug=company.slug)
            return redirect("portal:home")
    return render(request, "portal/request.html", {"form": form})


@portal_view
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=request.user)
    return redirect("portal:home")


@portal_view
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            token, raw = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            # Rendered, not redirected: the raw key must not travel through the session or a URL.
            response = render(request, "portal/token_created.html", {"token": token, "raw_key": raw})
            response["Cache-Control"] = "no-store"
            return response
    context = {"overview": selectors.portal_home(user=request.user), "token_form": form}
    return render(request, "portal/home.html", context, status=400)


@portal_view
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404(_("No such token."))
    api_token_revoke(token=token, user=request.user)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("portal:home")


# --- one company -------------------------------------------------------------------------------------------------


@portal_view
@require_safe
def company(request: HttpRequest, slug: str) -> HttpResponse:
    company = selectors.company_get_for_representative(user=request.user, slug=slug)
    context = {
        "company": company,
        "result": selectors.company_current_result(company=company),
        "versions": selectors.company_versions(company=company),
    }
    return render(request, "portal/company.html", context)


@portal_view
@require_safe
def disclosure(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    company = selectors.company_get_for_representative(user=request.user, slug=slug)
    item = selectors.disclosure_get_for_company(company=company, pk=pk)
    context = {
        "company": company,
        "disclosure": item,
        "result": selectors.disclosure_result(disclosure=item),
        "scores": list(item.scores.order_by("-scored_at")),
    }
    return render(request, "portal/disclosure.html", context)


@portal_view
@require_safe
def compare(request: HttpRequest, slug: str) -> HttpResponse:
    company = selectors.company_get_for_representative(user=request.user, slug=slug)
    scores = selectors.company_scores(company=company)
    context: dict[str, Any] = {"company": company, "scores": scores, "comparison": None}
    if len(scores) < 2:  # noqa: PLR2004 - a comparison needs two versions
        return render(request, "portal/compare.html", context)
    data = request.GET if "a" in request.GET else {"a": scores[1].pk, "b": scores[0].pk}
    form = CompareForm(data, scores=scores)
    if form.is_valid():
        context["comparison"] = selectors.score_comparison(
            first=selectors.company_score_get(company=company, pk=form.cleaned_data["a"]),
            second=selectors.company_score_get(company=company, pk=form.cleaned_data["b"]),
        )
    context["form"] = form
    return render(request, "portal/compare.html", context)


@portal_view
@require_safe
def history(request: HttpRequest, slug: str) -> HttpResponse:
    company = selectors.company_get_for_representative(user=request.user, slug=slug)
    events = selectors.company_change_log(company=company)
    return render(request, "portal/history.html", {"company": company, "events": events})


# --- profile and brands ------------------------------------------------------------------------------------------


def _profile_initial(company: Company) -> dict[str, Any]:
    return {
        "website": company.website,
        "disclosure_url": company.disclosure_url,
        "aliases": "\n".join(str(alias) for alias in company.aliases or []),
    }


def _brand_form(brand: Any) -> BrandForm:
    aliases = "\n".join(alias.alias for alias in brand.aliases.all())
    return BrandForm(initial={"name": brand.name, "aliases": aliases}, prefix=f"brand-{brand.pk}")


def _profile_page(request: HttpRequest, company: Company, **forms: Any) -> dict[str, Any]:
    brands = list(selectors.company_brands(company=company))
    return {
        "company": company,
        "form": forms.get("form") or CompanyProfileForm(initial=_profile_initial(company)),
        "brand_form": forms.get("brand_form") or BrandForm(prefix="new"),
        "brands": [(brand, _brand_form(brand)) for brand in brands],
    }


@portal_view
@require_http_methods(GET_POST)
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    company = selectors.company_get_for_representative(user=request.user, slug=slug)
    form = CompanyProfileForm(request.POST or None, initial=_profile_initial(company))
    if request.method == "POST" and form.is_valid():
        try:
            company_profile_update(company=company, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The company profile is saved."))
            return redirect("portal:profile", slug=company.slug)
    status = 400 if form.errors else 200
    return render(request, "portal/profile.html", _profile_page(request, company, form=form), status=status)


@portal_view
@require_POST
def brand_add(request: HttpRequest, slug: str) -> HttpResponse:
    company = selectors.company_get_for_representative(user=request.user, slug=slug)
    form = BrandForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            brand = company_brand_add(company=company, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The brand %(name)s is added.") % {"name": brand.name})
            return redirect("portal:profile", slug=company.slug)
    context = _profile_page(request, company, brand_form=form)
    return render(request, "portal/profile.html", context, status=400)


@portal_view
@require_http_methods(GET_POST)
def brand_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    company = selectors.company_get_for_representative(user=request.user, slug=slug)
    brand = selectors.company_brand_get(company=company, pk=pk)
    form = BrandForm(request.POST, prefix=f"brand-{brand.pk}") if request.method == "POST" else _brand_form(brand)
    if request.method == "POST" and form.is_valid():
        try:
            company_brand_update(brand=brand, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The brand %(name)s is saved.") % {"name": brand.name})
            return redirect("portal:profile", slug=company.slug)
    status = 400 if form.errors else 200
    return render(request, "portal/brand_edit.html", {"company": company, "brand": brand, "form": form}, status=status)


@portal_view
@require_POST
def brand_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    company = selectors.company_get_for_representative(user=request.user, slug=slug)
    brand = selectors.company_brand_get(company=company, pk=pk)
    company_brand_remove(brand=brand, user=request.user)
    messages.success(request, _("The brand %(name)s is removed.") % {"name": brand.name})
    return redirect("portal:profile", slug=company.slug)


# --- right of reply ----------------------------------------------------------------------------------------------


@portal_view
@require_http_methods(GET_POST)
def contest(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get_for_representative(user=request.user, pk=pk)
    company = finding.score.disclosure.company
    form = ContestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            finding_contest_open(finding=finding, user=request.user, explanation=form.cleaned_data["explanation"])
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request, _("Your contest is recorded. The finding shows as contested until a reviewer decides.")
            )
            return redirect("portal:disclosure", slug=company.slug, pk=finding.score.disclosure_id)
    result = selectors.score_result(score=finding.score)
    item = next(f for f in result.findings if f.area == finding.area)
    context = {"company": company, "finding": finding, "item": item, "form": form}
    return render(request, "portal/contest.html", context, status=400 if form.errors else 200)


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("request/", request_membership, name="request"),
    path("notifications/read/", notifications_read, name="notifications_read"),
    path("tokens/", token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", token_revoke, name="token_revoke"),
    path("companies/<slug:slug>/", company, name="company"),
    path("companies/<slug:slug>/disclosures/<int:pk>/", disclosure, name="disclosure"),
    path("companies/<slug:slug>/compare/", compare, name="compare"),
    path("companies/<slug:slug>/history/", history, name="history"),
    path("companies/<slug:slug>/profile/", profile, name="profile"),
    path("companies/<slug:slug>/brands/add/", brand_add, name="brand_add"),
    path("companies/<slug:slug>/brands/<int:pk>/", brand_edit, name="brand_edit"),
    path("companies/<slug:slug>/brands/<int:pk>/delete/", brand_delete, name="brand_delete"),
    path("findings/<int:pk>/contest/", contest, name="contest"),
]

"""Accounts: sign in (throttled) and out, sign up with email verification, password reset and change.

URL names are not namespaced (``login``, ``logout``, ``signup``, ``password_reset`` ...), matching Django's
own auth views, which reverse ``password_reset_done`` and friends by those names.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from disclosures.portal_forms import (
    SignUpForm,
    ThrottledAuthenticationForm,
    ThrottledPasswordResetForm,
    form_add_service_errors,
)
from disclosures.services.accounts import email_verification_confirm, email_verification_resend, user_sign_up


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm

    def form_invalid(self, form: Form) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, code="throttled"):
            response.status_code = 429  # Too Many Requests: scripts see it, people see the message
        return response


@require_http_methods(["GET", "HEAD", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_sign_up(email=form.cleaned_data["email"], password=form.cleaned_data["password1"])
        except ValidationError as error:
            form_add_service_errors(form, error, aliases={"password": "password1", "username": "email"})
        else:
            # The same page whether the address was new or already registered: no account enumeration.
            return redirect("signup_done")
    return render(request, "accounts/signup.html", {"form": form})


@require_safe
def sign_up_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_done.html")


@require_http_methods(["GET", "HEAD", "POST"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirm button (so link scanners that fetch URLs verify nothing); POST verifies."""
    if request.method != "POST":
        return render(request, "accounts/verify_email.html", {"token": token})
    try:
        user = email_verification_confirm(token=token)
    except ValidationError as error:
        return render(request, "accounts/verify_email.html", {"token": token, "error": error.messages[0]}, status=400)
    messages.success(request, _("Your email address %(email)s is confirmed.") % {"email": user.email})
    if request.user.is_authenticated:
        return redirect("portal:home")
    return redirect("login")


@login_required
@require_POST
def verify_email_resend(request: HttpRequest) -> HttpResponse:
    if email_verification_resend(user=request.user):
        messages.success(request, _("We sent a new confirmation link to %(email)s.") % {"email": request.user.email})
    else:
        messages.info(request, _("No new link was sent: your address is confirmed, or we sent one a minute ago."))
    return redirect("portal:home")


_reset = {
    "form_class": ThrottledPasswordResetForm,
    "email_template_name": "accounts/password_reset_email.txt",
    "subject_template_name": "accounts/password_reset_subject.txt",
    "template_name": "accounts/password_reset_form.html",
    "success_url": reverse_lazy("password_reset_done"),
}

urlpatterns: list[URLPattern] = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", sign_up, name="signup"),
    path("signup/done/", sign_up_done, name="signup_done"),
    path("verify/resend/", verify_email_resend, name="verify_email_resend"),
    path("verify/<str:token>/", verify_email, name="verify_email"),
    # Django's reset views answer the same whether or not the address has an account.
    path("password/reset/", auth_views.PasswordResetView.as_view(**_reset), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html", success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change_form.html", success_url=reverse_lazy("password_change_done")
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
]

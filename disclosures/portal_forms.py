"""Forms of the accounts, portal and review pages. They parse and validate input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from disclosures.models import Company, DisclosureScore
from disclosures.models.filings import FindingStatus
from disclosures.selectors.portal import company_find
from disclosures.services.accounts import (
    LOGIN_FAILURE_WINDOW_SECONDS,
    login_failure_record,
    login_failures_reset,
    login_is_throttled,
    password_reset_email_allowed,
)


def lazy_join(texts: Any) -> Any:
    """Validator help texts joined into one sentence-like line, translated when rendered."""
    return lazy(lambda: " ".join(str(text) for text in texts()), str)()


def client_ip(request: HttpRequest | None) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return (request.META.get("REMOTE_ADDR") or "unknown") if request is not None else "unknown"


def lines(value: str) -> list[str]:
    """One item per line (commas also separate), blanks dropped."""
    return [part.strip() for line in value.splitlines() for part in line.split(",") if part.strip()]


# --- accounts --------------------------------------------------------------------------------------------------


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's sign-in form plus a failure counter per IP address and username (services.accounts)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed sign-in attempts for this account from your network. Wait %(minutes)d minutes and "
            "try again, or reset your password."
        ),
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email or username")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request)
        if login_is_throttled(ip=ip, username=username):
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": LOGIN_FAILURE_WINDOW_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            login_failure_record(ip=ip, username=username)
            raise
        login_failures_reset(ip=ip, username=username)
        return cleaned


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending at most a few emails per address an hour; the response never changes."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        if password_reset_email_allowed(email=to_email):
            super().send_mail(
                subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name
            )


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("Work email"),
        max_length=150,
        help_text=_("Use your company address: a confirmed company address lets us approve you automatically."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy_join(password_validators_help_texts),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


# --- portal ----------------------------------------------------------------------------------------------------


class MembershipRequestForm(forms.Form):
    company = forms.CharField(
        label=_("Company"),
        max_length=255,
        help_text=_("The company's name as we list it, or its address on this site."),
    )
    message = forms.CharField(
        label=_("Your role at the company"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Helps a reviewer decide when your email address is not at the company's domain."),
    )

    def clean_company(self) -> Company:
        matches = company_find(query=self.cleaned_data["company"])
        if not matches:
            raise ValidationError(_("No company of that name is listed. Check the spelling."), code="none")
        if len(matches) > 1:
            names = ", ".join(company.name for company in matches[:5])
            raise ValidationError(
                _("Several companies match: %(names)s. Type the full name."), code="many", params={"names": names}
            )
        return matches[0]


class CompanyProfileForm(forms.Form):
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    disclosure_url = forms.URLField(
        label=_("Disclosure web address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Where your homepage's disclosure link leads."),
    )
    aliases = forms.CharField(
        label=_("Other company names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Former or trading names, one per line."),
    )

    def clean_aliases(self) -> list[str]:
        return lines(self.cleaned_data["aliases"])


class BrandForm(forms.Form):
    name = forms.CharField(label=_("Brand name"), max_length=255)
    aliases = forms.CharField(
        label=_("Other spellings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Other names shoppers type for this brand, one per line."),
    )

    def clean_aliases(self) -> list[str]:
        return lines(self.cleaned_data["aliases"])


class ContestForm(forms.Form):
    explanation = forms.CharField(
        label=_("Why is this finding wrong?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Point to the page and sentence of your disclosure that the finding missed or misread."),
    )


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("Name it after the system that will use it.")
    )


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=_("Older version"), coerce=int)
    b = forms.TypedChoiceField(label=_("Newer version"), coerce=int)

    def __init__(self, *args: Any, scores: list[DisclosureScore], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(score.pk, score_label(score)) for score in scores]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("a") is not None and cleaned.get("a") == cleaned.get("b"):
            raise ValidationError(_("Choose two different versions."), code="same")
        return cleaned


def score_label(score: DisclosureScore) -> str:
    return _("Disclosure #%(id)s of %(date)s, rubric %(rubric)s, grade %(grade)s") % {
        "id": score.disclosure_id,
        "date": score.disclosure.created_at.date().isoformat(),
        "rubric": score.rubric_version,
        "grade": score.grade,
    }


# --- review ----------------------------------------------------------------------------------------------------


class OverrideForm(forms.Form):
    status = forms.ChoiceField(label=_("Status to show"), choices=FindingStatus.choices)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Required. Shown on the public page next to the overridden finding."),
    )


class ContestResolveForm(forms.Form):
    OUTCOMES = (("upheld", _("Uphold: change the finding")), ("dismissed", _("Dismiss: the finding stands")))
    outcome = forms.ChoiceField(label=_("Decision"), choices=OUTCOMES, widget=forms.RadioSelect)
    status = forms.ChoiceField(
        label=_("New status (when upheld)"),
        choices=[("", _("Choose a status")), *FindingStatus.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Explanation for the company"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class MembershipDecisionForm(forms.Form):
    DECISIONS = (("approve", _("Approve")), ("reject", _("Decline")))
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("Required when declining; the user sees it."),
    )


def form_add_service_errors(form: forms.Form, error: ValidationError, *, aliases: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: on the named field (or its alias) when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            name = (aliases or {}).get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)

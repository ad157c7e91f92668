"""Forms. Each area has its own clearly marked section; forms collect input, services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# --- Filings: disclosure intake -------------------------------------------------------------------------


class DisclosureSubmitForm(forms.Form):
    """One of three ways to give a disclosure; the service checks there is exactly one and that it fits."""

    # Which field a service rejection belongs to; others are shown at the top of the form.
    FIELD_FOR_CODE = {
        "empty_file": "file",
        "bad_url": "url",
        "bad_url_scheme": "url",
        "private_url": "url",
        "empty_text": "text",
    }

    file = forms.FileField(
        label=_("A PDF file"),
        required=False,
        allow_empty_file=True,  # the service says why an empty file cannot be read
        help_text=_("PDF, plain text or a saved web page. We keep the original exactly as you send it."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf,.txt,text/plain,.html,.htm"}),
    )
    url = forms.CharField(
        label=_("Web address of the disclosure"),
        required=False,
        max_length=2000,
        help_text=_("The page or PDF on your website, starting with https://"),
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url", "autocomplete": "url"}),
    )
    text = forms.CharField(
        label=_("The text of the disclosure"),
        required=False,
        strip=False,
        help_text=_(
            "Paste the whole statement, headings included. Very long text (over 5 MB) must be uploaded as a .txt file."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def add_rejection(self, code: str, reason: str, *, source: str = "") -> None:
        field = self.FIELD_FOR_CODE.get(code)
        if code == "too_large":
            field = "text" if source == "text" else "file"
        self.add_error(field, reason)

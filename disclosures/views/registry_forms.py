"""Forms for the registry pages: they validate input shapes and hand plain values to services and selectors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from disclosures.models import Certification, Contractor, Sanction
from disclosures.models.registry import CertificationType, VerificationMethod
from disclosures.selectors.registry import LookupQuery
from disclosures.services.registry import CertificationDraftFields, SanctionFields

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LookupForm(forms.Form):
    BY_CHOICES = [
        ("any", _("Anything (number, SoS number, supplier id or name)")),
        ("number", _("Registry number")),
        ("sos_number", _("Secretary of State number")),
        ("supplier_id", _("Supplier id")),
        ("name", _("Contractor name")),
    ]
    q = forms.CharField(
        label=_("Registry number, Secretary of State number, supplier id or name"),
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    by = forms.ChoiceField(label=_("Search by"), choices=BY_CHOICES, required=False, initial="any")
    contract = forms.CharField(label=_("Contract or solicitation number (optional)"), max_length=60, required=False)
    as_of = forms.DateField(
        label=_("As of (optional)"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Leave empty for today in California."),
    )

    def to_query(self) -> LookupQuery:
        data = self.cleaned_data
        text = data["q"].strip()
        field = {"number": "number", "sos_number": "sos_number", "supplier_id": "supplier_id", "name": "name"}.get(
            data.get("by") or "any", "contractor"
        )
        return LookupQuery(**{field: text}, contract=data.get("contract", "").strip(), as_of=data.get("as_of"))


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE_WIDGET)


class VerifyProofForm(forms.Form):
    proof = forms.CharField(
        label=_("Paste the proof"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "class": "mono"}),
        help_text=_("Everything from BEGIN REGISTRY PROOF to END REGISTRY PROOF, or the six lines in between."),
    )


class CertificationDraftForm(forms.Form):
    cert_type = forms.ChoiceField(label=_("Certification"), choices=CertificationType.choices)
    contract = forms.ModelChoiceField(label=_("Contract"), queryset=None, required=False)
    solicitation_number = forms.CharField(
        label=_("Or a solicitation number"),
        max_length=60,
        required=False,
        help_text=_("When the contract is not awarded yet."),
    )
    form_revision = forms.CharField(label=_("Form revision"), max_length=40, required=False)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=200, required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200, required=False)
    signed_date = forms.DateField(label=_("Date signed"), required=False, widget=DATE_WIDGET)
    under_penalty_of_perjury = forms.BooleanField(
        label=_("Signed under penalty of perjury under the laws of the State of California"), required=False
    )
    access_cooperation = forms.BooleanField(
        label=_("Agrees to give the agency, DIR and DOJ reasonable access to records, employees and premises"),
        required=False,
    )
    document = forms.FileField(
        label=_("Signed document (PDF, PNG or JPEG)"),
        required=False,
        help_text=_("Replaces any document attached before."),
    )

    def __init__(self, *args: Any, contractor: Contractor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contractor.contracts.order_by("-start_date")

    def to_fields(self) -> CertificationDraftFields:
        data = self.cleaned_data
        return CertificationDraftFields(
            cert_type=data["cert_type"],
            contract=data.get("contract"),
            solicitation_number=data.get("solicitation_number", ""),
            form_revision=data.get("form_revision", ""),
            signer_name=data.get("signer_name", ""),
            signer_title=data.get("signer_title", ""),
            signed_date=data.get("signed_date"),
            under_penalty_of_perjury=bool(data.get("under_penalty_of_perjury")),
            access_cooperation=bool(data.get("access_cooperation")),
        )

    @staticmethod
    def initial_from(certification: Certification) -> dict[str, Any]:
        names = [name for name in CertificationDraftFields.__slots__]
        return {name: getattr(certification, name) for name in names}


class VerifyForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How was it verified?"),
        choices=[
            (VerificationMethod.DOCUMENT_REVIEWED, VerificationMethod.DOCUMENT_REVIEWED.label),
            (VerificationMethod.AGENCY_CONFIRMED, VerificationMethod.AGENCY_CONFIRMED.label),
            (VerificationMethod.SELF_REPORTED, _("Accepted as self-reported (not checked)")),
        ],
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class SupersedeForm(ReasonForm):
    replacement = forms.ChoiceField(label=_("Replaced by"), choices=())

    def __init__(self, *args: Any, numbers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["replacement"].choices = [(number, number) for number in numbers]


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Sanction"), choices=Sanction.Kind.choices)
    contract = forms.ModelChoiceField(label=_("Contract (optional)"), queryset=None, required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DATE_WIDGET)
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Required for a removal from the bidders list: at most 360 days after the start."),
    )
    tainted_goods_value = forms.DecimalField(
        label=_("Value of the tainted goods ($)"), required=False, min_value=0, decimal_places=2, max_digits=14
    )
    penalty_amount = forms.DecimalField(
        label=_("Penalty ($)"),
        required=False,
        min_value=0,
        decimal_places=2,
        max_digits=14,
        help_text=_("Leave empty to compute it: the greater of $1,000 or 20% of the tainted goods' value."),
    )
    authority = forms.CharField(label=_("Authority"), max_length=200)
    hearing_reference = forms.CharField(label=_("Hearing reference"), max_length=100, required=False)
    is_public = forms.BooleanField(label=_("Public"), required=False, initial=True)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, contractor: Contractor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contractor.contracts.order_by("-start_date")

    def to_fields(self) -> SanctionFields:
        data = self.cleaned_data
        return SanctionFields(
            kind=data["kind"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            authority=data["authority"],
            contract=data.get("contract"),
            tainted_goods_value=data.get("tainted_goods_value"),
            penalty_amount=data.get("penalty_amount"),
            hearing_reference=data.get("hearing_reference", ""),
            is_public=bool(data.get("is_public")),
            notes=data.get("notes", ""),
        )


class AmendmentForm(forms.Form):
    reference = forms.CharField(label=_("Amendment reference"), max_length=60)
    signed_date = forms.DateField(label=_("Date signed"), widget=DATE_WIDGET)
    new_end_date = forms.DateField(label=_("New end date"), widget=DATE_WIDGET)

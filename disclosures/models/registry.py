"""The contractor certification registry (REGISTRY.md §2)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Contractor(models.Model):
    legal_name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=120, unique=True)
    other_names = models.JSONField(default=list, blank=True)
    sos_number = models.CharField("Secretary of State entity number", max_length=20, unique=True, null=True, blank=True)
    supplier_id = models.CharField("State supplier id", max_length=20, unique=True, null=True, blank=True)
    address = models.TextField(blank=True)
    website = models.URLField(blank=True)
    tax_id_last4 = models.CharField(
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", "Only the last four digits of the tax id, never the full number.")],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["legal_name"]

    def __str__(self) -> str:
        return self.legal_name


class ContractorMembership(models.Model):
    """A contractor's own staff: they see and edit only their contractor's entries."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contractor_memberships")
    contractor = models.ForeignKey(Contractor, on_delete=models.CASCADE, related_name="staff")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "contractor"], name="contractor_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.contractor}"


class ContractCategory(models.TextChoices):
    APPAREL = "apparel", _("Apparel, garments and accessories")
    LAUNDERING = "laundering", _("Laundering")
    EQUIPMENT_SUPPLIES = "equipment_supplies", _("Equipment, materials or supplies")
    PUBLIC_WORKS = "public_works", _("Public works")
    OTHER_SERVICES = "other_services", _("Other services")


class Contract(models.Model):
    contractor = models.ForeignKey(Contractor, on_delete=models.CASCADE, related_name="contracts")
    agency = models.CharField(max_length=255)
    number = models.CharField("contract or solicitation number", max_length=60)
    is_solicitation = models.BooleanField(default=False, help_text="Still a solicitation, not an awarded contract.")
    category = models.CharField(max_length=20, choices=ContractCategory.choices)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(help_text="Current end date, after amendments.")
    performed_abroad = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="contract_unique_number_per_agency"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="contract_dates_order"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0) | models.Q(value__isnull=True), name="contract_value_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.number}"


class ContractAmendment(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="amendments")
    reference = models.CharField(max_length=60)
    signed_date = models.DateField()
    previous_end_date = models.DateField()
    new_end_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(new_end_date__gte=models.F("previous_end_date")), name="amendment_extends_end_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} amendment {self.reference}"


class CertificationType(models.TextChoices):
    PCC6108 = "pcc6108", _("Public Contract Code § 6108 certification")
    SWEATFREE_CODE = "sweatfree_code", _("Sweatfree Code of Conduct statement")
    FAR_52_222_56 = "far_52_222_56", _("Anti-trafficking compliance plan (FAR 52.222-56 model)")
    RECRUITMENT_COMMITMENTS = "recruitment_commitments", _("Recruitment commitments (no fees, no withheld IDs)")


class CertificationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    REJECTED = "rejected", _("Rejected")


class VerificationMethod(models.TextChoices):
    DOCUMENT_REVIEWED = "document_reviewed", _("Document reviewed by registry staff")
    AGENCY_CONFIRMED = "agency_confirmed", _("Confirmed by the contracting agency")
    SELF_REPORTED = "self_reported", _("Self-reported, not yet verified")


def certification_document_upload_to(instance: Certification, filename: str) -> str:
    return f"certifications/{instance.contractor_id}/{instance.document_sha256 or 'pending'}.bin"


class Certification(models.Model):
    number = models.CharField("registry number", max_length=20, unique=True)
    contractor = models.ForeignKey(Contractor, on_delete=models.CASCADE, related_name="certifications")
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.SET_NULL, related_name="certifications"
    )
    solicitation_number = models.CharField(max_length=60, blank=True)
    cert_type = models.CharField(max_length=30, choices=CertificationType.choices)
    form_revision = models.CharField(max_length=40, blank=True)
    signer_name = models.CharField(max_length=200, blank=True)
    signer_title = models.CharField(max_length=200, blank=True)
    signed_date = models.DateField(null=True, blank=True)
    under_penalty_of_perjury = models.BooleanField(default=False)
    access_cooperation = models.BooleanField(default=False, help_text="Agrees to give agencies access to records.")
    document = models.FileField(upload_to=certification_document_upload_to, blank=True, max_length=300)
    document_sha256 = models.CharField(max_length=64, blank=True)
    verification_method = models.CharField(
        max_length=20, choices=VerificationMethod.choices, default=VerificationMethod.SELF_REPORTED
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=CertificationStatus.choices, default=CertificationStatus.DRAFT, db_index=True
    )
    status_reason = models.TextField(blank=True)
    effective_from = models.DateField(null=True, blank=True)
    effective_to = models.DateField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_from__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="certification_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Sanction(models.Model):
    class Kind(models.TextChoices):
        CONTRACT_VOIDED = "contract_voided", _("Contract voided")
        PENALTY = "penalty", _("Monetary penalty")
        BIDDERS_LIST_REMOVAL = "bidders_list_removal", _("Removal from the bidders list")
        PAYMENT_SUSPENSION = "payment_suspension", _("Payment suspension")
        OTHER = "other", _("Other")

    contractor = models.ForeignKey(Contractor, on_delete=models.CASCADE, related_name="sanctions")
    contract = models.ForeignKey(Contract, null=True, blank=True, on_delete=models.SET_NULL, related_name="sanctions")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    tainted_goods_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    penalty_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    authority = models.CharField(max_length=200)
    hearing_reference = models.CharField(max_length=100, blank=True)
    is_public = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="sanction_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} against {self.contractor}"


class RegistrySettings(models.Model):
    """Admin-editable registry settings (a single row)."""

    current_form_revision = models.CharField(max_length=40, default="CCC 04/2017")
    recruitment_commitments_required = models.BooleanField(default=False)
    far_threshold = models.DecimalField(max_digits=14, decimal_places=2, default=550_000)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "registry settings"

    def __str__(self) -> str:
        return f"Registry settings (form {self.current_form_revision})"


class WatchlistEntry(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watchlist")
    contractor = models.ForeignKey(Contractor, on_delete=models.CASCADE, related_name="watchers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "watchlist entries"
        constraints = [models.UniqueConstraint(fields=["user", "contractor"], name="watchlist_unique")]

    def __str__(self) -> str:
        return f"{self.user} watches {self.contractor}"

"""Disclosures, their extracted pages, and the scores and findings computed from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from disclosures.models.companies import Company


class Area(models.TextChoices):
    VERIFICATION = "verification", _("Verification")
    AUDITS = "audits", _("Audits")
    CERTIFICATION = "certification", _("Certification")
    ACCOUNTABILITY = "accountability", _("Accountability")
    TRAINING = "training", _("Training")


class FindingStatus(models.TextChoices):
    DOES = "does", _("Does")
    DOES_HEDGED = "does_hedged", _("Does, with hedges")
    DOES_NOT = "does_not", _("Says it does not")
    SILENT = "silent", _("Silent")
    UNCLEAR = "unclear", _("Unclear")


class Tier(models.TextChoices):
    COMPLETE = "complete", _("Complete")
    SUBSTANTIAL = "substantial", _("Substantial")
    PARTIAL = "partial", _("Partial")
    MINIMAL = "minimal", _("Minimal")
    NONE = "none", _("None")


def disclosure_upload_to(instance: Disclosure, filename: str) -> str:
    # The stored name never uses the uploader's file name: only the company id and the content hash.
    return f"disclosures/{instance.company_id}/{instance.sha256}.bin"


class Disclosure(models.Model):
    class Source(models.TextChoices):
        UPLOAD = "upload", _("Uploaded file")
        URL = "url", _("Web page or PDF URL")
        TEXT = "text", _("Pasted text")
        DISCOVERED = "discovered", _("Discovered from the homepage")

    class ContentKind(models.TextChoices):
        UNKNOWN = "unknown", _("Not yet known")
        PDF = "pdf", _("PDF")
        HTML = "html", _("Web page")
        TEXT = "text", _("Plain text")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        EXTRACTING = "extracting", _("Extracting text")
        SCORING = "scoring", _("Scoring")
        SCORED = "scored", _("Scored")
        NEEDS_REVIEW = "needs_review", _("Needs review")
        FAILED = "failed", _("Failed")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="disclosures")
    source = models.CharField(max_length=12, choices=Source.choices)
    content_kind = models.CharField(max_length=10, choices=ContentKind.choices, default=ContentKind.UNKNOWN)
    original_file = models.FileField(upload_to=disclosure_upload_to, max_length=300, blank=True)
    original_filename = models.CharField(max_length=255, blank=True, help_text="As the uploader named it.")
    source_url = models.URLField(max_length=2000, blank=True)
    final_url = models.URLField(max_length=2000, blank=True, help_text="After redirects.")
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, help_text="Of the original bytes.")
    byte_size = models.PositiveBigIntegerField(default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="disclosures"
    )
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    failure_code = models.CharField(max_length=40, blank=True)
    failure_reason = models.TextField(blank=True, help_text="Plain-language reason shown to the submitter.")
    page_count = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0, help_text="Progress while extracting.")
    reporting_period = models.CharField(max_length=60, blank=True)
    reporting_year = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    processing_started_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["pages_done", "updated_at"])

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"
        constraints = [
            models.UniqueConstraint(
                fields=["company", "sha256"],
                condition=~models.Q(sha256=""),
                name="disclosure_unique_sha256_per_company",
            ),
            models.CheckConstraint(
                condition=models.Q(pages_done__lte=models.F("page_count")) | models.Q(page_count=0),
                name="disclosure_progress_within_pages",
            ),
        ]
        indexes = [models.Index(fields=["company", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.company} disclosure #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SCORED, self.Status.NEEDS_REVIEW, self.Status.FAILED}


class DisclosurePage(models.Model):
    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(help_text="1-based page number.")
    text = models.TextField()

    class Meta:
        ordering = ["disclosure", "number"]
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "number"], name="page_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="page_number_positive"),
        ]

    def __str__(self) -> str:
        return f"page {self.number} of {self.disclosure_id}"


class DisclosureScore(models.Model):
    class Cause(models.TextChoices):
        NEW_DISCLOSURE = "new_disclosure", _("New disclosure")
        RUBRIC_CHANGE = "rubric_change", _("Rubric change")
        RESCORE = "rescore", _("Re-scored, same rubric")

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="scores")
    rubric_version = models.CharField(max_length=40)
    rubric_sha256 = models.CharField(max_length=64, blank=True, help_text="Exact rubric file content scored with.")
    cause = models.CharField(max_length=20, choices=Cause.choices, default=Cause.NEW_DISCLOSURE)
    compliance_score = models.PositiveSmallIntegerField()
    practice_score = models.PositiveSmallIntegerField()
    tier = models.CharField(max_length=12, choices=Tier.choices)
    grade = models.CharField(max_length=1)
    flags = models.JSONField(default=list, blank=True)
    crosswalk = models.JSONField(default=dict, blank=True)
    homepage_checked = models.BooleanField(default=False)
    homepage_signal = models.JSONField(
        null=True, blank=True, help_text="{link_found, label_understandable} when a homepage check was scored."
    )
    beyond_statute = models.JSONField(default=list, blank=True, help_text="Practices beyond what the law asks.")
    automatic = models.JSONField(
        default=dict, blank=True, help_text="The scorer's own scores, tier and grade, before reviewer overrides."
    )
    scored_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-scored_at"]
        get_latest_by = "scored_at"
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "rubric_version"], name="score_unique_rubric_per_disclosure"),
            models.CheckConstraint(condition=models.Q(compliance_score__lte=100), name="score_compliance_max_100"),
            models.CheckConstraint(condition=models.Q(practice_score__lte=100), name="score_practice_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.disclosure} · {self.rubric_version} · {self.grade}"


class Finding(models.Model):
    score = models.ForeignKey(DisclosureScore, on_delete=models.CASCADE, related_name="findings")
    area = models.CharField(max_length=16, choices=Area.choices)
    status = models.CharField(max_length=12, choices=FindingStatus.choices, help_text="As the scorer found it.")
    qualifiers = models.JSONField(default=dict, blank=True)
    signals = models.JSONField(default=list, blank=True, help_text="Quality signals found for this area.")
    confidence = models.FloatField(default=1.0)
    evidence = models.JSONField(default=list, blank=True, help_text="[{quote, page, start, end}]")
    overridden_status = models.CharField(max_length=12, choices=FindingStatus.choices, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["score", "area"]
        constraints = [
            models.UniqueConstraint(fields=["score", "area"], name="finding_unique_area_per_score"),
            models.CheckConstraint(
                condition=models.Q(overridden_status="") | ~models.Q(override_reason=""),
                name="finding_override_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.effective_status}"

    @property
    def effective_status(self) -> str:
        return self.overridden_status or self.status

    @property
    def is_overridden(self) -> bool:
        return bool(self.overridden_status)


class FindingContest(models.Model):
    """A company's right of reply against one finding."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld: finding changed")
        DISMISSED = "dismissed", _("Dismissed: finding stands")

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="contests")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    explanation = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["finding"], condition=models.Q(status="open"), name="contest_one_open_per_finding"
            ),
        ]

    def __str__(self) -> str:
        return f"contest of {self.finding} ({self.status})"

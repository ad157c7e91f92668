"""Companies, their brands, who may act for them, and what we found on their homepages."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Industry(models.TextChoices):
    APPAREL = "apparel", _("Apparel and footwear")
    FOOD = "food", _("Food and beverages")
    ELECTRONICS = "electronics", _("Electronics")
    TOYS = "toys", _("Toys and games")
    HOME_GOODS = "home_goods", _("Home goods")
    RETAIL = "retail", _("General retail")
    OTHER = "other", _("Other")


class RevenueBand(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    UNDER_100M = "under_100m", _("Under $100 million")
    FROM_100M_TO_1B = "100m_1b", _("$100 million to $1 billion")
    OVER_1B = "over_1b", _("Over $1 billion")


class Coverage(models.TextChoices):
    LIKELY_COVERED = "likely_covered", _("Likely covered")
    LIKELY_NOT = "likely_not", _("Likely not covered")
    UNKNOWN = "unknown", _("Unknown")


class Company(models.Model):
    name = models.CharField(max_length=255, help_text="Legal name as the company uses it.")
    slug = models.SlugField(max_length=120, unique=True)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names, e.g. former or trading names.")
    website = models.URLField(blank=True)
    disclosure_url = models.URLField(blank=True, max_length=500)
    industry = models.CharField(max_length=20, choices=Industry.choices, default=Industry.OTHER)
    naics_code = models.CharField(max_length=6, blank=True, help_text="Principal activity, NAICS code.")
    revenue_band = models.CharField(max_length=20, choices=RevenueBand.choices, default=RevenueBand.UNKNOWN)
    sells_in_california = models.BooleanField(null=True, blank=True)
    coverage = models.CharField(max_length=20, choices=Coverage.choices, default=Coverage.UNKNOWN)
    coverage_reason = models.TextField(blank=True, help_text="Why we infer coverage; never a legal finding.")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="subsidiaries")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"
        indexes = [models.Index(fields=["industry"]), models.Index(fields=["coverage"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_voluntary(self) -> bool:
        """A company likely outside the law that publishes anyway."""
        return self.coverage == Coverage.LIKELY_NOT


class Brand(models.Model):
    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=160, unique=True)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="brands")
    gtin_prefixes = models.JSONField(default=list, blank=True, help_text="GS1 company prefixes, if known.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="brand_unique_name_per_company")]

    def __str__(self) -> str:
        return self.name


class BrandAlias(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=255)

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "brand aliases"
        constraints = [models.UniqueConstraint(fields=["brand", "alias"], name="brandalias_unique_per_brand")]

    def __str__(self) -> str:
        return self.alias


class SearchIndexState(models.Model):
    """One row whose version is bumped whenever brands change, so every process can refresh its index."""

    version = models.PositiveBigIntegerField(default=0, help_text="Bumped when brands or company names change.")
    scores_version = models.PositiveBigIntegerField(default=0, help_text="Bumped when a shown score changes.")
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"brand index v{self.version}"


class Membership(models.Model):
    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("Representative")
        ADMIN = "admin", _("Company admin")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.REPRESENTATIVE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    message = models.TextField(blank=True, help_text="What the user told us when asking.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "company"], name="membership_unique_user_company")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company} ({self.status})"


class HomepageCheck(models.Model):
    """One visit to a company's homepage looking for the disclosure link the statute asks for."""

    class Placement(models.TextChoices):
        HEADER = "header", _("Header")
        FOOTER = "footer", _("Footer")
        BODY = "body", _("Page body")
        NONE = "none", _("Not found")

    class Change(models.TextChoices):
        FIRST = "first", _("First check")
        UNCHANGED = "unchanged", _("Unchanged")
        CHANGED = "changed", _("Disclosure changed")
        MOVED = "moved", _("Disclosure moved")
        DISAPPEARED = "disappeared", _("Disclosure disappeared")
        APPEARED = "appeared", _("Disclosure appeared")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="homepage_checks")
    checked_at = models.DateTimeField(auto_now_add=True)
    homepage_url = models.URLField(max_length=500)
    final_url = models.URLField(max_length=500, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    link_found = models.BooleanField(default=False)
    link_url = models.URLField(max_length=500, blank=True)
    link_label = models.CharField(max_length=300, blank=True)
    label_understandable = models.BooleanField(default=False)
    placement = models.CharField(max_length=10, choices=Placement.choices, default=Placement.NONE)
    disclosure_sha256 = models.CharField(max_length=64, blank=True)
    change = models.CharField(max_length=12, choices=Change.choices, default=Change.FIRST)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-checked_at"]
        get_latest_by = "checked_at"

    def __str__(self) -> str:
        return f"{self.company} homepage check {self.checked_at:%Y-%m-%d}"

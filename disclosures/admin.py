"""Admin for every model: search, filters, history, and read-only audit fields."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from disclosures import models as m


class BrandAliasInline(admin.TabularInline):
    model = m.BrandAlias
    extra = 0


class BrandInline(admin.TabularInline):
    model = m.Brand
    extra = 0
    fields = ("name", "slug")
    show_change_link = True


@admin.register(m.Company)
class CompanyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "industry", "revenue_band", "coverage", "sells_in_california", "parent", "updated_at")
    list_filter = ("industry", "revenue_band", "coverage", "sells_in_california")
    search_fields = ("name", "slug", "website", "naics_code")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [BrandInline]


@admin.register(m.Brand)
class BrandAdmin(SimpleHistoryAdmin):
    list_display = ("name", "company", "updated_at")
    search_fields = ("name", "slug", "company__name", "aliases__alias")
    list_select_related = ("company",)
    autocomplete_fields = ("company",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [BrandAliasInline]


@admin.register(m.Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "company", "role", "status", "created_at", "decided_at")
    list_filter = ("status", "role")
    search_fields = ("user__username", "user__email", "company__name")
    autocomplete_fields = ("user", "company")
    readonly_fields = ("created_at", "decided_at", "decided_by")


@admin.register(m.HomepageCheck)
class HomepageCheckAdmin(admin.ModelAdmin):
    list_display = ("company", "checked_at", "link_found", "placement", "change", "http_status")
    list_filter = ("link_found", "placement", "change")
    search_fields = ("company__name", "homepage_url", "link_label")
    readonly_fields = [f.name for f in m.HomepageCheck._meta.fields]


class DisclosurePageInline(admin.TabularInline):
    model = m.DisclosurePage
    extra = 0
    readonly_fields = ("number", "text")
    can_delete = False


@admin.register(m.Disclosure)
class DisclosureAdmin(SimpleHistoryAdmin):
    list_display = ("id", "company", "source", "content_kind", "status", "page_count", "created_at")
    list_filter = ("status", "source", "content_kind")
    search_fields = ("company__name", "sha256", "source_url", "original_filename")
    list_select_related = ("company",)
    readonly_fields = (
        "sha256",
        "byte_size",
        "content_kind",
        "created_at",
        "updated_at",
        "processing_started_at",
        "processed_at",
        "attempts",
        "pages_done",
        "page_count",
        "final_url",
        "http_status",
        "submitted_by",
    )
    inlines = [DisclosurePageInline]


class FindingInline(admin.TabularInline):
    model = m.Finding
    extra = 0
    fields = ("area", "status", "overridden_status", "confidence", "override_reason")
    readonly_fields = ("area", "status", "confidence")


@admin.register(m.DisclosureScore)
class DisclosureScoreAdmin(SimpleHistoryAdmin):
    list_display = ("disclosure", "rubric_version", "compliance_score", "practice_score", "tier", "grade", "scored_at")
    list_filter = ("rubric_version", "tier", "grade", "cause")
    search_fields = ("disclosure__company__name",)
    readonly_fields = ("scored_at", "rubric_sha256", "cause")
    inlines = [FindingInline]


@admin.register(m.Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ("score", "area", "status", "overridden_status", "confidence")
    list_filter = ("area", "status", "overridden_status")
    search_fields = ("score__disclosure__company__name",)
    readonly_fields = ("overridden_by", "overridden_at")


@admin.register(m.FindingContest)
class FindingContestAdmin(SimpleHistoryAdmin):
    list_display = ("finding", "raised_by", "status", "created_at", "resolved_at")
    list_filter = ("status",)
    readonly_fields = ("created_at", "resolved_at", "resolved_by")


class ContractInline(admin.TabularInline):
    model = m.Contract
    extra = 0
    fields = ("agency", "number", "category", "start_date", "end_date")
    show_change_link = True


@admin.register(m.Contractor)
class ContractorAdmin(SimpleHistoryAdmin):
    list_display = ("legal_name", "sos_number", "supplier_id", "updated_at")
    search_fields = ("legal_name", "slug", "sos_number", "supplier_id")
    prepopulated_fields = {"slug": ("legal_name",)}
    readonly_fields = ("created_at", "updated_at")
    inlines = [ContractInline]


@admin.register(m.ContractorMembership)
class ContractorMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "contractor", "created_at")
    search_fields = ("user__username", "contractor__legal_name")
    autocomplete_fields = ("user", "contractor")


@admin.register(m.Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ("number", "agency", "contractor", "category", "start_date", "end_date", "value")
    list_filter = ("category", "is_solicitation")
    search_fields = ("number", "agency", "contractor__legal_name")
    autocomplete_fields = ("contractor",)


@admin.register(m.ContractAmendment)
class ContractAmendmentAdmin(admin.ModelAdmin):
    list_display = ("contract", "reference", "signed_date", "previous_end_date", "new_end_date")
    search_fields = ("reference", "contract__number")


@admin.register(m.Certification)
class CertificationAdmin(SimpleHistoryAdmin):
    list_display = ("number", "contractor", "cert_type", "status", "effective_from", "effective_to", "form_revision")
    list_filter = ("status", "cert_type", "verification_method", "form_revision")
    search_fields = ("number", "contractor__legal_name", "contract__number", "signer_name")
    list_select_related = ("contractor",)
    autocomplete_fields = ("contractor", "contract")
    readonly_fields = ("document_sha256", "verified_by", "verified_at", "submitted_at", "created_at", "updated_at")


@admin.register(m.Sanction)
class SanctionAdmin(SimpleHistoryAdmin):
    list_display = ("contractor", "kind", "start_date", "end_date", "penalty_amount", "is_public")
    list_filter = ("kind", "is_public")
    search_fields = ("contractor__legal_name", "authority", "hearing_reference")


@admin.register(m.RegistrySettings)
class RegistrySettingsAdmin(SimpleHistoryAdmin):
    list_display = ("current_form_revision", "recruitment_commitments_required", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not m.RegistrySettings.objects.exists()


@admin.register(m.WatchlistEntry)
class WatchlistEntryAdmin(admin.ModelAdmin):
    list_display = ("user", "contractor", "created_at")
    search_fields = ("user__username", "contractor__legal_name")


@admin.register(m.Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "message", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("user__username", "message")


@admin.register(m.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")


@admin.register(m.AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ("created_at", "action", "actor", "object_type", "object_id", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("summary", "object_id", "actor__username")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(m.SearchIndexState)
class SearchIndexStateAdmin(admin.ModelAdmin):
    list_display = ("version", "changed_at")
    readonly_fields = ("version", "changed_at")

"""What the company portal shows: a user's companies, requests, notifications and tokens; per company the
versions of its disclosure, the current result with advice per area, a comparison of two versions, and the
log of profile changes. Every company-scoped read goes through ``company_get_for_representative`` (or
``disclosure_get_for_company``), so drafts of a company are never shown to anyone but its representatives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from disclosures.core.advice import Advice, advice_for_finding
from disclosures.core.explain import area_label, explain_qualifier, render, status_label
from disclosures.core.types import AREAS
from disclosures.models import (
    ApiToken,
    AuditEvent,
    Brand,
    Company,
    Disclosure,
    DisclosureScore,
    Finding,
    FindingContest,
    Membership,
    Notification,
)
from disclosures.selectors.roles import user_can_act_for_company, user_roles
from disclosures.selectors.scores import company_latest_score

RECENT_NOTIFICATIONS = 20
# The audit action that proves an address (services.accounts writes it; see there why it is an event).
EMAIL_VERIFIED_ACTION = "account.email_verify"
# Tokens are for people who act through the API; a plain account has nothing to automate.
TOKEN_ROLES = frozenset({"representative", "officer", "registry_staff", "reviewer", "contractor_staff"})

# Why a finding differs between two versions (see ``score_comparison``).
CAUSE_TEXT = "text"  # the disclosure's text changed, under the same rubric
CAUSE_RUBRIC = "rubric"  # same text, scored with a different rubric
CAUSE_BOTH = "text_and_rubric"  # both changed, and each alone would have changed it
CAUSE_UNKNOWN = "unknown"  # both changed and no score isolates one of them
CAUSE_REVIEW = "review"  # the scorer agreed; a reviewer's override differs
CAUSES = (CAUSE_TEXT, CAUSE_RUBRIC, CAUSE_BOTH, CAUSE_UNKNOWN, CAUSE_REVIEW)


# --- the account ---------------------------------------------------------------------------------------------


def email_normalize(email: str) -> str:
    return email.strip().lower()


def email_domain(email: str) -> str:
    return email_normalize(email).rpartition("@")[2]


def website_domain(website: str) -> str:
    host = (urlsplit(website.strip()).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


# A representative can change the website; these domains must never let the whole world in automatically.
SHARED_MAIL_DOMAINS = frozenset(
    {
        *("gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com", "icloud.com"),
        *("me.com", "aol.com", "proton.me", "protonmail.com", "gmx.com", "mail.com", "yandex.com", "zoho.com"),
    }
)


def email_domain_matches_website(*, email: str, website: str) -> bool:
    """x@northwind.example and x@eu.northwind.example match https://www.northwind.example; nothing matches ''."""
    site = website_domain(website)
    domain = email_domain(email)
    if not (site and "." in site and domain) or site in SHARED_MAIL_DOMAINS:
        return False
    return domain == site or domain.endswith("." + site)


def user_email_is_verified(*, user: Any) -> bool:
    """True when the audit log holds a verification of the user's *current* address."""
    if user is None or not user.is_authenticated or not user.email:
        return False
    return AuditEvent.objects.filter(
        action=EMAIL_VERIFIED_ACTION,
        object_type=user._meta.label_lower,
        object_id=str(user.pk),
        data__email=email_normalize(user.email),
    ).exists()


def user_may_hold_tokens(*, user: Any) -> bool:
    return bool(TOKEN_ROLES & user_roles(user))


# --- the portal home ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortalHome:
    approved: list[Membership]
    pending: list[Membership]
    declined: list[Membership]
    notifications: list[Notification]
    unread_count: int
    tokens: list[ApiToken]
    email_verified: bool
    may_hold_tokens: bool


def portal_home(*, user: Any) -> PortalHome:
    memberships = list(Membership.objects.filter(user=user).select_related("company").order_by("company__name"))
    notifications = Notification.objects.filter(user=user)
    return PortalHome(
        approved=[m for m in memberships if m.status == Membership.Status.APPROVED],
        pending=[m for m in memberships if m.status == Membership.Status.REQUESTED],
        declined=[m for m in memberships if m.status == Membership.Status.REJECTED],
        notifications=list(notifications[:RECENT_NOTIFICATIONS]),
        unread_count=notifications.filter(read_at=None).count(),
        tokens=list(ApiToken.objects.filter(user=user, revoked_at=None)),
        email_verified=user_email_is_verified(user=user),
        may_hold_tokens=user_may_hold_tokens(user=user),
    )


def company_find(*, query: str) -> list[Company]:
    """Companies matching a typed name or slug, exact matches first (for the membership request form)."""
    text = " ".join(query.split())
    if not text:
        return []
    exact = list(Company.objects.filter(Q(slug=text.lower()) | Q(name__iexact=text)))
    if exact:
        return exact
    return list(Company.objects.filter(name__icontains=text).order_by("name")[:10])


# --- company scope -------------------------------------------------------------------------------------------


def company_get_for_representative(*, user: Any, slug: str) -> Company:
    """The company, if ``user`` may act for it: 404 for an unknown slug, PermissionDenied for a non-member."""
    company = Company.objects.filter(slug=slug).first()
    if company is None:
        raise Http404(_("No such company."))
    if not user_can_act_for_company(user, company.pk):
        raise PermissionDenied(_("You do not represent this company."))
    return company


def disclosure_get_for_company(*, company: Company, pk: int) -> Disclosure:
    """A disclosure of *this* company; another company's id is simply not found."""
    disclosure = Disclosure.objects.select_related("submitted_by").filter(company=company, pk=pk).first()
    if disclosure is None:
        raise Http404(_("No such disclosure for this company."))
    return disclosure


def finding_get_for_representative(*, user: Any, pk: int) -> Finding:
    finding = Finding.objects.select_related("score__disclosure__company").filter(pk=pk).first()
    if finding is None or not user_can_act_for_company(user, finding.score.disclosure.company_id):
        raise Http404(_("No such finding among your companies' disclosures."))
    return finding


@dataclass(frozen=True)
class VersionRow:
    disclosure: Disclosure
    scores: list[DisclosureScore]  # newest first

    @property
    def score(self) -> DisclosureScore | None:
        return self.scores[0] if self.scores else None


def company_versions(*, company: Company) -> list[VersionRow]:
    """Every disclosure of the company, newest first, with its scores (two queries)."""
    disclosures = (
        Disclosure.objects.filter(company=company)
        .select_related("submitted_by")
        .prefetch_related(Prefetch("scores", queryset=DisclosureScore.objects.order_by("-scored_at", "-id")))
        .order_by("-created_at", "-id")
    )
    return [VersionRow(disclosure=d, scores=list(d.scores.all())) for d in disclosures]


# --- a result with advice ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingResult:
    finding: Finding | None
    area: str
    status: str  # what the public sees: a reviewer's override wins
    scorer_status: str
    qualifiers: dict[str, str]
    evidence: list[dict[str, Any]]
    advice: tuple[Advice, ...]
    open_contest: FindingContest | None
    contests: list[FindingContest] = field(default_factory=list)

    @property
    def overridden(self) -> bool:
        return self.finding is not None and self.finding.is_overridden

    # Message ids; templates translate them with {% translate %}.
    @property
    def area_label(self) -> str:
        return area_label(self.area)

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def scorer_status_label(self) -> str:
        return status_label(self.scorer_status)

    @property
    def qualifier_texts(self) -> list[str]:
        """The statute's details in words ("audits are unannounced"), in the current language."""
        return [render(explain_qualifier(self.area, name, value), gettext) for name, value in self.qualifiers.items()]


@dataclass(frozen=True)
class DisclosureResult:
    disclosure: Disclosure
    score: DisclosureScore
    findings: list[FindingResult]
    flags: list[str]


def _finding_result(area: str, finding: Finding | None, flags: list[str]) -> FindingResult:
    if finding is None:  # an area the score does not mention is silent
        advice = advice_for_finding(area=area, status="silent", flags=flags)
        return FindingResult(None, area, "silent", "silent", {}, [], advice, None)
    qualifiers = {str(k): str(v) for k, v in (finding.qualifiers or {}).items()}
    contests = list(finding.contests.all())
    advice = advice_for_finding(
        area=area,
        status=finding.effective_status,
        qualifiers=qualifiers,
        signals=[str(s) for s in (finding.signals or [])],
        flags=flags,
    )
    return FindingResult(
        finding=finding,
        area=area,
        status=finding.effective_status,
        scorer_status=finding.status,
        qualifiers=qualifiers,
        evidence=[e for e in (finding.evidence or []) if isinstance(e, dict)],
        advice=advice,
        open_contest=next((c for c in contests if c.status == FindingContest.Status.OPEN), None),
        contests=contests,
    )


def score_result(*, score: DisclosureScore) -> DisclosureResult:
    """The five areas in the statute's order, each with its evidence, contests and how-to-improve notes."""
    findings = {
        f.area: f
        for f in Finding.objects.filter(score=score).prefetch_related(
            Prefetch("contests", queryset=FindingContest.objects.order_by("-created_at"))
        )
    }
    flags = [str(flag) for flag in (score.flags or [])]
    return DisclosureResult(
        disclosure=score.disclosure,
        score=score,
        findings=[_finding_result(area, findings.get(area), flags) for area in AREAS],
        flags=flags,
    )


def disclosure_result(*, disclosure: Disclosure) -> DisclosureResult | None:
    score = disclosure.scores.order_by("-scored_at", "-id").first()
    return score_result(score=score) if score is not None else None


def company_current_result(*, company: Company) -> DisclosureResult | None:
    """What the public sees now: the newest published disclosure's newest score."""
    score = company_latest_score(company)
    return score_result(score=score) if score is not None else None


# --- comparing two versions ----------------------------------------------------------------------------------


def company_scores(*, company: Company) -> list[DisclosureScore]:
    """Every score of every disclosure of the company, newest first (the choices for a comparison)."""
    return list(
        DisclosureScore.objects.filter(disclosure__company=company)
        .select_related("disclosure")
        .order_by("-disclosure__created_at", "-scored_at", "-id")
    )


@dataclass(frozen=True)
class AreaChange:
    area: str
    old_status: str
    new_status: str
    old_qualifiers: dict[str, str]
    new_qualifiers: dict[str, str]
    cause: str  # "" when nothing changed, else one of the CAUSE_* values

    @property
    def changed(self) -> bool:
        return bool(self.cause)

    @property
    def area_label(self) -> str:
        return area_label(self.area)

    @property
    def old_status_label(self) -> str:
        return status_label(self.old_status)

    @property
    def new_status_label(self) -> str:
        return status_label(self.new_status)


@dataclass(frozen=True)
class Comparison:
    old: DisclosureScore
    new: DisclosureScore
    same_text: bool
    same_rubric: bool
    bridge: DisclosureScore | None  # the old text scored with the new rubric, when it exists
    areas: list[AreaChange]

    @property
    def changed_areas(self) -> list[AreaChange]:
        return [change for change in self.areas if change.changed]

    @property
    def compliance_delta(self) -> int:
        return self.new.compliance_score - self.old.compliance_score

    @property
    def practice_delta(self) -> int:
        return self.new.practice_score - self.old.practice_score


def _findings_by_area(score: DisclosureScore | None) -> dict[str, Finding]:
    return {} if score is None else {f.area: f for f in score.findings.all()}


def _signature(finding: Finding | None) -> tuple[str, tuple[tuple[str, str], ...]]:
    """What the scorer decided for an area: status and qualifiers (an override is not the scorer's)."""
    if finding is None:
        return "silent", ()
    return finding.status, tuple(sorted((str(k), str(v)) for k, v in (finding.qualifiers or {}).items()))


def _same_rubric(a: DisclosureScore, b: DisclosureScore) -> bool:
    if a.rubric_version != b.rubric_version:
        return False
    return not (a.rubric_sha256 and b.rubric_sha256) or a.rubric_sha256 == b.rubric_sha256


def _cause(old: Finding | None, new: Finding | None, *, comparison: dict[str, Any], bridge: Finding | None) -> str:
    shown_old = old.effective_status if old else "silent"
    shown_new = new.effective_status if new else "silent"
    before, after = _signature(old), _signature(new)
    if before == after:
        return CAUSE_REVIEW if shown_old != shown_new else ""
    if comparison["same_text"]:
        return CAUSE_RUBRIC
    if comparison["same_rubric"]:
        return CAUSE_TEXT
    if not comparison["has_bridge"]:
        return CAUSE_UNKNOWN
    # The old text under the new rubric isolates the two causes.
    bridged = _signature(bridge)
    if bridged == after:
        return CAUSE_RUBRIC
    return CAUSE_TEXT if bridged == before else CAUSE_BOTH


def _bridge_score(old: DisclosureScore, new: DisclosureScore) -> DisclosureScore | None:
    candidate = DisclosureScore.objects.filter(
        disclosure_id=old.disclosure_id, rubric_version=new.rubric_version
    ).first()
    return candidate if candidate is not None and _same_rubric(candidate, new) else None


def score_comparison(*, first: DisclosureScore, second: DisclosureScore) -> Comparison:
    """Which findings changed between two scores, and whether the text or the rubric changed them.

    The older score (by disclosure date, then scoring date) is "old" whatever the argument order. Same
    disclosure -> every change is the rubric's; same rubric -> every change is the text's; both differ -> the
    old text scored with the new rubric (if it was re-scored) tells them apart, area by area.
    """
    old, new = sorted([first, second], key=lambda s: (s.disclosure.created_at, s.disclosure_id, s.scored_at, s.pk))
    same_text = old.disclosure_id == new.disclosure_id
    same_rubric = _same_rubric(old, new)
    bridge = None if same_text or same_rubric else _bridge_score(old, new)
    old_findings, new_findings, bridge_findings = (
        _findings_by_area(old),
        _findings_by_area(new),
        _findings_by_area(bridge),
    )
    facts = {"same_text": same_text, "same_rubric": same_rubric, "has_bridge": bridge is not None}
    areas = []
    for area in AREAS:
        before, after = old_findings.get(area), new_findings.get(area)
        areas.append(
            AreaChange(
                area=area,
                old_status=before.effective_status if before else "silent",
                new_status=after.effective_status if after else "silent",
                old_qualifiers=dict(_signature(before)[1]),
                new_qualifiers=dict(_signature(after)[1]),
                cause=_cause(before, after, comparison=facts, bridge=bridge_findings.get(area)),
            )
        )
    return Comparison(old=old, new=new, same_text=same_text, same_rubric=same_rubric, bridge=bridge, areas=areas)


def company_score_get(*, company: Company, pk: int) -> DisclosureScore:
    score = DisclosureScore.objects.select_related("disclosure").filter(pk=pk, disclosure__company=company).first()
    if score is None:
        raise Http404(_("No such version for this company."))
    return score


# --- the profile and its change log --------------------------------------------------------------------------


def company_brands(*, company: Company) -> QuerySet[Brand]:
    return Brand.objects.filter(company=company).prefetch_related("aliases").order_by("name")


def company_brand_get(*, company: Company, pk: int) -> Brand:
    brand = Brand.objects.filter(company=company, pk=pk).first()
    if brand is None:
        raise Http404(_("No such brand for this company."))
    return brand


def company_change_log(*, company: Company, limit: int = 100) -> list[AuditEvent]:
    """Audit events about the company, its brands (current and deleted) and its memberships, newest first."""
    brand_ids = {str(pk) for pk in Brand.history.filter(company_id=company.pk).values_list("id", flat=True)}
    membership_ids = {str(pk) for pk in Membership.objects.filter(company=company).values_list("id", flat=True)}
    events = AuditEvent.objects.filter(
        Q(object_type="disclosures.company", object_id=str(company.pk))
        | Q(object_type="disclosures.brand", object_id__in=brand_ids)
        | Q(object_type="disclosures.membership", object_id__in=membership_ids)
    ).select_related("actor")
    return list(events[:limit])

"""The reviewer queue: everything waiting for a person, oldest first, in one list with filters.

Four kinds of item wait: disclosures in ``needs_review``, open contests of findings, membership requests and
registry certifications in ``submitted``. Each kind is read with one query (capped), turned into a
``QueueItem`` and merged by the time it started waiting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _

from disclosures.core.explain import area_label
from disclosures.core.types import AREAS
from disclosures.models import (
    Certification,
    Disclosure,
    DisclosureScore,
    Finding,
    FindingContest,
    Membership,
)
from disclosures.models.registry import CertificationStatus
from disclosures.selectors.portal import email_domain_matches_website, user_email_is_verified
from disclosures.selectors.roles import user_is_registry_staff, user_is_reviewer

KIND_DISCLOSURE = "disclosure"
KIND_CONTEST = "contest"
KIND_MEMBERSHIP = "membership"
KIND_CERTIFICATION = "certification"
KINDS = (KIND_DISCLOSURE, KIND_CONTEST, KIND_MEMBERSHIP, KIND_CERTIFICATION)
PER_KIND_LIMIT = 500  # the queue shows the oldest items; a backlog beyond this is a staffing problem
LOW_CONFIDENCE = 0.6  # below this a finding is one of the reasons a disclosure waits


@dataclass(frozen=True)
class QueueItem:
    kind: str
    waiting_since: dt.datetime
    obj: Any
    company: Any = None  # Company, for items that belong to one
    areas: tuple[str, ...] = ()  # the areas a reviewer should look at

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.obj.pk}"

    @property
    def area_labels(self) -> list[str]:
        """Message ids; the template translates them."""
        return [area_label(area) for area in self.areas]


@dataclass(frozen=True)
class QueueFilters:
    kind: str = ""
    company: str = ""  # slug
    area: str = ""

    @classmethod
    def from_query(cls, params: Any) -> QueueFilters:
        """Unknown values are ignored rather than rejected: a filter link never errors."""
        kind = str(params.get("kind", "")).strip()
        area = str(params.get("area", "")).strip()
        return cls(
            kind=kind if kind in KINDS else "",
            company=str(params.get("company", "")).strip()[:120],
            area=area if area in AREAS else "",
        )


def user_may_see_queue(user: Any) -> bool:
    return user_is_reviewer(user) or user_is_registry_staff(user)


def _areas_to_review(disclosure: Disclosure) -> tuple[str, ...]:
    scores = list(disclosure.scores.all())
    if not scores:
        return ()
    findings = scores[0].findings.all()
    return tuple(
        f.area for f in findings if (f.status == "unclear" or f.confidence < LOW_CONFIDENCE) and not f.is_overridden
    )


def _disclosure_items(filters: QueueFilters) -> list[QueueItem]:
    rows = (
        Disclosure.objects.filter(status=Disclosure.Status.NEEDS_REVIEW)
        .select_related("company")
        .prefetch_related(
            Prefetch("scores", queryset=DisclosureScore.objects.order_by("-scored_at", "-id")),
            Prefetch("scores__findings", queryset=Finding.objects.order_by("area")),
        )
        .order_by("created_at")
    )
    if filters.company:
        rows = rows.filter(company__slug=filters.company)
    items = [
        QueueItem(KIND_DISCLOSURE, d.processed_at or d.created_at, d, d.company, _areas_to_review(d))
        for d in rows[:PER_KIND_LIMIT]
    ]
    return [item for item in items if not filters.area or filters.area in item.areas]


def _contest_items(filters: QueueFilters) -> list[QueueItem]:
    rows = (
        FindingContest.objects.filter(status=FindingContest.Status.OPEN)
        .select_related("finding__score__disclosure__company", "raised_by")
        .order_by("created_at")
    )
    if filters.company:
        rows = rows.filter(finding__score__disclosure__company__slug=filters.company)
    if filters.area:
        rows = rows.filter(finding__area=filters.area)
    return [
        QueueItem(KIND_CONTEST, c.created_at, c, c.finding.score.disclosure.company, (c.finding.area,))
        for c in rows[:PER_KIND_LIMIT]
    ]


def _membership_items(filters: QueueFilters) -> list[QueueItem]:
    if filters.area:
        return []  # a membership request has no area
    rows = Membership.objects.filter(status=Membership.Status.REQUESTED).select_related("user", "company")
    if filters.company:
        rows = rows.filter(company__slug=filters.company)
    return [
        QueueItem(KIND_MEMBERSHIP, m.created_at, m, m.company) for m in rows.order_by("created_at")[:PER_KIND_LIMIT]
    ]


def _certification_items(filters: QueueFilters) -> list[QueueItem]:
    if filters.area or filters.company:
        return []  # certifications belong to contractors, not companies, and have no area
    rows = (
        Certification.objects.filter(status=CertificationStatus.SUBMITTED)
        .select_related("contractor")
        .order_by("submitted_at", "created_at")
    )
    return [QueueItem(KIND_CERTIFICATION, c.submitted_at or c.created_at, c) for c in rows[:PER_KIND_LIMIT]]


_READERS = {
    KIND_DISCLOSURE: _disclosure_items,
    KIND_CONTEST: _contest_items,
    KIND_MEMBERSHIP: _membership_items,
    KIND_CERTIFICATION: _certification_items,
}


def review_queue(*, filters: QueueFilters) -> list[QueueItem]:
    """Everything waiting, oldest first; ties keep the order of ``KINDS``."""
    items: list[QueueItem] = []
    for kind in KINDS:
        if not filters.kind or filters.kind == kind:
            items.extend(_READERS[kind](filters))
    return sorted(items, key=lambda item: item.waiting_since)


def queue_counts() -> dict[str, int]:
    """How many items of each kind wait, unfiltered (for the filter labels)."""
    return {
        KIND_DISCLOSURE: Disclosure.objects.filter(status=Disclosure.Status.NEEDS_REVIEW).count(),
        KIND_CONTEST: FindingContest.objects.filter(status=FindingContest.Status.OPEN).count(),
        KIND_MEMBERSHIP: Membership.objects.filter(status=Membership.Status.REQUESTED).count(),
        KIND_CERTIFICATION: Certification.objects.filter(status=CertificationStatus.SUBMITTED).count(),
    }


def queue_companies() -> list[tuple[str, str]]:
    """(slug, name) of companies with something waiting, for the company filter."""
    from disclosures.models import Company

    waiting = (
        Q(disclosures__status=Disclosure.Status.NEEDS_REVIEW)
        | Q(disclosures__scores__findings__contests__status=FindingContest.Status.OPEN)
        | Q(memberships__status=Membership.Status.REQUESTED)
    )
    return list(Company.objects.filter(waiting).distinct().order_by("name").values_list("slug", "name"))


# --- single items --------------------------------------------------------------------------------------------


def review_disclosure_get(*, pk: int) -> Disclosure:
    disclosure = Disclosure.objects.select_related("company", "submitted_by").filter(pk=pk).first()
    if disclosure is None:
        raise Http404(_("No such disclosure."))
    return disclosure


def review_finding_get(*, pk: int) -> Finding:
    finding = Finding.objects.select_related("score__disclosure__company", "overridden_by").filter(pk=pk).first()
    if finding is None:
        raise Http404(_("No such finding."))
    return finding


def review_contest_get(*, pk: int) -> FindingContest:
    contest = (
        FindingContest.objects.select_related("finding__score__disclosure__company", "raised_by", "resolved_by")
        .filter(pk=pk)
        .first()
    )
    if contest is None:
        raise Http404(_("No such contest."))
    return contest


def review_membership_get(*, pk: int) -> Membership:
    membership = Membership.objects.select_related("user", "company").filter(pk=pk).first()
    if membership is None:
        raise Http404(_("No such membership request."))
    return membership


@dataclass(frozen=True)
class MembershipFacts:
    """What a reviewer weighs: is the address at the company's domain, and has the user proved it?"""

    domain_matches: bool
    email_verified: bool


def membership_facts(membership: Membership) -> MembershipFacts:
    user = membership.user
    return MembershipFacts(
        domain_matches=email_domain_matches_website(email=user.email or "", website=membership.company.website),
        email_verified=user_email_is_verified(user=user),
    )


def finding_history(*, finding: Finding) -> list[Any]:
    """Every saved state of the finding, newest first: the scorer's original and each override after it."""
    return list(finding.history.select_related("history_user").order_by("-history_date", "-history_id"))

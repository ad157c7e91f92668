"""The latest score of a company: what every public page, export and badge shows."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from disclosures.models import Company, Disclosure, DisclosureScore, Finding

# A disclosure counts as published once scored; needs_review still shows its automatic result, marked so.
PUBLISHED_STATUSES = (Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW)


def latest_scores_for_companies(company_ids: Iterable[int]) -> dict[int, DisclosureScore]:
    """Map company id -> its newest published disclosure's newest score (two queries, findings prefetched)."""
    ids = list(company_ids)
    if not ids:
        return {}
    scores: QuerySet[DisclosureScore] = (
        DisclosureScore.objects.filter(disclosure__company_id__in=ids, disclosure__status__in=PUBLISHED_STATUSES)
        .select_related("disclosure")
        .prefetch_related(Prefetch("findings", queryset=Finding.objects.order_by("id")))
        .order_by("disclosure__company_id", "-disclosure__created_at", "-scored_at")
    )
    latest: dict[int, DisclosureScore] = {}
    for score in scores:
        latest.setdefault(score.disclosure.company_id, score)
    return latest


def company_latest_score(company: Company) -> DisclosureScore | None:
    return latest_scores_for_companies([company.pk]).get(company.pk)

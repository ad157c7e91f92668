"""Homepage checks: does the company's homepage link to its disclosure, conspicuously and understandably?

The statute asks for "a conspicuous and easily understood link" on the homepage. Each check fetches the
homepage, picks the best disclosure link, fetches what it points to and compares that document's sha256 with the
previous check, so we can say whether the disclosure is first seen, unchanged, changed, moved, disappeared or
appeared. When the company has no disclosure yet (or the linked one changed) the document is submitted as a
``discovered`` disclosure. The latest successful check is the homepage signal the scorer adds points for.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from disclosures.models import Company, Disclosure, HomepageCheck
from disclosures.services.disclosures import PUBLISHED, company_rescore_latest, disclosure_store

logger = logging.getLogger(__name__)

Change = HomepageCheck.Change
_PLACEMENTS = {choice.value for choice in HomepageCheck.Placement}


class NoWebsite(ValueError):  # noqa: N818 - reads as the condition it is
    """The company has no website to check."""


@dataclass(frozen=True)
class _Visit:
    """What one visit found; turned into a HomepageCheck row."""

    final_url: str = ""
    http_status: int | None = None
    link_url: str = ""
    link_label: str = ""
    placement: str = HomepageCheck.Placement.NONE
    understandable: bool = False
    body: bytes | None = None  # the linked disclosure, when it could be fetched
    error: str = ""

    @property
    def link_found(self) -> bool:
        return bool(self.link_url)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest() if self.body is not None else ""


def company_homepage_check(*, company: Company) -> HomepageCheck:
    """Visit the homepage, record what we found, and ingest the linked disclosure when it is new to us.

    Raises ``NoWebsite`` for a company without a website: there is nothing to visit, so nothing is recorded.
    """
    if not company.website:
        raise NoWebsite(_("%(company)s has no website on file.") % {"company": company})
    previous = HomepageCheck.objects.filter(company=company, error="").order_by("-checked_at", "-pk").first()
    visit = _visit(company.website)
    check = HomepageCheck(
        company=company,
        homepage_url=company.website[:500],
        final_url=visit.final_url[:500],
        http_status=visit.http_status,
        link_found=visit.link_found,
        link_url=visit.link_url[:500],
        link_label=visit.link_label[:300],
        label_understandable=visit.understandable,
        placement=visit.placement,
        disclosure_sha256=visit.sha256,
        change=_change(previous, visit),
        error=visit.error,
    )
    check.full_clean()
    check.save()
    if visit.error:
        return check
    rescore = _signal_changed(previous, check)  # decided before ingesting: a new disclosure is scored with it
    if _ingest(company=company, visit=visit, change=check.change) is None and rescore:
        company_rescore_latest(company=company)
    return check


def company_homepage_recheck_all() -> int:
    """Queue a check of every company with a website (the monthly beat job); returns how many were queued."""
    from disclosures.tasks.filings import company_homepage_check_task

    ids = list(Company.objects.exclude(website="").order_by("pk").values_list("pk", flat=True))
    for company_id in ids:
        transaction.on_commit(lambda company_id=company_id: company_homepage_check_task.delay(company_id))
    return len(ids)


def _fetch(url: str) -> Any:
    from disclosures.core.fetching import fetch_url

    return fetch_url(
        url,
        allow_private=settings.URL_FETCH_ALLOW_PRIVATE,
        allow_addresses=settings.URL_FETCH_ALLOW_ADDRESSES,
        timeout=settings.URL_FETCH_TIMEOUT_SECONDS,
        max_bytes=settings.DISCLOSURE_MAX_UPLOAD_BYTES,
        max_redirects=settings.URL_FETCH_MAX_REDIRECTS,
    )


def _visit(homepage_url: str) -> _Visit:
    from disclosures.core.fetching import FetchError, find_disclosure_links

    try:
        page = _fetch(homepage_url)  # raises for anything but a 2xx answer
    except FetchError as error:
        return _Visit(final_url=_valid_url(error.url), http_status=error.status, error=error.reason)
    links = [link for link in find_disclosure_links(page.body, page.final_url) if _valid_url(link.url)]
    if not links:
        return _Visit(final_url=_valid_url(page.final_url), http_status=page.status)
    best = max(links, key=lambda link: link.score)
    found = _Visit(
        final_url=_valid_url(page.final_url),
        http_status=page.status,
        link_url=best.url,
        link_label=" ".join(best.label.split()),
        placement=best.placement if best.placement in _PLACEMENTS else HomepageCheck.Placement.BODY,
        understandable=bool(best.understandable),
    )
    return _with_linked_document(found)


def _valid_url(url: str | None) -> str:
    """The URL if it fits our URL fields (http/https, at most 500 characters), else empty."""
    if not url or len(url) > 500:  # noqa: PLR2004 - HomepageCheck's URL field length
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url


def _with_linked_document(found: _Visit) -> _Visit:
    """Fetch what the link points to. The link is what the statute asks about, so a failure here is only logged."""
    from disclosures.core.fetching import FetchError

    try:
        linked = _fetch(found.link_url)
    except FetchError as error:
        logger.info("Disclosure link %s could not be read: %s", found.link_url, error.reason)
        return found
    if not linked.body:
        logger.info("Disclosure link %s answered with an empty body", found.link_url)
        return found
    return replace(found, body=linked.body)


def _change(previous: HomepageCheck | None, visit: _Visit) -> str:
    """Compare with the last successful check; an unreachable homepage is recorded, not called a change."""
    if visit.error:
        return Change.FIRST if previous is None else Change.UNCHANGED
    if previous is None:
        return Change.FIRST
    if not previous.link_found:
        return Change.APPEARED if visit.link_found else Change.UNCHANGED
    if not visit.link_found:
        return Change.DISAPPEARED
    same_place = previous.link_url == visit.link_url
    if previous.disclosure_sha256 and visit.sha256 and previous.disclosure_sha256 != visit.sha256:
        return Change.CHANGED
    return Change.UNCHANGED if same_place else Change.MOVED


def _ingest(*, company: Company, visit: _Visit, change: str) -> Disclosure | None:
    """Submit the linked document when the company has none yet, or when it changed; the new disclosure or None."""
    if visit.body is None:
        return None
    has_disclosure = Disclosure.objects.filter(company=company).exclude(status=Disclosure.Status.FAILED).exists()
    if has_disclosure and change not in {Change.CHANGED, Change.APPEARED}:
        return None
    disclosure, created = disclosure_store(
        company=company,
        source=Disclosure.Source.DISCOVERED,
        data=visit.body,
        source_url=visit.link_url,
        filename=visit.link_url.rstrip("/").rsplit("/", 1)[-1],
    )
    if not created:
        return None
    logger.info("Discovered disclosure %s for %s at %s", disclosure.pk, company.slug, visit.link_url)
    return disclosure


def _signal_changed(previous: HomepageCheck | None, check: HomepageCheck) -> bool:
    """The homepage-link points changed, so the company's published score should be recomputed."""
    if not Disclosure.objects.filter(company_id=check.company_id, status__in=PUBLISHED).exists():
        return False
    if previous is None:
        return True
    return (previous.link_found, previous.label_understandable) != (check.link_found, check.label_understandable)

"""Reads for the disclosure pages and API: who may see what, progress, and the highlighted text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from disclosures.core import explain
from disclosures.core.advice import advice_for_finding
from disclosures.core.types import AREAS
from disclosures.models import Disclosure, DisclosurePage, DisclosureScore, Finding
from disclosures.selectors.roles import user_can_act_for_company

PUBLIC_STATUSES = (Disclosure.Status.SCORED, Disclosure.Status.NEEDS_REVIEW)
CONTENT_TYPES = {"pdf": "application/pdf", "text": "text/plain; charset=utf-8"}
EXTENSIONS = {"pdf": "pdf", "text": "txt", "html": "html"}


def user_may_manage_company_disclosures(user: Any, company_id: int) -> bool:
    """Members of the company and staff: they may submit, see unfinished work and download originals."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or user_can_act_for_company(user, company_id))


def disclosure_for_user(*, pk: int, user: Any) -> Disclosure | None:
    """The disclosure if ``user`` may see it: published ones are public, the rest only to members and staff.

    Returns None (the caller answers 404) rather than saying "forbidden", so unpublished work does not leak.
    """
    disclosure = Disclosure.objects.select_related("company").filter(pk=pk).first()
    if disclosure is None:
        return None
    if disclosure.status in PUBLIC_STATUSES:
        return disclosure
    return disclosure if user_may_manage_company_disclosures(user, disclosure.company_id) else None


def disclosure_progress(disclosure: Disclosure) -> dict[str, Any]:
    """Status and page n of N, for the status JSON and the API."""
    return {
        "id": disclosure.pk,
        "status": disclosure.status,
        "status_label": str(disclosure.get_status_display()),
        "finished": disclosure.is_finished,
        "progress": {"done": disclosure.pages_done, "total": disclosure.page_count},
        "failure_code": disclosure.failure_code,
        "failure_reason": disclosure.failure_reason,
    }


def disclosure_latest_score(disclosure: Disclosure) -> DisclosureScore | None:
    """The newest score of this disclosure, findings prefetched in the statute's area order."""
    score = (
        DisclosureScore.objects.filter(disclosure=disclosure)
        .prefetch_related(Prefetch("findings", queryset=Finding.objects.order_by("id")))
        .order_by("-scored_at", "-pk")
        .first()
    )
    if score is not None:
        order = {area: index for index, area in enumerate(AREAS)}
        score.ordered_findings = sorted(score.findings.all(), key=lambda f: order.get(f.area, len(order)))
    return score


def original_download(disclosure: Disclosure) -> tuple[str, str]:
    """(content type, safe file name) for the kept original. HTML is never served as HTML."""
    kind = disclosure.content_kind
    if kind == Disclosure.ContentKind.UNKNOWN and disclosure.source == Disclosure.Source.TEXT:
        kind = Disclosure.ContentKind.TEXT
    content_type = CONTENT_TYPES.get(kind, "application/octet-stream")
    filename = f"{disclosure.company.slug}-disclosure-{disclosure.pk}.{EXTENSIONS.get(kind, 'bin')}"
    return content_type, filename


# --- The highlighted text ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    text: str
    anchor: str = ""  # "ev-audits-1" when this piece is quoted evidence
    area: str = ""
    label: str = ""  # the area's name, read out before the quote (colour is never the only signal)
    alias: bool = False  # an anchor inside a passage already highlighted for another area


@dataclass(frozen=True)
class PageView:
    number: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class FindingView:
    area: str
    area_label: str
    question: str
    status: str
    status_label: str
    automatic_status: str
    overridden: bool
    override_reason: str
    confidence: float
    qualifiers: tuple[str, ...]
    signals: tuple[str, ...]
    evidence: tuple[dict[str, Any], ...]  # each with "anchor" added
    advice: tuple[str, ...] = ()

    @property
    def first_anchor(self) -> str:
        return self.evidence[0]["anchor"] if self.evidence else ""


@dataclass(frozen=True)
class DisclosureView:
    disclosure: Disclosure
    score: DisclosureScore | None
    findings: tuple[FindingView, ...] = ()
    pages: tuple[PageView, ...] = ()
    flags: tuple[str, ...] = ()
    tier_label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def disclosure_view(
    disclosure: Disclosure, *, translate: Callable[[str], str] = str, with_advice: bool = False
) -> DisclosureView:
    """Everything the result page shows: score, findings with anchored evidence, and the marked-up pages."""
    score = disclosure_latest_score(disclosure) if disclosure.status in PUBLIC_STATUSES else None
    if score is None:
        return DisclosureView(disclosure=disclosure, score=None)
    flags = tuple(score.flags or ())
    findings = tuple(_finding_view(f, flags, translate, with_advice=with_advice) for f in score.ordered_findings)
    pages = DisclosurePage.objects.filter(disclosure=disclosure).order_by("number").only("number", "text")
    return DisclosureView(
        disclosure=disclosure,
        score=score,
        findings=findings,
        pages=tuple(PageView(page.number, highlight(page.text, page.number, findings)) for page in pages),
        flags=tuple(explain.render(phrase, translate) for phrase in explain.explain_flags(flags)),
        tier_label=translate(explain.tier_label(score.tier)),
    )


def _finding_view(
    finding: Finding, flags: tuple[str, ...], translate: Callable[[str], str], *, with_advice: bool
) -> FindingView:
    status = finding.effective_status
    advice = ()
    if with_advice:
        notes = advice_for_finding(
            area=finding.area,
            status=status,
            qualifiers=finding.qualifiers or {},
            signals=finding.signals or (),
            flags=flags,
        )
        advice = tuple(translate(note.text) for note in notes)
    return FindingView(
        area=finding.area,
        area_label=translate(explain.area_label(finding.area)),
        question=translate(explain.AREA_QUESTIONS.get(finding.area, "")),
        status=status,
        status_label=translate(explain.status_label(status)),
        automatic_status=finding.status,
        overridden=finding.is_overridden,
        override_reason=finding.override_reason,
        confidence=finding.confidence,
        qualifiers=tuple(
            explain.render(p, translate) for p in explain.explain_qualifiers(finding.area, finding.qualifiers or {})
        ),
        signals=tuple(explain.render(explain.explain_signal(s), translate) for s in finding.signals or ()),
        evidence=tuple(
            {**item, "anchor": f"ev-{finding.area}-{index}"}
            for index, item in enumerate(_valid_evidence(finding.evidence), start=1)
        ),
        advice=advice,
    )


def _valid_evidence(evidence: Any) -> list[dict[str, Any]]:
    if not isinstance(evidence, list):
        return []
    return [item for item in evidence if isinstance(item, dict)]


def highlight(text: str, page_number: int, findings: Iterable[FindingView]) -> tuple[Segment, ...]:
    """Cut a page's text into plain and evidence pieces. Overlapping quotes keep their anchor as an alias."""
    spans = sorted(
        (start, end, item["anchor"], finding.area, finding.area_label)
        for finding in findings
        for item in finding.evidence
        if item.get("page") == page_number
        for start, end in [_clamp(item.get("start"), item.get("end"), len(text))]
        if end > start
    )
    segments: list[Segment] = []
    cursor = 0
    for start, end, anchor, area, label in spans:
        if end <= cursor:  # wholly inside a passage already marked: keep the link target
            segments.append(Segment("", anchor, area, label, alias=True))
            continue
        start = max(start, cursor)
        if start > cursor:
            segments.append(Segment(text[cursor:start]))
        segments.append(Segment(text[start:end], anchor, area, label))
        cursor = end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return tuple(segments)


def _clamp(start: Any, end: Any, length: int) -> tuple[int, int]:
    try:
        low, high = int(start), int(end)
    except (TypeError, ValueError):
        return 0, 0
    return max(0, min(low, length)), max(0, min(high, length))

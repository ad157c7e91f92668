"""Display helpers for scores: status and area labels, flags in plain language, chips and the grade badge.

Usage: ``{% load display %}`` then ``{{ finding.status|status_label }}``, ``{{ flag|flag_text }}``,
``{% area_chips score %}`` (a DisclosureScore, a ScoreSummary, findings, or a dict area -> status) and
``{% grade_badge score %}`` (a DisclosureScore, a ScoreSummary, a letter, or nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from disclosures.core import explain
from disclosures.core.types import AREAS

register = template.Library()

GRADES = frozenset("ABCDF")


@register.filter
def status_label(status: str) -> str:
    return gettext(explain.status_label(str(status)))


@register.filter
def status_description(status: str) -> str:
    return gettext(explain.STATUS_DESCRIPTIONS.get(str(status), ""))


@register.filter
def area_label(area: str) -> str:
    return gettext(explain.area_label(str(area)))


@register.filter
def area_question(area: str) -> str:
    return gettext(explain.AREA_QUESTIONS.get(str(area), ""))


@register.filter
def tier_label(tier: str) -> str:
    return gettext(explain.tier_label(str(tier)))


@register.filter
def phrase(value: explain.Phrase | str) -> str:
    """A core ``Phrase`` (or a bare message id) in the current language."""
    if isinstance(value, explain.Phrase):
        return explain.render(value, gettext)
    return gettext(str(value))


@register.filter
def flag_text(flag: str) -> str:
    return explain.render(explain.explain_flag(str(flag)), gettext)


@register.filter
def coverage_headline(verdict: str) -> str:
    return gettext(explain.COVERAGE_HEADLINES.get(str(verdict), explain.COVERAGE_HEADLINES[explain.COVERAGE_UNKNOWN]))


@register.filter
def coverage_lead(verdict: str) -> str:
    return gettext(explain.COVERAGE_LEADS.get(str(verdict), explain.COVERAGE_LEADS[explain.COVERAGE_UNKNOWN]))


@register.simple_tag
def disclosure_page_url(disclosure: Any, anchor: str = "") -> str:
    """Our page for a disclosure (text with evidence highlighted), or "" while that page does not exist."""
    pk = getattr(disclosure, "pk", disclosure)
    if pk in (None, ""):
        return ""
    try:
        url = reverse("filings:detail", args=[pk])
    except NoReverseMatch:
        return ""
    return f"{url}#{anchor}" if anchor else url


def _statuses(source: Any) -> list[tuple[str, str, bool]]:
    """(area, status, overridden) in the statute's order, from whatever the caller has."""
    if source is None:
        return []
    if hasattr(source, "chips"):  # ScoreSummary
        return [(c.area, c.status, c.overridden) for c in source.chips]
    if hasattr(source, "findings") and hasattr(source.findings, "all"):  # DisclosureScore
        source = source.findings.all()
    if isinstance(source, Mapping):
        return [(area, str(status), False) for area, status in explain.ordered_areas(source)]
    found = {}
    for item in source if isinstance(source, Iterable) else []:
        status = getattr(item, "effective_status", None) or getattr(item, "status", "silent")
        overridden = bool(getattr(item, "overridden", False) or getattr(item, "overridden_status", ""))
        found[getattr(item, "area", "")] = (str(status), overridden)
    return [(area, *found.get(area, ("silent", False))) for area in AREAS]


@register.inclusion_tag("includes/_chips.html")
def area_chips(source: Any, href_base: str = "", link: bool = True) -> dict[str, Any]:
    """The five area chips, each with its text label; linked to ``<href_base>#finding-<area>`` when ``link``."""
    chips = [
        {
            "area": area,
            "area_label": area_label(area),
            "status": status,
            "status_label": status_label(status),
            "overridden": overridden,
            "href": f"{href_base}#finding-{area}" if link else "",
        }
        for area, status, overridden in _statuses(source)
    ]
    return {"chips": chips}


@register.inclusion_tag("includes/_grade.html")
def grade_badge(source: Any = None) -> dict[str, Any]:
    """The A-F badge; "no grade" when there is no score. The letter is text, never only a colour."""
    score = getattr(source, "score", source)  # ScoreSummary -> DisclosureScore
    grade = getattr(score, "grade", score)
    grade = grade if isinstance(grade, str) and grade in GRADES else ""
    return {"grade": grade}

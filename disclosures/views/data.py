"""Pages: statistics, the open-data page, the streamed exports and the embeddable badge."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from csp.decorators import csp_replace
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import condition, require_safe

from disclosures.core.badge import GRADE_COLOURS, NO_GRADE_COLOUR, badge_svg
from disclosures.core.charts import Bar, Series, StackedRow, bar_chart_svg, stacked_bar_chart_svg
from disclosures.models.filings import Tier
from disclosures.selectors.data import (
    COMPANY_COLUMNS,
    GRADES,
    OPEN_DATA_LICENCE,
    OPEN_DATA_LICENCE_URL,
    REGISTRY_COLUMNS,
    TIERS,
    CompanyBadge,
    Share,
    Statistics,
    company_badge_get,
    open_data_export,
    open_data_snapshot_file,
    open_data_snapshots,
    statistics_get,
)

TIER_COLOURS: dict[str, str] = {
    "complete": "#17603a",
    "substantial": "#1d4e89",
    "partial": "#6b5200",
    "minimal": "#a4161a",
    "none": NO_GRADE_COLOUR,
}
EXPORT_CACHE_SECONDS = 300
BADGE_CACHE_SECONDS = 3600


# --- statistics ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart and the caption that introduces it; the template puts the numbers in a table beside it."""

    chart_id: str
    caption: str
    svg: SafeString


def _count_bars(shares: Sequence[Share], colours: dict[str, str]) -> list[Bar]:
    return [
        Bar(
            label=share.label,
            value=share.count,
            display=f"{share.count} ({share.percent:g}%)",
            colour=colours[share.key],
        )
        for share in shares
    ]


def _percent_bars(shares: Sequence[Share]) -> list[Bar]:
    return [Bar(label=share.label, value=share.percent, display=f"{share.percent:g}%") for share in shares]


def _bar_chart(chart_id: str, caption: str, description: str, bars: list[Bar], max_value: float | None) -> Chart:
    # core.charts escapes every string it writes, so its output is safe to insert as markup.
    svg = bar_chart_svg(chart_id=chart_id, title=caption, description=description, bars=bars, max_value=max_value)
    return Chart(chart_id=chart_id, caption=caption, svg=mark_safe(svg))  # noqa: S308


def _stacked_chart(chart_id: str, caption: str, series: list[Series], rows: list[StackedRow]) -> Chart:
    description = _("Each bar is one industry, split by the number of companies in each group.")
    svg = stacked_bar_chart_svg(chart_id=chart_id, title=caption, description=description, series=series, rows=rows)
    return Chart(chart_id=chart_id, caption=caption, svg=mark_safe(svg))  # noqa: S308


def _industry_charts(stats: Statistics) -> dict[str, Chart]:
    tier_labels = dict(Tier.choices)
    tier_series = [Series(key=tier, label=str(tier_labels[tier]), colour=TIER_COLOURS[tier]) for tier in TIERS]
    grade_series = [Series(key=grade, label=grade, colour=GRADE_COLOURS[grade]) for grade in GRADES]
    tier_rows = [StackedRow(label=row.label, values=tuple(s.count for s in row.tiers)) for row in stats.industries]
    grade_rows = [StackedRow(label=row.label, values=tuple(s.count for s in row.grades)) for row in stats.industries]
    return {
        "industry_tiers": _stacked_chart(
            "chart-industry-tiers", _("Compliance tiers by industry"), tier_series, tier_rows
        ),
        "industry_grades": _stacked_chart("chart-industry-grades", _("Grades by industry"), grade_series, grade_rows),
    }


def _statistics_charts(stats: Statistics) -> dict[str, Chart]:
    years = stats.years
    qualifiers = (stats.third_party_verification, stats.unannounced_audits)
    return {
        "tiers": _bar_chart(
            "chart-tiers",
            _("Companies by compliance tier"),
            _("Number of companies in each compliance tier; companies with no disclosure found are in None."),
            _count_bars(stats.tiers, TIER_COLOURS),
            None,
        ),
        "grades": _bar_chart(
            "chart-grades",
            _("Companies by grade"),
            _("Number of companies with a scored disclosure at each grade, A (best) to F."),
            _count_bars(stats.grades, GRADE_COLOURS),
            None,
        ),
        **_industry_charts(stats),
        "areas": _bar_chart(
            "chart-areas",
            _("Disclosures that state each of the five areas"),
            _("Percentage of companies' latest scored disclosures that say whether or not they do each thing."),
            _percent_bars(stats.areas),
            100,
        ),
        "qualifiers": _bar_chart(
            "chart-qualifiers",
            _("Third-party verification and unannounced audits"),
            _("Percentage of companies' latest scored disclosures that state each practice."),
            _percent_bars(qualifiers),
            100,
        ),
        "years": _bar_chart(
            "chart-years",
            _("Average compliance score by reporting year"),
            _("Average compliance score, out of 100, of the disclosures for each reporting year."),
            [
                Bar(label=str(y.year), value=y.average_compliance_score, display=f"{y.average_compliance_score:g}")
                for y in years
            ],
            100,
        ),
    }


@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    stats = statistics_get()
    context = {
        "stats": stats,
        "charts": _statistics_charts(stats),
        "qualifier_rows": (stats.third_party_verification, stats.unannounced_audits),
        "grade_keys": GRADES,
    }
    return render(request, "data/statistics.html", context)


# --- the open-data page, exports and snapshots --------------------------------------------------------------


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    context = {
        "licence": OPEN_DATA_LICENCE,
        "licence_url": OPEN_DATA_LICENCE_URL,
        "company_columns": COMPANY_COLUMNS,
        "registry_columns": REGISTRY_COLUMNS,
        "snapshots": open_data_snapshots()[:30],
    }
    return render(request, "data/open_data.html", context)


def _export_view(name: str, content_type: str) -> Callable[[HttpRequest], StreamingHttpResponse]:
    """One streamed download; the body is produced row by row while it is sent."""

    @require_safe
    def view(request: HttpRequest) -> StreamingHttpResponse:
        generated_at = timezone.now()
        response = StreamingHttpResponse(
            open_data_export(name=name, generated_at=generated_at), content_type=content_type
        )
        stem, _dot, extension = name.partition(".")
        disposition = "attachment" if extension == "csv" else "inline"
        response["Content-Disposition"] = (
            f'{disposition}; filename="{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"'
        )
        response["Cache-Control"] = f"public, max-age={EXPORT_CACHE_SECONDS}"
        # Open data: any site or notebook may fetch it from a browser.
        response["Access-Control-Allow-Origin"] = "*"
        return response

    view.__name__ = f"export_{name.replace('.', '_')}"
    return view


@require_safe
def snapshot_file(request: HttpRequest, day: str, name: str) -> FileResponse:
    found = open_data_snapshot_file(day=day, name=name)
    if found is None:
        raise Http404(_("No snapshot of that file for that day."))
    content_type = "text/csv; charset=utf-8" if name.endswith(".csv") else "application/json"
    response = FileResponse(found.open("rb"), content_type=content_type, as_attachment=name.endswith(".csv"))
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- the badge ----------------------------------------------------------------------------------------------


def _badge_texts(badge: CompanyBadge) -> dict[str, Any]:
    heading = _("CA supply chain")
    if badge.grade is None or badge.date is None:
        return {
            "heading": heading,
            "grade": None,
            "detail": _("No disclosure found"),
            "title": _("%(company)s: no disclosure found. CA Supply Chain Check.") % {"company": badge.name},
        }
    tier = str(dict(Tier.choices).get(badge.tier, badge.tier))
    date = badge.date.isoformat()
    title = _(
        "%(company)s: grade %(grade)s, %(tier)s compliance tier, disclosure of %(date)s. CA Supply Chain Check."
    ) % {"company": badge.name, "grade": badge.grade, "tier": tier.lower(), "date": date}
    return {"heading": heading, "grade": badge.grade, "detail": f"{tier} · {date}", "title": title}


def _badge(request: HttpRequest, slug: str) -> tuple[CompanyBadge, str] | None:
    """Looked up once per request: the ETag, Last-Modified and body all need it."""
    cache: dict[str, tuple[CompanyBadge, str] | None] = request.__dict__.setdefault("_data_badges", {})
    if slug not in cache:
        badge = company_badge_get(slug=slug)
        cache[slug] = (badge, badge_svg(**_badge_texts(badge))) if badge is not None else None
    return cache[slug]


def _badge_etag(request: HttpRequest, slug: str) -> str | None:
    found = _badge(request, slug)
    if found is None:
        return None
    # The body depends on the language too (translated words), so the tag is the hash of the bytes sent.
    return hashlib.sha256(f"{translation.get_language()}\n{found[1]}".encode()).hexdigest()[:32]


def _badge_last_modified(request: HttpRequest, slug: str) -> dt.datetime | None:
    found = _badge(request, slug)
    return found[0].last_modified if found is not None else None


@cache_control(public=True, max_age=BADGE_CACHE_SECONDS)
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@condition(etag_func=_badge_etag, last_modified_func=_badge_last_modified)
@require_safe
def badge(request: HttpRequest, slug: str) -> HttpResponse:
    """The embeddable badge; other sites put it in an <img> (or an iframe), so neither header may block it."""
    found = _badge(request, slug)
    if found is None:
        raise Http404(_("No company with that address."))
    response = HttpResponse(found[1], content_type="image/svg+xml; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


urlpatterns: list[URLPattern] = [
    path("statistics/", statistics, name="statistics"),
    path("data/", open_data, name="open_data"),
    path("data/companies.csv", _export_view("companies.csv", "text/csv; charset=utf-8"), name="companies_csv"),
    path("data/companies.json", _export_view("companies.json", "application/json"), name="companies_json"),
    path("data/registry.csv", _export_view("registry.csv", "text/csv; charset=utf-8"), name="registry_csv"),
    path("data/registry.json", _export_view("registry.json", "application/json"), name="registry_json"),
    path("data/snapshots/<str:day>/<str:name>", snapshot_file, name="snapshot_file"),
    path("badge/<slug:slug>.svg", badge, name="badge"),
]

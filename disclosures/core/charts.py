"""Server-rendered SVG bar charts: no JavaScript, no CDN, and the same input always gives the same bytes.

Labels sit on their own line above each bar so a chart stays legible when a 360 px phone scales it down.
Every chart carries ``<title>``/``<desc>`` and ``role="img"``; the page shows the numbers in a table as well,
because a chart alone is not accessible. Colours are SVG presentation attributes (CSP forbids ``style=``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

DEFAULT_COLOUR = "#1d4e89"  # site.css --accent
INK = "#1b1f24"  # site.css --ink
TRACK = "#f4f6f8"  # site.css --panel
WIDTH = 400
PAD = 8
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
ROW_GAP = 10
VALUE_ROOM = 84  # space kept right of the longest bar for its value text
VALUE_CHAR_WIDTH = 8.0  # generous advance of a bold 13 px digit: no font metrics on the server
LEGEND_ROW = 20
MIN_SEGMENT_FOR_TEXT = 22  # narrower stacked segments leave their number to the table


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    display: str  # the text printed after the bar, e.g. "42%" or "17"
    colour: str = DEFAULT_COLOUR


@dataclass(frozen=True, slots=True)
class Series:
    key: str
    label: str
    colour: str


@dataclass(frozen=True, slots=True)
class StackedRow:
    label: str
    values: tuple[int, ...]  # one per series, in series order

    @property
    def total(self) -> int:
        return sum(self.values)


def _num(value: float) -> str:
    """Fixed formatting keeps the output deterministic across platforms."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"", "-0"} else text


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _open_svg(chart_id: str, title: str, description: str, height: float) -> list[str]:
    ids = f"{chart_id}-title {chart_id}-desc"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_num(height)}" width="{WIDTH}" '
        f'height="{_num(height)}" role="img" aria-labelledby="{_attr(ids)}" class="bar-chart" '
        f'font-family="system-ui, sans-serif" font-size="13">',
        f'<title id="{_attr(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{_attr(chart_id)}-desc">{escape(description)}</desc>',
    ]


def _text(x: float, y: float, text: str, *, anchor: str = "start", fill: str = INK, weight: str = "") -> str:
    bold = ' font-weight="700"' if weight else ""
    return f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" fill="{fill}"{bold}>{escape(text)}</text>'


def _rect(x: float, y: float, width: float, height: float, fill: str) -> str:
    return f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(width)}" height="{_num(height)}" fill="{fill}"/>'


def _value_text(bar: Bar, length: float, bar_top: float) -> str:
    """After the bar; inside its end, in white, when a long label would run off the chart."""
    if PAD + length + 6 + len(bar.display) * VALUE_CHAR_WIDTH <= WIDTH - PAD:
        return _text(PAD + length + 6, bar_top + 12.5, bar.display, weight="bold")
    return _text(PAD + length - 6, bar_top + 12.5, bar.display, anchor="end", fill="#ffffff", weight="bold")


def bar_chart_svg(
    *, chart_id: str, title: str, description: str, bars: Sequence[Bar], max_value: float | None = None
) -> str:
    """Horizontal bars, one per item, each labelled above and followed by its value as text.

    ``max_value`` fixes the scale (100 for percentages) so charts of shares stay comparable; by default the
    longest bar fills the width.
    """
    scale_max = max_value if max_value is not None else max((bar.value for bar in bars), default=0)
    track = WIDTH - 2 * PAD - VALUE_ROOM
    row = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    height = PAD * 2 + row * max(len(bars), 1)
    parts = _open_svg(chart_id, title, description, height)
    for index, bar in enumerate(bars):
        top = PAD + index * row
        length = track * bar.value / scale_max if scale_max > 0 else 0
        length = max(0.0, min(track, length))
        bar_top = top + LABEL_HEIGHT
        parts.append('<g class="bar">')
        parts.append(_text(PAD, top + 13, bar.label))
        parts.append(_rect(PAD, bar_top, track, BAR_HEIGHT, TRACK))
        parts.append(_rect(PAD, bar_top, length, BAR_HEIGHT, bar.colour))
        parts.append(_value_text(bar, length, bar_top))
        parts.append("</g>")
    if not bars:
        parts.append(_text(PAD, PAD + 13, "—"))
    parts.append("</svg>")
    return "\n".join(parts)


def _legend(series: Sequence[Series], top: float) -> list[str]:
    """One legend entry per line: long translated labels never collide on a narrow chart."""
    parts = []
    for index, item in enumerate(series):
        y = top + index * LEGEND_ROW
        parts.append(_rect(PAD, y + 2, 12, 12, item.colour))
        parts.append(_text(PAD + 18, y + 12.5, item.label))
    return parts


def _stacked_segments(row: StackedRow, series: Sequence[Series], top: float, track: float) -> list[str]:
    parts = []
    x = float(PAD)
    for item, value in zip(series, row.values, strict=True):
        if value <= 0 or row.total <= 0:
            continue
        width = track * value / row.total
        parts.append(_rect(x, top, width, BAR_HEIGHT, item.colour))
        if width >= MIN_SEGMENT_FOR_TEXT:
            parts.append(_text(x + width / 2, top + 12.5, str(value), anchor="middle", fill="#ffffff"))
        x += width
    return parts


def stacked_bar_chart_svg(
    *, chart_id: str, title: str, description: str, series: Sequence[Series], rows: Sequence[StackedRow]
) -> str:
    """One full-width bar per row split into the series' shares, with the row total as text and a legend."""
    track = WIDTH - 2 * PAD - VALUE_ROOM
    row_height = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    legend_height = LEGEND_ROW * len(series) + ROW_GAP
    height = PAD * 2 + legend_height + row_height * max(len(rows), 1)
    parts = _open_svg(chart_id, title, description, height)
    parts.append('<g class="legend">')
    parts.extend(_legend(series, PAD))
    parts.append("</g>")
    for index, row in enumerate(rows):
        top = PAD + legend_height + index * row_height
        bar_top = top + LABEL_HEIGHT
        parts.append('<g class="bar">')
        parts.append(_text(PAD, top + 13, row.label))
        parts.append(_rect(PAD, bar_top, track, BAR_HEIGHT, TRACK))
        parts.extend(_stacked_segments(row, series, bar_top, track))
        parts.append(_text(PAD + track + 6, bar_top + 12.5, str(row.total), weight="bold"))
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)

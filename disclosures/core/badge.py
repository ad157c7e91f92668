"""The embeddable SVG badge: grade letter, tier and date, with the whole sentence in ``<title>``.

Pure Python so the exact bytes can be unit-tested. The caller passes already-translated strings. Widths are
estimated from character counts (no font metrics on the server), generously, so text never overflows.
"""

from __future__ import annotations

from html import escape

# Must match static/css/site.css .grade-A … .grade-F and .grade-none (var(--silent)): a test compares them.
GRADE_COLOURS: dict[str, str] = {
    "A": "#17603a",
    "B": "#2f6b1f",
    "C": "#6b5200",
    "D": "#8a3b00",
    "F": "#a4161a",
}
NO_GRADE_COLOUR = "#5b6470"
HEADING_COLOUR = "#1b1f24"
HEIGHT = 28
CHAR_WIDTH = 7.0  # generous average advance of a 12 px sans-serif glyph
PADDING = 8
GRADE_BOX = 26


def grade_colour(grade: str | None) -> str:
    return GRADE_COLOURS.get(grade or "", NO_GRADE_COLOUR)


def _text_width(text: str) -> int:
    return round(len(text) * CHAR_WIDTH) + 2 * PADDING


def _text(x: float, text: str, *, bold: bool = False, size: int = 12) -> str:
    weight = ' font-weight="700"' if bold else ""
    return (
        f'<text x="{x:g}" y="18.5" font-size="{size}"{weight} fill="#ffffff" text-anchor="middle">{escape(text)}</text>'
    )


def badge_svg(*, heading: str, grade: str | None, detail: str, title: str) -> str:
    """``grade`` is a letter A to F, or None when the company has no disclosure (grey badge, no letter box)."""
    colour = grade_colour(grade)
    heading_width = _text_width(heading)
    grade_width = GRADE_BOX if grade else 0
    detail_width = _text_width(detail)
    total = heading_width + grade_width + detail_width
    detail_x = heading_width + grade_width
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="{HEIGHT}" '
        f'viewBox="0 0 {total} {HEIGHT}" role="img" aria-labelledby="badge-title" '
        f'font-family="Verdana, DejaVu Sans, sans-serif">',
        f'<title id="badge-title">{escape(title)}</title>',
        f'<rect width="{total}" height="{HEIGHT}" rx="4" fill="{colour}"/>',
        f'<rect width="{heading_width}" height="{HEIGHT}" rx="4" fill="{HEADING_COLOUR}"/>',
        # Squares off the heading's right corners where it meets the coloured part.
        f'<rect x="{heading_width - 4}" width="4" height="{HEIGHT}" fill="{HEADING_COLOUR}"/>',
        _text(heading_width / 2, heading),
    ]
    if grade:
        parts.append(f'<rect x="{heading_width}" width="{GRADE_BOX}" height="{HEIGHT}" fill="#000000" opacity=".18"/>')
        parts.append(_text(heading_width + GRADE_BOX / 2, grade, bold=True, size=15))
    parts.append(_text(detail_x + detail_width / 2, detail))
    parts.append("</svg>")
    return "\n".join(parts)

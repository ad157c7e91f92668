"""The badge SVG: well-formed, titled, coloured like the site's grade circles, and escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from disclosures.core.badge import GRADE_COLOURS, NO_GRADE_COLOUR, badge_svg

SVG = "{http://www.w3.org/2000/svg}"
SITE_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


def render(grade: str | None = "B", detail: str = "Substantial · 2025-03-14") -> ET.Element:
    return ET.fromstring(badge_svg(heading="CA supply chain", grade=grade, detail=detail, title="Acme: grade B"))


def fills(svg: ET.Element) -> set[str]:
    return {rect.get("fill") for rect in svg.iter(f"{SVG}rect")}


@pytest.mark.parametrize("grade", ["A", "B", "C", "D", "F"])
def test_a_graded_badge_shows_the_letter_in_its_colour(grade: str) -> None:
    svg = render(grade)

    assert [text.text for text in svg.iter(f"{SVG}text")] == ["CA supply chain", grade, "Substantial · 2025-03-14"]
    assert GRADE_COLOURS[grade] in fills(svg)


def test_the_badge_is_an_accessible_image_with_the_full_sentence_as_title() -> None:
    svg = render()

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "badge-title"
    assert svg.find(f"{SVG}title").get("id") == "badge-title"
    assert svg.find(f"{SVG}title").text == "Acme: grade B"


def test_a_badge_without_a_grade_is_grey_and_has_no_letter() -> None:
    svg = render(None, "No disclosure found")

    assert [text.text for text in svg.iter(f"{SVG}text")] == ["CA supply chain", "No disclosure found"]
    assert NO_GRADE_COLOUR in fills(svg)
    assert not fills(svg) & set(GRADE_COLOURS.values())


def test_the_badge_is_wide_enough_for_longer_translated_text() -> None:
    short = int(render(detail="Partial · 2025-03-14").get("width"))
    long = int(render(detail="Sustancial · 2025-03-14 · más texto").get("width"))

    assert long > short


def test_text_is_escaped_and_there_are_no_style_attributes() -> None:
    output = badge_svg(heading="<x>", grade="A", detail='"&"', title="<script>")

    svg = ET.fromstring(output)
    assert svg.find(f"{SVG}title").text == "<script>"
    assert "<script>" not in output
    assert "style=" not in output


def test_grade_colours_match_the_sites_grade_classes() -> None:
    css = SITE_CSS.read_text()
    from_css = dict(re.findall(r"\.grade-([A-F]) \{ background: (#[0-9a-f]{6}); \}", css))
    silent = re.search(r"--silent: (#[0-9a-f]{6})", css).group(1)

    assert from_css == GRADE_COLOURS
    assert silent == NO_GRADE_COLOUR

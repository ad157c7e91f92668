"""Server-rendered SVG charts: well-formed, accessible, proportional, escaped and deterministic."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from disclosures.core.charts import Bar, Series, StackedRow, bar_chart_svg, stacked_bar_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def make_bars() -> list[Bar]:
    return [Bar("Complete", 10, "10"), Bar("Partial", 5, "5"), Bar("None", 0, "0")]


def render(bars: list[Bar] | None = None, max_value: float | None = None) -> str:
    return bar_chart_svg(
        chart_id="c1",
        title="Companies by tier",
        description="How many",
        bars=make_bars() if bars is None else bars,
        max_value=max_value,
    )


def bar_widths(svg: ET.Element) -> list[float]:
    """The coloured rectangle of each bar (the second rect; the first is the grey track)."""
    return [float(list(group.iter(f"{SVG}rect"))[1].get("width")) for group in svg.iter(f"{SVG}g")]


def test_a_bar_chart_is_well_formed_and_labelled_for_screen_readers() -> None:
    svg = ET.fromstring(render())

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").get("id") == "c1-title"
    assert svg.find(f"{SVG}title").text == "Companies by tier"
    assert svg.find(f"{SVG}desc").get("id") == "c1-desc"


def test_every_bar_has_its_label_and_value_as_text() -> None:
    svg = ET.fromstring(render())

    groups = [[text.text for text in group.iter(f"{SVG}text")] for group in svg.iter(f"{SVG}g")]

    assert groups == [["Complete", "10"], ["Partial", "5"], ["None", "0"]]


def test_bar_lengths_are_proportional_to_values() -> None:
    widths = bar_widths(ET.fromstring(render()))

    assert widths[0] == pytest.approx(2 * widths[1])
    assert widths[2] == 0


def test_a_fixed_maximum_scales_bars_against_it() -> None:
    full = bar_widths(ET.fromstring(render([Bar("All", 100, "100%")], max_value=100)))[0]
    half = bar_widths(ET.fromstring(render([Bar("Half", 50, "50%")], max_value=100)))[0]

    assert half == pytest.approx(full / 2)


def test_values_above_the_maximum_do_not_overflow_the_track() -> None:
    svg = ET.fromstring(render([Bar("Too much", 150, "150%")], max_value=100))
    track, bar = list(next(svg.iter(f"{SVG}g")).iter(f"{SVG}rect"))

    assert float(bar.get("width")) == float(track.get("width"))


def test_labels_are_escaped() -> None:
    output = render([Bar('<b>"Toys" & games</b>', 1, "1")])

    svg = ET.fromstring(output)
    assert "<b>" not in output
    assert next(svg.iter(f"{SVG}text")).text == '<b>"Toys" & games</b>'


def test_output_is_deterministic_and_has_no_style_attributes() -> None:
    assert render() == render()
    assert "style=" not in render()
    assert re.search(r"\d\.\d{3,}", render()) is None  # no float noise


def test_an_empty_or_all_zero_chart_still_renders() -> None:
    ET.fromstring(render([]))
    assert bar_widths(ET.fromstring(render([Bar("A", 0, "0")]))) == [0]


def stacked() -> str:
    return stacked_bar_chart_svg(
        chart_id="s1",
        title="Tiers by industry",
        description="Split",
        series=[Series("complete", "Complete", "#17603a"), Series("none", "None", "#5b6470")],
        rows=[StackedRow("Apparel", (3, 1)), StackedRow("Toys", (0, 2))],
    )


def test_a_stacked_chart_splits_each_row_by_share_and_prints_the_total() -> None:
    svg = ET.fromstring(stacked())
    apparel, toys = [group for group in svg.iter(f"{SVG}g") if group.get("class") == "bar"]

    track, first, second = list(apparel.iter(f"{SVG}rect"))
    assert float(first.get("width")) == pytest.approx(0.75 * float(track.get("width")))
    assert float(second.get("x")) == pytest.approx(float(first.get("x")) + float(first.get("width")))
    assert [text.text for text in apparel.iter(f"{SVG}text")] == ["Apparel", "3", "1", "4"]
    assert len(list(toys.iter(f"{SVG}rect"))) == 2  # the zero segment is not drawn


def test_a_stacked_chart_has_a_legend_with_every_series() -> None:
    svg = ET.fromstring(stacked())
    legend = next(group for group in svg.iter(f"{SVG}g") if group.get("class") == "legend")

    assert [text.text for text in legend.iter(f"{SVG}text")] == ["Complete", "None"]
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Tiers by industry"
    assert stacked() == stacked()


def test_a_value_too_long_to_follow_the_longest_bar_is_written_inside_it() -> None:
    svg = ET.fromstring(render([Bar("Complete", 15, "15 (55.6%) of all companies"), Bar("Partial", 1, "1")]))
    long_group, short_group = list(svg.iter(f"{SVG}g"))

    inside = list(long_group.iter(f"{SVG}text"))[-1]
    after = list(short_group.iter(f"{SVG}text"))[-1]
    assert (inside.get("text-anchor"), inside.get("fill")) == ("end", "#ffffff")
    assert float(inside.get("x")) <= 400
    assert after.get("text-anchor") == "start"

"""The server-side SVG chart: a nice axis, bars in proportion, escaped text, links only where there is a count."""

from __future__ import annotations

import re

import pytest

from motcua.core.charts import Column, Series, bar_chart, nice_ceiling


@pytest.mark.parametrize(("value", "ceiling"), [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (250, 500), (1001, 2000)])
def test_the_axis_ends_on_a_round_number(value: int, ceiling: int) -> None:
    assert nice_ceiling(value) == ceiling


def test_bars_are_in_proportion_and_text_is_escaped() -> None:
    svg = bar_chart(
        [Column("01/2026", (10, 5), ("/list?a=1&b=2", "")), Column("<b>", (0, 0), ("/x", "/y"))],
        [Series("Received"), Series("Online & more", "#123456")],
        title="T <script>",
        description="D",
        width=240,
        height=148,
        ident="t",
    )
    heights = [float(h) for h in re.findall(r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"', svg)]
    assert heights[:4] == [88.0, 44.0, 0.0, 0.0]  # plot height 148 - 12 - 48 = 88 for the axis maximum 10
    assert '<title id="t-title">T &lt;script&gt;</title>' in svg
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    assert svg.count("<a ") == 1  # the one non-zero bar with a link
    assert 'href="/list?a=1&amp;b=2"' in svg
    assert 'fill="#123456"' in svg and "Online &amp; more" in svg
    assert "style=" not in svg  # colours are attributes: the CSP forbids inline styles

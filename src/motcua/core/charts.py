"""Small charts drawn on the server as inline SVG: no script, no external service (issue 7, item 4).

A chart is an ``<svg role="img">`` with a title and a description for screen readers; the page shows
the same figures in a table next to it. Colours are SVG attributes (never inline styles, for the CSP).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0b5cad", "#1d7a34", "#b42318", "#9a6700")


@dataclass(frozen=True)
class Series:
    name: str
    colour: str = ""


@dataclass(frozen=True)
class Column:
    """One group of bars: its label, one value per series, and optionally where each bar links to."""

    label: str
    values: tuple[int, ...]
    links: tuple[str, ...] = field(default_factory=tuple)


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ that is at least ``value`` (an axis maximum)."""
    if value <= 0:
        return 1
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def bar_chart(
    columns: Sequence[Column],
    series: Sequence[Series],
    *,
    title: str,
    description: str = "",
    width: int = 720,
    height: int = 260,
    ident: str = "chart",
) -> SafeString:
    """Grouped bars, one group per column, one bar per series, with a legend and a value axis."""
    left, right, top, bottom = 44, 8, 12, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    ceiling = nice_ceiling(max((v for c in columns for v in c.values), default=0))
    slot = plot_w / max(len(columns), 1)
    bar_w = max(slot * 0.8 / max(len(series), 1), 1.0)
    colours = [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    for fraction in (0, 0.5, 1):  # grid lines and axis labels
        y = top + plot_h * (1 - fraction)
        parts.append(
            f'<line x1="{left}" y1="{_fmt(y)}" x2="{width - right}" y2="{_fmt(y)}" stroke="#d6dbe1" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{_fmt(y + 4)}" text-anchor="end" font-size="11" fill="#5a6470">'
            f"{_fmt(ceiling * fraction)}</text>"
        )
    for index, column in enumerate(columns):
        x0 = left + slot * index + slot * 0.1
        for position, value in enumerate(column.values):
            bar_h = plot_h * value / ceiling
            x, y = x0 + bar_w * position, top + plot_h - bar_h
            label = f"{column.label} · {series[position].name}: {value}"
            bar = (
                f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="{_fmt(bar_w - 1)}" height="{_fmt(bar_h)}" '
                f'fill="{colours[position]}"><title>{escape(label)}</title></rect>'
            )
            link = column.links[position] if position < len(column.links) else ""
            parts.append(f'<a href="{escape(link)}" aria-label="{escape(label)}">{bar}</a>' if link and value else bar)
        parts.append(
            f'<text x="{_fmt(left + slot * index + slot / 2)}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="11" fill="#1b1f24">{escape(column.label)}</text>'
        )
    legend_y = height - 12
    x = float(left)
    for position, item in enumerate(series):
        parts.append(
            f'<rect x="{_fmt(x)}" y="{legend_y - 9}" width="10" height="10" fill="{colours[position]}"/>'
            f'<text x="{_fmt(x + 14)}" y="{legend_y}" font-size="12" fill="#1b1f24">{escape(item.name)}</text>'
        )
        x += 24 + 7 * len(item.name)
    parts.append("</svg>")
    return mark_safe("".join(parts))

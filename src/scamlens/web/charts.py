"""Small server-rendered SVG charts; each comes with the same numbers as a table.

No script and no style attributes (the pages' CSP forbids inline styles): colours come from
classes in static/app.css. Every label is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from markupsafe import Markup

Pairs = Sequence[tuple[str, int]]


def pairs(data: Any, *, top: int = 20) -> list[tuple[str, int]]:
    """(label, count) pairs, largest first, from a mapping or from rows of pairs/dicts."""
    items: Iterable[Any]
    if isinstance(data, Mapping):
        items = data.items()
    elif isinstance(data, list | tuple):
        items = data
    else:
        return []
    out: list[tuple[str, int]] = []
    for item in items:
        if isinstance(item, Mapping):
            key = item.get("key", item.get("name", item.get("day", item.get("date"))))
            value = item.get("count", item.get("n", item.get("value", 0)))
        elif isinstance(item, list | tuple) and len(item) == 2:
            key, value = item
        else:
            continue
        try:
            out.append(("(none)" if key in (None, "") else str(key), int(value)))
        except (TypeError, ValueError):
            continue
    out.sort(key=lambda kv: (-kv[1], kv[0]))
    return out[:top]


def bar_chart(title: str, data: Pairs, chart_id: str) -> Markup:
    """Horizontal bars: one row per label, the count written after the bar."""
    if not data:
        return Markup("<p class='muted'>No data yet.</p>")
    row = 26
    label_w = 190
    bar_w = 300
    width = label_w + bar_w + 60
    height = row * len(data) + 8
    top = max(v for _, v in data) or 1
    parts = [
        f"<svg class='chart' viewBox='0 0 {width} {height}' role='img' "
        f"aria-labelledby='{chart_id}-t'><title id='{chart_id}-t'>{escape(title)}</title>"
    ]
    for i, (label, value) in enumerate(data):
        y = 4 + i * row
        w = max(1.0, bar_w * value / top)
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f"<text class='chart-label' x='{label_w - 6}' y='{y + 17}' text-anchor='end'>"
            f"{escape(short)}</text>"
            f"<rect class='bar bar-{i % 6}' x='{label_w}' y='{y + 3}' width='{w:.1f}' "
            f"height='{row - 8}'/>"
            f"<text class='chart-value' x='{label_w + w + 6:.1f}' y='{y + 17}'>{value}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(title: str, data: Pairs, chart_id: str) -> Markup:
    """Vertical bars in the given order (dates), with a few labels along the bottom."""
    if not data:
        return Markup("<p class='muted'>No data yet.</p>")
    n = len(data)
    plot_h = 160
    col = max(6.0, min(40.0, 520 / n))
    width = int(col * n + 60)
    height = plot_h + 50
    top = max(v for _, v in data) or 1
    parts = [
        f"<svg class='chart' viewBox='0 0 {width} {height}' role='img' "
        f"aria-labelledby='{chart_id}-t'><title id='{chart_id}-t'>{escape(title)}</title>",
        f"<line class='axis' x1='30' y1='{plot_h + 10}' x2='{width}' y2='{plot_h + 10}'/>",
        f"<text class='chart-value' x='0' y='18'>{top}</text>",
    ]
    step = max(1, n // 6)
    for i, (label, value) in enumerate(data):
        h = plot_h * value / top
        x = 34 + i * col
        parts.append(
            f"<rect class='bar bar-0' x='{x:.1f}' y='{plot_h + 10 - h:.1f}' "
            f"width='{col * 0.8:.1f}' height='{h:.1f}'><title>{escape(label)}: {value}</title>"
            "</rect>"
        )
        if i % step == 0:
            parts.append(
                f"<text class='chart-label' x='{x:.1f}' y='{plot_h + 30}'>{escape(label[-5:])}"
                "</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))

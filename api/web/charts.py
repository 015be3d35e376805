"""Charts as server-side SVG (biểu đồ): written here, every text escaped, no script.

Each chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>`` so a screen reader
announces it; the page also shows the same figures in a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from markupsafe import Markup, escape

from api.web.labels import number, percent

_ids = count(1)
FONT = 'font-family="DejaVu Sans, Liberation Sans, sans-serif" font-size="12"'


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]
    css_class: str  # colour comes from the stylesheet (a pattern for each class too)


def _text(x: float, y: float, content: str, anchor: str = "middle", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {FONT} {extra}>'
            f"{escape(content)}</text>")


def _frame(width: int, height: int, title: str, desc: str, body: list[str]) -> Markup:
    ident = f"chart-{next(_ids)}"
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" aria-labelledby="{ident}-t {ident}-d" class="chart">'
            f'<title id="{ident}-t">{escape(title)}</title>'
            f'<desc id="{ident}-d">{escape(desc)}</desc>')
    return Markup(head + "".join(body) + "</svg>")


def nice_ticks(peak: int, count: int = 4) -> list[int]:
    """Whole-number ticks from 0 to at least ``peak``: steps of 1, 2 or 5 times a power of 10."""
    raw = max(1.0, peak / count)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return [int(step * i) for i in range(math.ceil(max(peak, 1) / step) + 1)]


def grouped_bars(categories: Sequence[str], series: Sequence[Series], title: str,
                 width: int = 640, height: int = 260) -> Markup:
    """Vertical bars per category (e.g. month), one bar per series, with a legend."""
    left, right, top, bottom = 52, 12, 28, 40
    ticks = nice_ticks(max((v for s in series for v in s.values), default=0))
    peak = ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / max(1, len(categories))
    bar = min(36.0, max(2.0, (slot * 0.8) / max(1, len(series))))
    body = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
            'class="axis"/>']
    for value in ticks:
        y = top + plot_h - plot_h * value / peak
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                    'class="grid"/>')
        body.append(_text(left - 6, y + 4, number(value), "end"))
    for i, category in enumerate(categories):
        x0 = left + i * slot + (slot - bar * len(series)) / 2
        for j, one in enumerate(series):
            value = one.values[i]
            h = plot_h * value / peak
            x, y = x0 + j * bar, top + plot_h - h
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 1:.1f}" height="{h:.1f}" '
                        f'class="{escape(one.css_class)}"><title>{escape(one.name)} '
                        f'{escape(category)}: {escape(number(value))}</title></rect>')
        body.append(_text(left + i * slot + slot / 2, top + plot_h + 16, category))
    for j, one in enumerate(series):
        x = left + j * 170
        body.append(f'<rect x="{x}" y="6" width="12" height="12" class="{escape(one.css_class)}"/>')
        body.append(_text(x + 16, 16, one.name, "start"))
    desc = "; ".join(f"{c}: " + ", ".join(f"{s.name} {number(s.values[i])}" for s in series)
                     for i, c in enumerate(categories)) or "Chưa có số liệu."
    return _frame(width, height, title, desc, body)


def rate_bars(rows: Sequence[tuple[str, float | None]], title: str, target: float = 0.8,
              width: int = 640) -> Markup:
    """Horizontal bars of rates (0–100 %) with the full-points target drawn as a line."""
    label_w, right, row_h, top = 150, 60, 24, 24
    height = top + row_h * max(1, len(rows)) + 24
    plot_w = width - label_w - right
    body: list[str] = []
    for i, (name, value) in enumerate(rows):
        y = top + i * row_h
        shown = value or 0.0
        css = "bar-good" if shown >= target else "bar-low"
        body.append(_text(label_w - 6, y + 15, name, "end"))
        body.append(f'<rect x="{label_w}" y="{y + 3}" width="{plot_w * min(shown, 1.0):.1f}" '
                    f'height="{row_h - 8}" class="{css}"><title>{escape(name)}: '
                    f'{escape(percent(value))}</title></rect>')
        body.append(_text(label_w + plot_w * min(shown, 1.0) + 4, y + 15, percent(value),
                          "start"))
    x = label_w + plot_w * target
    body.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 18}" '
                'class="target"/>')
    body.append(_text(x, top - 10, f"mục tiêu {percent(target, 0)}"))
    body.append(_text(label_w, height - 4, "0 %", "start"))
    body.append(_text(label_w + plot_w, height - 4, "100 %", "end"))
    desc = "; ".join(f"{name}: {percent(value)}" for name, value in rows) or "Chưa có số liệu."
    return _frame(width, height, title, desc, body)

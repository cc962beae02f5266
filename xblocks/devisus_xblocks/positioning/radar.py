"""Radar chart as a self-contained SVG string: no JavaScript, no external resource.

One ``<polygon>`` per series (the grid rings are ``<path>``s, so a polygon is always a data
series), axis labels with the item codes, a legend, and an accessible name: ``role="img"`` with
``aria-labelledby`` pointing at the ``<title>`` and ``<desc>``. Series are told apart by line
style as well as colour (WCAG 1.4.1); the numbers themselves are in the data table shown beside
the chart. Every text is XML-escaped here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

WIDTH = 480
CENTER_X = 240
CENTER_Y = 200
RADIUS = 140
LABEL_GAP = 16
LEGEND_ROW = 24
MAX_LABEL = 10

# stroke colour (at least 3:1 against white), dash pattern, fill opacity
STYLES = {
    "learner": ("#1f5fa8", None, 0.22),
    "before": ("#595959", "7 4", 0.06),
    "cohort": ("#a34e00", "2 3", 0.0),
}
DEFAULT_STYLE = ("#333333", "4 2", 0.0)

_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Series:
    key: str  # "learner", "before" or "cohort": picks the style
    label: str
    values: tuple[float | None, ...]  # one per axis; None counts as 0 (the centre)


def _text(value: str) -> str:
    return escape(_XML_INVALID.sub("", str(value)))


def _attr(value: str) -> str:
    return quoteattr(_XML_INVALID.sub("", str(value)))


def _num(value: float) -> str:
    return f"{value:.1f}"


def _point(index: int, count: int, distance: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return CENTER_X + distance * math.cos(angle), CENTER_Y + distance * math.sin(angle)


def _points(values: Sequence[float | None], max_value: float) -> list[tuple[float, float]]:
    count = len(values)
    return [
        _point(index, count, RADIUS * min(max(value or 0.0, 0.0), max_value) / max_value)
        for index, value in enumerate(values)
    ]


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "\u2026"


def radar_svg(
    axes: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    id_prefix: str,
    max_value: int = 5,
) -> str:
    """The chart of ``series`` over ``axes`` (axis labels, e.g. item codes), as SVG markup."""
    count = len(axes)
    if count < 1:
        raise ValueError("a radar chart needs at least one axis")
    for one in series:
        if len(one.values) != count:
            raise ValueError(f"series {one.key!r} has {len(one.values)} values for {count} axes")
    prefix = _ID_UNSAFE.sub("-", id_prefix) or "radar"
    height = CENTER_Y + RADIUS + 2 * LABEL_GAP + 12 + LEGEND_ROW * len(series)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="devisus-positioning-radar" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{_text(title)}</title>',
        f'<desc id="{prefix}-desc">{_text(description)}</desc>',
        '<g class="devisus-positioning-radar-grid" fill="none" stroke="#c8c8c8" stroke-width="1">',
    ]
    for level in range(1, max_value + 1):
        ring = [_point(index, count, RADIUS * level / max_value) for index in range(count)]
        path = "M" + " L".join(f"{_num(x)},{_num(y)}" for x, y in ring) + " Z"
        out.append(f'<path d="{path}"/>')
    for index in range(count):
        x, y = _point(index, count, RADIUS)
        out.append(f'<line x1="{CENTER_X}" y1="{CENTER_Y}" x2="{_num(x)}" y2="{_num(y)}"/>')
    out.append("</g>")

    out.append('<g class="devisus-positioning-radar-scale" font-size="10" fill="#595959" text-anchor="start">')
    for level in range(1, max_value + 1):
        out.append(f'<text x="{CENTER_X + 3}" y="{_num(CENTER_Y - RADIUS * level / max_value - 2)}">{level}</text>')
    out.append("</g>")

    out.append('<g class="devisus-positioning-radar-labels" font-size="15" fill="#1a1a1a">')
    for index, label in enumerate(axes):
        x, y = _point(index, count, RADIUS + LABEL_GAP)
        anchor = "start" if x > CENTER_X + 1 else "end" if x < CENTER_X - 1 else "middle"
        if y < CENTER_Y - RADIUS:
            y -= 2
        elif y > CENTER_Y + RADIUS:
            y += 10
        else:
            y += 4
        out.append(f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}">{_text(_short(label))}</text>')
    out.append("</g>")

    for one in series:
        colour, dash, opacity = STYLES.get(one.key, DEFAULT_STYLE)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        points = _points(one.values, max_value)
        coordinates = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
        out.append(f'<g class="devisus-positioning-radar-series" data-series={_attr(one.key)}>')
        out.append(
            f'<polygon points="{coordinates}" fill="{colour}" fill-opacity="{opacity}" '
            f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
        )
        for x, y in points:
            out.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3" fill="{colour}"/>')
        out.append("</g>")

    out.append('<g class="devisus-positioning-radar-legend" font-size="15" fill="#1a1a1a">')
    top = CENTER_Y + RADIUS + 2 * LABEL_GAP + 12
    for row, one in enumerate(series):
        colour, dash, _opacity = STYLES.get(one.key, DEFAULT_STYLE)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        y = top + row * LEGEND_ROW
        out.append(f'<line x1="20" y1="{y}" x2="60" y2="{y}" stroke="{colour}" stroke-width="3"{dash_attr}/>')
        out.append(f'<text x="70" y="{y + 4}">{_text(one.label)}</text>')
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)

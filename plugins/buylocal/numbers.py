"""The directory in figures, computed at build time: merchants per town, category and way to buy,
how many listings were confirmed recently, and how the directory grew month by month, drawn as
an inline SVG chart (readable without JavaScript, with a table for those who cannot see it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from .report import stale_since


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    added: int  # merchants added this month
    total: int  # merchants added up to the end of this month

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Chart:
    """What the template draws: coordinates in the SVG's own units, computed here."""

    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    line: str  # the "points" of the cumulative line
    area: str  # the same line closed down to the axis
    y_ticks: list  # (y, label)
    x_ticks: list  # (x, label)


def growth(merchants, today: date) -> list[Month]:
    """Every month from the first addition to today's month, with the running total."""
    if not merchants:
        return []
    added: dict = {}
    for merchant in merchants:
        month = (merchant.added.year, merchant.added.month)
        added[month] = added.get(month, 0) + 1
    year, month = min(added)
    last = max(max(added), (today.year, today.month))
    months, total = [], 0
    while (year, month) <= last:
        count = added.get((year, month), 0)
        total += count
        months.append(Month(year, month, count, total))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def recently_verified(merchants, today: date, months: int) -> int:
    """Listings confirmed within `months`: those without the "À vérifier" notice."""
    since = stale_since(today, months)
    return sum(1 for merchant in merchants if merchant.verified >= since)


def nice_ceiling(value: int) -> int:
    """The round number (1, 2 or 5 times a power of ten) at or above `value`."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def chart(months: list[Month], width: int = 640, height: int = 240) -> Chart | None:
    if not months:
        return None
    left, right, top, bottom = 44, 16, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    ceiling = nice_ceiling(months[-1].total)
    steps = max(1, len(months) - 1)

    def x(index: int) -> float:
        return round(left + plot_w * index / steps, 1)

    def y(value: int) -> float:
        return round(top + plot_h * (1 - value / ceiling), 1)

    points = [(x(i), y(m.total)) for i, m in enumerate(months)]
    if len(points) == 1:  # one month: draw a flat segment, not an invisible point
        points.append((x(1), points[0][1]))
    line = " ".join(f"{px:g},{py:g}" for px, py in points)
    base = y(0)
    area = f"{points[0][0]:g},{base:g} {line} {points[-1][0]:g},{base:g}"
    values = [ceiling * i // 4 for i in range(5) if ceiling * i % 4 == 0]
    y_ticks = [(y(value), str(value)) for value in values]
    years = [(i, m.year) for i, m in enumerate(months) if m.month == 1 or i == 0]
    if len(years) > 1 and years[1][0] - years[0][0] < 4:
        years = years[1:]  # the first, partial year's label would overlap the next
    x_ticks = [(x(i), str(year)) for i, year in years]
    return Chart(width, height, left, top, right, bottom, line, area, y_ticks, x_ticks)

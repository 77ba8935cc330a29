"""A council's grades over time as a small SVG chart, made on the server (no script, no library: a few
dozen marks need neither, and the page then works with no script at all).

One mark per graded judgement, at its inspection's start date (x) and its grade's rank on its scale (y:
1, the best, at the top); an inspection's overall judgement is drawn larger. Every word on the chart
(grades, areas, inspections, dates) is the graph's.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ofsted_kg.web.views import Inspection

WIDTH, HEIGHT = 700, 200
LEFT, RIGHT, TOP, BOTTOM = 250, 24, 14, 30
COLOURS = {1: "#1a9850", 2: "#91cf60", 3: "#fc8d59", 4: "#d73027"}


def grades_chart(inspections: list[Inspection]) -> str:
    """The SVG of `inspections` (pages.py's: start, label, judgements with rank, grade, area, overall)."""
    marks = [(i, j, rank) for i in inspections if _year(i["start"]) for j in i["judgements"] if (rank := j["rank"])]
    if not marks:
        return ""
    years = [_year(i["start"]) for i, _, _ in marks]
    first, last = min(years), max(years) + 1
    ranks = sorted({rank for _, _, rank in marks})
    names: dict[int, set[str]] = {}
    for _, j, rank in marks:
        names.setdefault(rank, set()).add(j["grade"])
    width, height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(year: float) -> float:
        return LEFT + (year - first) / max(last - first, 1) * width

    def y(rank: int) -> float:
        return TOP + (rank - 1) / 3 * height

    parts = [
        f'<svg class="grades" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-label="Grades of each inspection over time">'
    ]
    for rank in ranks:  # a line and the grades of this rank, as the graph names them
        label = escape(" / ".join(sorted(names[rank])))
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + width}" y1="{y(rank):.1f}" y2="{y(rank):.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 8}" y="{y(rank) + 4:.1f}" text-anchor="end" font-size="10">{label}</text>'
        )
    for year in range(first, last + 1, max(1, (last - first) // 8)):
        parts.append(f'<text x="{x(year):.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="11">{year}</text>')
    for n, (inspection, judgement, rank) in enumerate(marks):
        spread = (
            sum(1 for m in marks[:n] if m[0] is inspection) % 5
        ) * 4  # the judgements of one inspection side by side
        cx, cy = x(_when(inspection["start"])) + spread, y(rank)
        r = 7 if judgement["overall"] else 4.5
        title = escape(f"{inspection['label']} ({inspection['start']}): {judgement['area']}: {judgement['grade']}")
        parts.append(
            f'<a href="{escape(inspection["link"])}"><circle class="mark" cx="{cx:.1f}" cy="{cy:.1f}" r="{r}" '
            f'fill="{COLOURS.get(rank, "#888")}" stroke="#333" stroke-width="0.6">'
            f"<title>{title}</title></circle></a>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _year(date: str) -> int:
    """The date's year (0: it gives none)."""
    return int(date[:4]) if date[:4].isdigit() else 0


def _when(date: str) -> float:
    """'2022-03-28' -> 2022.24; a year or a month alone is placed at its start."""
    year = _year(date)
    month = int(date[5:7]) if date[5:7].isdigit() else 1
    return year + (month - 1) / 12

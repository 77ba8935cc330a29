"""Drawing a view: a static SVG, an interactive self-contained HTML page, GraphML and GEXF.

The page needs no network: its script and style are this package's own files
(page.js, page.css), inlined into it. Nodes are coloured and shaped by kind.
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Callable
from importlib import resources

import networkx as nx

from ofsted_kg.viz.layout import layout

PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354",
]  # fmt: skip
SHAPES = {
    "council": "hexagon", "inspection": "square", "children": "square", "profession": "diamond",
    "recommendation": "triangle", "area for improvement": "triangle", "action": "diamond", "person": "circle",
}  # fmt: skip
GRADE_COLOURS = {"outstanding": "#1a9850", "good": "#91cf60", "adequate": "#fee08b", "requires improvement to be good": "#fc8d59",
                 "inadequate": "#d73027"}  # fmt: skip
SIZE = 1000  # the drawing's width and height, in SVG units
MARGIN = 80
RADIUS = 9


def styles(view: nx.Graph) -> dict[str, tuple[str, str]]:
    """kind -> (colour, shape), the same kind always drawn the same way."""
    kinds = sorted({data["kind"] for _, data in view.nodes(data=True)})
    out = {}
    for i, kind in enumerate(kinds):
        grade = kind.removeprefix("judgement: ")
        colour = GRADE_COLOURS.get(grade, PALETTE[i % len(PALETTE)])
        out[kind] = (colour, SHAPES.get(kind, "square" if kind.startswith("judgement") else "circle"))
    return out


def _shape(shape: str, x: float, y: float, colour: str) -> str:
    r = RADIUS
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" fill="{colour}"/>'
    if shape == "diamond":
        return f'<polygon points="{x:.1f},{y - r - 2:.1f} {x + r + 2:.1f},{y:.1f} {x:.1f},{y + r + 2:.1f} {x - r - 2:.1f},{y:.1f}" fill="{colour}"/>'
    if shape == "triangle":
        return f'<polygon points="{x:.1f},{y - r - 2:.1f} {x + r + 2:.1f},{y + r:.1f} {x - r - 2:.1f},{y + r:.1f}" fill="{colour}"/>'
    if shape == "hexagon":
        points = " ".join(f"{x + dx * r * 1.2:.1f},{y + dy * r * 1.2:.1f}" for dx, dy in
                          ((1, 0), (0.5, 0.87), (-0.5, 0.87), (-1, 0), (-0.5, -0.87), (0.5, -0.87)))  # fmt: skip
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}"/>'


LABEL_ROOM = 240  # room on the right for the labels of the rightmost nodes


def _positions(view: nx.Graph) -> dict[str, tuple[float, float]]:
    width, height = SIZE - MARGIN - LABEL_ROOM, SIZE - 2 * MARGIN
    return {n: (MARGIN + x * width, MARGIN + y * height) for n, (x, y) in layout(view).items()}


def svg(view: nx.Graph, title: str, interactive: bool = False, link: Callable[[str], str | None] | None = None) -> str:
    """The view as SVG: edges with their labels, nodes with theirs, and a legend of kinds. With `link` (a
    node's IRI -> an address, or None), each node's name links there (the server's resource pages)."""
    pos = _positions(view)
    kinds = styles(view)
    e = html.escape
    # The static drawing has its legend below it; the page has its own, which also filters.
    height = SIZE if interactive else SIZE + 20 + 18 * len(kinds)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {height}" width="{SIZE}" height="{height}" '
        f'font-family="sans-serif" role="img" aria-label="{e(title)}">',
        f"<title>{e(title)}</title>",
        '<rect width="100%" height="100%" fill="white"/>',
        '<g id="viewport">',
    ]
    for a, b, data in sorted(view.edges(data=True)):
        (x1, y1), (x2, y2) = pos[a], pos[b]
        attrs = (
            f' class="edge" data-source="{e(a)}" data-target="{e(b)}" data-documents="{e(data["documents"])}"'
            f' data-quote="{e(data["quote"])}"'
            if interactive
            else ""
        )
        parts.append(
            f'<g{attrs}><line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#999" stroke-width="1.2"/>'
            f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2:.1f}" font-size="8" fill="#666" text-anchor="middle">{e(data["relation"])}</text></g>'
        )
    for node, data in sorted(view.nodes(data=True)):
        x, y = pos[node]
        colour, shape = kinds[data["kind"]]
        attrs = (
            f' class="node" data-id="{e(node)}" data-label="{e(data["label"])}" data-kind="{e(data["kind"])}"'
            f' data-documents="{e(data["documents"])}" data-quote="{e(data["quote"])}"'
            if interactive
            else ""
        )
        name = f'<text x="{x + RADIUS + 3:.1f}" y="{y + 4:.1f}" font-size="11" fill="#222">{e(_short(data["label"]))}</text>'
        address = link(data["iri"]) if link else None
        if address:
            name = f'<a href="{e(address)}">{name}</a>'
        parts.append(f"<g{attrs}>{_shape(shape, x, y, colour)}{name}</g>")
    parts.append("</g>")
    if not interactive:
        parts += _legend(kinds)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _short(label: str, width: int = 48) -> str:
    return label if len(label) <= width else label[: width - 1] + "\u2026"


def _legend(kinds: dict[str, tuple[str, str]]) -> list[str]:
    parts = ['<g id="legend">']
    for i, (kind, (colour, shape)) in enumerate(sorted(kinds.items())):
        y = SIZE + 10 + i * 18
        parts.append(_shape(shape, 20, y, colour))
        parts.append(f'<text x="36" y="{y + 4}" font-size="12" fill="#222">{html.escape(kind)}</text>')
    parts.append("</g>")
    return parts


def asset(name: str) -> str:
    """One of the page's own files (page.js, page.css)."""
    return resources.files("ofsted_kg.viz").joinpath(name).read_text(encoding="utf-8")


def legend(view: nx.Graph) -> str:
    """The legend of the interactive page: a box for each kind, which hides or shows its nodes."""
    return "\n".join(
        f'<label><input type="checkbox" checked data-kind="{html.escape(k)}"> '
        f'<svg width="22" height="22" viewBox="11 11 22 22">{_shape(shape, 22, 22, colour)}</svg> {html.escape(k)}</label>'
        for k, (colour, shape) in sorted(styles(view).items())
    )


def page(view: nx.Graph, title: str) -> str:
    """A self-contained HTML page: the drawing, a legend that filters by kind, a search box, tooltips."""
    # The labels, as data a test or a reader's script can use; "</" cannot end the script element early.
    labels = json.dumps(sorted(d["label"] for _, d in view.nodes(data=True)), ensure_ascii=False).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
{asset("page.css")}
</style>
</head>
<body>
<header>
<h1>{html.escape(title)}</h1>
<input id="search" type="search" placeholder="Find a node" aria-label="Find a node">
<span id="count">{view.number_of_nodes()} nodes, {view.number_of_edges()} links</span>
</header>
<aside id="legend">{legend(view)}</aside>
<main id="drawing">
{svg(view, title, interactive=True)}
</main>
<div id="tooltip" hidden></div>
<pre id="errors" hidden></pre>
<script type="application/json" id="labels">{labels}</script>
<script>
{asset("page.js")}
</script>
</body>
</html>
"""


def graphml(view: nx.Graph) -> str:
    buffer = io.BytesIO()
    nx.write_graphml(view, buffer)
    return buffer.getvalue().decode("utf-8")


def gexf(view: nx.Graph) -> str:
    buffer = io.BytesIO()
    nx.write_gexf(view, buffer)
    return buffer.getvalue().decode("utf-8")


def png(view: nx.Graph, title: str) -> bytes:
    """The SVG drawing rasterised (needs the optional 'png' extra: cairosvg)."""
    try:
        import cairosvg
    except (ImportError, OSError):  # OSError: cairosvg is there but the cairo library is not
        from ofsted_kg.errors import OfstedKGError

        raise OfstedKGError("PNG output needs cairosvg and the cairo library: pip install 'ofsted-kg[png]'") from None
    drawn: bytes = cairosvg.svg2png(bytestring=svg(view, title).encode("utf-8"))
    return drawn

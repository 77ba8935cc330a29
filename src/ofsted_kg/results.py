"""Query results as text: an aligned table, or the W3C SPARQL 1.1 results formats (CSV, TSV, JSON);
graphs from CONSTRUCT and DESCRIBE as Turtle, N-Triples or JSON-LD."""

from __future__ import annotations

import json

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from ofsted_kg import export
from ofsted_kg.queries import QueryError

ROW_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = ("turtle", "nt", "jsonld")
CELL_WIDTH = 60  # characters of a table cell on a terminal; longer values are cut


def render(result: Result, fmt: str) -> str:
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return _graph(result.graph, fmt)
    if fmt not in ROW_FORMATS:
        raise QueryError(f"a {result.type} query gives rows: use --format {', '.join(ROW_FORMATS)}")
    if result.type == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.askAnswer)}) + "\n"
        return ("true" if result.askAnswer else "false") + "\n"
    if fmt == "table":
        return _table(result)
    if fmt == "tsv":
        return _tsv(result)
    return result.serialize(format=fmt).decode("utf-8")


def _graph(graph: Graph, fmt: str) -> str:
    if fmt == "turtle":
        return export.turtle(graph)
    if fmt == "nt":
        return export.ntriples(graph)
    if fmt == "jsonld":
        return export.jsonld(graph)
    raise QueryError(f"a CONSTRUCT or DESCRIBE query gives a graph: use --format {', '.join(GRAPH_FORMATS)}")


def _plain(value) -> str:
    return "" if value is None else str(value)


def _table(result: Result) -> str:
    names = [str(v) for v in result.vars]
    rows = [[_cut(_plain(value)) for value in row] for row in result]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "\u2026"


def _tsv(result: Result) -> str:
    """SPARQL 1.1 Query Results TSV: '?var' headers; terms written as in Turtle."""
    lines = ["\t".join(f"?{v}" for v in result.vars)]
    for row in result:
        lines.append("\t".join(_tsv_term(value) for value in row))
    return "\n".join(lines) + "\n"


def _tsv_term(value) -> str:
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return f"<{value}>"
    if isinstance(value, Literal):
        return value.n3().replace("\t", "\\t")
    return value.n3()

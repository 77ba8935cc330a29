"""Query results as text: an aligned table, or the W3C SPARQL 1.1 results formats (CSV, TSV, JSON);
graphs from CONSTRUCT and DESCRIBE as Turtle, N-Triples or JSON-LD."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import XSD

from ofsted_kg import export
from ofsted_kg.errors import QueryError
from ofsted_kg.queries import Answer
from ofsted_kg.text import squash

if TYPE_CHECKING:
    from ofsted_kg.terms import Term

ROW_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = ("turtle", "nt", "jsonld")
CELL_WIDTH = 60  # characters of a table cell on a terminal; longer values are cut


def render(answer: Answer, fmt: str) -> str:
    if answer.graph is not None:  # (its kind is "GRAPH": a CONSTRUCT or DESCRIBE)
        return _graph(answer.graph, fmt)
    if fmt not in ROW_FORMATS:
        kind = "an ASK" if answer.kind == "ASK" else "a SELECT"
        raise QueryError(f"{kind} query gives rows: use --format {', '.join(ROW_FORMATS)}")
    if answer.kind == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": answer.boolean}) + "\n"
        return ("true" if answer.boolean else "false") + "\n"
    return {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json}[fmt](answer)


def _graph(graph: Graph, fmt: str) -> str:
    if fmt == "turtle":
        return export.turtle(graph)
    if fmt == "nt":
        return export.ntriples(graph)
    if fmt == "jsonld":
        return export.jsonld(graph)
    raise QueryError(f"a CONSTRUCT or DESCRIBE query gives a graph: use --format {', '.join(GRAPH_FORMATS)}")


def _plain(value: Term | None) -> str:
    return "" if value is None else str(value)


def _table(answer: Answer) -> str:
    names = answer.variables
    rows = [[_cut(_plain(value)) for value in row] for row in answer.rows]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _cut(text: str) -> str:
    text = squash(text)
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "\u2026"


def _csv(answer: Answer) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(answer.variables)
    for row in answer.rows:
        writer.writerow([_plain(value) for value in row])
    return buffer.getvalue()


def _tsv(answer: Answer) -> str:
    """SPARQL 1.1 Query Results TSV: '?var' headers; terms written as in Turtle."""
    lines = ["\t".join(f"?{v}" for v in answer.variables)]
    for row in answer.rows:
        lines.append("\t".join(_tsv_term(value) for value in row))
    return "\n".join(lines) + "\n"


_BARE = {str(XSD.integer), str(XSD.decimal), str(XSD.boolean)}


def _tsv_term(value: Term | None) -> str:
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return f"<{value}>"
    if isinstance(value, BNode):
        return f"_:{value}"
    if value.datatype is not None and str(value.datatype) in _BARE:
        return str(value)
    return value.n3().replace("\t", "\\t")


def _json(answer: Answer) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = []
    for row in answer.rows:
        binding: dict[str, dict[str, str]] = {}
        for name, value in zip(answer.variables, row, strict=True):
            if value is None:
                continue
            if isinstance(value, URIRef):
                binding[name] = {"type": "uri", "value": str(value)}
            elif isinstance(value, BNode):
                binding[name] = {"type": "bnode", "value": str(value)}
            else:
                term = {"type": "literal", "value": str(value)}
                if value.language:
                    term["xml:lang"] = value.language
                elif value.datatype is not None and str(value.datatype) != str(XSD.string):
                    term["datatype"] = str(value.datatype)
                binding[name] = term
        bindings.append(binding)
    return (
        json.dumps(
            {"head": {"vars": answer.variables}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1
        )
        + "\n"
    )


def xml(answer: Answer) -> str:
    """SPARQL Query Results XML Format (for the web endpoint's application/sparql-results+xml)."""
    from xml.sax.saxutils import escape, quoteattr

    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in answer.variables]
    out.append("</head>")
    if answer.kind == "ASK":
        out.append(f"<boolean>{'true' if answer.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in answer.rows:
            out.append("<result>")
            for name, value in zip(answer.variables, row, strict=True):
                if value is None:
                    continue
                if isinstance(value, URIRef):
                    term = f"<uri>{escape(str(value))}</uri>"
                elif isinstance(value, BNode):
                    term = f"<bnode>{escape(str(value))}</bnode>"
                elif value.language:
                    term = f"<literal xml:lang={quoteattr(value.language)}>{escape(str(value))}</literal>"
                elif value.datatype is not None and str(value.datatype) != str(XSD.string):
                    term = f"<literal datatype={quoteattr(str(value.datatype))}>{escape(str(value))}</literal>"
                else:
                    term = f"<literal>{escape(str(value))}</literal>"
                out.append(f"<binding name={quoteattr(name)}>{term}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"

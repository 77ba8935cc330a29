"""A resource's page: the server's own queries about one resource (its IRI written into their text), and
the view of its statements that resource.html shows and the pages of a council and an inspection start from
(pages.py). Its address on this server is local()'s."""

from __future__ import annotations

from ofsted_kg.errors import QueryError
from ofsted_kg.namespaces import ID
from ofsted_kg.queries import Answer, SavedQuery
from ofsted_kg.web.views import Pointing, ResourceView, Value


def about(text: str, iri: str) -> SavedQuery:
    """One of the server's own queries about one resource, its IRI written in for ?param_this: Oxigraph
    plans a query around a constant, but evaluates a substituted variable's patterns for the whole graph
    first (1.3 s for a council's page on England's graph, against milliseconds)."""
    import pyoxigraph as ox

    try:
        node = str(ox.NamedNode(iri))  # <...>, as N-Triples writes it: nothing can break out of it
    except ValueError:
        raise QueryError(f"{iri!r} is not an IRI") from None
    return SavedQuery("resource", "resource", "", (), text.replace("?param_this", node))


def pages_for(text: str, statements: Answer) -> SavedQuery:
    """pages.rq for the evidence targets of a resource's statements (written into its VALUES clause)."""
    import pyoxigraph as ox

    index = statements.variables.index("target")
    targets = sorted({str(row[index]) for row in statements.rows if row[index] is not None})
    # Read back from the store, but a graph folder may come from anyone: each is written as N-Triples
    # writes an IRI (pyoxigraph checks it), so that nothing can break out of it into the query.
    values = " ".join(str(ox.NamedNode(t)) for t in targets)
    return SavedQuery("pages", "pages", "", (), text.replace("VALUES ?target { }", f"VALUES ?target {{ {values} }}", 1))


def local(iri: str) -> str:
    """Where the server shows a resource of the graph: its own path for the project's IRIs."""
    return "/id/" + iri[len(str(ID)) :] if iri.startswith(str(ID)) else iri


def resource_view(iri: str, statements: Answer, incoming: Answer, pages: dict[str, str]) -> ResourceView:
    """The page of a resource: its name, its statements grouped by property (each value with the evidence
    behind it), and what points to it."""
    index = {v: i for i, v in enumerate(statements.variables)}
    properties: dict[str, dict[str, Value]] = {}
    name = None
    for row in statements.rows:
        p, o, label = row[index["p"]], row[index["o"]], row[index["label"]]
        short = _short(str(p))
        if short in ("prefLabel", "label", "name") and name is None:
            name = str(o)
        values = properties.setdefault(short, {})
        chosen = row[index["chosen"]]
        value = values.setdefault(
            str(o),
            {
                "text": str(label or o),
                "link": local(str(o)) if _linkable(o) else None,
                "evidence": [],
                "preferred": None if chosen is None else chosen == o,
                "why": str(row[index["why"]]) if chosen is not None else None,
            },
        )
        if row[index["quote"]] is not None:
            value["evidence"].append(
                {
                    "file": str(row[index["file"]]),
                    "kind": str(row[index["kind"]] or ""),
                    "quote": str(row[index["quote"]]),
                    "page": pages.get(str(row[index["target"]])),
                    "target": str(row[index["target"]]),
                }
            )
    pointing: list[Pointing] = [
        {"property": _short(str(p)), "text": str(label or s), "link": local(str(s))} for s, p, label in incoming.rows
    ]
    return {"iri": iri, "name": name or iri.rsplit("/", 1)[-1], "properties": properties, "incoming": pointing}


def _short(iri: str) -> str:
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _linkable(value: object) -> bool:
    from rdflib import URIRef

    return isinstance(value, URIRef)

"""The views of network.py over a built graph's Oxigraph store, reading only the part of the graph a view needs.

A view works over an rdflib graph, and parsing the whole Turtle takes minutes for the whole of England.
So a view is made twice: first over the triples that choose its nodes and links (queries/view-*.rq),
then over those and the triples that describe its nodes (queries/node-*.rq: what network.label,
network.kind and network.Evidence read of them). Each query fetches every triple of the patterns
network.py looks at, for the nodes it looks at them for, so the view is the one the whole graph gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import resources
from typing import TYPE_CHECKING, Any, Protocol

import networkx as nx
from rdflib import Graph
from rdflib.term import Node

from ofsted_kg.errors import QueryError
from ofsted_kg.stored import rdflib_triples
from ofsted_kg.viz import network

if TYPE_CHECKING:
    import pyoxigraph as ox

DESCRIBING = ("node.rq", "node-labels.rq", "node-statements.rq", "node-sources.rq", "node-quotes.rq")
# IRIs per query (more is faster; 5000 make a query text of some 400 kB).
BATCH = 5000


class Store(Protocol):
    """What is asked of a store: pyoxigraph's Store, or remote.RemoteStore, which is asked as it is. What it
    answers is of the kind the query's text asks for (rows, triples or a boolean), so it is not typed here."""

    def query(
        self,
        query: str,
        /,
        *,
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None = None,
    ) -> Any: ...


def services_view(store: Store, council: str | None = None, year: int | None = None) -> nx.DiGraph:
    part = Graph()
    _construct(store, "view-services.rq", part)
    if year:
        _construct(store, "view-service-documents.rq", part)
        _construct(store, "inspections.rq", part)
        _construct(store, "view-inspection-documents.rq", part, "inspection", network.inspections(part, council, year))
    return _described(store, part, lambda graph: network.services_view(graph, council, year))


def inspections_view(store: Store, council: str | None = None, year: int | None = None) -> nx.DiGraph:
    part = Graph()
    _construct(store, "inspections.rq", part)
    _construct(store, "view-inspections.rq", part, "inspection", network.inspections(part, council, year))
    return _described(store, part, lambda graph: network.inspections_view(graph, council, year))


def construct_view(store: Store, constructed: Graph) -> nx.DiGraph:
    """The links of a CONSTRUCT query's result, its nodes described from the store."""
    return _described(store, Graph(), lambda graph: network.construct_view(graph, constructed))


def _described(store: Store, part: Graph, view: Callable[[Graph], nx.DiGraph]) -> nx.DiGraph:
    """The view over `part`, made again once its nodes are described (labels and evidence choose no node)."""
    nodes = view(part).nodes
    for name in DESCRIBING:
        _construct(store, name, part, "node", nodes)
    return view(part)


def _construct(
    store: Store, name: str, into: Graph, variable: str | None = None, values: Iterable[str | Node] = ()
) -> None:
    """Add a CONSTRUCT query's triples to `into`; with `variable`, for each of `values` (IRIs; anything
    else, such as a blank node, is in no triple of the store)."""
    import pyoxigraph as ox

    text = resources.files("ofsted_kg.viz").joinpath("queries").joinpath(name).read_text(encoding="utf-8")
    if variable is None:
        texts = [text]
    else:
        iris = []
        for value in sorted(str(v) for v in values):
            try:
                iris.append(str(ox.NamedNode(value)))  # written <...>: what pyoxigraph accepts is safe there
            except ValueError:
                continue
        # The values go in the text, as a VALUES clause after the query, which Oxigraph's planner starts
        # from (pyoxigraph's `substitutions` bind variables of SELECT queries only, and after planning).
        texts = [
            f"{text}\nVALUES ?{variable} {{ {' '.join(iris[start : start + BATCH])} }}\n"
            for start in range(0, len(iris), BATCH)
        ]
    for query in texts:
        construct_into(store, query, into, name)


def construct_into(store: Store, text: str, into: Graph, origin: str) -> None:
    """Add the triples of one of the package's own CONSTRUCT queries to `into`, as rdflib terms."""
    try:
        triples = store.query(text)
    except (SyntaxError, ValueError, OSError) as error:  # not expected of the package's own queries
        raise QueryError(f"{origin}: {error}") from None
    for triple in rdflib_triples(triples):
        into.add(triple)

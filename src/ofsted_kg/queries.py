"""Saved SPARQL queries (queries/*.rq), and running any query safely against a built graph.

A saved query opens with a header of comments:

    # title: ...
    # description: ... (may run over several comment lines)
    # parameters: name - what it is        (or: none)

A parameter NAME is the variable ?param_NAME of the query, which the query
projects (the engine binds projected variables) and the command leaves out of
the results; a value given for it is bound by the SPARQL engine, never pasted
into the text: as an IRI if it is one (http:// or https://, nothing an IRI may
not hold), else as a plain literal.
Queries may only read the graph: SPARQL Update, SERVICE (a network request)
and FROM / FROM NAMED (reading other files) are refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from rdflib import Graph, Literal, URIRef

from ofsted_kg import bounded, guard
from ofsted_kg.bounded import LimitError, Limits
from ofsted_kg.errors import QueryError
from ofsted_kg.resources import queries_dir
from ofsted_kg.terms import rdflib_term

if TYPE_CHECKING:
    from typing import TypeAlias

    import pyoxigraph as ox

    from ofsted_kg.remote import RemoteStore
    from ofsted_kg.terms import OxTerm, Term

    # What a query runs on: a built graph's Oxigraph store, or one reached over HTTP.
    QueryStore: TypeAlias = ox.Store | RemoteStore

T = TypeVar("T")
_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


def _is_iri(value: str) -> bool:
    return bool(_IRI.fullmatch(value))


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path | None = None


def _header(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = re.match(r"#\s*(title|description|parameters):\s*(.*)$", line)
        if m:
            current = m.group(1)
            fields[current] = m.group(2).strip()
        elif current:
            fields[current] += " " + line.lstrip("#").strip()
    return fields


def parse_saved(name: str, text: str, path: Path | None = None) -> SavedQuery:
    fields = _header(text)
    parameters = []
    declared = fields.get("parameters", "none").strip()
    if declared.lower() != "none" and declared:
        for part in declared.split(";"):
            pname, _, pdesc = part.partition(" - ")
            parameters.append(Parameter(pname.strip(), pdesc.strip()))
    return SavedQuery(
        name=name,
        title=fields.get("title", name),
        description=fields.get("description", ""),
        parameters=tuple(parameters),
        text=text,
        path=path,
    )


def saved_queries() -> list[SavedQuery]:
    """The queries shipped with the package, by name."""
    return [parse_saved(p.stem, p.read_text(encoding="utf-8"), p) for p in sorted(queries_dir().glob("*.rq"))]


def load(name_or_path: str) -> SavedQuery:
    """A saved query by name, or a query file by path."""
    path = Path(name_or_path)
    if path.suffix == ".rq" or path.exists():
        try:
            return parse_saved(path.stem, path.read_text(encoding="utf-8"), path)
        except OSError as exc:
            raise QueryError(f"{path}: cannot be read ({exc.strerror or exc})") from None
        except UnicodeDecodeError:
            raise QueryError(f"{path}: is not UTF-8 text") from None
    known = {q.name: q for q in saved_queries()}
    if name_or_path not in known:
        raise QueryError(f"no saved query named '{name_or_path}'; the saved queries are: {', '.join(sorted(known))}")
    return known[name_or_path]


def check(text: str, origin: str = "query") -> None:
    """Refuse what may not run here (guard.check): an update, SERVICE, FROM."""
    guard.check(text, origin)


@dataclass
class Answer:
    """A query's answer: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE)."""

    kind: str  # "SELECT", "ASK" or "GRAPH"
    variables: list[str]
    rows: list[list[Term | None]]  # rdflib terms, or None where unbound
    boolean: bool | None = None
    graph: Graph | None = None


def run_bounded(
    store: QueryStore | Graph, query: SavedQuery, params: dict[str, str] | None = None, limits: Limits | None = None
) -> Answer:
    """run() in a worker process that is stopped at the limits (bounded.call), with no network; over a
    remote store (remote.RemoteStore), here, bounded by the store's own time limit and the answer's size."""
    limits = limits or Limits()
    if getattr(store, "remote", False):
        return run(store, query, params, max_rows=limits.rows)
    return bounded.call(lambda: run(store, query, params, max_rows=limits.rows), limits)


def run(
    store: QueryStore | Graph, query: SavedQuery, params: dict[str, str] | None = None, max_rows: int | None = None
) -> Answer:
    """Run a query on a store (pyoxigraph) or a graph (rdflib), binding its parameters; more than
    `max_rows` rows (or triples) is an error (LimitError)."""
    params = dict(params or {})
    declared = {p.name for p in query.parameters}
    unknown = sorted(set(params) - declared)
    if unknown:
        known = ", ".join(sorted(declared)) or "none"
        raise QueryError(f"query {query.name} has no parameter {', '.join(unknown)} (its parameters: {known})")
    missing = sorted(declared - set(params))
    if missing:
        raise QueryError(f"query {query.name} needs --param {missing[0]}=VALUE ({_describe(query, missing[0])})")
    origin = f"query {query.name}"
    check(query.text, origin)
    if isinstance(store, Graph):
        answer = _run_rdflib(store, query, params)
    else:
        answer = _run_oxigraph(store, query, params, origin, max_rows)
    if max_rows is not None and len(answer.graph if answer.graph is not None else answer.rows) > max_rows:
        raise _too_many(max_rows)
    return answer


def _too_many(max_rows: int) -> LimitError:
    return LimitError(f"the query gives more than {max_rows:,} rows or triples, its limit (--max-rows N)")


def _capped(items: Iterable[T], max_rows: int | None) -> Iterator[T]:
    """The items, until there are more than max_rows of them (then LimitError): a runaway answer is
    stopped as it is read, before it fills the memory."""
    for count, item in enumerate(items, 1):
        if max_rows is not None and count > max_rows:
            raise _too_many(max_rows)
        yield item


def _run_oxigraph(
    store: QueryStore, query: SavedQuery, params: dict[str, str], origin: str, max_rows: int | None
) -> Answer:
    import pyoxigraph as ox

    try:
        substitutions: dict[ox.Variable, OxTerm] = {
            ox.Variable(f"param_{name}"): ox.NamedNode(value) if _is_iri(value) else ox.Literal(value)
            for name, value in params.items()
        }
    except ValueError as error:  # a parameter that looks like an IRI but is none ('http://a:b:c')
        raise QueryError(f"{origin}: a parameter is not a valid IRI ({error})") from None
    try:
        result = store.query(query.text, substitutions=substitutions)
    except SyntaxError as error:
        raise QueryError(f"{origin}: malformed SPARQL {_position(str(error))}") from None
    except (ValueError, OSError) as error:
        raise QueryError(f"{origin}: {error}") from None
    if isinstance(result, ox.QueryBoolean):
        return Answer("ASK", [], [], boolean=bool(result))
    try:
        return _answer(result, max_rows)
    except OSError as error:  # the store could not be read while the answer was
        raise QueryError(f"{origin}: {error}") from None


def _answer(result: ox.QuerySolutions | ox.QueryTriples | list[ox.Quad], max_rows: int | None) -> Answer:
    import pyoxigraph as ox

    if not isinstance(result, ox.QuerySolutions):  # triples: a QueryTriples, or a remote store's parsed answer
        graph = Graph()
        for triple in _capped(result, max_rows):
            graph.add((rdflib_term(triple.subject), rdflib_term(triple.predicate), rdflib_term(triple.object)))
        return Answer("GRAPH", [], [], graph=graph)
    variables = [v.value for v in result.variables]
    keep = [i for i, v in enumerate(variables) if not v.startswith("param_")]
    # Answers repeat their values (a council's name on each of its rows): each distinct value is made
    # an rdflib term once, which on England's graph is most of the time a large answer takes.
    converted: dict[OxTerm | None, Term | None] = {}

    def term(value: OxTerm | None) -> Term | None:
        try:
            return converted[value]
        except KeyError:
            converted[value] = made = rdflib_term(value)
            return made

    rows = [[term(solution[i]) for i in keep] for solution in _capped(result, max_rows)]
    return Answer("SELECT", [variables[i] for i in keep], rows)


def _position(message: str) -> str:
    """'error at 4:2: expected ...' -> 'at line 4, column 2: expected ...'"""
    m = re.match(r"error at (\d+):(\d+):\s*(.*)", message, re.DOTALL)
    found = f"at line {m.group(1)}, column {m.group(2)}: {m.group(3)}" if m else message
    return re.sub(r"\s*\n\s*", " ", found)  # Oxigraph's list of what it expected runs over lines


def _run_rdflib(graph: Graph, query: SavedQuery, params: dict[str, str]) -> Answer:
    bindings = {f"param_{name}": URIRef(value) if _is_iri(value) else Literal(value) for name, value in params.items()}
    result = graph.query(query.text, initBindings=bindings)
    if result.type == "ASK":
        return Answer("ASK", [], [], boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return Answer("GRAPH", [], [], graph=result.graph)
    variables = [str(v) for v in result.vars or ()]
    keep = [i for i, v in enumerate(variables) if not v.startswith("param_")]
    rows = cast("Iterable[tuple[Term | None, ...]]", result)  # a SELECT's: rdflib terms, None where unbound
    return Answer("SELECT", [variables[i] for i in keep], [[row[i] for i in keep] for row in rows])


def _describe(query: SavedQuery, name: str) -> str:
    return next((p.description for p in query.parameters if p.name == name), name)

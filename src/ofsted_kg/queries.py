"""Saved SPARQL queries (queries/*.rq), and running any query safely against a built graph.

A saved query opens with a header of comments:

    # title: ...
    # description: ... (may run over several comment lines)
    # parameters: name - what it is        (or: none)

A parameter NAME is the variable ?param_NAME of the query; a value given for it
is bound to that variable by the SPARQL engine, never pasted into the text.
Queries may only read the graph: SPARQL Update, SERVICE (a network request)
and FROM / FROM NAMED (reading other files) are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result

from ofsted_kg.errors import OfstedKGError
from ofsted_kg.resources import queries_dir


class QueryError(OfstedKGError):
    """A query that cannot be run: unknown, malformed, refused, or missing a parameter."""


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


def prepare(text: str, origin: str = "query"):
    """Parse a query; refuse what may not run here. Returns rdflib's parsed query."""
    from rdflib.plugins.sparql.algebra import translateQuery

    try:
        parsed = parseQuery(text)
    except Exception as error:  # pyparsing's ParseException, with line and column
        if _is_update(text):
            raise QueryError(f"{origin}: SPARQL Update is refused: the graph can only be read") from None
        line, column = getattr(error, "lineno", None), getattr(error, "col", None)
        where = f"line {line}, column {column}: " if line is not None else ""
        message = getattr(error, "msg", None) or str(error)
        raise QueryError(f"{origin}: malformed SPARQL at {where}{message}") from None
    if _has(parsed, "datasetClause"):
        raise QueryError(f"{origin}: FROM and FROM NAMED are refused: queries run on the built graph only")
    query = translateQuery(parsed)
    if _has_service(query.algebra):
        raise QueryError(f"{origin}: SERVICE is refused: queries never make network requests")
    return query


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except Exception:  # not an update either
        return False
    return True


def _has(parsed, name: str) -> bool:
    """Whether a parsed query has a clause (rdflib's CompValue.get answers the name itself when it has not)."""
    return any(hasattr(part, "keys") and name in part.keys() and part[name] for part in parsed)


def _has_service(node) -> bool:
    if getattr(node, "name", None) == "ServiceGraphPattern":
        return True
    if isinstance(node, dict):
        return any(_has_service(v) for v in node.values())
    if isinstance(node, (list, tuple)):
        return any(_has_service(v) for v in node)
    return False


def run(graph: Graph, query: SavedQuery, params: dict[str, str] | None = None) -> Result:
    """Run a query on a graph, binding its parameters."""
    params = dict(params or {})
    declared = {p.name for p in query.parameters}
    unknown = sorted(set(params) - declared)
    if unknown:
        known = ", ".join(sorted(declared)) or "none"
        raise QueryError(f"query {query.name} has no parameter {', '.join(unknown)} (its parameters: {known})")
    missing = sorted(declared - set(params))
    if missing:
        raise QueryError(f"query {query.name} needs --param {missing[0]}=VALUE ({_describe(query, missing[0])})")
    prepared: Query = prepare(query.text, f"query {query.name}")
    bindings = {f"param_{name}": Literal(value) for name, value in params.items()}
    return graph.query(prepared, initBindings=bindings)


def _describe(query: SavedQuery, name: str) -> str:
    return next((p.description for p in query.parameters if p.name == name), name)

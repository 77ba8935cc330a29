"""SHACL on Oxigraph: the shapes checked by SPARQL queries that Oxigraph runs over the whole graph.

pySHACL checks focus node after focus node in Python: on the national graph (millions of triples)
that takes minutes. Here each constraint of each shape is compiled, once, into one SPARQL query that
selects the nodes breaking it, and Oxigraph runs it in native code over the whole store.

Only the part of SHACL that the shapes use is compiled: targets by class; paths that are a property
or its inverse; sh:minCount, sh:maxCount, sh:class, sh:datatype, sh:nodeKind, sh:in, sh:pattern,
sh:minLength, sh:maxLength, the four ranges, sh:lessThan, sh:or of value-type shapes, and SPARQL
SELECT constraints. A shapes graph that uses anything else is refused with a ShapesError, so that
nothing is silently left unchecked. pySHACL stays the reference: the tests run both on a graph with a
fault of every constraint kind and compare what they report (tests/test_shacl_engines.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD

from ofsted_kg.errors import ShapesError
from ofsted_kg.validate import Raw, shapes

if TYPE_CHECKING:
    import pyoxigraph as ox

# What a property shape may say, besides its constraints.
# (sh:flags is read with sh:pattern.)
_ANNOTATIONS = {RDF.type, SH.path, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.flags}
_NODE_SHAPE_KEYS = {RDF.type, SH.targetClass, SH.property, SH.sparql, SH.severity, SH.message, SH.name}
_COMPARISONS: dict[Node, str] = {
    SH.minInclusive: ">=",
    SH.minExclusive: ">",
    SH.maxInclusive: "<=",
    SH.maxExclusive: "<",
}
# Datatypes whose lexical forms Oxigraph can check, by casting: a literal that does not cast is ill-typed.
_CASTABLE = {XSD[name] for name in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime", "time",
                                    "gYear", "gYearMonth", "duration")}  # fmt: skip
_NODE_KINDS: dict[Node, str] = {
    SH.IRI: "isIRI(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "!isLiteral(?value)",
    SH.BlankNodeOrLiteral: "!isIRI(?value)",
    SH.IRIOrLiteral: "!isBlank(?value)",
}


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a query whose rows (?this, and ?value, ?path, ... where it has them) are
    the results, and what each result says."""

    query: str
    severity: str
    component: str
    shape: str
    message: str  # sh:message, with {?var} filled from the row for SPARQL constraints
    path: URIRef | None = None
    inverse: str = ""
    targets: str = ""  # a SPARQL constraint's rows are kept only for these focus nodes (a query of ?this)
    given: bool = True  # whether the message is the shape's own (False: a default, written here)


def validate(
    store: ox.Store, union: bool = False, compiled: tuple[Check, ...] | None = None, threads: int = 2
) -> list[Raw]:
    """The results of checking a pyoxigraph store against the shapes (or other compiled ones). With
    `union`, the graph checked is the union of the store's named graphs (one graph per document).

    Oxigraph lets go of Python's lock while it evaluates a query, so the checks run in `threads`
    threads; the results are the same, in the same order, with any number."""
    from concurrent.futures import ThreadPoolExecutor

    todo = compiled if compiled is not None else checks()
    if threads > 1:
        with ThreadPoolExecutor(threads) as pool:
            found = list(pool.map(lambda check: _run(store, check, union), todo))
    else:
        found = [_run(store, check, union) for check in todo]
    # Once each: in a union, a triple two graphs hold matches twice.
    return list(dict.fromkeys(raw for raws in found for raw in raws))


def _run(store: ox.Store, check: Check, union: bool) -> list[Raw]:
    from ofsted_kg.terms import rdflib_term

    # pyoxigraph's solutions may only be let go in the thread that made them (the checks run in threads):
    # read whole here, and never held by a traceback that another thread would free.
    solutions = _select(store, check.query, union)
    try:
        variables = [v.value for v in solutions.variables]
        rows = list(solutions)
    finally:
        del solutions
    allowed = None
    if check.targets:
        targets = _select(store, check.targets, union)
        try:
            allowed = {row["this"] for row in targets}
        finally:
            del targets
    raws = []
    for row in rows:
        this = row["this"]
        if allowed is not None and this not in allowed:
            continue
        bound: dict[str, ox.NamedNode | ox.BlankNode | ox.Literal] = {
            name: row[name] for name in variables if row[name] is not None
        }
        raws.append(
            Raw(
                severity=check.severity,
                focus=rdflib_term(this),
                # (a SPARQL constraint binds ?path to a property)
                path=cast(URIRef, rdflib_term(bound["path"])) if "path" in bound else check.path,
                value=rdflib_term(bound["value"]) if "value" in bound else None,
                message=_fill(check.message, bound),
                component=check.component,
                shape=check.shape,
                inverse=check.inverse,
            )
        )
    return raws


def _select(store: ox.Store, query: str, union: bool) -> ox.QuerySolutions:
    # (every query here is a SELECT)
    return cast("ox.QuerySolutions", store.query(query, use_default_graph_as_union=union))


def _fill(message: str, bound: dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]) -> str:
    for name, term in bound.items():
        message = message.replace("{?" + name + "}", term.value).replace("{$" + name + "}", term.value)
    return message


@lru_cache(maxsize=1)
def checks() -> tuple[Check, ...]:
    return compile_shapes(shapes())


def compile_shapes(graph: Graph) -> tuple[Check, ...]:
    """Every constraint of every node shape with a target, as a query."""
    out: list[Check] = []
    for shape in sorted(set(graph.subjects(SH.targetClass, None)), key=str):
        unknown = set(graph.predicates(shape, None)) - _NODE_SHAPE_KEYS
        if unknown:
            raise ShapesError(f"{_name(shape)}: the validator does not know {', '.join(sorted(map(str, unknown)))}")
        classes = sorted(graph.objects(shape, SH.targetClass), key=str)
        each = [f"?this <{RDF.type}>/<{_SUBCLASS}>* <{c}> ." for c in classes]
        # One class: its pattern joins the rest of a query as a pattern, where a group would be evaluated
        # whole first (every node of the class) and then joined.
        targets = each[0] if len(each) == 1 else " UNION ".join(f"{{ {t} }}" for t in each)
        for prop in sorted(graph.objects(shape, SH.property), key=_order(graph)):
            out += _property_checks(graph, shape, prop, targets)
        for constraint in sorted(graph.objects(shape, SH.sparql), key=_order(graph)):
            out.append(_sparql_check(graph, shape, constraint, targets))
    return tuple(out)


_SUBCLASS = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")


def _order(graph: Graph) -> Callable[[Node], tuple[str, list[tuple[Node, Node]]]]:
    """Blank nodes in the order of what they say: the same compiled checks in every process."""
    return lambda node: (str(node) if isinstance(node, URIRef) else "", sorted(graph.predicate_objects(node)))


def _name(node: Node) -> str:
    return str(node).rsplit("#", 1)[-1]


def _severity(graph: Graph, shape: Node) -> str:
    value = graph.value(shape, SH.severity)
    return _name(value) if value is not None else "Violation"


def _property_checks(graph: Graph, owner: Node, prop: Node, targets: str) -> list[Check]:
    path_node = graph.value(prop, SH.path)
    path: URIRef | None
    if isinstance(path_node, URIRef):
        path, inverse, pattern = path_node, "", f"?this <{path_node}> ?value"
    elif isinstance(path_node, BNode) and isinstance(graph.value(path_node, SH.inversePath), URIRef):
        inverted = graph.value(path_node, SH.inversePath)
        path, inverse, pattern = None, str(inverted), f"?value <{inverted}> ?this"
    else:
        raise ShapesError(f"{_name(owner)}: a property shape whose path is not a property or its inverse")
    shape = _name(prop) if isinstance(prop, URIRef) else _name(owner)
    given = graph.value(prop, SH.message)
    severity = _severity(graph, prop)
    out: list[Check] = []

    def add(component: str, query: str, default: str) -> None:
        message = str(given) if given is not None else default
        out.append(
            Check(
                query=query,
                severity=severity,
                component=component,
                shape=shape,
                message=message,
                path=path,
                inverse=inverse,
                given=given is not None,
            )
        )

    for key, value in sorted(graph.predicate_objects(prop), key=lambda kv: (str(kv[0]), str(kv[1]))):
        if key in _ANNOTATIONS:
            continue
        if key == SH.minCount:
            n = int(str(value))
            if n == 1:
                query = f"SELECT DISTINCT ?this WHERE {{ {targets} FILTER NOT EXISTS {{ {pattern} }} }}"
            else:
                query = (f"SELECT ?this WHERE {{ {targets} OPTIONAL {{ {pattern} }} }} "
                         f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})")  # fmt: skip
            add("MinCountConstraintComponent", query, f"needs at least {n} value{'s' * (n != 1)}")
        elif key == SH.maxCount:
            n = int(str(value))
            if n == 1:  # two values that are not the same term: a join, not a count over every focus node
                # (the values first: Oxigraph then checks the targets of the few nodes found, 2-3x faster)
                other = pattern.replace("?value", "?other")
                query = f"SELECT DISTINCT ?this WHERE {{ {pattern} . {other} FILTER (!sameTerm(?value, ?other)) {targets} }}"
            else:
                query = (f"SELECT ?this WHERE {{ {targets} {pattern} }} "
                         f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {n})")  # fmt: skip
            add("MaxCountConstraintComponent", query, f"has more than {n} value{'s' * (n != 1)}")
        elif key == SH.lessThan:
            query = (f"SELECT DISTINCT ?this ?value WHERE {{ {targets} {pattern} . ?this <{value}> ?other "
                     f"FILTER (!COALESCE(?value < ?other, false)) }}")  # fmt: skip
            add("LessThanConstraintComponent", query, f"is not less than its {_name(value)}")
        else:
            component, condition, default = _value_test(graph, key, value, owner, prop)
            query = f"SELECT DISTINCT ?this ?value WHERE {{ {targets} {pattern} FILTER (!({condition})) }}"
            add(component, query, default)
    return out


def _value_test(graph: Graph, key: Node, value: Node, owner: Node, prop: Node) -> tuple[str, str, str]:
    """A constraint on each value: its component, the SPARQL condition a conforming ?value meets, and a
    default message."""
    if key == SH["class"]:
        return "ClassConstraintComponent", _is_a(value), f"is not a {_name(value)}"
    if key == SH.datatype:
        return "DatatypeConstraintComponent", _has_datatype(value), f"is not a literal of datatype {_name(value)}"
    if key == SH.nodeKind and value in _NODE_KINDS:
        return "NodeKindConstraintComponent", _NODE_KINDS[value], f"is not of node kind {_name(value)}"
    if key == SH["in"]:
        members = list(Collection(graph, value))
        test = " || ".join(f"sameTerm(?value, {_term(m)})" for m in members) or "false"
        return "InConstraintComponent", test, "is not one of the values allowed"
    if key == SH.pattern:
        flags = graph.value(prop, SH.flags)
        regex = f"REGEX(STR(?value), {_term(Literal(str(value)))}{', ' + _term(Literal(str(flags))) if flags else ''})"
        return "PatternConstraintComponent", f"!isBlank(?value) && {regex}", f"does not match '{value}'"
    if key in (SH.minLength, SH.maxLength):
        sign = ">=" if key == SH.minLength else "<="
        component = "MinLengthConstraintComponent" if key == SH.minLength else "MaxLengthConstraintComponent"
        return (
            component,
            f"!isBlank(?value) && STRLEN(STR(?value)) {sign} {int(str(value))}",
            f"length not {sign} {value}",
        )
    if key in _COMPARISONS:
        sign = _COMPARISONS[key]
        component = _name(key)[0].upper() + _name(key)[1:] + "ConstraintComponent"
        return component, f"COALESCE(?value {sign} {_term(value)}, false)", f"is not {sign} {value}"
    if key == SH["or"]:
        options = [f"({_alternative(graph, member, owner)})" for member in Collection(graph, value)]
        return "OrConstraintComponent", " || ".join(options) or "false", "conforms to none of the alternatives"
    raise ShapesError(f"{_name(owner)}: the validator does not know {key}")


def _alternative(graph: Graph, shape: Node, owner: Node) -> str:
    """The condition a value meets to conform to one shape of an sh:or (value-type constraints only)."""
    tests = []
    for key, value in sorted(graph.predicate_objects(shape), key=lambda kv: (str(kv[0]), str(kv[1]))):
        if key not in (SH["class"], SH.datatype, SH.nodeKind):
            raise ShapesError(f"{_name(owner)}: the validator does not know {key} inside sh:or")
        tests.append(_value_test(graph, key, value, owner, shape)[1])
    return " && ".join(f"({t})" for t in tests) or "true"


def _is_a(cls: Node) -> str:
    return f"EXISTS {{ ?value <{RDF.type}>/<{_SUBCLASS}>* <{cls}> }}"


def _has_datatype(datatype: Node) -> str:
    test = f"isLiteral(?value) && sameTerm(DATATYPE(?value), <{datatype}>)"
    if datatype in _CASTABLE:  # and well formed: an ill-typed literal does not cast
        test += f" && COALESCE(sameTerm(DATATYPE(<{datatype}>(?value)), <{datatype}>), false)"
    return test


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        text = str(node).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if node.language:
            return f'"{text}"@{node.language}'
        if node.datatype is not None and node.datatype != XSD.string:
            return f'"{text}"^^<{node.datatype}>'
        return f'"{text}"'
    raise ShapesError(f"a blank node where the validator needs a value: {node}")


def _sparql_check(graph: Graph, shape: Node, constraint: Node, targets: str) -> Check:
    select = graph.value(constraint, SH.select)
    if select is None:
        raise ShapesError(f"{_name(shape)}: a SPARQL constraint without sh:select")
    prefixes = "".join(
        f"PREFIX {graph.value(d, SH.prefix)}: <{graph.value(d, SH.namespace)}>\n"
        for declared in graph.objects(constraint, SH.prefixes)
        for d in sorted(graph.objects(declared, SH.declare), key=lambda d: str(graph.value(d, SH.prefix)))
    )
    message = graph.value(constraint, SH.message)
    # $this is pre-bound, one focus node at a time, in SHACL; these queries only join on it, so one run
    # with ?this free gives the same rows, kept for the focus nodes of the shape.
    return Check(
        query=prefixes + str(select).replace("$this", "?this"),
        severity=_severity(graph, shape),
        component="SPARQLConstraintComponent",
        shape=_name(shape),
        message=str(message) if message is not None else "breaks a SPARQL constraint",
        targets=f"SELECT DISTINCT ?this WHERE {{ {targets} }}",
        given=message is not None,
    )

"""The SPARQL 1.1 Protocol: the query a request carries, the result format it asks for, and what goes
wrong as an HTTP status (400 a malformed query, 403 what may not run here, 406 no format it accepts,
413 a query too long, 503 a query stopped at its limits)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

if TYPE_CHECKING:
    from ofsted_kg.queries import SavedQuery

MAX_QUERY_BYTES = 64 * 1024  # a query longer than this is refused with 413

# Media types of each kind of answer, by the name `format=` and the CLI use; the first is the default.
ROW_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {"turtle": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json"}
ALIASES = {"application/json": "json", "text/plain": "nt", "application/x-turtle": "turtle", "application/xml": "xml"}


class ProtocolError(Exception):
    """A request the endpoint answers with an error status, and why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Request:
    query: str | None
    format: str | None  # a `format=` parameter, for links
    update: bool = False  # the request carried an update


def from_get(params: dict[str, list[str]]) -> Request:
    return _request(params)


def from_post(content_type: str, body: bytes, params: dict[str, list[str]]) -> Request:
    """A POST's query: form-encoded (query=...) or the body of application/sparql-query."""
    if len(body) > MAX_QUERY_BYTES + 1024:
        raise ProtocolError(413, f"the request is longer than {MAX_QUERY_BYTES} bytes")
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/sparql-update":
        return Request(None, None, update=True)
    if media == "application/sparql-query":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(400, "the query is not UTF-8 text") from None
        return _checked(Request(text, _one(params, "format")))
    if media in ("application/x-www-form-urlencoded", ""):
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise ProtocolError(400, "the form is not UTF-8 text") from None
        return _request({**params, **form})
    raise ProtocolError(415, f"a query is sent as application/sparql-query or a form, not {media}")


def _request(params: dict[str, list[str]]) -> Request:
    if "update" in params:
        return Request(None, None, update=True)
    return _checked(Request(_one(params, "query"), _one(params, "format")))


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name) or []
    if len(values) > 1:
        raise ProtocolError(400, f"more than one {name} parameter")
    return values[0] if values else None


def _checked(request: Request) -> Request:
    if request.query is not None and len(request.query.encode("utf-8")) > MAX_QUERY_BYTES:
        raise ProtocolError(413, f"the query is longer than {MAX_QUERY_BYTES} bytes")
    return request


def negotiate(accept: str, kind: str, fmt: str | None) -> tuple[str, str]:
    """(format name, media type) for an answer of `kind` ("SELECT", "ASK" or "GRAPH"), from `format=` if
    given, else the Accept header (its q-values heeded), else the kind's default."""
    types = GRAPH_TYPES if kind == "GRAPH" else ROW_TYPES
    if fmt:
        name = ALIASES.get(fmt, fmt)
        name = next((n for n, media in types.items() if media == name), name)
        if name not in types:
            raise ProtocolError(406, f"format {fmt!r} is not one of {', '.join(types)} for this query")
        return name, types[name]
    if not accept.strip():
        name = next(iter(types))
        return name, types[name]
    refused = set(_refused(accept))
    for media in _accepted(accept):
        if media in ("*/*", "application/*", "text/*"):
            # The first of this kind's types the range covers that the client has not refused (q=0).
            covered = next(
                (n for n, t in types.items() if (media == "*/*" or t.startswith(media[:-1])) and t not in refused),
                None,
            )
            if covered is not None:
                return covered, types[covered]
            continue
        named = ALIASES.get(media) or next((n for n, t in types.items() if t == media), None)
        if named in types:
            return named, types[named]
    raise ProtocolError(406, f"this query's answer is given as {', '.join(types.values())}; Accept: {accept}")


def _q(options: list[str]) -> float:
    for option in options:
        key, _, value = option.partition("=")
        if key.strip().lower() == "q":
            try:
                return min(max(float(value.strip()), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def _refused(accept: str) -> list[str]:
    """The media types an Accept header refuses (q=0)."""
    out = []
    for part in accept.split(","):
        media, *options = [x.strip() for x in part.split(";")]
        if media and _q(options) == 0:
            out.append(media.lower())
    return out


def _accepted(accept: str) -> list[str]:
    """The media types of an Accept header, most wanted first (q=0 left out)."""
    found = []
    for i, part in enumerate(accept.split(",")):
        media, *options = [x.strip() for x in part.split(";")]
        q = _q(options)
        if media and q > 0:
            found.append((-q, i, media.lower()))
    return [media for _, _, media in sorted(found)]


def description(endpoint: str, queries: str, saved: Iterable[SavedQuery]) -> str:
    """The SPARQL 1.1 Service Description of the endpoint, in Turtle, with the saved queries as SHACL
    SPARQL executables (sh:SPARQLSelectExecutable / sh:SPARQLConstructExecutable) with their titles and
    descriptions (their pages under `queries`), so that a client can list and run them."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, RDFS, SH

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    graph = Graph()
    graph.bind("sd", sd)
    graph.bind("sh", SH)
    service = BNode("service")
    graph.add((service, RDF.type, sd.Service))
    graph.add((service, sd.endpoint, URIRef(endpoint)))
    graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    graph.add((service, sd.feature, sd.UnionDefaultGraph))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle"):
        graph.add((service, sd.resultFormat, formats[name]))
    for query in sorted(saved, key=lambda q: q.name):
        node = URIRef(queries + query.name)
        graph.add((node, RDF.type, SH.SPARQLSelectExecutable))  # every saved query is a SELECT (test_queries)
        graph.add((node, SH.select, Literal(query.text)))
        graph.add((node, RDFS.label, Literal(query.title, lang="en")))
        graph.add((node, RDFS.comment, Literal(query.description, lang="en")))
    return graph.serialize(format="turtle")

"""A store reached over HTTP: the SPARQL 1.1 Protocol for queries, asked as the embedded store is, bounded
in time and size.

The graph's default graph is the union of its named graphs (the embedded store holds that union as its
default graph), which push writes into the store's default graph (README: how Oxigraph, Fuseki, Virtuoso
and QLever are told which graph that is).
"""

from __future__ import annotations

import base64
import http.client
import netrc
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ofsted_kg import inlined
from ofsted_kg.bounded import LimitError
from ofsted_kg.errors import QueryError
from ofsted_kg.text import squash

if TYPE_CHECKING:
    import pyoxigraph as ox

    from ofsted_kg.terms import OxTerm

MAX_ANSWER_BYTES = 1 << 30  # what a remote answer may hold before it is refused, unless told less
# The form of a query (SELECT, ASK, CONSTRUCT, DESCRIBE): its first keyword after the prologue (comments,
# BASE and PREFIX declarations, whose IRIs hold no '>'). One whitespace character at a time: `\s+` inside the
# repeated group backtracks exponentially on a run of spaces not followed by a keyword (anyone's query).
_FORM = re.compile(
    r"(?:\s|#[^\n]*(?:\n|$)|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I
)


@dataclass(frozen=True)
class Endpoint:
    """Where a store answers: a URL (http or https), with the headers a store that needs them takes
    (authentication, from --header or ~/.netrc: never printed)."""

    url: str
    headers: dict[str, str] = field(default_factory=dict, repr=False)

    def __str__(self) -> str:  # the URL as it may be shown: no user or password in it
        parts = urllib.parse.urlsplit(self.url)
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def endpoint(url: str, headers: list[str] | None = None) -> Endpoint:
    """An Endpoint from a URL and 'Name: value' headers; credentials in the URL or ~/.netrc become an
    Authorization header."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise QueryError(f"{url!r} is not an http(s) URL of a store")
    given: dict[str, str] = {}
    for header in headers or []:
        name, colon, value = header.partition(":")
        if not colon or not name.strip():
            raise QueryError("--header takes 'Name: value'")
        given[name.strip()] = value.strip()
    if "Authorization" not in given:
        user, password = parts.username, parts.password
        if user is None:
            try:
                found = netrc.netrc().authenticators(parts.hostname)
            except (OSError, netrc.NetrcParseError):
                found = None
            if found:
                user, _, password = found
        if user is not None:
            token = base64.b64encode(f"{urllib.parse.unquote(user)}:{urllib.parse.unquote(password or '')}".encode())
            given["Authorization"] = "Basic " + token.decode("ascii")
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    return Endpoint(urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")), given)


def connection(url: str, timeout: float) -> http.client.HTTPConnection:
    parts = urllib.parse.urlsplit(url)
    if parts.hostname is None:  # (an Endpoint's URL always has one)
        raise OSError(f"{url} names no host")
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    return kind(parts.hostname, parts.port, timeout=timeout)


class RemoteStore:
    """A store at an endpoint, asked as pyoxigraph's Store is (query(text, substitutions)), so that the
    saved queries, the views and the web pages run over it unchanged. Its answers are parsed by pyoxigraph:
    SPARQL results in JSON (rows, booleans) or N-Triples (CONSTRUCT, DESCRIBE)."""

    remote = True  # (queries.run_bounded runs it here: a forked worker may not open a socket)

    def __init__(self, where: Endpoint, seconds: float = 60.0, max_bytes: int = MAX_ANSWER_BYTES):
        self.where = where
        self.seconds = seconds
        self.max_bytes = max_bytes  # (the answer is held whole, then parsed: --max-memory bounds it)

    def query(
        self, text: str, substitutions: dict[ox.Variable, OxTerm] | None = None
    ) -> list[ox.Quad] | ox.QuerySolutions | ox.QueryBoolean:
        import pyoxigraph as ox

        if substitutions:
            text = inlined.inline_terms(text, {v.value: str(term) for v, term in substitutions.items()})
        media, body = _ask(self.where, text, self.seconds, self.max_bytes)
        try:
            if media == "application/n-triples":
                return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as error:
            what = f"{self.where} gave an answer that is not SPARQL results ({media or 'no type'}): {error}"
            raise OSError(what) from None

    def __str__(self) -> str:
        return str(self.where)


def _ask(where: Endpoint, text: str, seconds: float, max_bytes: int = MAX_ANSWER_BYTES) -> tuple[str, bytes]:
    """POST the query, URL-encoded (every store takes that form; Virtuoso 7.2 never answers a body sent as
    application/sparql-query), asking for the one media type its form answers in; the media type and body
    of the answer. A failure is an OSError (what pyoxigraph's store raises when it cannot read), a
    malformed query a SyntaxError."""
    deadline = time.monotonic() + seconds
    kind = _FORM.match(text)
    headers = {
        **where.headers,
        "Content-Type": "application/x-www-form-urlencoded",
        # A store that is offered both may answer CONSTRUCT with rows of ?s ?p ?o (Virtuoso does).
        "Accept": "application/n-triples" if kind and kind.group(1).upper() in ("CONSTRUCT", "DESCRIBE")
        else "application/sparql-results+json",
    }  # fmt: skip
    path = urllib.parse.urlsplit(where.url)
    # The URL's own parameters (default-graph-uri=...) go with the query: in a URL-encoded POST, the
    # protocol's parameters are all in the body.
    form = urllib.parse.urlencode([*urllib.parse.parse_qsl(path.query, keep_blank_values=True), ("query", text)])
    target = path.path or "/"
    conn = connection(where.url, timeout=seconds)
    try:
        conn.request("POST", target, body=form.encode("ascii"), headers=headers)
        response = conn.getresponse()
        chunks, size = [], 0
        while chunk := response.read(1 << 20):
            size += len(chunk)
            if size > max_bytes:
                raise LimitError(f"the answer of {where} is longer than {max_bytes >> 20} MB (--max-memory MB)")
            if time.monotonic() > deadline:
                raise TimeoutError
            chunks.append(chunk)
    except TimeoutError:
        raise LimitError(
            f"{where} gave no whole answer within {seconds:g} s, the time limit (--timeout SECONDS)"
        ) from None
    except OSError as error:
        raise OSError(f"cannot reach {where} ({error.strerror or error})") from None
    finally:
        conn.close()
    body = b"".join(chunks)
    if response.status == 400:
        said = squash(body.decode("utf-8", "replace"))[:300]
        raise SyntaxError(f"{where} refused the query: {said}")
    if response.status != 200:
        said = squash(body.decode("utf-8", "replace"))[:300]
        raise OSError(f"{where} answered {response.status} {response.reason}: {said}")
    return response.getheader("Content-Type", "").split(";")[0].strip(), body

"""A saved query with its parameters written into its text, for a store reached over the SPARQL 1.1 Protocol.

The embedded store binds a parameter (?param_NAME) before it evaluates the query; the protocol has no
such binding, so for a remote store each occurrence of the variable is replaced by the value, written
as N-Triples writes a term (pyoxigraph makes it, so no value can break out of it into the query):

- in a SELECT's projection the variable is left out (its column is dropped from every answer anyway);
- in GROUP BY it becomes a constant group condition, `(VALUE)`;
- everywhere else (patterns, FILTER, BIND, expressions) it becomes the value.

Strings, IRIs and comments of the query are passed over as they are.
"""

from __future__ import annotations

import re

from ofsted_kg.errors import QueryError

_TOKEN = re.compile(
    r"""
      (?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
    | (?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<comment>\#[^\n]*)
    | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
    | (?P<word>[A-Za-z]+)
    | (?P<open>\()
    | (?P<close>\))
    | (?P<brace>[{}])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ENDS_GROUP_BY = {"HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"}


def inline(text: str, params: dict[str, str]) -> str:
    """The query's text with ?param_NAME replaced by the N-Triples term of params[NAME] (an IRI when the
    value is one, else a plain literal: as the embedded store binds it).

    >>> print(inline('SELECT ?name { ?c okg:gssCode ?param_council ; rdfs:label ?name }', {"council": "E08000031"}))
    SELECT ?name { ?c okg:gssCode "E08000031" ; rdfs:label ?name }
    >>> print(inline("SELECT * { ?s ?p ?param_about }", {"about": "https://w3id.org/ofsted-kg/id/council/E08000031"}))
    SELECT * { ?s ?p <https://w3id.org/ofsted-kg/id/council/E08000031> }
    >>> print(inline("SELECT * { ?s ?p ?param_name }", {"name": 'a "quoted" name'}))  # no way out of the literal
    SELECT * { ?s ?p "a \\"quoted\\" name" }
    """
    import pyoxigraph as ox

    from ofsted_kg.queries import _is_iri

    try:
        terms = {
            f"param_{name}": str(ox.NamedNode(value) if _is_iri(value) else ox.Literal(value))
            for name, value in params.items()
        }
    except ValueError as error:  # looks like an IRI but is none ('http://a:b:c')
        raise QueryError(f"a parameter is not a valid IRI ({error})") from None
    return inline_terms(text, terms)


def inline_terms(text: str, terms: dict[str, str]) -> str:
    """The query's text with each variable named in `terms` replaced by its term, written as N-Triples
    writes it (which the caller has made with pyoxigraph)."""
    out: list[str] = []
    state = "body"  # or "projection" (SELECT ... WHERE/{) or "group" (GROUP BY ...)
    depth = 0  # parentheses open within a projection or GROUP BY
    previous_word = ""
    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind == "word":
            word = token.upper()
            if word == "SELECT":
                state, depth = "projection", 0
            elif word == "WHERE" and state == "projection":
                state = "body"
            elif word == "BY" and previous_word == "GROUP":
                state, depth = "group", 0
            elif word in _ENDS_GROUP_BY and state == "group" and depth == 0:
                state = "body"
            previous_word = word
        elif kind == "brace" and depth == 0:
            state = "body"
        elif kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "var" and token[1:] in terms:
            term = terms[token[1:]]
            if state == "projection" and depth == 0:
                token = ""
            elif state == "group" and depth == 0:
                token = f"({term})"
            else:
                token = term
        out.append(token)
    return "".join(out)

"""What a query may do here: read the built graph, nothing else.

Refused: SPARQL Update (every operation, LOAD among them), SERVICE (a network request) and FROM /
FROM NAMED (a dataset other than the built graph). The decision is made on the query's tokens, as the
SPARQL 1.1 grammar defines them (section 19.8), after its code point escapes (``\\u0053``) are
resolved as the grammar says they are, before parsing (section 19.2). In that grammar these operations
are reserved words, which no prefixed name, variable, string, IRI or comment can be mistaken for: a
query holds the word as a token exactly when it asks for the operation (or is malformed). A text the
lexer cannot take apart is refused, never passed on on trust.

This is one of two guards: the engine runs queries in a process that cannot open a network socket
(`bounded`), so that a query that got past this one still could not reach the network.
"""

from __future__ import annotations

import re

from ofsted_kg.errors import QueryError, RefusedQuery

_UPDATE = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"})

# The terminals of the SPARQL 1.1 grammar (section 19.8), in the order that takes the longest match.
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
_ECHAR = r"\\[tbnrf\\\"']"
_TOKEN = re.compile(
    "|".join(
        f"(?P<{name}>{pattern})"
        for name, pattern in (
            ("space", r"[ \t\r\n]+"),
            ("comment", r"#[^\r\n]*"),
            ("iri", r"<[^<>\"{}|^`\\\x00-\x20]*>"),
            ("long_string1", f"'''(?:(?:'|'')?(?:[^'\\\\]|{_ECHAR}))*'''"),
            ("long_string2", f'"""(?:(?:"|"")?(?:[^"\\\\]|{_ECHAR}))*"""'),
            ("string1", f"'(?:[^'\\\\\\n\\r]|{_ECHAR})*'"),
            ("string2", f'"(?:[^"\\\\\\n\\r]|{_ECHAR})*"'),
            ("blank", f"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"),
            ("pname", f"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?"),
            ("var", f"[?$][{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"),
            ("lang", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
            ("number", r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?"),
            ("word", r"[A-Za-z_][A-Za-z0-9_]*"),
            ("punctuation", r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\].,;*+\-/!=<>^|?]"),
        )
    )
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def words(text: str, origin: str = "query") -> list[str]:
    """The reserved words and names of a query (upper case), every other token left out."""
    text = _ESCAPE.sub(_code_point, text)
    found = []
    at = 0
    while at < len(text):
        m = _TOKEN.match(text, at)
        if m is None:
            line = text.count("\n", 0, at) + 1
            column = at - (text.rfind("\n", 0, at) + 1) + 1
            raise QueryError(f"{origin}: malformed SPARQL at line {line}, column {column}: cannot read {text[at]!r}")
        if m.lastgroup == "word":
            found.append(m.group().upper())
        at = m.end()
    return found


def _code_point(m: re.Match[str]) -> str:
    value = int(m.group(1) or m.group(2), 16)
    return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else "\ufffd"


def check(text: str, origin: str = "query") -> None:
    """Refuse what may not run here: an update, a SERVICE (a network request), FROM (another dataset)."""
    found = set(words(text, origin))
    if found & _UPDATE:
        raise RefusedQuery(f"{origin}: SPARQL Update is refused: the graph can only be read")
    if "SERVICE" in found:
        raise RefusedQuery(f"{origin}: SERVICE is refused: queries never make network requests")
    if "FROM" in found:
        raise RefusedQuery(f"{origin}: FROM and FROM NAMED are refused: queries run on the built graph only")

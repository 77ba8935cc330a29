"""The search box: things found by the words of their labels, or a council by its code.

The labels of everything searchable are one query's answer (web/queries/labels.rq), which the server asks
once and keeps; each search is then a scan of that answer here, in milliseconds, where a query per search
took half a second on England's graph. The labels are folded (lower case, whitespace squashed) once, into
an Index: folding them at each search took 30 ms of the server's one thread on England's graph.
"""

from __future__ import annotations

from dataclasses import dataclass

from ofsted_kg.queries import Answer
from ofsted_kg.text import squash

MOST = 50


@dataclass(frozen=True)
class Index:
    """The labels' rows, each with its label folded and its code lower-cased, ready to be scanned."""

    rows: tuple[tuple[str, str | None, str, str, str], ...]  # (folded label, code, kind, label, thing)


def index(labels: Answer) -> Index:
    """The answer of labels.rq (?thing ?kind ?label ?code), folded once."""
    return Index(
        tuple(
            (squash(str(label).lower()), None if code is None else str(code).lower(), str(kind), str(label), str(thing))
            for thing, kind, label, code in labels.rows
        )
    )


def found(labels: Index, words: str) -> list[tuple[str, str, str]]:
    """(thing, label, kind) whose label holds `words` (or whose code is them), the best first: a label
    that is the words, then one that starts with them, then one that holds them."""
    wanted = squash(words.lower())
    if not wanted:
        return []
    ranked: dict[str, tuple[int, str, str, str]] = {}  # thing -> (rank, kind, label, thing)
    for folded, code, kind, label, thing in labels.rows:
        if code == wanted:
            rank = 0
        elif wanted in folded:
            rank = 0 if folded == wanted else 1 if folded.startswith(wanted) else 2
        else:
            continue
        key = (rank, kind, label, thing)
        if thing not in ranked or key < ranked[thing]:
            ranked[thing] = key
    best = sorted(ranked.values())[:MOST]
    return [(thing, label, kind) for _, kind, label, thing in best]

"""The search box: things found by the words of their labels, or a council by its code.

The labels of everything searchable are one query's answer (web/queries/labels.rq), which the server asks
once and keeps; each search is then a scan of that answer here, in milliseconds, where a query per search
took half a second on England's graph.
"""

from __future__ import annotations

from ofsted_kg.queries import Answer
from ofsted_kg.text import squash

MOST = 50


def found(labels: Answer, words: str) -> list[tuple[str, str, str]]:
    """(thing, label, kind) whose label holds `words` (or whose code is them), the best first: a label
    that is the words, then one that starts with them, then one that holds them."""
    wanted = squash(words.lower())
    if not wanted:
        return []
    ranked: dict[str, tuple[int, str, str, str]] = {}  # thing -> (rank, kind, label, thing)
    for thing, kind, label, code in labels.rows:
        folded = squash(str(label).lower())
        if code is not None and str(code).lower() == wanted:
            rank = 0
        elif wanted in folded:
            rank = 0 if folded == wanted else 1 if folded.startswith(wanted) else 2
        else:
            continue
        key = (rank, str(kind), str(label), str(thing))
        if str(thing) not in ranked or key < ranked[str(thing)]:
            ranked[str(thing)] = key
    best = sorted(ranked.values())[:MOST]
    return [(thing, label, kind) for _, kind, label, thing in best]

"""The graph of what was read, made and written as text: its named graphs as TriG, their merge as Turtle.

Each document's graph is made and written by one of several forked workers: a document's graph depends
on the others only through the inspections they name, which are resolved first, here. The workers' files
are then put together in order: the TriG's parts by graph name, the Turtle's subjects by IRI. The bytes
are those export.trig and export.turtle give for the same graphs, whatever the number of workers.

A subject that one graph alone describes (nearly all: a finding, a piece of evidence) takes its Turtle
block from its TriG block, without the indent; the lines of a subject that several graphs describe (a
council, an inspection) are read back from each block and merged.
"""

from __future__ import annotations

import functools
import heapq
import io
import itertools
import mmap
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from rdflib import URIRef
from rdflib.namespace import ORG, RDF

from ofsted_kg import forking, preferences
from ofsted_kg.export import Terms, default_prefixes, expand_iri, grouped, prefix_lines, subject_lines
from ofsted_kg.facts import links_of
from ofsted_kg.graph import document_graph, shared_graphs
from ofsted_kg.namespaces import OKG, SCHEMA
from ofsted_kg.rdf.inspections import Inspections

if TYPE_CHECKING:
    from ofsted_kg.documents import Document
    from ofsted_kg.facts import Extraction
    from ofsted_kg.terms import Triple

COUNTED = {
    "inspections": OKG.Inspection,
    "judgements": OKG.Judgement,
    "recommendations": OKG.Recommendation,
    "areas for improvement": OKG.AreaForImprovement,
    "findings": OKG.Finding,
    "actions": OKG.Action,
    "people": SCHEMA.Person,
    "posts": ORG.Post,
    "quotations": OKG.Quotation,
    "services": OKG.Service,
    "figures": OKG.Figure,
    "meetings": OKG.Meeting,
    "claims about other councils": SCHEMA.Claim,
}
_RDF_TYPE = str(RDF.type)
# A term as the writers write it: a literal (its quotes and backslashes escaped, no line break), an IRI in
# angle brackets, a prefixed name or a bare number or boolean. Objects are written joined by ", ".
_WRITTEN = re.compile(r'"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^(?:<[^>]*>|[^\s,]+))?|<[^>]*>|[^\s,<"]+')


@dataclass(frozen=True)
class Summary:
    """What a built graph holds, counted while its triples are at hand."""

    triples: int
    counts: tuple[tuple[str, int], ...]  # nodes of each kind counted (COUNTED), in that order
    frameworks: tuple[tuple[str, int], ...]  # inspections per framework, by notation
    councils: int  # councils with an inspection


class Tally:
    """The nodes of each kind counted, the framework of each inspection and the councils inspected, over
    graphs seen one at a time. Terms are compared as plain strings: rdflib compares its terms in Python,
    slow over millions of triples."""

    def __init__(self) -> None:
        self.found: dict[str, set[str]] = {name: set() for name in COUNTED}
        self.framework_of: dict[str, str] = {}
        self.councils: set[str] = set()

    def add(self, triples: Iterable[Triple]) -> None:
        wanted = {str(c): name for name, c in COUNTED.items()}
        kind, framework, authority = _RDF_TYPE, str(OKG.framework), str(OKG.inspectedAuthority)
        for s, predicate, o in triples:
            p = str(predicate)
            if p == kind:
                name = wanted.get(str(o))
                if name is not None:
                    self.found[name].add(str(s))
            elif p == framework:
                self.framework_of[str(s)] = str(o).rsplit("/", 1)[-1]
            elif p == authority:
                self.councils.add(str(o))

    def update(self, other: Tally) -> None:
        # (An inspection has one framework, whichever graph gives it: the workers' order does not matter.)
        for name, nodes in other.found.items():
            self.found[name] |= nodes
        self.framework_of.update(other.framework_of)
        self.councils |= other.councils

    def summary(self, triples: int) -> Summary:
        return Summary(
            triples=triples,
            counts=tuple((name, len(nodes)) for name, nodes in self.found.items()),
            frameworks=tuple(sorted(Counter(self.framework_of.values()).items())),
            councils=len(self.councils),
        )


@dataclass
class _Part:
    """What one worker wrote into its file: where each graph's part is, and each subject's block in it
    (subject IRI, start, end, number of triples; in order of IRI); and, for each document (by its place in
    the build), its claims (preferences.claims) and its notes."""

    graphs: dict[str, tuple[int, int]] = field(default_factory=dict)
    subjects: list[tuple[str, int, int, int]] = field(default_factory=list)
    made: list[tuple[int, list[preferences.Claim], list[tuple[URIRef, str]]]] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)


def write(
    entries: list[tuple[Document, Extraction]], trig: Path, turtle: Path, workers: int
) -> tuple[Summary, list[tuple[URIRef, str]]]:
    """Make the graph of each document's facts (in `workers` processes), and the reference graph and the graph
    of preferences; write them as TriG into `trig` and merged as Turtle into `turtle`. The summary of the
    graph, and the notes on facts not written (each by its document's IRI), in the order of `entries`."""
    links = [links_of(extraction) for _, extraction in entries]
    inspections = Inspections(links)  # (before the workers are forked: they share it)
    paths = [trig.with_name(f"{trig.name}.part{n}") for n in range(max(1, min(workers, len(entries))))]
    shares = _shares(entries, len(paths))
    try:
        parts, _ = forking.together(
            [
                functools.partial(_work, entries, share, inspections, path)
                for share, path in zip(shares, paths, strict=True)
            ],
            lambda: None,
        )
        made = sorted((m for part in parts for m in part.made), key=itemgetter(0))
        claims = [claim for _, found, _ in made for claim in found]
        tally = Tally()
        for part in parts:
            tally.update(part.tally)
        extra = {str(name): triples for name, triples in shared_graphs(links, inspections, claims).items()}
        for graph in extra.values():
            tally.add(graph)
        own = io.BytesIO()
        parts.append(_write_part(((name, extra[name]) for name in sorted(extra) if extra[name]), own))
        with ExitStack() as stack:
            sources: list[bytes | mmap.mmap] = [_mapped(path, stack) for path in paths] + [own.getvalue()]
            _write_trig(parts, sources, trig)
            triples = _write_turtle(parts, sources, turtle)
    finally:
        for path in paths:
            path.unlink(missing_ok=True)
    return tally.summary(triples), [note for _, _, notes in made for note in notes]


def _shares(entries: list[tuple[Document, Extraction]], n: int) -> list[list[int]]:
    """The documents (their places) each of n workers makes, about the same number of facts each: the largest
    first, each to the worker with the fewest so far."""
    shares: list[list[int]] = [[] for _ in range(n)]
    load = [(0, k) for k in range(n)]
    for i in sorted(range(len(entries)), key=lambda i: -len(entries[i][1].facts)):
        weight, k = heapq.heappop(load)
        shares[k].append(i)
        heapq.heappush(load, (weight + 1 + len(entries[i][1].facts), k))
    return shares


def _work(entries: list[tuple[Document, Extraction]], share: list[int], inspections: Inspections, path: Path) -> _Part:
    """A worker: the graphs of its documents, written into its file; their claims, notes and tally."""
    last = {str(doc.iri): i for i, (doc, _) in enumerate(entries)}
    tally = Tally()
    made: list[tuple[int, list[preferences.Claim], list[tuple[URIRef, str]]]] = []

    def graphs() -> Iterator[tuple[str, set[Triple]]]:
        for i in share:
            doc, extraction = entries[i]
            named, notes = document_graph(doc, extraction, inspections)
            made.append((i, preferences.claims(doc.iri, named), [(d.iri, note) for d, note in notes]))
            if last[str(doc.iri)] != i:  # (two files of the same content: one graph, the last one's)
                continue
            tally.add(named)
            if named:
                yield str(doc.iri), named  # (let go once written)

    with path.open("wb", buffering=1 << 22) as out:
        part = _write_part(graphs(), out)
        out.flush()
    part.made, part.tally = made, tally
    return part


def _write_part(graphs: Iterable[tuple[str, set[Triple]]], out: BinaryIO) -> _Part:
    """Named graphs written as TriG parts (without the prefix lines), each subject's block as export.trig
    writes it; where each graph and each block is."""
    terms = Terms(default_prefixes())
    part = _Part()
    position = 0
    for name, triples in graphs:
        if name in part.graphs:
            raise ValueError(f"two graphs named {name}")
        start = position
        head = f"{terms.iri(name)} {{\n".encode()
        out.write(head)
        position += len(head)
        by_subject = grouped(triples, terms)
        for s in sorted(by_subject):
            objects_of = by_subject[s]
            block = ("    " + "\n    ".join(subject_lines(s, objects_of, terms)) + "\n\n").encode()
            out.write(block)
            part.subjects.append((s, position, position + len(block), sum(map(len, objects_of.values()))))
            position += len(block)
        out.write(b"}\n\n")
        position += 3
        part.graphs[name] = (start, position)
    part.subjects.sort()
    return part


def _mapped(path: Path, stack: ExitStack) -> bytes | mmap.mmap:
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return b""
        return stack.enter_context(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))


def _header() -> bytes:
    return ("\n".join(prefix_lines(default_prefixes())) + "\n").encode()


def _write_trig(parts: list[_Part], sources: list[bytes | mmap.mmap], path: Path) -> None:
    placed = sorted((name, k, span) for k, part in enumerate(parts) for name, span in part.graphs.items())
    with path.open("wb", buffering=1 << 22) as out:
        out.write(_header())
        for _, k, (start, end) in placed:
            out.write(sources[k][start:end])
        _finish(out)


def _write_turtle(parts: list[_Part], sources: list[bytes | mmap.mmap], path: Path) -> int:
    """The merge of the parts' graphs as Turtle; the number of its triples."""
    terms, prefixes = Terms(default_prefixes()), default_prefixes()
    blocks = heapq.merge(*(_placed(k, part) for k, part in enumerate(parts)))
    count = 0
    with path.open("wb", buffering=1 << 22) as out:
        out.write(_header())
        for subject, group in itertools.groupby(blocks, key=itemgetter(0)):
            found = list(group)
            if len(found) == 1:
                _, k, start, end, n = found[0]
                out.write(sources[k][start + 4 : end].replace(b"\n    ", b"\n"))
            else:
                text, n = _merged(subject, [sources[k][a:b] for _, k, a, b, _ in found], terms, prefixes)
                out.write(text)
            count += n
        _finish(out)
    return count


def _placed(k: int, part: _Part) -> Iterator[tuple[str, int, int, int, int]]:
    """A part's blocks in order, each with the part's number: (subject, part, start, end, triples)."""
    return ((s, k, start, end, n) for s, start, end, n in part.subjects)


def _merged(subject: str, blocks: list[bytes], terms: Terms, prefixes: dict[str, str]) -> tuple[bytes, int]:
    """One subject's Turtle block made from its blocks in several graphs (as _write_part writes them): each
    predicate with the objects of every block; and its number of triples."""
    objects_of: dict[str, set[str]] = {}
    for block in blocks:
        for line in block.decode("utf-8").split("\n")[1:]:
            if not line:
                break
            verb, _, written = line[8:-2].partition(" ")  # (8 spaces before, " ;" or " ." after)
            objects = _WRITTEN.findall(written)
            if ", ".join(objects) != written:  # (never: the writers wrote it)
                raise ValueError(f"the objects of {subject} {verb} cannot be read back: {written[:80]!r}")
            predicate = _RDF_TYPE if verb == "a" else expand_iri(verb, prefixes)
            objects_of.setdefault(predicate, set()).update(objects)
    text = "\n".join(subject_lines(subject, objects_of, terms)) + "\n\n"
    return text.encode(), sum(map(len, objects_of.values()))


def _finish(out: BinaryIO) -> None:
    """The file without its last byte: every part ends with a blank line, and the file with one newline.
    Flushed to the disk, so that putting it in place is as safe as writing it there."""
    out.flush()
    out.truncate(out.tell() - 1)
    out.flush()
    os.fsync(out.fileno())

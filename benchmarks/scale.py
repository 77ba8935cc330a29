"""Benchmark: the saved queries on Oxigraph as the graph grows towards all ~500 reports of England.

Takes a built graph (by default the corpus graph, built first if missing) and loads it N times over
into one Oxigraph store, each copy's own resources renamed (id/... -> id/copyK/...) so that the
copies do not merge; the reference graph (schemes, councils) is shared. Then times every saved
query on 1, 2, 5 and 10 copies: the corpus has 49 reports, so 10 copies stand for about 500.
Run: python benchmarks/scale.py [--graph DIR] [--copies 1,2,5,10] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.queries import run, saved_queries

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/ofsted-kg/id/"
SHARED = (ID + "council/", ID + "area/", ID + "org/", ID + "dataset/", ID + "graph/reference")
PARAMS = {
    "evidence": {"subject": "Andy Waugh"},
    "council-timeline": {"council": "E08000031"},
    "ratings": {"area": "West Midlands"},
    "neighbours": {"council": "E08000031"},
}


def _renamed(term, copy: int):
    if isinstance(term, ox.NamedNode) and term.value.startswith(ID) and not term.value.startswith(SHARED):
        return ox.NamedNode(f"{ID}copy{copy}/{term.value[len(ID) :]}")
    return term


def grown(quads: list, copies: int) -> ox.Store:
    store = ox.Store()
    for copy in range(copies):
        store.bulk_extend(
            ox.Quad(_renamed(q.subject, copy), q.predicate, _renamed(q.object, copy), ox.DefaultGraph()) for q in quads
        )
    return store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, help="a built graph folder (default: build the corpus graph)")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--copies", default="1,2,5,10")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        graph = args.graph
        if graph is None:
            graph = Path(tmp) / "graph"
            sources = [
                ROOT / "seeds",
                args.corpus / "ofsted-reports",
                args.corpus / "ofsted-outcomes" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods",
            ]
            command = [sys.executable, "-m", "ofsted_kg", "build", *map(str, sources), "--out", str(graph)]
            subprocess.run(command, capture_output=True, check=False)
        base = ox.Store()
        base.bulk_load(path=str(graph / "ofsted-kg.ttl"), format=ox.RdfFormat.TURTLE)
        quads = list(base)
    sizes = [int(n) for n in args.copies.split(",")]
    table: dict[str, list[str]] = {q.name: [] for q in saved_queries()}
    triples = []
    for copies in sizes:
        start = time.perf_counter()
        store = grown(quads, copies)
        triples.append(f"{len(store):,} triples, loaded in {time.perf_counter() - start:.1f} s")
        for q in saved_queries():
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                run(store, q, PARAMS.get(q.name))
                times.append(time.perf_counter() - start)
            table[q.name].append(f"{statistics.median(times) * 1000:>9.0f}")
        del store
    for copies, line in zip(sizes, triples, strict=True):
        print(f"{copies:>3} x corpus: {line}")
    print(f"{'query (ms)':<18}" + "".join(f"{f'{n} x':>9}" for n in sizes))
    for name, cells in table.items():
        print(f"{name:<18}" + "".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())

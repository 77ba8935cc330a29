"""Shared fixtures: the seed documents, a built seed graph, and graph helpers."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from ofsted_kg.build import BuildResult, build
from ofsted_kg.namespaces import OA, OKG

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

REPORT_2022 = "004_2e199a0b395a00af.txt"
CABINET_2017 = "003_61de30c0f22e3030.txt"
PRESS_2017 = "000_bf7462fae952fc3d.txt"
NEWS_2022 = "001_07b306a44f2bbefb.txt"
NEWS_2017 = "002_283c56a2d8015457.txt"


@pytest.fixture(scope="session")
def seed_build() -> BuildResult:
    return build([SEEDS])


@pytest.fixture()
def seed_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed documents, for mutation tests."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def without_evidence(graph: Graph) -> Graph:
    """The facts of a graph, with evidence nodes dropped and documents named by file name.

    Lets two builds be compared fact by fact when a document's text (and so its
    hash and every offset) has changed.
    """
    doc_names = {
        d: URIRef(f"urn:file:{graph.value(d, OKG.fileName)}") for d in graph.subjects(RDF.type, OKG.SourceDocument)
    }
    evidence_nodes = set()
    for ann in graph.subjects(RDF.type, OA.Annotation):
        evidence_nodes.add(ann)
        for body in graph.objects(ann, OA.hasBody):
            evidence_nodes.add(body)
        for target in graph.objects(ann, OA.hasTarget):
            evidence_nodes.add(target)
            evidence_nodes |= set(graph.objects(target, OA.hasSelector))
    out = Graph()
    for s, p, o in graph:
        if s in evidence_nodes or p in (OKG.sha256, OKG.characters, OKG.sourceFile):
            continue
        out.add((doc_names.get(s, s), p, doc_names.get(o, o) if not isinstance(o, Literal) else o))
    return out


def diff(before: Graph, after: Graph) -> tuple[set, set]:
    """(removed, added) triples between two fact graphs."""
    a, b = set(without_evidence(before)), set(without_evidence(after))
    return a - b, b - a


@pytest.fixture(scope="module")
def built(tmp_path_factory, seed_build) -> Path:
    """The seed build written to a graph folder (Turtle, TriG and store), once per test module."""
    from ofsted_kg import store

    out = tmp_path_factory.mktemp("graph")
    store.write(seed_build, out)
    return out


@pytest.fixture(scope="module")
def parsed(built) -> Graph:
    """The graph as viz and export read it before they read the store: the Turtle, parsed by rdflib."""
    from ofsted_kg import store

    return store.load(built)


def build_command(out: Path, *sources: Path, seed: str = "0") -> subprocess.CompletedProcess:
    """`ofsted-kg build SOURCES --out OUT` as a process, with a given hash seed."""
    env = dict(os.environ, PYTHONHASHSEED=seed)
    command = [sys.executable, "-m", "ofsted_kg", "build", *map(str, sources), "--out", str(out)]
    return subprocess.run(command, capture_output=True, text=True, env=env)


# The README's build of the West Midlands corpus: its documents, as named from the checkout.
CORPUS_BUILD_SOURCES = (
    "seeds",
    "../shared/corpus/ofsted-reports",
    "../shared/corpus/ofsted-outcomes/LA_Inspection_Outcomes_as_at_31_March_2025.ods",
)


@dataclass(frozen=True)
class CorpusBuild:
    graph: Path
    returncode: int
    output: str  # standard output and error, in the order written


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory) -> CorpusBuild:
    """The README's `ofsted-kg build seeds ../shared/corpus/... --out DIR`, run from the checkout, once: once
    for all the workers of a run too (pytest-xdist), whose tests only read it (the first to come builds it,
    the others wait for it)."""
    if not (ROOT / CORPUS_BUILD_SOURCES[1]).exists():
        pytest.skip("../shared/corpus is not beside the checkout")
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return _build_corpus(tmp_path_factory.mktemp("corpus"))
    shared = tmp_path_factory.getbasetemp().parent  # (this run's, not the next run's: pytest-N/)
    with open(shared / "corpus.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # (let go when the file is closed)
        record = shared / "corpus.json"
        if not record.exists():
            made = _build_corpus(shared / "corpus")
            record.write_text(json.dumps([str(made.graph), made.returncode, made.output]), encoding="utf-8")
        graph, returncode, output = json.loads(record.read_text(encoding="utf-8"))
        return CorpusBuild(Path(graph), returncode, output)


def _build_corpus(out: Path) -> CorpusBuild:
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "ofsted_kg", "build", *CORPUS_BUILD_SOURCES, "--out", str(out)]
    proc = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return CorpusBuild(out, proc.returncode, proc.stdout)


@pytest.fixture(scope="session")
def corpus_graph(corpus_build) -> Path:
    """The West Midlands corpus built once for every test that reads it (-m corpus): the seeds, the
    reports and the outcomes table."""
    from ofsted_kg.cli import EXIT_REJECTED

    assert corpus_build.returncode == EXIT_REJECTED, corpus_build.output  # the HTML page saved as a PDF
    assert [line for line in corpus_build.output.splitlines() if line.startswith("rejected:")] == [
        f"rejected: {CORPUS_BUILD_SOURCES[1]}/birmingham_2012-10-19.pdf: is an HTML page, not a document "
        "(a failed download saved under this name?)"
    ]
    assert "read 55 documents, rejected 1" in corpus_build.output
    return corpus_build.graph

"""A built graph on disk: graph/ofsted-kg.ttl (merged) and graph/ofsted-kg.trig (a named graph per document)."""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph

from ofsted_kg import __version__, export
from ofsted_kg.build import BuildResult
from ofsted_kg.errors import GraphError
from ofsted_kg.graph import merged

MERGED = "ofsted-kg.ttl"
NAMED = "ofsted-kg.trig"
# What was read from each document, for `add`: a cache, not part of the graph (rebuilt by every build).
EXTRACTIONS = ".cache/extractions.pickle"
CACHE_FORMAT = 1


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write a file so that readers see the old content or the new, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        mode = {"mode": "wb"} if isinstance(content, bytes) else {"mode": "w", "encoding": "utf-8", "newline": "\n"}
        with os.fdopen(fd, **mode) as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes files private; a graph is for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(result: BuildResult, out_dir: Path) -> list[Path]:
    """Write a built graph. Everything is serialised before the first file is replaced."""
    from ofsted_kg.graph import text_file

    contents = {out_dir / MERGED: export.turtle(result.graph), out_dir / NAMED: export.trig(result.graphs)}
    # The text made of each PDF or spreadsheet, into which its evidence's offsets count.
    contents.update({out_dir / text_file(doc): doc.text for doc in result.documents if doc.converted})
    for path, content in contents.items():
        write_atomic(path, content)
    write_extractions(out_dir, result.extractions)
    return list(contents)


def write_extractions(out_dir: Path, extractions: list) -> None:
    payload = {"format": CACHE_FORMAT, "version": __version__, "extractions": extractions}
    write_atomic(out_dir / EXTRACTIONS, pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))


def load_extractions(out_dir: Path) -> list:
    """What a build read from each document, in build order."""
    path = out_dir / EXTRACTIONS
    rebuild = "run 'ofsted-kg build' once, then add"
    if not graph_file(out_dir).exists():
        raise GraphError(f"{graph_file(out_dir)}: no built graph here (run 'ofsted-kg build' first)")
    try:
        payload = pickle.loads(path.read_bytes())
    except FileNotFoundError:
        raise GraphError(f"{path}: missing: this graph was built without it ({rebuild})") from None
    except Exception as exc:  # a damaged cache: any unpickling error
        raise GraphError(f"{path}: unreadable ({exc}; {rebuild})") from None
    if not isinstance(payload, dict) or payload.get("format") != CACHE_FORMAT or payload.get("version") != __version__:
        raise GraphError(f"{path}: written by another version of ofsted-kg ({rebuild})")
    return payload["extractions"]


def graph_file(location: Path) -> Path:
    """The merged graph file of a graph folder, or the file itself."""
    return location / MERGED if location.is_dir() else location


def load(location: Path) -> Graph:
    path = graph_file(location)
    if not path.exists():
        raise GraphError(f"{path}: no built graph here (run 'ofsted-kg build' first)")
    try:
        if path.suffix == ".trig":
            dataset = Dataset()
            dataset.parse(path, format="trig")
            return merged(dataset)
        graph = Graph()
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many kinds of parse errors
        raise GraphError(f"{path}: not a readable RDF graph ({exc})") from None
    return graph


def load_named(location: Path) -> dict:
    """The named graphs of a built graph (from its TriG file), by name."""
    path = location / NAMED if location.is_dir() else location
    if not path.exists():
        raise GraphError(f"{path}: no built graph here (run 'ofsted-kg build' first)")
    dataset = Dataset()
    try:
        dataset.parse(path, format="trig")
    except Exception as exc:  # rdflib raises many kinds of parse errors
        raise GraphError(f"{path}: not a readable RDF dataset ({exc})") from None
    out = {}
    for graph in dataset.graphs():
        if len(graph) and graph.identifier != dataset.default_graph.identifier:
            named = Graph(identifier=graph.identifier)
            for triple in graph:
                named.add(triple)
            out[graph.identifier] = named
    return out


def open_store(location: Path):
    """The merged graph in an in-memory Oxigraph store, for fast SPARQL."""
    import pyoxigraph as ox

    path = graph_file(location)
    if not path.exists():
        raise GraphError(f"{path}: no built graph here (run 'ofsted-kg build' first)")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE)
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphError(f"{path}: not a readable RDF graph ({exc})") from None
    return store


def open_dataset(location: Path):
    """The named graphs (the TriG file) in an in-memory Oxigraph store."""
    import pyoxigraph as ox

    path = location / NAMED
    if not path.exists():
        raise GraphError(f"{path}: no built graph here (run 'ofsted-kg build' first)")
    dataset = ox.Store()
    try:
        dataset.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphError(f"{path}: not a readable RDF dataset ({exc})") from None
    return dataset


def write_update(result, out_dir: Path) -> list[Path]:
    """Write what `add` made (an incremental.AddResult): the same files a build writes."""
    contents = {out_dir / MERGED: result.turtle, out_dir / NAMED: result.trig}
    contents.update({out_dir / name: text for name, text in result.texts.items()})
    for path, content in contents.items():
        write_atomic(path, content)
    for name in result.stale_texts:
        (out_dir / name).unlink(missing_ok=True)
    write_extractions(out_dir, result.extractions)
    return list(contents)

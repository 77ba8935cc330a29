"""A built graph on disk: graph/ofsted-kg.ttl (merged) and graph/ofsted-kg.trig (a named graph per document)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset, Graph

from ofsted_kg import __version__, cache, folder, memory
from ofsted_kg.errors import GraphError
from ofsted_kg.folder import FileDigest, write_atomic

if TYPE_CHECKING:  # (not imported to run: a query needs none of the pipeline that builds)
    import pyoxigraph as ox
    from rdflib import URIRef

    from ofsted_kg.build import BuildResult
    from ofsted_kg.cache import Entry
    from ofsted_kg.documents import Document
    from ofsted_kg.incremental import AddResult
    from ofsted_kg.terms import Subject, Triple

MERGED = "ofsted-kg.ttl"
NAMED = "ofsted-kg.trig"
# What was read from each document, for `add` and the next build: a cache, not part of the graph.
EXTRACTIONS = ".cache/extractions.json.gz"
# The named graphs in an on-disk Oxigraph store, which `query`, `viz` and `export` open instead of
# parsing the Turtle; the files stay the interchange format, and the store is made from the TriG.
STORE = "store"
# A copy of each file the graph was read from, named by its content (rdf.document.source_file).
SOURCES = "sources"
KEPT_SOURCE = re.compile(r"[0-9a-f]{64}\.(?:pdf|ods|txt)")  # (what else is there is not the graph's)
STORE_MARK = "ofsted-kg-store.json"
STORE_FORMAT = 3  # 3: the graph of preferences


def work_near(out_dir: Path) -> Path | None:
    """Where a build bound for out_dir writes its files first: the nearest folder that exists on the way
    to it, so that putting them in place is a rename on one file system (None: the system's temporary
    folder)."""
    for parent in out_dir.absolute().parents:
        if parent.is_dir():
            return parent if os.access(parent, os.W_OK) else None
    return None


def write(result: BuildResult, out_dir: Path) -> list[Path]:
    """Write a built graph into a folder, replacing the graph there as a whole (folder.Staged).
    Everything is written before the first file is replaced."""
    from ofsted_kg.rdf.document import source_file, text_file

    with folder.writing(out_dir), folder.Staged(out_dir) as staged:
        # The graph's files, written by the build (linked here, not copied, where they can be).
        turtle, trig = staged.link(MERGED, result.text.turtle), staged.link(NAMED, result.text.trig)
        # The text made of each PDF or spreadsheet, into which its evidence's offsets count.
        texts = {text_file(doc): doc.text for doc in result.documents if doc.converted}
        for name, content in texts.items():
            staged.write(name, content)
        for old in sorted((out_dir / "texts").glob("*.txt")):
            if f"texts/{old.name}" not in texts:
                staged.remove(f"texts/{old.name}")
        # A copy of each file read (the evidence view shows the quote in it), those of documents gone removed.
        kept = keep_sources(staged, out_dir, result.documents)
        wanted = {source_file(doc) for doc in result.documents}
        for old in sorted((out_dir / SOURCES).glob("*")):
            if KEPT_SOURCE.fullmatch(old.name) and f"{SOURCES}/{old.name}" not in wanted:
                staged.remove(f"{SOURCES}/{old.name}")
        staged.write(EXTRACTIONS, result.cache)
        _make_store(staged, turtle, trig)
        staged.commit(kept)
    sources = [out_dir / SOURCES] if result.documents else []
    return [out_dir / MERGED, out_dir / NAMED, *(out_dir / name for name in texts), *sources, out_dir / STORE]


def keep_sources(staged: folder.Staged, out_dir: Path, documents: list[Document]) -> dict[str, FileDigest]:
    """Stage a copy of each document's file as sources/<sha256>.<ext> (rdf.document.source_file), read again from
    where it was read and checked against the SHA-256 it was read with. A copy the folder's manifest already
    records with that content is left as it is (a rebuild does not copy a corpus again): its manifest entry
    is returned, for the commit to keep."""
    from ofsted_kg.rdf.document import source_file

    recorded = folder.manifest_files(out_dir)
    kept: dict[str, FileDigest] = {}
    for doc in documents:
        name = source_file(doc)
        if name in kept or name in staged.digests:  # (two files of the same content: one copy)
            continue
        entry = recorded.get(name)
        path = out_dir / name
        if (
            isinstance(entry, dict)
            and entry.get("sha256") == doc.sha256
            and not path.is_symlink()
            and path.is_file()
            and path.stat().st_size == entry.get("size")
        ):
            kept[name] = entry
            continue
        staged.write(name, _source_bytes(doc))
    return kept


def _source_bytes(doc: Document) -> bytes:
    """The bytes of the file a document was read from, as they were when it was read."""
    from ofsted_kg.documents import read_bytes
    from ofsted_kg.errors import DocumentError

    try:
        data = read_bytes(doc.path)
    except DocumentError as error:
        raise GraphError(f"{error}: it was read for this graph, but is gone; build the graph again") from None
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        raise GraphError(f"{doc.path}: changed while the graph was built; build the graph again")
    return data


def load_extractions(out_dir: Path) -> list[Entry]:
    """What a build read from each document, in build order (cache.Entry)."""
    path = out_dir / EXTRACTIONS
    rebuild = "run 'ofsted-kg build' once, then add"
    if not graph_file(out_dir).exists():
        raise GraphError(f"{graph_file(out_dir)}: no built graph here (run 'ofsted-kg build' first)")
    folder.ready(out_dir)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise GraphError(f"{path}: missing: this graph was built without it ({rebuild})") from None
    except OSError as exc:
        raise GraphError(f"{path}: cannot be read ({exc.strerror or exc}; {rebuild})") from None
    recorded = folder.manifest_files(out_dir).get(EXTRACTIONS)
    if recorded is not None and hashlib.sha256(data).hexdigest() != recorded.get("sha256"):
        # (what `add` builds on must be what the graph was built from, not only of the same size)
        raise GraphError(f"{path}: not the cache {folder.MANIFEST} records (SHA-256); build the graph again")
    try:
        return cache.loads(data, path, lazily=True)
    except GraphError as error:
        raise GraphError(f"{error} ({rebuild})") from None


def known_extractions(out_dir: Path) -> tuple[dict[str, Entry], str | None]:
    """What an earlier build into out_dir read, by content, for a build to reuse; and why none, if none is."""
    path = out_dir / EXTRACTIONS
    if not path.exists():
        return {}, None
    try:
        entries = cache.loads(path.read_bytes(), path)
    except (GraphError, OSError) as error:
        return {}, f"{error}; every document is read again"
    return {e.document.sha256: e for e in entries}, None


def graph_file(location: Path) -> Path:
    """The merged graph file of a graph folder, or the file itself."""
    return location / MERGED if location.is_dir() else location


def load(location: Path) -> Graph:
    path = graph_file(location)
    if not path.exists():
        raise GraphError(f"{path}: no built graph here (run 'ofsted-kg build' first)")
    try:
        if path.suffix == ".trig":
            from ofsted_kg.graph import merged

            dataset = Dataset()
            dataset.parse(path, format="trig")
            return merged(dataset)
        graph = Graph()
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many kinds of parse errors
        raise GraphError(f"{path}: not a readable RDF graph ({exc})") from None
    return graph


def _make_store(staged: folder.Staged, turtle: Path, trig: Path) -> None:
    """The merged graph (as the default graph) and the named graphs of the staged files, in a new on-disk
    Oxigraph store staged to replace the folder's. (Oxigraph's union of named graphs repeats a triple once
    per graph that holds it, so queries run on the merged graph, kept as the default graph.)"""
    import pyoxigraph as ox

    fresh = staged.folder(STORE)
    store = ox.Store(str(fresh))
    # One load of both, read as one TriG document (its default graph the Turtle's triples): Oxigraph's
    # bulk loader then works on both cores, where two loads took half as long again (71 s against 110 s
    # on England's graph). Its tables are then compacted (21 s): a query reads fewer of them, and the
    # saved queries take half the time they took on the store as loaded. (A syntax error's line would count
    # from the Turtle's first line; the folder's manifest refuses a damaged file before it is read.)
    with _Joined([turtle, trig]) as both:
        store.bulk_load(io.BufferedReader(both, 1 << 20), format=ox.RdfFormat.TRIG)
    store.optimize()
    store.flush()
    del store  # closes the database before it is moved
    memory.give_back()  # the bulk loader's two gigabytes
    _mark(fresh, staged.digests[MERGED], staged.digests[NAMED])


class _Joined(io.RawIOBase):
    """Files read one after the other, as one stream, a newline between each (Turtle is TriG's default
    graph, and a prefix may be declared again)."""

    def __init__(self, paths: list[Path]):
        self._paths = list(paths)
        self._file: io.BufferedReader | None = None
        self._between = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]  # (io types it as any buffer)
        while True:
            if self._between:
                n = min(len(buffer), len(self._between))
                buffer[:n], self._between = self._between[:n], self._between[n:]
                return n
            if self._file is None:
                if not self._paths:
                    return 0
                self._file = open(self._paths.pop(0), "rb")  # noqa: SIM115 (closed when read to its end)
            n = self._file.readinto(buffer)
            if n:
                return n
            self._file.close()
            self._file = None
            self._between = b"\n" if self._paths else b""

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        super().close()


def write_store(out_dir: Path) -> None:
    """Make a graph folder's store again from its files (which stay as they are)."""
    with folder.writing(out_dir), folder.Staged(out_dir) as staged:
        kept = folder.manifest_files(out_dir)
        staged.digests[MERGED] = kept.get(MERGED) or folder.digest_of(out_dir / MERGED)
        staged.digests[NAMED] = kept.get(NAMED) or folder.digest_of(out_dir / NAMED)
        _make_store(staged, out_dir / MERGED, out_dir / NAMED)
        staged.commit(kept)


def _update_store(
    staged: folder.Staged, out_dir: Path, graphs: dict[URIRef, set[Triple]], subjects: dict[Subject, set[Triple]]
) -> None:
    """A copy of the folder's store, staged to replace it, brought up to date with the staged files:
    `graphs` are the named graphs written anew (empty: removed), `subjects` the merged graph's subjects
    whose triples changed. Making the whole store again takes minutes on a national graph; this takes
    what the change takes (the copy shares the store's table files, which the database never changes)."""
    import pyoxigraph as ox

    from ofsted_kg.terms import oxigraph_quads, oxigraph_term

    fresh = staged.folder(STORE)
    _copy_store(out_dir / STORE, fresh)
    store = ox.Store(str(fresh))
    for name, triples in graphs.items():
        graph = ox.NamedNode(str(name))
        if store.contains_named_graph(graph):
            store.remove_graph(graph)
        store.extend(oxigraph_quads(triples, graph))
    default = ox.DefaultGraph()
    for subject, triples in subjects.items():
        for quad in list(store.quads_for_pattern(oxigraph_term(subject), None, None, default)):
            store.remove(quad)
        store.extend(oxigraph_quads(triples, default))
    store.flush()
    del store
    _mark(fresh, staged.digests[MERGED], staged.digests[NAMED])


def _copy_store(source: Path, target: Path) -> None:
    """A copy of an Oxigraph (RocksDB) store whose table files (.sst, never changed once written) are
    hard links where they can be."""
    target.mkdir()
    for path in sorted(source.iterdir()):
        if path.name == STORE_MARK or not path.is_file():
            continue
        if path.suffix == ".sst":
            try:
                os.link(path, target / path.name)
                continue
            except OSError:
                pass
        shutil.copy2(path, target / path.name)


def _mark(target: Path, turtle: FileDigest, trig: FileDigest) -> None:
    """Write the store's mark: the version that wrote it and the files (size, SHA-256) it was made from."""
    mark = {"format": STORE_FORMAT, "ofsted-kg": __version__, "turtle": turtle, "trig": trig}
    write_atomic(target / STORE_MARK, json.dumps(mark, sort_keys=True) + "\n")


def _store_problem(out_dir: Path) -> str | None:
    """Why the graph folder's store cannot be used as it is (None: it can)."""
    target = out_dir / STORE
    if target.is_symlink() or not target.is_dir():
        return "has no store" if not target.exists() else "has something other than a store where its store should be"
    try:
        mark = json.loads((target / STORE_MARK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "has a store without its mark (an interrupted write?)"
    if not isinstance(mark, dict) or mark.get("format") != STORE_FORMAT or mark.get("ofsted-kg") != __version__:
        return f"has a store written by another version of ofsted-kg ({mark.get('ofsted-kg') if isinstance(mark, dict) else '?'})"
    recorded = folder.manifest_files(out_dir)
    for name, key in ((MERGED, "turtle"), (NAMED, "trig")):
        # The manifest says what the file is (its size is checked against it when the folder is opened);
        # a folder without one (an earlier version's) has its file read.
        now = recorded.get(name) or folder.digest_of(out_dir / name)
        if not isinstance(mark.get(key), dict) or mark[key].get("sha256") != now.get("sha256"):
            return f"has a store that was not made from its {name}"
    return None


def open_store(location: Path, notify: Callable[[str], object] | None = None) -> ox.Store:
    """The graph in an Oxigraph store: the folder's on-disk store, opened read-only; rebuilt from the TriG
    first (with a message to `notify`) where it is missing or not the graph's. A file is loaded in memory."""
    import pyoxigraph as ox

    path = graph_file(location)
    if not path.exists():
        raise GraphError(f"{path}: no built graph here (run 'ofsted-kg build' first)")
    if not location.is_dir():
        return _in_memory(path)
    if not (location / NAMED).exists():
        raise GraphError(f"{location / NAMED}: missing (run 'ofsted-kg build' again)")
    folder.ready(location)
    problem = _store_problem(location)
    if problem is not None:
        if not os.access(location, os.W_OK):  # a folder we may not write: its files in memory this time
            if notify:
                notify(f"{location} {problem}, and may not be written; reading {MERGED} and {NAMED} instead")
            return _in_memory(location / MERGED, location / NAMED)
        if notify:
            notify(f"{location} {problem}: making it from {MERGED} and {NAMED}")
        try:
            write_store(location)
        except (SyntaxError, ValueError) as exc:
            raise GraphError(f"{location / NAMED}: not a readable RDF dataset ({exc})") from None
        except (OSError, GraphError) as exc:  # (a read-only file system, another writer): in memory this time
            if notify:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
                notify(f"cannot write the store ({reason}); reading {MERGED} and {NAMED} instead")
            return _in_memory(location / MERGED, location / NAMED)
    try:
        return ox.Store.read_only(str(location / STORE))
    except OSError as exc:
        raise GraphError(f"{location / STORE}: cannot be opened ({exc}); delete it and it is made again") from None


def _in_memory(path: Path, named: Path | None = None) -> ox.Store:
    """A graph file in an in-memory store; with `named`, a TriG file of the named graphs too."""
    import pyoxigraph as ox

    store = ox.Store()
    for part in (path, named) if named else (path,):
        trig = part.suffix == ".trig"
        try:
            store.bulk_load(path=str(part), format=ox.RdfFormat.TRIG if trig else ox.RdfFormat.TURTLE)
        except (SyntaxError, ValueError, OSError) as exc:
            raise GraphError(f"{part}: not a readable RDF graph ({exc})") from None
    if named is None and path.suffix == ".trig":  # the merged graph is the default graph, as in a folder's store
        store.extend([ox.Quad(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None)])
    return store


def open_dataset(location: Path) -> ox.Store:
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


def file_names(dataset: ox.Store) -> dict[URIRef, str]:
    """The file name of each document whose named graph an Oxigraph store holds, by graph name."""
    import pyoxigraph as ox
    from rdflib import URIRef

    from ofsted_kg.namespaces import OKG

    return {
        URIRef(q.subject.value): q.object.value
        for q in dataset.quads_for_pattern(None, ox.NamedNode(str(OKG.fileName)), None, None)
        # (a document is named by an IRI, its file name a literal)
        if isinstance(q.graph_name, ox.NamedNode)
        and isinstance(q.subject, ox.NamedNode)
        and isinstance(q.object, ox.Literal)
    }


def write_update(result: AddResult, out_dir: Path) -> list[Path]:
    """Write what `add` made (an incremental.AddResult): the same files a build writes, replacing the
    graph there as a whole. The caller holds the folder's lock (folder.writing) from reading it on."""
    with folder.Staged(out_dir) as staged:
        return _write_update(staged, result, out_dir)


def _write_update(staged: folder.Staged, result: AddResult, out_dir: Path) -> list[Path]:
    from concurrent.futures import ThreadPoolExecutor

    # The cache is compressed while the graph's files are written: zlib, hashing and writing a file
    # all let go of Python's lock, so both cores work (about a second each on England's graph).
    with ThreadPoolExecutor(1) as pool:
        packed = pool.submit(cache.dumps, result.entries)
        turtle, trig = staged.write(MERGED, result.turtle), staged.write(NAMED, result.trig)
        for name, text in result.texts.items():
            staged.write(name, text)
        for name in result.stale_texts:
            staged.remove(name)
        kept = keep_sources(staged, out_dir, result.added)
        for name in result.stale_sources:
            staged.remove(name)
        staged.write(EXTRACTIONS, packed.result())
    if _store_problem(out_dir) is None:  # the store is the graph's as it was: change only what changed
        _update_store(staged, out_dir, result.graphs, result.subjects)
    else:
        _make_store(staged, turtle, trig)
    staged.commit(folder.manifest_files(out_dir) | kept)
    return [out_dir / MERGED, out_dir / NAMED, *(out_dir / name for name in result.texts), out_dir / STORE]

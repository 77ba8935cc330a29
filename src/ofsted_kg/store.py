"""A built graph on disk: graph/ofsted-kg.ttl (merged) and graph/ofsted-kg.trig (a named graph per document)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph

from ofsted_kg import __version__, cache
from ofsted_kg.build import BuildResult
from ofsted_kg.errors import GraphError
from ofsted_kg.graph import merged

MERGED = "ofsted-kg.ttl"
NAMED = "ofsted-kg.trig"
# What was read from each document, for `add` and the next build: a cache, not part of the graph.
EXTRACTIONS = ".cache/extractions.json.gz"
# The named graphs in an on-disk Oxigraph store, which `query`, `viz` and `export` open instead of
# parsing the Turtle; the files stay the interchange format, and the store is made from the TriG.
STORE = "store"
STORE_MARK = "ofsted-kg-store.json"
STORE_FORMAT = 1


def write_atomic(path: Path, content: str | bytes | list) -> None:
    """Write a file (text, bytes, or a list of pieces of bytes) so that readers see the old content or the
    new, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        text = isinstance(content, str)
        mode = {"mode": "w", "encoding": "utf-8", "newline": "\n"} if text else {"mode": "wb"}
        with os.fdopen(fd, **mode) as handle:
            if isinstance(content, list):
                handle.writelines(content)
            else:
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


def work_near(out_dir: Path) -> Path | None:
    """Where a build bound for out_dir writes its files first: the nearest folder that exists on the way
    to it, so that putting them in place is a rename on one file system (None: the system's temporary
    folder)."""
    for folder in out_dir.absolute().parents:
        if folder.is_dir():
            return folder if os.access(folder, os.W_OK) else None
    return None


def _put_atomic(path: Path, source: Path) -> None:
    """Put a copy of a written file at path, as write_atomic would write it: a hard link where both are on
    one file system (the source was made to be), else a copy into a file made for it (never through a
    name someone else may have put there)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp"
    try:
        try:
            os.link(source, tmp)  # fails, rather than follows, where the name is taken
        except OSError:
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            tmp = Path(name)
            with os.fdopen(fd, "wb") as out, source.open("rb") as given:
                shutil.copyfileobj(given, out, 1 << 20)
                out.flush()
                os.fsync(out.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write(result: BuildResult, out_dir: Path) -> list[Path]:
    """Write a built graph. Everything is serialised before the first file is replaced."""
    from ofsted_kg.graph import text_file

    # The graph's files, written by the build: put in place, each whole or not at all.
    written = {out_dir / MERGED: result.text.turtle, out_dir / NAMED: result.text.trig}
    # The text made of each PDF or spreadsheet, into which its evidence's offsets count.
    contents = {out_dir / text_file(doc): doc.text for doc in result.documents if doc.converted}
    for path, source in written.items():
        _put_atomic(path, source)
    for path, content in contents.items():
        write_atomic(path, content)
    contents = {**written, **contents}
    write_store(out_dir)
    write_atomic(out_dir / EXTRACTIONS, result.cache)
    return list(contents) + [out_dir / STORE]


def write_extractions(out_dir: Path, entries: list) -> None:
    write_atomic(out_dir / EXTRACTIONS, cache.dumps(entries))


def load_extractions(out_dir: Path) -> list:
    """What a build read from each document, in build order (cache.Entry)."""
    path = out_dir / EXTRACTIONS
    rebuild = "run 'ofsted-kg build' once, then add"
    if not graph_file(out_dir).exists():
        raise GraphError(f"{graph_file(out_dir)}: no built graph here (run 'ofsted-kg build' first)")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise GraphError(f"{path}: missing: this graph was built without it ({rebuild})") from None
    except OSError as exc:
        raise GraphError(f"{path}: cannot be read ({exc.strerror or exc}; {rebuild})") from None
    try:
        return cache.loads(data, path, lazily=True)
    except GraphError as error:
        raise GraphError(f"{error} ({rebuild})") from None


def known_extractions(out_dir: Path) -> tuple[dict, str | None]:
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
            dataset = Dataset()
            dataset.parse(path, format="trig")
            return merged(dataset)
        graph = Graph()
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many kinds of parse errors
        raise GraphError(f"{path}: not a readable RDF graph ({exc})") from None
    return graph


def write_store(out_dir: Path) -> None:
    """The merged graph (as the default graph) and the named graphs of a graph folder's files in an on-disk
    Oxigraph store, swapped
    in whole for the old one. (Oxigraph's union of named graphs repeats a triple once per graph that holds
    it, so queries run on the merged graph, kept as the default graph.)

    Its mark records the version that wrote it and which TriG it was made from, so that a store that
    is not the graph's (another version's, or left by an interrupted write) is never used.
    """
    import pyoxigraph as ox

    out_dir.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".store.", dir=out_dir))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(fresh, 0o777 & ~umask)  # mkdtemp makes folders private; a graph is for sharing
    try:
        store = ox.Store(str(fresh))
        store.bulk_load(path=str(out_dir / MERGED), format=ox.RdfFormat.TURTLE)
        store.bulk_load(path=str(out_dir / NAMED), format=ox.RdfFormat.TRIG)
        store.flush()
        del store  # closes the database before it is moved
        _mark(fresh, out_dir)
        target = out_dir / STORE
        old = None
        if target.exists() or target.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=".store-old.", dir=out_dir))
            os.replace(target, old / "store")
        os.replace(fresh, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if fresh.exists():
            shutil.rmtree(fresh, ignore_errors=True)


def update_store(out_dir: Path, graphs: dict, subjects: dict, written: dict | None = None) -> None:
    """Bring a graph folder's store up to date with its files, in place: `graphs` are the named graphs
    written anew (empty: removed), `subjects` the merged graph's subjects whose triples changed. Writing
    the whole store again takes minutes on a national graph; this takes what the change takes.

    Its mark goes first and comes back last: an interrupted update leaves a store without a mark, which
    is made again from the files when next opened, never used."""
    import pyoxigraph as ox

    from ofsted_kg.queries import oxigraph_term

    target = out_dir / STORE
    (target / STORE_MARK).unlink()
    store = ox.Store(str(target))
    for name, triples in graphs.items():
        graph = ox.NamedNode(str(name))
        if store.contains_named_graph(graph):
            store.remove_graph(graph)
        store.extend(ox.Quad(*map(oxigraph_term, triple), graph) for triple in triples)
    default = ox.DefaultGraph()
    for subject, triples in subjects.items():
        for quad in list(store.quads_for_pattern(oxigraph_term(subject), None, None, default)):
            store.remove(quad)
        store.extend(ox.Quad(*map(oxigraph_term, triple), default) for triple in triples)
    store.flush()
    del store
    _mark(target, out_dir, written)


def _mark(target: Path, out_dir: Path, written: dict | None = None) -> None:
    """Write the store's mark; `written` holds the files' content where it is at hand (not read again)."""
    written = written or {}
    mark = {
        "format": STORE_FORMAT,
        "ofsted-kg": __version__,
        "turtle": _fingerprint(out_dir / MERGED, written.get(out_dir / MERGED)),
        "trig": _fingerprint(out_dir / NAMED, written.get(out_dir / NAMED)),
    }
    write_atomic(target / STORE_MARK, json.dumps(mark, sort_keys=True) + "\n")


def _fingerprint(trig: Path, content: str | bytes | list | None = None) -> dict:
    import hashlib

    stat = trig.stat()
    digest = hashlib.sha256()
    if isinstance(content, bytes):
        digest.update(content)
    elif isinstance(content, list):  # the pieces the file was written from
        for piece in content:
            digest.update(piece)
    else:
        with trig.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest.hexdigest()}


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
    for name, key in ((MERGED, "turtle"), (NAMED, "trig")):
        recorded, path = mark.get(key) or {}, out_dir / name
        stat = path.stat()
        if recorded.get("size") == stat.st_size and recorded.get("mtime_ns") == stat.st_mtime_ns:
            continue
        if recorded.get("size") == stat.st_size and recorded.get("sha256") == _fingerprint(path)["sha256"]:
            continue  # the same graph, copied (the copy has other times)
        return f"has a store that was not made from its {name}"
    return None


def open_store(location: Path, notify=None):
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
    problem = _store_problem(location)
    if problem is not None:
        if notify:
            notify(f"{location} {problem}: making it from {MERGED} and {NAMED}")
        try:
            write_store(location)
        except (SyntaxError, ValueError) as exc:
            raise GraphError(f"{location / NAMED}: not a readable RDF dataset ({exc})") from None
        except OSError as exc:  # a folder we may not write: its files in memory this time, as the store has them
            if notify:
                notify(f"cannot write the store ({exc.strerror or exc}); reading {MERGED} and {NAMED} instead")
            return _in_memory(location / MERGED, location / NAMED)
    try:
        return ox.Store.read_only(str(location / STORE))
    except OSError as exc:
        raise GraphError(f"{location / STORE}: cannot be opened ({exc}); delete it and it is made again") from None


def _in_memory(path: Path, named: Path | None = None):
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


def file_names(dataset) -> dict:
    """The file name of each document whose named graph an Oxigraph store holds, by graph name."""
    import pyoxigraph as ox
    from rdflib import URIRef

    from ofsted_kg.namespaces import OKG

    return {
        URIRef(q.subject.value): q.object.value
        for q in dataset.quads_for_pattern(None, ox.NamedNode(str(OKG.fileName)), None, None)
        if isinstance(q.graph_name, ox.NamedNode)
    }


def write_update(result, out_dir: Path) -> list[Path]:
    """Write what `add` made (an incremental.AddResult): the same files a build writes."""
    contents = {out_dir / MERGED: result.turtle, out_dir / NAMED: result.trig}
    contents.update({out_dir / name: text for name, text in result.texts.items()})
    usable = _store_problem(out_dir) is None  # the store is the graph's as it was: change only what changed
    for path, content in contents.items():
        write_atomic(path, content)
    for name in result.stale_texts:
        (out_dir / name).unlink(missing_ok=True)
    if usable:
        update_store(out_dir, result.graphs, result.subjects, contents)
    else:
        write_store(out_dir)
    write_extractions(out_dir, result.entries)
    return list(contents) + [out_dir / STORE]

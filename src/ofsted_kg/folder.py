"""A graph folder's files replaced together: one graph per folder, always.

A graph is several files (the Turtle, the TriG, the store, the kept texts, the cache of extractions),
and no file system replaces several files at once. So a write goes in three steps:

1. every new file is written in full beside the old ones, under a temporary name, and synced;
2. a journal naming each replacement is written (atomically): this is the moment the new graph is
   decided; a writer killed before it leaves the old graph, and litter that the next writer removes;
3. the replacements are made, the manifest (each file's size and SHA-256) is written, and the
   journal is removed. A writer killed during this step leaves the journal, and whoever opens the
   folder next finishes the replacements from it (they are renames of files already complete), so
   no reader ever takes the files of two graphs for one.

Readers check the files against the manifest (sizes, and in `validate` their hashes) and refuse a
folder that does not match it. A lock file stops two writers at once.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TypedDict

from ofsted_kg.errors import GraphError

if TYPE_CHECKING:
    from types import TracebackType

MANIFEST = "ofsted-kg.manifest.json"
JOURNAL = ".ofsted-kg.pending.json"
LOCK = ".ofsted-kg.lock"
FORMAT = 1
_LITTER = (".*.tmp", ".store.*", ".store-old.*")


class FileDigest(TypedDict):
    """A file as the manifest records it."""

    sha256: str
    size: int


# What a file is written from: text, bytes, or a list of pieces of bytes (written one after the other).
Content = str | bytes | list[bytes | memoryview]


class Staged:
    """The new files of a graph being written into a folder, under temporary names until committed."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.moves: dict[str, str] = {}  # temporary name -> final name, both relative to out_dir
        self.removed: list[str] = []
        self.digests: dict[str, FileDigest] = {}  # final name -> its size and SHA-256
        self.decided = False  # whether the journal is written: from then on the write is made, not undone

    def __enter__(self) -> Staged:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is not None and not self.decided:  # failed before the journal: the old graph stays, whole
            for tmp in self.moves:
                path = self.out_dir / tmp
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)

    def temporary(self, name: str) -> Path:
        """A fresh temporary path for the file or folder that will be `name`."""
        tmp = self.out_dir / f".{Path(name).name}.{secrets.token_hex(8)}.tmp"
        self.moves[str(tmp.relative_to(self.out_dir))] = name
        return tmp

    def write(self, name: str, content: Content) -> Path:
        """Write a file's content (text, bytes, or a list of pieces of bytes) under a temporary name."""
        tmp = self.temporary(name)
        tmp.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        pieces = [content.encode("utf-8")] if isinstance(content, str) else content
        with _new_file(tmp) as out:
            for piece in [pieces] if isinstance(pieces, bytes | memoryview) else pieces:
                out.write(piece)
                digest.update(piece)
                size += len(piece)
        self.digests[name] = {"sha256": digest.hexdigest(), "size": size}
        return tmp

    def link(self, name: str, source: Path) -> Path:
        """Put a written file (of the same file system where possible: a hard link) under a temporary name."""
        tmp = self.temporary(name)
        try:
            os.link(source, tmp)
        except OSError:
            with _new_file(tmp) as out, source.open("rb") as given:
                shutil.copyfileobj(given, out, 1 << 20)
        self.digests[name] = digest_of(tmp)
        return tmp

    def folder(self, name: str) -> Path:
        """A temporary name for a folder (the store) that will be `name`; the caller makes it."""
        return self.temporary(name)

    def remove(self, name: str) -> None:
        self.removed.append(name)

    def commit(self, kept: Mapping[str, FileDigest] | None = None) -> None:
        """Replace the folder's files with the staged ones, all or (if killed before the journal) none.
        `kept`: the manifest entries of files the write leaves as they are."""
        for name in [*self.moves.values(), *self.removed]:  # (a folder whose texts/ links elsewhere, say)
            _inside(self.out_dir, name)
        files = {**(kept or {}), **self.digests}
        for name in self.removed:
            files.pop(name, None)
        journal = {
            "format": FORMAT,
            "moves": list(self.moves.items()),  # in the order staged: the Turtle first
            "removed": sorted(self.removed),
            "manifest": {"format": FORMAT, "files": dict(sorted(files.items()))},
        }
        _sync_folders(self.out_dir, {Path(tmp).parent for tmp in self.moves})
        _write_atomic(self.out_dir / JOURNAL, json.dumps(journal, indent=1) + "\n")
        self.decided = True
        finish(self.out_dir)


@contextlib.contextmanager
def _new_file(path: Path) -> Iterator[BinaryIO]:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # never through a name put there
    with os.fdopen(fd, "wb") as out:
        yield out
        out.flush()
        os.fsync(out.fileno())


def write_atomic(path: Path, content: Content) -> None:
    """Write a file (text, bytes, or a list of pieces of bytes) so that readers see the old content or the
    new, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        data = content.encode("utf-8") if isinstance(content, str) else content  # (as written: no newline changed)
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, list):
                handle.writelines(data)
            else:
                handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes files private; a graph is for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folders(path.parent, {Path(".")})


def _write_atomic(path: Path, text: str) -> None:
    write_atomic(path, text)  # (one name for the journal and the manifest, which tests replace)


def _sync_folders(out_dir: Path, relative: set[Path]) -> None:
    """Make the names in these folders durable (a rename is in the folder, not in the file)."""
    for folder in sorted(relative):
        with contextlib.suppress(OSError):
            fd = os.open(out_dir / folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def digest_of(path: Path) -> FileDigest:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return {"sha256": digest.hexdigest(), "size": size}


def finish(out_dir: Path) -> bool:
    """Make the replacements an interrupted write decided (its journal); False if there was none."""
    path = out_dir / JOURNAL
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
        moves, removed, manifest = journal["moves"], journal["removed"], journal["manifest"]
    except FileNotFoundError:
        return False
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise GraphError(
            f"{path}: an unreadable journal of an interrupted write ({error}); build the graph again"
        ) from None
    try:
        # A journal is read from the folder, which may come from anyone: it may name only files of the
        # folder, and only this project's temporary names as their sources.
        pairs = [(_inside(out_dir, tmp, temporary=True), _inside(out_dir, final)) for tmp, final in moves]
        gone = [_inside(out_dir, name) for name in removed]
        for name in manifest["files"]:
            _inside(out_dir, name)
    except (GraphError, ValueError, TypeError, KeyError) as error:
        raise GraphError(f"{path}: not a journal this project writes ({error}); build the graph again") from None
    for source, target in pairs:
        if not source.exists():
            continue  # made already, before an interruption
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir() and not target.is_symlink():  # a folder (the store) cannot be renamed over
            _replace(target, out_dir / f".store-old.{secrets.token_hex(8)}")
        _replace(source, target)
    for target in gone:
        target.unlink(missing_ok=True)
    _write_atomic(out_dir / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    path.unlink()
    _sync_folders(out_dir, {Path(".")})
    clean(out_dir)
    return True


_TEMPORARY = re.compile(r"\.[^/\\]+\.[0-9a-f]{16}\.tmp")


def _inside(out_dir: Path, name: object, temporary: bool = False) -> Path:
    """out_dir / name, where name is a file of the folder (GraphError otherwise): relative, with no '..',
    through no symbolic link; a temporary file is one of the names Staged gives, at the top."""
    if not isinstance(name, str) or not name or "\\" in name or "\0" in name:
        raise GraphError(f"{name!r} is not a file name")
    parts = name.split("/")
    if name.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise GraphError(f"{name!r} is not a name inside the folder")
    if temporary and not (len(parts) == 1 and _TEMPORARY.fullmatch(name)):
        raise GraphError(f"{name!r} is not a temporary file's name")
    path = out_dir
    for part in parts[:-1]:
        path = path / part
        if path.is_symlink():
            raise GraphError(f"{name!r} goes through a symbolic link")
    return out_dir / name


def _replace(source: Path, target: Path) -> None:
    os.replace(source, target)


def clean(out_dir: Path) -> None:
    """Remove what writes that were killed before their journal left behind (no journal names it)."""
    if (out_dir / JOURNAL).exists():
        return
    for pattern in _LITTER:
        for litter in out_dir.glob(pattern):
            if litter.is_dir() and not litter.is_symlink():
                shutil.rmtree(litter, ignore_errors=True)
            else:
                litter.unlink(missing_ok=True)
    texts = out_dir / "texts"
    if texts.is_dir():
        for litter in texts.glob(".*.tmp"):
            litter.unlink(missing_ok=True)


_held: set[str] = set()  # the folders whose lock this process holds (a write within a build or an add)


@contextlib.contextmanager
def writing(out_dir: Path) -> Iterator[None]:
    """Hold the folder's lock while a graph is written into it; another writer gets a message."""
    key = os.path.realpath(out_dir)
    if key in _held:
        yield
        return
    made = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(out_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as error:
        raise GraphError(f"{out_dir}: cannot be written ({error.strerror or error})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise GraphError(
                    f"{out_dir}: another ofsted-kg is writing this graph now (a build or an add); "
                    "run this again when it has finished"
                ) from None
            raise
        _held.add(key)
        finish(out_dir)
        clean(out_dir)
        yield
    finally:
        _held.discard(key)
        if made and [p.name for p in out_dir.iterdir()] == [LOCK]:  # nothing was written: no folder either
            (out_dir / LOCK).unlink()
            out_dir.rmdir()
        os.close(fd)  # (closing releases the lock)


def ready(out_dir: Path, thorough: bool = False) -> None:
    """Check that a graph folder holds one graph: an interrupted write is finished first (where the folder
    may be written), and every file the manifest names has its size (with `thorough`, its hash too).
    A folder without a manifest (written by an earlier version) is taken as it is."""
    if (out_dir / JOURNAL).exists():  # a write being made now (then the lock says so), or interrupted
        with writing(out_dir):
            pass  # (finishes it)
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
    except FileNotFoundError:
        return
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise GraphError(f"{out_dir / MANIFEST}: unreadable ({error}); build the graph again") from None
    if not isinstance(files, dict):
        raise GraphError(f"{out_dir / MANIFEST}: unreadable (no files); build the graph again")
    for name, expected in sorted(files.items()):
        try:
            path = _inside(out_dir, name)
            if not isinstance(expected, dict) or not isinstance(expected.get("size"), int):
                raise GraphError(f"{name!r} has no size")
        except GraphError as error:
            raise GraphError(f"{out_dir / MANIFEST}: not a manifest this project writes ({error})") from None
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise GraphError(f"{path}: not a regular file, though {MANIFEST} names it; build the graph again")
        try:
            size = path.stat().st_size
        except OSError:
            raise GraphError(f"{path}: missing, though {MANIFEST} names it; build the graph again") from None
        if size != expected.get("size"):
            raise GraphError(
                f"{path}: {size:,} bytes, where {MANIFEST} says {expected.get('size'):,}: the folder does not "
                "hold one graph (a damaged file, or part of another graph); build the graph again"
            )
        if thorough and digest_of(path)["sha256"] != expected.get("sha256"):
            raise GraphError(
                f"{path}: its content is not the one {MANIFEST} records (SHA-256): the folder does not hold "
                "one graph (a changed or damaged file); build the graph again"
            )


def manifest_files(out_dir: Path) -> dict[str, FileDigest]:
    """The manifest's entries (empty where there is none), as the file gives them: `ready` checks them."""
    try:
        files: dict[str, FileDigest] = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))["files"]
        return files
    except (OSError, ValueError, KeyError, TypeError):
        return {}

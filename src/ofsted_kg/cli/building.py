"""`build` and `add`: documents read into a graph folder, whole or added to it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ofsted_kg.cli.output import EXIT_INVALID, EXIT_OK, EXIT_REJECTED, REPORT_LIMIT, ProgressBar, plural
from ofsted_kg.cli.publishing import pushed
from ofsted_kg.cli.stores import where
from ofsted_kg.errors import DocumentError, GraphError

if TYPE_CHECKING:
    from ofsted_kg.documents import Document
    from ofsted_kg.validate import Report


def build_graph(args: argparse.Namespace) -> int:
    from ofsted_kg import folder
    from ofsted_kg.outputs import check_folder

    check_folder(args.out)
    with folder.writing(args.out):  # a second build or add into the folder meanwhile is refused
        return _build_locked(args)


def _build_locked(args: argparse.Namespace) -> int:
    from ofsted_kg import store
    from ofsted_kg.build import build

    sources: list[Path] = args.documents or [Path("seeds")]
    missing = [p for p in sources if not p.exists()]
    for path in missing:
        print(f"ofsted-kg: {path}: no such file or folder", file=sys.stderr)
    known, why_not = store.known_extractions(args.out)
    if why_not:
        print(f"ofsted-kg: {why_not}", file=sys.stderr)
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    try:
        result = build(
            [p for p in sources if p.exists()],
            progress=bar,
            known=known,
            workers=args.workers,
            scheduler=args.scheduler,
            workdir=store.work_near(args.out),
        )
    finally:
        if bar:
            bar.clear()
    _rejected(result.rejected)
    _skipped(result.notes)
    if result.stale:
        print(f"read again {plural(len(result.stale), 'document')} that other extractors had read", file=sys.stderr)
    if not result.documents:
        print("ofsted-kg: no document could be read; nothing was written", file=sys.stderr)
        return EXIT_REJECTED
    if _refused(
        result.report,
        f"the graph does not conform to the shapes, and no single document causes it; nothing was written to {args.out}",
    ):
        return EXIT_INVALID
    written = store.write(result, args.out)
    counts = ", ".join(f"{n} {name}" for name, n in result.counts().items())
    print(f"read {plural(len(result.documents), 'document')}, rejected {len(result.rejected) + len(missing)}")
    print(f"{result.triples()} triples: {counts}")
    frameworks = ", ".join(f"{n} {name}" for name, n in result.frameworks().items())
    print(f"inspections by framework: {frameworks or 'none'}; {plural(result.councils(), 'council')} covered")
    _warnings(result.report)
    for path in written:
        print(f"wrote {path}")
    return EXIT_REJECTED if result.rejected or missing else EXIT_OK


def add_documents(args: argparse.Namespace) -> int:
    from ofsted_kg import folder, store

    if not store.graph_file(args.graph).exists():
        raise GraphError(f"{store.graph_file(args.graph)}: no built graph here (run 'ofsted-kg build' first)")
    to = where(args, args.push) if args.push else None  # (a bad URL is said before any work)
    with folder.writing(args.graph):  # from reading the graph to writing it: no other writer between
        code = _add_locked(args)
    if to is not None and code != EXIT_INVALID:  # what changed, and what an earlier push left undone
        pushed(args.graph, to)
    return code


def _add_locked(args: argparse.Namespace) -> int:
    from ofsted_kg import store
    from ofsted_kg.incremental import add

    documents: list[Path] = args.documents
    missing = [p for p in documents if not p.exists()]
    for path in missing:
        print(f"ofsted-kg: {path}: no such file or folder", file=sys.stderr)
    result = add([p for p in documents if p.exists()], args.graph, workers=args.workers, scheduler=args.scheduler)
    _rejected(result.rejected)
    for path in result.unchanged:
        print(f"unchanged: {path}: already in the graph")
    _skipped(result.notes)
    failed = result.rejected or missing
    if not result.changed:
        print(f"nothing added; {store.graph_file(args.graph)} is as it was")
        return EXIT_REJECTED if failed else EXIT_OK
    if _refused(
        result.report,
        f"the graph would not conform to the shapes, and no new document alone causes it; nothing was written to {args.graph}",
    ):
        return EXIT_INVALID
    written = store.write_update(result, args.graph)
    for doc in result.added:
        replaced = next((old for old in result.replaced if old.name == doc.name), None)
        print(f"{'replaced' if replaced else 'added'} {doc.path}")
    again = {doc.sha256 for doc in result.reread}
    for doc in result.rewritten:
        why = "read again: other extractors had read it" if doc.sha256 in again else "its facts now resolve differently"
        print(f"rewritten {doc.name} ({why})")
    print(f"{plural(result.changed_subjects, 'subject')} changed and checked")
    _warnings(result.report)
    for path in written:
        print(f"wrote {path}")
    return EXIT_REJECTED if failed else EXIT_OK


# What build and add say alike: the documents left out, a graph refused, the sources that disagree.
def _rejected(rejected: Sequence[DocumentError]) -> None:
    for error in rejected:
        print(f"rejected: {error}", file=sys.stderr)


def _skipped(notes: Sequence[tuple[Document, str]]) -> None:
    for doc, note in notes:
        print(f"skipped: {doc.path}: {note}", file=sys.stderr)


def _refused(report: Report, why: str) -> bool:
    """Whether the graph breaks the shapes (and so is not written): if so, why, and the report."""
    if report.conforms:
        return False
    print(f"ofsted-kg: {why}", file=sys.stderr)
    print(report.text(REPORT_LIMIT), file=sys.stderr)
    return True


def _warnings(report: Report) -> None:
    if report.warnings:
        print(f"{plural(len(report.warnings), 'warning')} (sources that disagree; see 'ofsted-kg validate'):")
        print(report.text(REPORT_LIMIT))

"""`validate`: a built graph checked against the SHACL shapes, and the report printed."""

from __future__ import annotations

import argparse

from ofsted_kg.cli.output import EXIT_INVALID, EXIT_OK, REPORT_LIMIT, plural, say


def validate_graph(args: argparse.Namespace) -> int:
    from ofsted_kg import store

    if (args.graph / store.NAMED).is_file():  # a graph folder: charged to documents, as a build checks it
        from ofsted_kg import folder
        from ofsted_kg.quarantine import check
        from ofsted_kg.rdf.reference_graph import REFERENCE_GRAPH
        from ofsted_kg.validate import Report

        folder.ready(args.graph, thorough=True)  # every file is the one the graph's manifest records
        dataset = store.open_store(args.graph, notify=say)
        found = check(dataset, REFERENCE_GRAPH, store.file_names(dataset)).results()
        report = Report(tuple(sorted(set(found), key=lambda r: (r.severity, r.focus, r.path, r.message, r.value))))
    else:
        from ofsted_kg.validate import validate

        report = validate(store.load(args.graph))
    if report.results:
        print(report.text(None if args.all else REPORT_LIMIT))
    verdict = "conforms" if report.conforms else "does not conform"
    print(
        f"{store.graph_file(args.graph)}: {verdict} "
        f"({plural(len(report.violations), 'violation')}, {plural(len(report.warnings), 'warning')})"
    )
    return EXIT_OK if report.conforms else EXIT_INVALID

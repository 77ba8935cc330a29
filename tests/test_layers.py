"""The package's layers: no module imports from a stage above its own, and no module grows past a size one
can read. The stages follow the data: documents -> text -> extraction -> facts -> graph -> validate -> build
-> store -> query / export -> viz -> web -> cli. Every module is read with ast, not imported, and every import
counts (at the top, inside a function, or only for type checking)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "ofsted_kg"

STAGES = ("base", "documents", "facts", "extract", "graph", "validate", "build", "store", "query", "viz", "web", "cli")
BASE, DOCUMENTS, FACTS, EXTRACT, GRAPH, VALIDATE, BUILD, STORE, QUERY, VIZ, WEB, CLI = range(len(STAGES))
# The stage of each module, by the longest prefix of its dotted name (within ofsted_kg) that is listed.
STAGE = {
    # What every stage may use: errors and limits, names and identifiers, text and dates, the councils and
    # the reference schemes, guards, files, the converters of terms, and the deterministic writers of RDF
    # text (export.py: build and store write with them; it imports nothing but namespaces and resources).
    "": BASE,  # the package itself (__version__)
    "errors": BASE,
    "limits": BASE,
    "resources": BASE,
    "data": BASE,
    "namespaces": BASE,
    "text": BASE,
    "iris": BASE,
    "councils": BASE,
    "reference": BASE,
    "forking": BASE,
    "memory": BASE,
    "guard": BASE,
    "bounded": BASE,
    "pool": BASE,
    "folder": BASE,
    "outputs": BASE,
    "terms": BASE,
    "export": BASE,
    "documents": DOCUMENTS,
    "pdftext": DOCUMENTS,
    "spreadsheet": DOCUMENTS,
    # The facts are what extraction yields and the graph reads: both stages see them (and their cache).
    "facts": FACTS,
    "cache": FACTS,
    "extract": EXTRACT,
    "reading": EXTRACT,
    "graph": GRAPH,
    "graph_text": GRAPH,
    "rdf": GRAPH,
    "preferences": GRAPH,
    "derived": GRAPH,
    "validate": VALIDATE,
    "shacl": VALIDATE,
    "quarantine": VALIDATE,
    "build": BUILD,
    "store": STORE,
    "incremental": STORE,
    "in_memory": STORE,
    "queries": QUERY,
    "inlined": QUERY,
    "remote": QUERY,
    "results": QUERY,
    "stored": QUERY,
    "push": QUERY,
    "viz": VIZ,
    "web": WEB,
    "cli": CLI,
    "__main__": CLI,
}
# Lower stages a stage must not import all the same: the graph reads the facts, never the extractors; the
# side that answers queries loads none of the pipeline that builds (store.py imports build to type only).
APART = {
    GRAPH: {EXTRACT},
    QUERY: {EXTRACT, GRAPH, VALIDATE, BUILD},
    VIZ: {EXTRACT, GRAPH, VALIDATE, BUILD},
    WEB: {EXTRACT, GRAPH, VALIDATE, BUILD},
}

LIMIT = 450  # lines
UNLIMITED: tuple[str, ...] = ()  # (the command line and the server were, until split by job)
OVER_LIMIT: set[str] = set()  # modules known to be longer still, to be split (none since graph.py was)


def modules() -> dict[str, Path]:
    """Each module's dotted name within the package ('' for the package itself) and its file."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def stage(name: str) -> int:
    parts = name.split(".") if name else []
    for n in range(len(parts), -1, -1):
        if ".".join(parts[:n]) in STAGE:
            return STAGE[".".join(parts[:n])]
    raise KeyError(name)


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of the package that a module imports, by their dotted names within it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's package up
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(["ofsted_kg", *base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            # 'from ofsted_kg import store' imports a module; 'from ofsted_kg import __version__' a name.
            targets = [f"{module}.{alias.name}" for alias in node.names]
            targets = [t if t.removeprefix("ofsted_kg.") in known else module for t in targets]
        else:
            continue
        for target in targets:
            if target == "ofsted_kg" or target.startswith("ofsted_kg."):
                local = target.removeprefix("ofsted_kg").removeprefix(".")
                while local and local not in known:  # a name imported from a module, not a module
                    local = local.rpartition(".")[0]
                found.add(local)
    return found


def wrong_imports(known: dict[str, Path]) -> list[str]:
    wrong = []
    for name, path in known.items():
        own = stage(name)
        for target in sorted(imported(name, path, known)):
            theirs = stage(target)
            if theirs > own or theirs in APART.get(own, ()):
                wrong.append(
                    f"{name or 'ofsted_kg'} ({STAGES[own]}) imports {target or 'ofsted_kg'} ({STAGES[theirs]})"
                )
    return wrong


def test_every_module_has_a_stage():
    assert [name for name in modules() if not _has_stage(name)] == []


def _has_stage(name: str) -> bool:
    try:
        stage(name)
    except KeyError:
        return False
    return True


def test_no_module_imports_from_a_stage_above_its_own():
    assert wrong_imports(modules()) == []


def test_an_import_from_above_is_found(tmp_path):
    """The check itself: an extractor that imports the graph, and a graph module that imports an extractor,
    are caught."""
    known = dict(modules())
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from ofsted_kg.graph import build_dataset\n", encoding="utf-8")
    known["extract.bad"] = bad
    worse = tmp_path / "worse.py"
    worse.write_text("from ofsted_kg.extract import services\n", encoding="utf-8")
    known["rdf.worse"] = worse
    assert [w for w in wrong_imports(known) if w.startswith(("extract.bad ", "rdf.worse "))] == [
        "extract.bad (extract) imports graph (graph)",
        "rdf.worse (graph) imports extract.services (extract)",
    ]


def test_no_module_is_too_long_to_read():
    lengths = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()}
    held = {name: n for name, n in lengths.items() if name.split(".")[0] not in UNLIMITED and name not in OVER_LIMIT}
    assert {name: n for name, n in held.items() if n > LIMIT} == {}, "split these by job, as graph.py was into rdf/"


def test_every_package_of_the_source_is_shipped():
    """setuptools lists the packages by name: a new one left off the list (as cli/ once was) imports from a
    checkout but is missing from a wheel."""
    import tomllib

    setup = tomllib.loads((PACKAGE.parent.parent / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    on_disk = {
        ".".join(("ofsted_kg", *init.parent.relative_to(PACKAGE).parts))
        for init in PACKAGE.rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert on_disk - set(setup["packages"]) == set()

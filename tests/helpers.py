"""Small readers of a built graph, for assertions written from reading the documents."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from ofsted_kg.namespaces import ID, OKG, SCHEMA

# Every quote with its document's file name and offsets, to check each against the text.
QUOTES = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX okg: <https://w3id.org/ofsted-kg/def#>
SELECT ?file ?exact ?start ?end WHERE {
    ?target oa:hasSource ?doc ; oa:hasSelector ?q, ?p .
    ?doc okg:fileName ?file .
    ?q a oa:TextQuoteSelector ; oa:exact ?exact .
    ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
}"""


def local(iri) -> str:
    return str(iri).replace(str(ID), "")


def judgements(graph: Graph) -> set[tuple[str, str, str]]:
    """(inspection, area notation, grade notation) of every judgement."""
    out = set()
    for j in graph.subjects(RDF.type, OKG.Judgement):
        for grade in graph.objects(j, OKG.grade):
            out.add(
                (
                    local(graph.value(j, OKG.inspection)),
                    str(graph.value(graph.value(j, OKG.area), SKOS.notation)),
                    str(graph.value(grade, SKOS.notation)),
                )
            )
    return out


def texts(graph: Graph, cls) -> dict[int, set[str]]:
    """number -> texts of the resources of a class that carry a number."""
    out: dict[int, set[str]] = {}
    for node in graph.subjects(RDF.type, cls):
        number = graph.value(node, OKG.number)
        out.setdefault(int(number), set()).update(str(t) for t in graph.objects(node, SCHEMA.text))
    return out


def of_class(graph: Graph, cls) -> set:
    return set(graph.subjects(RDF.type, cls))


def graph_files(folder) -> dict[str, bytes]:
    """Every file of a built graph by its path inside the folder, but the cache (and its line in the
    manifest); the on-disk store (whose database files differ from one write to the next) by what it
    holds: its quads, sorted."""
    import json

    import pyoxigraph as ox

    files = {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".cache" not in p.parts and "store" not in p.relative_to(folder).parts[:1]
    }
    if "ofsted-kg.manifest.json" in files:
        manifest = json.loads(files["ofsted-kg.manifest.json"])
        manifest["files"].pop(".cache/extractions.json.gz", None)
        files["ofsted-kg.manifest.json"] = json.dumps(manifest, sort_keys=True).encode()
    store = ox.Store.read_only(str(folder / "store"))
    lines = sorted(str(q) for q in store.quads_for_pattern(None, None, None, None))
    del store
    files["store (its quads)"] = "\n".join(lines).encode()
    return files


def shape_fixture_graph(shapes_dir, update=None) -> Graph:
    """The valid shape fixture with the reference schemes, changed by an update (a failing fixture) if given."""
    from ofsted_kg.resources import ontology_file

    graph = Graph()
    graph.parse(shapes_dir / "valid.ttl", format="turtle")
    graph.parse(ontology_file("schemes.ttl"), format="turtle")
    if update is not None:
        graph.update(update.read_text(encoding="utf-8"))
    return graph


_STORES: dict[int, tuple[Graph, object]] = {}


def select(graph: Graph, text: str) -> list[tuple]:
    """The rows of a SPARQL query as Oxigraph (the engine the product runs queries on) answers it over an
    rdflib graph, each value an rdflib term (None where unbound). rdflib's own engine is far slower on
    the saved queries; one parity check (test_queries) keeps the two in step."""
    import pyoxigraph as ox

    from ofsted_kg.terms import rdflib_term

    cached = _STORES.get(id(graph))
    if cached is None or cached[0] is not graph:
        store = ox.Store()
        store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        cached = _STORES[id(graph)] = (graph, store)
    return [tuple(rdflib_term(value) for value in row) for row in cached[1].query(text)]


def browse(url: str, profile, *, local_server: bool = False, budget_ms: int = 5000) -> str:
    """A page's DOM once its scripts have run, in headless Chromium (Debian's) with the network cut off:
    every host name resolves to nothing, but for 127.0.0.1 when the page comes from a local server."""
    import subprocess

    chromium, rules = _chromium(local_server)
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
        f"--host-resolver-rules={rules}", f"--virtual-time-budget={budget_ms}", "--dump-dom",
    ]  # fmt: skip
    return subprocess.run([chromium, *flags, url], capture_output=True, text=True, timeout=120).stdout


def inspect(url: str, profile, expression: str, *, local_server: bool = True, seconds: float = 30) -> dict:
    """A page loaded in headless Chromium (Debian's) with the network cut off as browse() cuts it, driven over
    the DevTools protocol (on a pipe): the value of a JavaScript expression once the page has loaded, the
    errors it reported (exceptions, console errors, failed loads) and every URL it requested."""
    import json
    import os
    import subprocess
    import time

    chromium, rules = _chromium(local_server)
    commands, theirs_in = os.pipe()  # we write commands; Chromium reads them on its fd 3
    theirs_out, answers = os.pipe()  # Chromium writes on its fd 4; we read

    def descriptors() -> None:  # (in the child: the pipe's ends as fds 3 and 4, whatever they were)
        high = os.dup(commands), os.dup(answers)
        os.dup2(high[0], 3)
        os.dup2(high[1], 4)

    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", f"--host-resolver-rules={rules}",
        "--remote-debugging-pipe", "--window-size=1280,2000",
    ]  # fmt: skip
    process = subprocess.Popen([chromium, *flags], pass_fds=(3, 4), preexec_fn=descriptors,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    os.close(commands)
    os.close(answers)
    reader = os.fdopen(theirs_out, "rb")
    writer = os.fdopen(theirs_in, "wb")
    events: list[dict] = []
    counter = iter(range(1, 1_000_000))
    buffer = b""
    deadline = time.monotonic() + seconds

    def message() -> dict:
        nonlocal buffer
        while b"\0" not in buffer:
            assert time.monotonic() < deadline, "Chromium did not answer in time"
            chunk = os.read(reader.fileno(), 1 << 16)
            assert chunk, "Chromium closed its pipe"
            buffer += chunk
        line, buffer = buffer.split(b"\0", 1)
        return json.loads(line)

    def send(method: str, params: dict | None = None, session: str | None = None) -> dict:
        number = next(counter)
        command = {"id": number, "method": method, "params": params or {}}
        if session:
            command["sessionId"] = session
        writer.write(json.dumps(command).encode() + b"\0")
        writer.flush()
        while True:
            got = message()
            if got.get("id") == number:
                assert "error" not in got, got
                return got["result"]
            events.append(got)

    try:
        target = send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            send(f"{domain}.enable", session=session)
        send("Page.navigate", {"url": url}, session=session)
        while not any(e.get("method") == "Page.loadEventFired" for e in events):
            events.append(message())
        value = send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
        errors = [
            e["params"]
            for e in events
            if e.get("method") in ("Runtime.exceptionThrown", "Network.loadingFailed")
            or (e.get("method") == "Runtime.consoleAPICalled" and e["params"].get("type") == "error")
            or (e.get("method") == "Log.entryAdded" and e["params"]["entry"].get("level") == "error")
        ]
        requested = [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]
        return {"value": value["result"].get("value"), "errors": errors, "requested": requested}
    finally:
        process.kill()  # (our own child, by its handle)
        process.wait(timeout=30)
        reader.close()
        writer.close()


def _chromium(local_server: bool) -> tuple[str, str]:
    """Debian's Chromium (a test without it fails on CI, is skipped elsewhere), and the host rules that cut
    the network off: every name resolves to nothing, but for 127.0.0.1 when the page comes from a local
    server."""
    import os
    import shutil

    import pytest

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium)")
        pytest.skip("chromium is not installed")
    return chromium, "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" if local_server else "MAP * ~NOTFOUND"


# The words a fixture of facts read by hand quotes from its document, wherever they stand.
VERBATIM = {"quote", "text", "sentence", "words", "claim"}


def quoted_words(value: object, found: list[str]) -> None:
    """Every quoted string of a fixture (fixtures/other-documents/README), but a table cell's lines
    (`cell_lines`), which its test checks line by line."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in VERBATIM and isinstance(item, str):
                found.append(item)
            elif key != "cell_lines":
                quoted_words(item, found)
    elif isinstance(value, list):
        for item in value:
            quoted_words(item, found)


def unknown_councils(expected: dict) -> list[str]:
    """The GSS codes a fixture names (its council, its inspections' and judgements') that the lookup lacks."""
    from ofsted_kg.councils import load_councils

    councils = load_councils()
    named = [expected["council"]["gss"]]
    named += [x["council_gss"] for x in expected.get("inspections", []) + expected.get("judgements", [])]
    return [gss for gss in named if councils.by_gss(gss) is None]

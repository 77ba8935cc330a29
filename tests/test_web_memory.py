"""`ofsted-kg serve` reads the graph into memory once it has started, and then makes its pages and saved
queries from there (web/app.py, store.load_merged): the same pages, from the same graph."""

from __future__ import annotations

import shutil
import time
from urllib.parse import urlencode

from starlette.testclient import TestClient

from ofsted_kg.web.app import create_app

PAGES = [
    "/id/council/E08000031",
    "/id/inspection/E08000031-2022",
    "/id/inspection/E08000031-2022/judgement/ilacs-leaders",
    "/queries/council-timeline?council=Wolverhampton",
    "/queries/neighbours?council=E08000031&format=csv",
    "/queries/judgements?format=csv",
    "/sparql?"  # the endpoint's, of the default graph
    + urlencode(
        {"query": "SELECT ?j ?g WHERE { ?j <https://w3id.org/ofsted-kg/def#grade> ?g } ORDER BY ?j", "format": "csv"}
    ),
]


def _served_copy(built, tmp_path):
    """An app over a copy of the seed graph's folder, told to read it into memory: the app, the copy's
    merged graph file, and what the app says."""
    copy = tmp_path / "graph"
    shutil.copytree(built, copy)
    said: list[str] = []
    return create_app(copy, in_memory=True, notify=said.append), copy / "ofsted-kg.ttl", said


def _when(condition, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_the_pages_made_from_the_graph_in_memory_are_the_pages_made_on_disk(built):
    said: list[str] = []
    in_memory = create_app(built, in_memory=True, notify=said.append)
    with TestClient(create_app(built)) as client:
        on_disk = {path: client.get(path) for path in PAGES}
    with TestClient(in_memory) as client:
        assert _when(lambda: in_memory.state.in_memory), said
        from_memory = {path: client.get(path) for path in PAGES}
        # The pages' and the endpoint's lanes answer from the in-memory store now; a query that names the
        # documents' graphs from the store on disk, which alone holds them.
        assert not list(in_memory.state.answers.store.named_graphs())  # (the merged graph alone)
        assert not list(in_memory.state.endpoint.store.named_graphs())  # the endpoint's, but for GRAPH:
        named = client.get(
            "/sparql",
            params={"query": "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "format": "csv"},
        )
    assert [message for message in said if message.startswith("the graph is in memory")], said
    for path in PAGES:
        assert from_memory[path].status_code == on_disk[path].status_code == 200, path
        assert from_memory[path].text == on_disk[path].text, path
    assert int(named.text.split()[1]) > 1  # the named graphs are still there to ask


def test_a_graph_file_changed_since_its_store_was_made_is_not_read_into_memory(built, tmp_path):
    # The server opens the store and the merged graph's file together; should the file be written over in
    # place meanwhile (not as a build replaces it, by a new file), what it reads is not the store's graph.
    app, merged, said = _served_copy(built, tmp_path)
    text = merged.read_bytes()
    with merged.open("r+b") as handle:  # the same file, so the server's open handle reads it
        handle.write(text.replace(b"Wolverhampton", b"Wolverhamptom", 1))
    with TestClient(app) as client:
        assert _when(lambda: bool(said)), "the server never said how reading the graph went"
        page = client.get("/id/council/E08000031")
    assert said == [
        "the pages are made from the on-disk store: ofsted-kg.ttl is no longer the file the graph's store was "
        "made from (built again?)"
    ]
    assert not app.state.in_memory
    assert page.status_code == 200 and "Wolverhampton" in page.text and "Wolverhamptom" not in page.text


def test_a_graph_built_again_while_it_is_served_is_not_mixed_with_the_one_served(built, tmp_path):
    # A build replaces the folder's files by new ones: the server goes on reading the file it opened.
    app, merged, said = _served_copy(built, tmp_path)
    replacement = tmp_path / "new.ttl"
    replacement.write_bytes(merged.read_bytes().replace(b"Wolverhampton", b"Wolverhamptom"))
    replacement.replace(merged)
    with TestClient(app) as client:
        assert _when(lambda: app.state.in_memory), said
        page = client.get("/id/council/E08000031")
    assert "Wolverhampton" in page.text and "Wolverhamptom" not in page.text


def test_a_graph_that_would_take_more_than_half_the_memory_there_is_stays_on_disk(built, monkeypatch):
    # (a graph folder may come from anyone: however large its graph, the server goes on from its store)
    from ofsted_kg import in_memory as graph_in_memory
    from ofsted_kg import memory

    size = (built / "ofsted-kg.ttl").stat().st_size
    monkeypatch.setattr(memory, "available", lambda: 2 * size * graph_in_memory.BYTES_PER_BYTE_READ - 2)
    said: list[str] = []
    app = create_app(built, in_memory=True, notify=said.append)
    assert len(said) == 1 and said[0].startswith("the pages are made from the on-disk store: ofsted-kg.ttl would take")
    assert "more than half of the" in said[0]
    with TestClient(app) as client:
        page = client.get("/id/council/E08000031")
    assert page.status_code == 200 and "Wolverhampton" in page.text and not app.state.in_memory
    # Just enough memory: read in.
    monkeypatch.setattr(memory, "available", lambda: 2 * size * graph_in_memory.BYTES_PER_BYTE_READ)
    said.clear()
    app = create_app(built, in_memory=True, notify=said.append)
    with TestClient(app):
        assert _when(lambda: app.state.in_memory), said

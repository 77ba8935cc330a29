"""Views of the graph as networkx graphs, and their drawings: HTML in a headless browser, SVG, GraphML, GEXF."""

from __future__ import annotations

import io
import json
import re

import networkx as nx
import pytest

from ofsted_kg import iris
from ofsted_kg.cli import EXIT_OK, main
from ofsted_kg.extract.services import key
from ofsted_kg.viz import network, render

from helpers import browse


def service(name: str) -> str:
    return str(iris.service("E08000031", key(name)))


@pytest.fixture(scope="module")
def services(seed_build):
    return network.services_view(seed_build.graph, "E08000031")


def test_the_services_view_holds_what_the_documents_state(services):
    edge = lambda a, b: services.edges[a, b]["relation"]  # noqa: E731
    assert edge(service("MASH24"), service("Multi-Agency Safeguarding Hub")) == "combines"
    assert edge(service("MASH24"), service("emergency duty team")) == "combines"
    hubs = service("Strengthening Families Hubs")
    professions = {
        services.nodes[n]["label"] for n in services.successors(hubs) if services.nodes[n]["kind"] == "profession"
    }
    assert professions == {"social worker", "health visitor", "midwife", "early intervention worker"}
    assert services.nodes["https://w3id.org/ofsted-kg/def/children/in-care"]["label"] == "children in care"
    assert edge(service("virtual school"), "https://w3id.org/ofsted-kg/def/children/in-care") == "serves"
    mash24 = services.nodes[service("MASH24")]
    assert mash24["kind"] == "hub" and mash24["documents"] == "004_2e199a0b395a00af.txt" and mash24["quote"]
    assert (
        "combined MASH and emergency duty team"
        in services.edges[service("MASH24"), service("emergency duty team")]["quote"]
    )
    # Services that no sentence relates to anything are drawn too.
    assert service("Adoption Support Fund") in services


def test_the_inspections_view(seed_build):
    view = network.inspections_view(seed_build.graph, "E08000031")
    council = str(iris.council("E08000031"))
    assert sorted(view.nodes[n]["label"] for n in view.successors(council)) == [
        "Wolverhampton inspection 2011", "Wolverhampton inspection 2017", "Wolverhampton inspection 2022"
    ]  # fmt: skip
    i2022 = str(iris.inspection("E08000031", 2022))
    labels = {view.nodes[n]["label"] for n in view.successors(i2022)}
    assert "The impact of leaders on social work practice with children and families: Outstanding" in labels
    assert {f"Area for improvement {n}" for n in range(1, 6)} <= labels and "Andy Waugh" in labels
    action = str(iris.action(iris.action_plan(iris.inspection("E08000031", 2017)), "recommendation-2"))
    assert {view.nodes[n]["label"] for n in view.successors(action)} >= {"Recommendation 2", "Helena Kucharczyk"}
    assert view.nodes[action]["kind"] == "action"
    only_2022 = network.inspections_view(seed_build.graph, "E08000031", 2022)
    assert {d["label"] for _, d in only_2022.nodes(data=True) if d["kind"] == "inspection"} == {
        "Wolverhampton inspection 2022"
    }


def test_a_construct_query_of_ones_own(seed_build):
    from ofsted_kg.namespaces import OKG

    query = "CONSTRUCT { ?i <%s> ?p } WHERE { ?i <%s> ?p }" % (OKG.leadInspector, OKG.leadInspector)
    view = network.construct_view(seed_build.graph, seed_build.graph.query(query).graph)
    assert sorted(d["label"] for _, d in view.nodes(data=True) if d["kind"] == "person") == [
        "Andy Waugh",
        "Nigel Parkes",
    ]
    assert {d["relation"] for *_, d in view.edges(data=True)} == {"lead inspector"}


def test_graphml_and_gexf_read_back(services):
    for text, reader in ((render.graphml(services), nx.read_graphml), (render.gexf(services), nx.read_gexf)):
        back = reader(io.BytesIO(text.encode("utf-8")))
        assert set(back.nodes) == set(services.nodes)
        assert set(back.edges) == set(services.edges)
        node = service("MASH24")
        for attribute in ("label", "kind", "iri", "documents"):
            assert str(back.nodes[node][attribute]) == services.nodes[node][attribute]


def test_svg_is_deterministic_and_has_a_legend(services):
    first = render.svg(services, "Services")
    assert first == render.svg(nx.DiGraph(services), "Services")
    assert first.count("<g>") >= services.number_of_nodes() and '<g id="legend">' in first
    assert ">MASH24</text>" in first and ">virtual school</text>" in first


def test_the_page_needs_no_network(services):
    page = render.page(services, "Services")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<script src" not in page and "<link" not in page


def _chromium(url: str, tmp_path) -> str:
    return browse(url, tmp_path / "profile")


def test_the_page_works_in_a_headless_browser(tmp_path, services):
    path = tmp_path / "services.html"
    path.write_text(render.page(services, "Services"), encoding="utf-8")
    dom = _chromium(path.as_uri() + "#check", tmp_path)
    assert 'data-ready="true"' in dom
    assert re.search(r'<pre id="errors" hidden="">\s*</pre>', dom), "the page's script reported errors"
    for label in ("MASH24", "virtual school", "Strengthening Families Hubs", "children in care"):
        assert f'data-label="{label}"' in dom
    check = json.loads(re.search(r'data-check="([^"]*)"', dom).group(1).replace("&quot;", '"'))
    assert check["matched"] >= 1 and check["focused"] == 1 and check["dimmed"] > 0 and check["hidden"] >= 1


def test_the_viz_command(tmp_path, capsys, seed_build):
    from ofsted_kg import store

    built = tmp_path / "graph"
    store.write(seed_build, built)
    out = tmp_path / "pictures"
    args = ["viz", "services", "--council", "E08000031", "--graph", str(built), "--out", str(out)]
    assert main([*args, "--format", "html", "--format", "svg", "--format", "graphml", "--format", "gexf"]) == EXIT_OK
    printed = capsys.readouterr().out.splitlines()
    # 49: the BBC article's "two children's centres" the council closed are a service (general vocabulary).
    assert printed[0] == f"wrote {out / 'services.html'} (49 nodes, 17 links)"
    assert sorted(p.name for p in out.iterdir()) == [
        "services.gexf",
        "services.graphml",
        "services.html",
        "services.svg",
    ]
    assert (
        main(
            ["viz", "inspections", "--inspection", "2017", "--graph", str(built), "--out", str(out), "--format", "svg"]
        )
        == EXIT_OK
    )
    assert "inspections.svg" in capsys.readouterr().out


def test_png_on_request(services):
    try:  # the optional 'png' extra, which .ci/run installs; it needs the system's cairo library
        import cairosvg  # noqa: F401
    except (ImportError, OSError):
        pytest.skip("cairosvg (the png extra) or its cairo library is not installed")
    png = render.png(services, "Services")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000

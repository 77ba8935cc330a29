"""Benchmark: each view drawn as a whole process, and the page's pan and zoom with 2,000 nodes.

Targets (issue 5): each view of the seed graph renders in at most 3 s as a whole process; the page
stays usable (pans and zooms) with 2,000 nodes. Needs Debian's chromium for the page.
Run: python benchmarks/viz.py [--graph graph]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from ofsted_kg.viz import render


def synthetic(nodes: int, seed: int = 1) -> nx.DiGraph:
    """A graph of the shape of a big corpus' services: kinds, labels, evidence, a few links each."""
    rng = random.Random(seed)
    kinds = ["hub", "team", "board or governance group", "project or programme", "service", "children", "profession"]
    g = nx.DiGraph()
    for i in range(nodes):
        g.add_node(
            f"n{i}",
            label=f"Service {i}",
            kind=rng.choice(kinds),
            iri=f"urn:n{i}",
            documents="report.txt",
            quote="a quote",
        )
    for _ in range(int(nodes * 1.5)):
        a, b = rng.randrange(nodes), rng.randrange(nodes)
        if a != b:
            g.add_edge(
                f"n{a}",
                f"n{b}",
                relation=rng.choice(["works with", "serves", "combines"]),
                documents="report.txt",
                quote="q",
            )
    return g


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, default=Path("graph"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        for view in ("services", "inspections"):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "ofsted_kg", "viz", view, "--graph", str(args.graph), "--out", out],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            print(f"viz {view}: {time.perf_counter() - start:.2f} s whole process (target <= 3)")
        big = synthetic(2000)
        start = time.perf_counter()
        page = render.page(big, "2,000 nodes")
        print(
            f"layout and page of 2,000 nodes, {big.number_of_edges()} links: {time.perf_counter() - start:.2f} s, {len(page) // 1024} KiB"
        )
        path = Path(out) / "big.html"
        path.write_text(page, encoding="utf-8")
        chromium = shutil.which("chromium")
        if chromium is None:
            print("chromium not installed: page not measured")
            return 0
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 f"--user-data-dir={out}/profile", "--host-resolver-rules=MAP * ~NOTFOUND", "--dump-dom"]  # fmt: skip
        start = time.perf_counter()
        dom = subprocess.run([chromium, *flags, path.as_uri()], capture_output=True, text=True, timeout=300).stdout
        print(
            f"page loaded and scripted in a headless browser: {time.perf_counter() - start:.2f} s, ready: {'data-ready' in dom}"
        )
        dom = subprocess.run([chromium, *flags, "--virtual-time-budget=60000", path.as_uri() + "#bench"],
                             capture_output=True, text=True, timeout=300).stdout  # fmt: skip
        frame = re.search(r'data-bench="([\d.]+)"', dom)
        print(f"pan and zoom with 2,000 nodes: {frame.group(1) if frame else '?'} ms a frame (60 frames)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

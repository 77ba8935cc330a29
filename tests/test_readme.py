"""The README's examples, run: every command it shows with its output is run and the output compared.

A fenced block of README.md that holds lines starting with `$ ` shows commands and their output: each
`$ ` line is a command (continued on the next line after a trailing backslash, or while a quoted
argument is open), and the lines after it, up to the next command or the end of the block, are what it
prints (standard output and standard error, as a terminal shows them). Each `ofsted-kg ...` command is
run as `python -m ofsted_kg ...` in a folder laid out like a fresh checkout, whose graph/ is built by
the README's own first command, once per session; those that need ../shared/corpus run with
`-m corpus`; the few that cannot run here are in SKIPPED, with the reason. A block added to the README
is run, or this test fails until it is listed.

The README shows the first rows of a saved query's CSV answer, not all of it: a cell longer than CUT
characters is cut to CUT - 1 and "…", and a last line "... (N rows in all)" stands for the rows left
out, whose number is checked.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

import ofsted_kg

from conftest import CORPUS_BUILD_SOURCES, ROOT, SEEDS, build_command

README = ROOT / "README.md"

# The width the README's --help blocks were made at: argparse wraps its help at COLUMNS - 2 (78
# characters, the longest lines of those blocks), and reads COLUMNS before the terminal's size.
HELP_COLUMNS = "80"

# A cell of a query's CSV answer longer than this is shown cut to CUT - 1 characters and "…".
CUT = 45

# The first command of the README: it builds graph/ from seeds/ in a fresh checkout.
BUILD = "ofsted-kg build"

# Commands shown with their output that are not run here, and why.
SKIPPED = {
    "ofsted-kg serve --graph graph &": "starts a server that runs until stopped (tests/test_web.py runs the app in process)",
    "curl -s -H 'Accept: text/csv' --data-urlencode 'query=PREFIX okg: <https://w3id.org/ofsted-kg/def#>\n"
    "  SELECT (COUNT(?j) AS ?judgements) WHERE { ?j a okg:Judgement }' http://127.0.0.1:8000/sparql": (
        "needs curl, a network port and the server the command before it starts"
    ),
}

# Commands that read the West Midlands corpus, or a graph built from it, name one of these.
CORPUS_PATHS = ("../shared/corpus", "/tmp/corpus")

# What the corpus commands of the README call their graph folder, written to a temporary folder here.
CORPUS_GRAPH = "/tmp/corpus"

# The one report the README adds to the graph of all the others.
ADDED = "coventry_2026-05-18.pdf"

# An output line of the README that stands for one or more lines left out (the corpus build names
# every text it writes).
ELIDED = "..."

TRAILER = re.compile(r"\.\.\. \((\d+) rows in all(?:; with (--param \S+), (\d+))?\)")


@dataclass(frozen=True)
class Shown:
    line: int  # of the command in README.md, counted from 1
    command: str  # as written, lines joined (a backslash-newline removed, a newline in quotes kept)
    output: tuple[str, ...]

    @property
    def needs_corpus(self) -> bool:
        return any(path in self.command for path in CORPUS_PATHS)

    def __str__(self) -> str:
        return f"README.md:{self.line}: $ {self.command}"


def shown(text: str) -> list[Shown]:
    """Every command that a fenced block of the README shows with `$ `, and the output shown after it."""
    found: list[Shown] = []
    block: list[tuple[int, str]] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("```"):
            if block is not None:
                found += _commands(block)
            block = None if block is not None else []
        elif block is not None:
            block.append((number, line))
    assert block is None, "README.md: a fenced block is not closed"
    return found


def _commands(block: list[tuple[int, str]]) -> list[Shown]:
    if not any(line.startswith("$ ") for _, line in block):
        return []
    assert block[0][1].startswith("$ "), f"README.md:{block[0][0]}: a block of commands starts with output"
    found, i = [], 0
    while i < len(block):
        number, command = block[i][0], block[i][1][2:]
        i += 1
        while command.endswith("\\") or _open_quote(command):
            assert i < len(block), f"README.md:{number}: the command is not finished in its block"
            command = command[:-1] + block[i][1] if command.endswith("\\") else command + "\n" + block[i][1]
            i += 1
        output = []
        while i < len(block) and not block[i][1].startswith("$ "):
            output.append(block[i][1])
            i += 1
        found.append(Shown(number, command, tuple(output)))
    return found


def _open_quote(command: str) -> bool:
    try:
        shlex.split(command)
    except ValueError:  # "No closing quotation"
        return True
    return False


EXAMPLES = shown(README.read_text(encoding="utf-8"))
RUN = [s for s in EXAMPLES if s.command not in SKIPPED and not s.needs_corpus]
RUN_ON_CORPUS = [s for s in EXAMPLES if s.command not in SKIPPED and s.needs_corpus]


def test_every_command_shown_is_run_or_skipped_with_a_reason():
    commands = [s.command for s in EXAMPLES]
    assert len(RUN) + len(RUN_ON_CORPUS) + len(SKIPPED) == len(EXAMPLES)
    assert sorted(set(SKIPPED) - set(commands)) == []  # a skipped command no longer in the README
    not_ours = [str(s) for s in RUN + RUN_ON_CORPUS if not s.command.startswith("ofsted-kg ")]
    assert not_ours == []  # only ofsted-kg is run here; anything else is skipped, with the reason
    assert commands.count(BUILD) == 1  # the build of the seeds, which the session runs first
    assert len(RUN) >= 20 and len(RUN_ON_CORPUS) >= 4  # the parser still finds the README's blocks


def _environment() -> dict[str, str]:
    package_root = str(Path(ofsted_kg.__file__).resolve().parents[1])  # the ofsted_kg being tested
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)
    return dict(
        os.environ,
        PYTHONPATH=path,
        COLUMNS=HELP_COLUMNS,
        PYTHONUNBUFFERED="1",  # standard output and error in the order they are written, as on a terminal
        PYTHONHASHSEED="0",
    )


def run(command: str, cwd: Path, replace: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The README's `ofsted-kg ...` command as `python -m ofsted_kg ...`, its two streams as one; each
    argument that is a key of `replace` is given as its value instead."""
    argv = shlex.split(command)
    assert argv[0] == "ofsted-kg", command
    argv = [(replace or {}).get(arg, arg) for arg in argv[1:]]
    return subprocess.run(
        [sys.executable, "-m", "ofsted_kg", *argv],
        cwd=cwd,
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )


def shown_as_in_readme(example: Shown, out: str) -> list[str]:
    """The real output as the README shows it: a query's CSV answer cut as its blocks cut it, to the rows
    they show, every other output whole."""
    argv = shlex.split(example.command)
    if argv[1] != "query" or "--format" not in argv or argv[argv.index("--format") + 1] != "csv":
        return out.splitlines()
    rows = list(csv.reader(io.StringIO(out, newline="")))
    if example.output and (trailer := TRAILER.fullmatch(example.output[-1])):
        assert len(rows) - 1 == int(trailer[1]), f"{example}: the README says {trailer[1]} rows"
        rows = rows[: len(example.output) - 1]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([cell if len(cell) <= CUT else cell[: CUT - 1] + "…" for cell in row])
    return buffer.getvalue().splitlines() + list(example.output[len(rows) :])


def compared(example: Shown, out: str) -> list[str]:
    """The README's output if the real one, as shown_as_in_readme gives it, fits it (each ELIDED line
    standing for one or more lines); if not, that real output, for the assertion to show the difference."""
    real = shown_as_in_readme(example, out)
    return list(example.output) if _fits(real, list(example.output)) else real


def _fits(real: list[str], shown: list[str]) -> bool:
    if not shown:
        return not real
    if shown[0] == ELIDED:
        return any(_fits(real[skip:], shown[1:]) for skip in range(1, len(real) + 1))
    return bool(real) and real[0] == shown[0] and _fits(real[1:], shown[1:])


@pytest.fixture(scope="session")
def checkout(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """A folder laid out like a fresh checkout (seeds/), its graph/ built by the README's first command,
    and what that command printed."""
    folder = tmp_path_factory.mktemp("checkout")
    (folder / "seeds").symlink_to(SEEDS, target_is_directory=True)
    built = run(BUILD, folder)
    assert built.returncode == 0, built.stdout
    return folder, built


@pytest.fixture(scope="session")
def printed(checkout) -> dict[str, subprocess.CompletedProcess]:
    """What each command of RUN prints, run in the checkout a few at a time (most of each is Python
    starting and importing)."""
    folder, built = checkout
    others = [s.command for s in RUN if s.command != BUILD]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        running = {command: pool.submit(run, command, folder) for command in others}
    return {BUILD: built, **{command: done.result() for command, done in running.items()}}


@pytest.mark.parametrize("example", RUN, ids=str)
def test_the_readme_shows_what_the_command_prints(example, printed):
    proc = printed[example.command]
    assert proc.returncode == 0, proc.stdout
    assert compared(example, proc.stdout) == list(example.output)


@pytest.fixture(scope="module")
def corpus_graph_but_one(corpus_build, tmp_path_factory) -> Path:
    """The graph the README adds a report to: the seeds, the corpus's other reports and the outcomes table."""
    reports = ROOT.parent / "shared" / "corpus" / "ofsted-reports"
    others = tmp_path_factory.mktemp("reports")
    for report in reports.iterdir():
        if report.name != ADDED:
            (others / report.name).symlink_to(report)
    out = tmp_path_factory.mktemp("corpus-but-one")
    proc = build_command(out, SEEDS, others, ROOT / CORPUS_BUILD_SOURCES[2])
    assert "read 54 documents, rejected 1" in proc.stdout, proc.stderr
    return out


@pytest.mark.corpus
@pytest.mark.parametrize("example", RUN_ON_CORPUS, ids=str)
def test_the_readme_shows_what_the_command_prints_on_the_corpus(example, corpus_graph, corpus_build, tmp_path, request):
    argv = shlex.split(example.command)
    if argv[1] == "build":  # the build that made corpus_graph: what it printed
        assert argv[2:] == [*CORPUS_BUILD_SOURCES, "--out", CORPUS_GRAPH]
        graph, out = corpus_build.graph, corpus_build.output
    else:
        graph = corpus_build.graph
        if argv[1] == "add":  # to a copy of the graph of all the others, which it makes the graph of all
            graph = tmp_path / "corpus"
            shutil.copytree(request.getfixturevalue("corpus_graph_but_one"), graph)
        proc = run(example.command, ROOT, {CORPUS_GRAPH: str(graph)})
        assert proc.returncode == 0, proc.stdout
        out = proc.stdout
    # The graph's temporary folder is shown as the README's /tmp/corpus.
    out = out.replace(str(graph), CORPUS_GRAPH)
    assert compared(example, out) == list(example.output)
    if example.output and (trailer := TRAILER.fullmatch(example.output[-1])) and trailer[2]:
        name, value = trailer[2].removeprefix("--param ").split("=", 1)
        other = [f"{name}={value}" if a.startswith(f"{name}=") else a for a in argv]
        proc = run(shlex.join(other), ROOT, {CORPUS_GRAPH: str(graph)})
        assert len(list(csv.reader(io.StringIO(proc.stdout, newline="")))) - 1 == int(trailer[3])

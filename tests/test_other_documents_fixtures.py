"""The expected facts of other councils' documents (issue 12), written by reading them: each fixture
names its document, every words it quotes are the document's own, and every council it names is one
of the lookup's. (The extractors are measured against these fixtures; this checks the fixtures.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from helpers import quoted_words, unknown_councils

FOLDER = FIXTURES / "other-documents"
EXPECTED = sorted(FOLDER.glob("*.json"))
ACTION_LISTS = ("milestones", "timescales", "lead_officers", "progress")


def _joined(pieces: list[str]) -> str:
    """A table cell's lines, one after another, as the fixture writes the cell (no space after a hyphen)."""
    out = ""
    for piece in pieces:
        out = out + piece if not out or out.endswith("-") else out + " " + piece
    return out


def test_there_is_a_fixture_for_each_document():
    assert len(EXPECTED) == 8
    assert sorted(p.stem for p in EXPECTED) == sorted(p.stem for p in FOLDER.glob("*.txt"))


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_every_quote_of_a_fixture_is_in_its_document(path: Path):
    expected = json.loads(path.read_text(encoding="utf-8"))
    text = (FOLDER / expected["file"]).read_text(encoding="utf-8")
    quoted: list[str] = []
    quoted_words({k: v for k, v in expected.items() if k != "actions"}, quoted)
    for action in expected.get("actions", []):
        cells = action.get("cell_lines", {})
        for key in ("text", *ACTION_LISTS):
            if key in cells:  # a cell of a table laid out in columns: each of its lines is in the text
                quoted += cells[key]
                joined = _joined(cells[key])
                assert joined == (action[key] if key == "text" else action[key][0]), (path.name, key)
            else:
                quoted += [action[key]] if key == "text" else action[key]
    missing = [q for q in quoted if q not in text]
    assert missing == [] and len(quoted) > 10


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_every_council_of_a_fixture_is_in_the_lookup(path: Path):
    assert unknown_councils(json.loads(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_each_document_is_told_for_its_kind(path: Path):
    """By what it is (a committee report's cover sheet, a byline and dateline, a press office's release),
    not by one site's furniture: each of these, in a house style of its own, is read as its kind."""
    from ofsted_kg.extract.kinds import detect_kind

    expected = json.loads(path.read_text(encoding="utf-8"))
    kind = {"press-release": "press-release", "news": "news-article", "cabinet-report": "cabinet-report"}
    assert detect_kind((FOLDER / expected["file"]).read_text(encoding="utf-8")) == kind[expected["kind"]]


def test_a_text_that_speaks_of_press_releases_is_not_one():
    from ofsted_kg.extract.kinds import detect_kind

    assert detect_kind((FOLDER / "README").read_text(encoding="utf-8")) is None


LOCAL_NEWS = """Council's children's services now 'good', say inspectors

Children's services at Hartsholme Borough Council have been judged good by Ofsted.

Inspectors visited in March and found that leaders knew their services well.

The council's cabinet member for children, Councillor Ann Example, said the result reflected the work of staff.

A council spokeswoman said an action plan would follow.
"""


def test_a_local_paper_s_article_is_news_without_any_site_s_furniture():
    """No byline, no links to other stories: a reporter's third-person account of what the council said."""
    from ofsted_kg.extract.kinds import detect_kind

    assert detect_kind(LOCAL_NEWS) == "news-article"
    seed = (ROOT / "seeds" / "002_283c56a2d8015457.txt").read_text(encoding="utf-8")
    furniture = ("Media playback", "Media caption", "See more stories", "More on this story", "Related Internet")
    bare = "\n".join(line for line in seed.splitlines() if not line.startswith(furniture) and "BBC" not in line)
    assert detect_kind(bare) == "news-article"

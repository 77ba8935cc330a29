"""Documents of the other kinds written in house styles the extractors were not shaped on
(fixtures/more-documents/README): each is told for its kind, its fixture quotes only its own words, and
the extractors read at least what they read right when the fixtures were added, and give no more that no
reader found (benchmarks/other_documents.py scores them; --show lists what is still missed)."""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from ofsted_kg import documents
from ofsted_kg.extract import extract
from ofsted_kg.extract.kinds import detect_kind

from conftest import FIXTURES, ROOT
from helpers import quoted_words, unknown_councils

FOLDER = FIXTURES / "more-documents"
EXPECTED = sorted(FOLDER.glob("*.json"))
KINDS = {"press-release": "press-release", "news": "news-article", "cabinet-report": "cabinet-report"}

# What the extractors read right (at least) and give that no reader found (at most), by kind of document
# and of fact, when these fixtures were added. A change that reads less, or gives more that is wrong, fails.
FLOOR = {
    ("cabinet-report", "actions"): (163, 1),
    ("cabinet-report", "claims"): (11, 6),
    ("cabinet-report", "figures"): (111, 106),
    ("cabinet-report", "inspections"): (24, 0),
    ("cabinet-report", "judgements"): (91, 0),
    ("cabinet-report", "people"): (146, 0),
    ("cabinet-report", "quotations"): (18, 0),
    ("cabinet-report", "recommendations"): (88, 0),
    ("cabinet-report", "services"): (88, 64),
    ("news", "claims"): (22, 17),
    ("news", "figures"): (39, 21),
    ("news", "inspections"): (29, 3),
    ("news", "judgements"): (60, 6),
    ("news", "people"): (39, 0),
    ("news", "quotations"): (81, 1),
    ("news", "recommendations"): (28, 0),
    ("news", "services"): (22, 10),
    ("press-release", "claims"): (7, 1),
    ("press-release", "figures"): (49, 15),
    ("press-release", "inspections"): (19, 3),
    ("press-release", "judgements"): (67, 0),
    ("press-release", "people"): (36, 0),
    ("press-release", "quotations"): (61, 0),
    ("press-release", "recommendations"): (47, 0),
    ("press-release", "services"): (46, 17),
}


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _scoring():
    spec = importlib.util.spec_from_file_location("other_documents", ROOT / "benchmarks" / "other_documents.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_is_a_fixture_for_each_document():
    assert len(EXPECTED) == 38
    assert sorted(p.stem for p in EXPECTED) == sorted(p.stem for p in FOLDER.glob("*.txt"))


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_every_quote_of_a_fixture_is_in_its_document(path: Path):
    expected = json.loads(path.read_text(encoding="utf-8"))
    text = _fold((FOLDER / expected["file"]).read_text(encoding="utf-8"))
    quoted: list[str] = []
    # (an action of a table laid out in columns is its cell's lines joined: each line is in the text)
    quoted_words({k: v for k, v in expected.items() if k != "actions"}, quoted)
    for action in expected.get("actions", []):
        cells = action.get("cell_lines")
        if isinstance(cells, dict):
            quoted += [line for lines in cells.values() if isinstance(lines, list) for line in lines]
        else:
            quoted.append(action["text"])
    missing = [q for q in quoted if _fold(q) not in text]
    assert missing == [] and len(quoted) > 10


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_every_council_of_a_fixture_is_in_the_lookup(path: Path):
    assert unknown_councils(json.loads(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_each_document_is_told_for_its_kind(path: Path):
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert detect_kind(documents.load(FOLDER / expected["file"]).text) == KINDS[expected["kind"]]


def test_the_extractors_read_at_least_what_they_read_when_the_fixtures_were_added():
    scoring = _scoring()
    totals: dict[tuple[str, str], Counter[str]] = {}
    for path in EXPECTED:
        expected = json.loads(path.read_text(encoding="utf-8"))
        found = scoring.extracted_keys(extract(documents.load(FOLDER / expected["file"])))
        for name, keys in scoring.expected_keys(expected).items():
            right, wrong, _ = scoring.score(keys, found[name])
            totals.setdefault((expected["kind"], name), Counter()).update(right=right, wrong=wrong)
    below = {
        key: (totals[key]["right"], totals[key]["wrong"])
        for key, (right, wrong) in FLOOR.items()
        if totals[key]["right"] < right or totals[key]["wrong"] > wrong
    }
    assert below == {}


def test_a_grade_changed_in_a_committee_report_changes_the_judgement_read(tmp_path: Path):
    """The judgements are read from the words: 'judged inadequate' made 'judged good' gives good."""
    source = FOLDER / "210_1837b4d3b9cf4476.txt"
    text = source.read_text(encoding="utf-8")
    changed = tmp_path / source.name
    changed.write_text(
        re.sub(r"Overall effectiveness was\s+judged inadequate", "Overall effectiveness was judged good", text),
        encoding="utf-8",
    )

    def overall(path: Path) -> set[str]:
        facts = extract(documents.load(path)).facts
        return {
            f.grade.value.lower()
            for f in facts
            if type(f).__name__ == "JudgementFact" and f.ref.year == 2024 and "overall" in f.area.value.lower()
        }

    assert overall(source) == {"inadequate"}
    assert overall(changed) == {"good"}

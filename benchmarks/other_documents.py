"""Measure: the extractors against the facts read by hand from other councils' documents (issue 12).

For each document of tests/fixtures/other-documents/ and each kind of fact: how many the reader found,
and of what the pipeline gives, how many are right, wrong (given but not found by the reader) and
missed. Facts are matched by their words with case, spacing and typography folded (a judgement by its
council and grade and area, a person by name, a quotation, service, recommendation or action by its
text, a figure by its words, an inspection by its council and start, a claim by its council).
Run: python benchmarks/other_documents.py [--folder DIR] [--show [FACT ...]]
(--show prints, per document, the wrong and missed items of the facts named, or of all; --folder reads
another folder of documents and their facts written the same way, such as documents held out)
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "tests" / "fixtures" / "other-documents"
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def fold(text) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(text)).translate(QUOTES).lower().split())


def _frameworks():
    sys.path.insert(0, str(ROOT / "src"))
    from ofsted_kg.reference import load_reference

    return sorted(load_reference().frameworks, key=lambda f: f.start, reverse=True)  # the newest first


def grade(phrase: str) -> str:
    """A grade by its concept, however worded ('requiring improvement', 'Requires improvement to be good')."""
    found = next((g for f in _frameworks() if (g := f.grade(phrase)) is not None), None)
    return found.label.lower() if found else fold(phrase)


def area(phrase: str) -> str:
    """A judgement area by its concept ('leadership', 'The impact of leaders on social work practice ...')."""
    found = next((a for f in _frameworks() if (a := f.area(phrase)) is not None), None)
    return found.label.lower() if found else fold(phrase)


def expected_keys(expected: dict) -> dict[str, list]:
    return {
        "inspections": [(i["council_gss"], str(i.get("start") or "")[:10]) for i in expected.get("inspections", [])],
        "judgements": [(j["council_gss"], grade(j["grade"]), area(j["area"])) for j in expected.get("judgements", [])],
        "recommendations": [fold(r["text"]) for r in expected.get("recommendations", [])],
        "actions": [fold(a["text"]) for a in expected.get("actions", [])],
        "people": [fold(p["name"]) for p in expected.get("people", [])],
        "quotations": [fold(q["text"]) for q in expected.get("quotations", [])],
        "services": [fold(s["name"]) for s in expected.get("services", [])],
        "figures": [fold(f["words"]) for f in expected.get("figures", [])],
        "claims": [c["council"].split()[-1].strip("()") for c in expected.get("claims_about_other_councils", [])],
    }


# Each kind of fact the pipeline gives: the list it is scored in, and its key.
EXTRACTED = {
    "InspectionFact": (
        "inspections",
        lambda f: (f.ref.council, f.start.value.iso() if f.start and f.start.value.year else ""),
    ),
    "JudgementFact": ("judgements", lambda f: (f.ref.council, grade(f.grade.value), area(f.area.value))),
    "RecommendationFact": ("recommendations", lambda f: fold(f.text.value)),
    "ActionFact": ("actions", lambda f: fold(f.text.value)),
    "PersonFact": ("people", lambda f: fold(f.name.value)),
    "QuoteFact": ("quotations", lambda f: fold(f.text.value)),
    "ServiceFact": ("services", lambda f: fold(f.name.value)),
    "FigureFact": ("figures", lambda f: fold(f.figure.value)),
    "ClaimFact": ("claims", lambda f: f.council),
}


def extracted_keys(extraction) -> dict[str, list]:
    found: dict[str, list] = {name: [] for name in expected_keys({})}
    for fact in extraction.facts:
        if type(fact).__name__ in EXTRACTED:
            name, key = EXTRACTED[type(fact).__name__]
            found[name].append(key(fact))
    # A service or a person named several times is one resource of the graph: counted once.
    for name in ("services", "people"):
        found[name] = list(dict.fromkeys(found[name]))
    return found


def matches(a, b) -> bool:
    """The same fact: equal keys, or (for words) one inside the other as whole words (a reader may quote
    more or less of a sentence than the pipeline)."""
    if isinstance(a, str) and isinstance(b, str):
        short, long = sorted((a, b), key=len)
        return a == b or (len(short) >= 5 and re.search(rf"(?<!\w){re.escape(short)}(?!\w)", long) is not None)
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        return all(x == y or not x or not y or matches(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def score(expected: list, found: list) -> tuple[int, int, int]:
    """(right, wrong, missed): the facts read by hand that the pipeline gives, what it gives that no one
    read, and what it misses. One given fact may answer several read ones (a quotation the reader took
    paragraph by paragraph, which the pipeline keeps whole)."""
    right = sum(1 for e in expected if any(matches(e, f) for f in found))
    wrong = sum(1 for f in found if not any(matches(e, f) for e in expected))
    return right, wrong, len(expected) - right


def show(stem: str, name: str, expected: list, found: list) -> None:
    """The wrong and missed items of one kind of fact in one document."""
    for f in found:
        if not any(matches(e, f) for e in expected):
            print(f"    {stem} {name} WRONG  {f}")
    for e in expected:
        if not any(matches(e, f) for f in found):
            print(f"    {stem} {name} MISSED {e}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    folder = FOLDER
    if argv[:1] == ["--folder"] and len(argv) > 1:
        folder, argv = Path(argv[1]), argv[2:]
    shown: set[str] | None = None
    if argv and argv[0] == "--show":
        shown = set(argv[1:]) or set(expected_keys({}))
    sys.path.insert(0, str(ROOT / "src"))
    from ofsted_kg import documents
    from ofsted_kg.errors import DocumentError
    from ofsted_kg.extract import extract

    totals: dict[tuple[str, str], Counter] = {}
    print(f"{'document':<26} {'kind':<15} {'fact':<16} {'read':>5} {'right':>6} {'wrong':>6} {'missed':>7}")
    for path in sorted(folder.glob("*.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        try:
            found = extracted_keys(extract(documents.load(folder / expected["file"])))
            rejected = None
        except DocumentError as error:
            found, rejected = {name: [] for name in expected_keys({})}, error.reason
        if rejected:
            print(f"{path.stem:<26} {expected['kind']:<15} REJECTED: {rejected}")
        for name, keys in expected_keys(expected).items():
            right, wrong, missed = score(keys, found[name])
            if keys or found[name]:
                print(
                    f"{path.stem:<26} {expected['kind']:<15} {name:<16} {len(keys):>5} {right:>6} {wrong:>6} {missed:>7}"
                )
            if shown is not None and name in shown:
                show(path.stem, name, keys, found[name])
            total = totals.setdefault((expected["kind"], name), Counter())
            total.update(read=len(keys), right=right, wrong=wrong, missed=missed)
    print()
    print(f"{'kind':<15} {'fact':<16} {'read':>5} {'right':>6} {'wrong':>6} {'missed':>7}")
    for (kind, name), total in sorted(totals.items()):
        if total["read"] or total["wrong"]:
            print(
                f"{kind:<15} {name:<16} {total['read']:>5} {total['right']:>6} {total['wrong']:>6} {total['missed']:>7}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

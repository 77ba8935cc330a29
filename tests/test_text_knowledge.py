"""Text knowledge in one place: how whitespace is squashed, which glyphs open a list's item and when two
spans overlap are each said once, in text.py (squash, BULLET_GLYPHS and the classes made of it,
Span.overlaps), and every module asks there. Each module is read with ast, not imported: a squash, a bullet
glyph or an overlap test written anew elsewhere fails here, with where it is."""

from __future__ import annotations

import ast
from pathlib import Path

from ofsted_kg.text import BULLET_GLYPHS, Span, Spans, squash

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "ofsted_kg"
HOME = "text.py"
# Modules that still squash whitespace themselves, to be brought in by the change that next touches them.
SQUASHING: set[str] = set()


def _modules() -> dict[str, ast.Module]:
    return {
        path.relative_to(PACKAGE).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _is_constant(node: ast.expr, value: str) -> bool:
    return isinstance(node, ast.Constant) and node.value == value


def inline_squashes(tree: ast.Module) -> list[int]:
    """Lines that squash whitespace by hand: `" ".join(x.split())` or `re.sub(r"\\s+", " ", x)`."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        args = node.args
        if (
            node.func.attr == "join"
            and _is_constant(node.func.value, " ")
            and len(args) == 1
            and isinstance(args[0], ast.Call)
            and isinstance(args[0].func, ast.Attribute)
            and args[0].func.attr == "split"
            and not args[0].args
        ):
            found.append(node.lineno)
        elif node.func.attr == "sub" and len(args) >= 2 and _is_constant(args[1], " "):
            if isinstance(args[0], ast.Constant) and args[0].value in (r"\s+", r"[\s]+", r"\s\s*"):
                found.append(node.lineno)
    return sorted(found)


def _docstrings(tree: ast.Module) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


# A glyph written as itself, or as a regular expression's escape in a raw string ('\u2022').
_ESCAPES = [f"\\u{ord(c):04x}" for c in BULLET_GLYPHS]


def bullet_glyphs(tree: ast.Module) -> list[int]:
    """Lines of strings (docstrings aside) that name a bullet glyph."""
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            lowered = node.value.lower()
            if any(c in node.value for c in BULLET_GLYPHS) or any(e in lowered for e in _ESCAPES):
                found.append(node.lineno)
    return sorted(found)


def _ends(compare: ast.expr) -> tuple[str, str] | None:
    """('start', 'end') for a comparison of one thing's start with another's end, in either order."""
    if not (isinstance(compare, ast.Compare) and len(compare.ops) == 1):
        return None
    left, right = compare.left, compare.comparators[0]
    if isinstance(left, ast.Attribute) and isinstance(right, ast.Attribute):
        if {left.attr, right.attr} == {"start", "end"}:
            return left.attr, right.attr
    return None


def overlap_tests(tree: ast.Module) -> list[int]:
    """Lines that test by hand whether two spans overlap: two comparisons, each of a start with an end,
    joined by 'and' or 'or' ('a.start < b.end and b.start < a.end', 'a.end <= b.start or a.start >= b.end')."""
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.BoolOp) and len(node.values) == 2 and all(_ends(v) for v in node.values)
    )


def _offences(check, exempt: set[str]) -> list[str]:
    return [
        f"{name}:{line}" for name, tree in _modules().items() if name not in exempt | {HOME} for line in check(tree)
    ]


def test_whitespace_is_squashed_by_text_squash():
    assert _offences(inline_squashes, SQUASHING) == [], "squash whitespace with ofsted_kg.text.squash"


def test_modules_listed_as_squashing_still_do():
    # A module brought in leaves the list, so that the list says what is left.
    modules = _modules()
    assert [name for name in sorted(SQUASHING) if not inline_squashes(modules[name])] == []


def test_an_area_is_named_exactly_by_the_framework_only():
    # Whether a phrase is an area's name is Framework.named_exactly's to say (reference.py), as which area
    # a phrase names is Framework.area's: no module tests a phrase against an area's names itself.
    offences = [
        name
        for name, _ in _modules().items()
        if name != "reference.py" and "in area.names" in (PACKAGE / name).read_text(encoding="utf-8")
    ]
    assert offences == []


def test_bullet_glyphs_are_named_in_text_only():
    assert _offences(bullet_glyphs, set()) == [], "take bullet glyphs from ofsted_kg.text (BULLET_GLYPHS, ...)"


def test_spans_overlap_is_tested_by_span_overlaps():
    assert _offences(overlap_tests, set()) == [], "test overlaps with ofsted_kg.text.Span.overlaps (or Spans)"


def test_the_guards_see_what_they_guard_against():
    written = ast.parse(
        'a = " ".join(text.split())\n'
        'b = re.sub(r"\\s+", " ", text)\n'
        'c = re.compile(r"^\\s*[\\u2022\\-]")\n'
        'd = "\u25aa"\n'
        "e = span.start < other.end and other.start < span.end\n"
        "f = any(not (s.end <= t.start or s.start >= t.end) for t in taken)\n"
        "g = s.start <= m.start and m.end <= s.end\n"  # containment, not overlap
    )
    assert inline_squashes(written) == [1, 2]
    assert bullet_glyphs(written) == [3, 4]
    assert overlap_tests(written) == [5, 6]


def test_span_overlaps_and_spans_agree():
    spans = [Span(2, 5), Span(8, 12), Span(11, 15), Span(20, 20)]
    taken = Spans(spans)
    for start in range(0, 23):
        for end in range(start, 23):
            span = Span(start, end)
            assert span.overlaps(Span(2, 5)) == (start < 5 and 2 < end)
            assert taken.overlaps(span) == any(span.overlaps(t) for t in spans), span


def test_squash_is_the_split_and_join_it_replaces():
    for text in ["", " ", "a", " a  b\n\tc ", "\u00a0x\u2003y\u2028", "\x1cz\x1f"]:
        assert squash(text) == " ".join(text.split())

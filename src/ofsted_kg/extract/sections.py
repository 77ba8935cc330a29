"""Numbered sections of council reports ('3.0 Background', '3.4.1 ...'), and numbered lists."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ofsted_kg.text import Span, blocks, trim

HEADING = re.compile(r"(?m)^[ \t\f]*(\d{1,2}(?:\.\d{1,2}){1,3})[ \t]+(\S[^\n]*)$")


@dataclass(frozen=True)
class Section:
    number: str
    heading: Span
    body: Span
    lead: Span  # the heading's whole first paragraph, which may run over several lines

    @property
    def parent_numbers(self) -> list[str]:
        """'3.4.1' -> ['3.4', '3.0']"""
        parts = self.number.split(".")
        out = [".".join(parts[:i]) for i in range(len(parts) - 1, 1, -1)]
        return out + [parts[0] + ".0"] if self.number != parts[0] + ".0" else out


def numbered_sections(text: str, start: int = 0, end: int | None = None) -> list[Section]:
    end = len(text) if end is None else end
    heads = [m for m in HEADING.finditer(text, start, end) if not re.fullmatch(r"\d+\.\d+", m.group(2).split()[0])]
    out = []
    for i, m in enumerate(heads):
        stop = heads[i + 1].start() if i + 1 < len(heads) else end
        first_block = blocks(text, m.start(2), stop)[0]
        out.append(Section(m.group(1), Span(m.start(2), m.end(2)), Span(m.end(), stop), first_block))
    return out


def numbered_items(text: str, start: int, end: int) -> list[tuple[int, Span]]:
    """'1. ...', '2. ...' items in text[start:end], numbers in sequence from 1."""
    markers = []
    expected = 1
    for m in re.finditer(r"(?m)^[ \t]*(\d{1,2})\.(?:[ \t]+|(?=[A-Z]))", text[start:end]):
        if int(m.group(1)) == expected:
            markers.append((expected, start + m.start(), start + m.end()))
            expected += 1
    out = []
    for i, (number, _, body_start) in enumerate(markers):
        body_end = markers[i + 1][1] if i + 1 < len(markers) else end
        out.append((number, trim(text, body_start, body_end)))
    return out

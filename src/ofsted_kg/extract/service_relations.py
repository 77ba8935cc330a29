"""The relations a text states between the services it names, read sentence by sentence.

Moved out of services.py, which finds the services themselves, so that each module stays small enough to
read: finding names and reading what sentences say about them are separate jobs. A relation is stated
by one sentence and carries it as its evidence: a service combines others ("the Front Door, which
combines the MASH and the early help triage team"), brings professions together, serves a group of
children, or works with another service named in the same sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ofsted_kg.extract.service_names import Mention
from ofsted_kg.facts import FindingFact, MentionFact, ServiceRelationFact
from ofsted_kg.text import Quoted, Span, sentences, squash

# Concepts of a scheme (professions, groups of children), each as the pattern of one of its names and its
# local name: longest names first, so that the longest name found at a place is the one taken.
Patterns = tuple[tuple[re.Pattern[str], str], ...]

COMBINED = re.compile(
    r"\b(?:is|was|are)\s+an?\s+combined\s+(?P<parts>[^.,;]+)|\bcombin(?:es|ing)\s+(?P<parts2>[^.,;]+)"
)
TOGETHER = re.compile(r"\btogether\b", re.IGNORECASE)
SERVES_CUE = re.compile(
    r"\b(?:for|to|supports?|supporting|deliver(?:s|ing)?|provides?|providing|helps?|benefit(?:s|ing)?)\b"
)
WORKS_CUE = re.compile(r"\b(?:with|together|alongside|partnership|partners|jointly|joint|integrated)\b")


def relations(
    text: str, council: str, mentions: Sequence[Mention], professions: Patterns, groups: Patterns
) -> list[ServiceRelationFact]:
    """The relations each sentence states between the services named in it, and the professions it brings
    together and the groups of children it serves (each with the sentence as its evidence)."""
    out: list[ServiceRelationFact] = []
    for sentence in sentences(text):
        inside = [m for m in mentions if sentence.start <= m.span.start and m.span.end <= sentence.end]
        if not inside:
            continue
        evidence = Quoted(squash(sentence.quote(text)), (sentence,))

        def rel(subject: str, relation: str, obj: str, evidence: Quoted[str] = evidence) -> None:
            if subject != obj:
                out.append(ServiceRelationFact(council, subject, relation, obj, evidence))

        combined = COMBINED.search(text, sentence.start, sentence.end)
        if combined:
            start = combined.start("parts") if combined.group("parts") else combined.start("parts2")
            end = combined.end("parts") if combined.group("parts") else combined.end("parts2")
            whole = [m for m in inside if m.span.end <= combined.start()]
            parts = [m for m in inside if start <= m.span.start and m.span.end <= end]
            if whole and parts:
                for part in parts:
                    rel(whole[-1].key, "combines", part.key)
                continue
        if TOGETHER.search(text, sentence.start, sentence.end):
            for local in sorted({local for _, local in _found(text, sentence, professions)}):
                rel(inside[-1].key, "bringsTogether", local)
        for m in inside:
            served = _found(text, Span(m.span.end, sentence.end), groups)
            if served and SERVES_CUE.search(text, m.span.end, served[0][0].start):
                rel(m.key, "serves", served[0][1])
        distinct = sorted({m.key for m in inside})
        if len(distinct) >= 2 and WORKS_CUE.search(text, sentence.start, sentence.end):
            for i, a in enumerate(distinct):
                for b in distinct[i + 1 :]:
                    rel(a, "worksWith", b)
    return out


def _found(text: str, span: Span, patterns: Patterns) -> list[tuple[Span, str]]:
    """Concepts named in text[span], in the order of the text: where, and their local names. Where
    names overlap, the first pattern's is the one found."""
    hits: list[tuple[Span, str]] = []
    for pattern, local in patterns:
        for m in pattern.finditer(text, span.start, span.end):
            s = Span(m.start(), m.end())
            if not any(s.overlaps(taken) for taken, _ in hits):
                hits.append((s, local))
    return sorted(hits, key=lambda hit: (hit[0].start, hit[1], hit[0].end))


def finding_mentions(council: str, mentions: Sequence[Mention], findings: Sequence[FindingFact]) -> list[MentionFact]:
    """Each service named inside a finding of a report: the finding mentions it."""
    return [
        MentionFact(finding.ref, finding.text.value, council, m.key, Quoted(m.name, (m.span,)))
        for finding in findings
        for m in mentions
        if any(s.start <= m.span.start and m.span.end <= s.end for s in finding.text.spans)
    ]

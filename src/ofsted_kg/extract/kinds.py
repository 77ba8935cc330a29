"""Which kind of document a text is, told from its content alone (never its file name)."""

from __future__ import annotations

import re

# Cues of each kind of document, with weights. A document is of the kind whose
# cues score highest, if that score reaches MIN_SCORE.
CUES: dict[str, list[tuple[str, int]]] = {
    "ofsted-report": [
        (r"^\s*Inspection of .{0,80}(?:local authority )?children['\u2019]s services", 4),
        (r"^\s*Inspection dates?:", 3),
        (r"^\s*Lead inspector:", 3),
        (r"^\s*Judgement\s+Grade\s*$", 3),
        (r"What needs to improve\?", 2),
        (r"Ofsted\)? regulates and inspects", 2),
        (r"Single inspection of local authority children['\u2019]s services", 4),
        (r"Review of the effectiveness of the (?:Local )?Safeguarding Children Board", 2),
        (r"\bHer Majesty['\u2019]s Inspector\b|\bHis Majesty['\u2019]s Inspector\b", 1),
    ],
    "cabinet-report": [
        (r"\bCabinet (?:Meeting|is recommended)\b", 3),
        (r"Recommendation\(s\) for action or decision", 3),
        (r"^\s*Report title\b", 2),
        (r"^\s*(?:Accountable director|Cabinet member with lead|Wards affected|Key decision)\b", 2),
        (r"^\s*\d+\.0\s+(?:Financial|Legal|Equalities) implications", 2),
    ],
    "press-release": [
        (r"^\s*\W*\s*released:", 4),
        (r"\bpress release\b|\bnotes to editors\b|^\s*ENDS\s*$", 3),
        (r"the [A-Z][\w ]+ Council['\u2019]s [A-Z][\w \-]+, said:", 2),
        (r"^\s*Type=(?:image|media);", 1),
    ],
    "news-article": [
        (r"^\s*READ MORE:", 3),
        (r"Comments are closed\.", 2),
        (r"Media playback is unsupported", 3),
        (r"^\s*More on this story\s*$|^\s*Related Internet links\s*$", 2),
        (r"The BBC is not responsible", 3),
        (r"\b(?:the watchdog|the report said|it said)\b", 1),
        (r"^\s*(?:INVESTIGATION|RELATED|ALSO READ):", 2),
    ],
}
MIN_SCORE = 3

_COMPILED = {kind: [(re.compile(p, re.MULTILINE | re.IGNORECASE), w) for p, w in cues] for kind, cues in CUES.items()}


def scores(text: str) -> dict[str, int]:
    head = text[:200_000]
    return {kind: sum(w for pattern, w in cues if pattern.search(head)) for kind, cues in _COMPILED.items()}


def detect_kind(text: str) -> str | None:
    """The kind of document, or None if no kind's cues are strong enough."""
    ranked = sorted(scores(text).items(), key=lambda kv: (-kv[1], kv[0]))
    kind, score = ranked[0]
    if score < MIN_SCORE or (len(ranked) > 1 and ranked[1][1] == score):
        return None
    return kind

"""Which kind of document a text is, told from its content alone (never its file name)."""

from __future__ import annotations

import re

# Cues of each kind of document, with weights: what the document is (an inspection report's title page,
# a committee report's cover sheet, a byline and dateline, a press office's release line and contact
# block), in words any council's or publisher's documents of the kind use. A cue marked HEAD counts only
# in the first lines, where a document says what it is (a committee report quotes an inspection report's
# words further down). A document is of the kind whose cues score highest, if that reaches MIN_SCORE.
HEAD = 3_000  # characters
CUES: dict[str, list[tuple[str, int, bool]]] = {
    "ofsted-report": [
        (r"^\s*Inspection of .{0,80}(?:local authority )?children['\u2019]s services", 4, True),
        (r"^\s*Inspection dates?:", 3, False),
        (r"^\s*Lead inspector:", 3, False),
        (r"^\s*Judgement\s+Grade\s*$", 2, False),
        (r"What needs to improve\?", 2, False),
        (r"Ofsted\)? regulates and inspects", 2, False),
        (r"^\s*Single inspection of local authority children['\u2019]s services", 4, True),
        (r"Review of the effectiveness of the (?:Local )?Safeguarding Children Board", 2, False),
        (r"\bHer Majesty['\u2019]s Inspector\b|\bHis Majesty['\u2019]s Inspector\b", 1, False),
    ],
    "cabinet-report": [
        (r"\bCabinet (?:Meeting|is recommended)\b", 3, False),
        (r"Recommendation\(s\) for action or decision", 3, False),
        # The meeting the report goes to, named on its cover.
        (
            r"^\s*(?:Report (?:to|for)|Meeting|Decision maker)\s*:?\s*(?:the\s+)?(?:Cabinet|Executive|[A-Z][\w ,&]{0,40}Committee)\b"
            r"|^\s*(?:CABINET|EXECUTIVE)\s*$",
            3,
            True,
        ),  # fmt: skip
        # The committee itself as the cover's heading ('Children and Families Committee', 'CABINET').
        (
            r"^\s*(?:[A-Z][\w,&'\u2019 ]{0,60}\s)?(?:Committee|Cabinet|Executive|Scrutiny (?:Panel|Commission|Board))\s*$",
            3,
            True,
        ),
        (r"^\s*(?:Report title|TITLE OF REPORT|Subject)\b", 2, True),
        (
            r"^\s*(?:Report of|Report by|Report authorised by|Report Reference(?: No)?|Agenda item|Item number"
            r"|Lead Officer|Ward\(s\) affected|For decision)\b",
            2,
            True,
        ),
        (
            r"^\s*(?:Accountable director|Cabinet member with lead|Wards? affected|Electoral wards affected|Key decision"
            r"|Decision designation|Eligible for call[ -]in|Exempt information|Classification)\b",
            2,
            True,
        ),  # fmt: skip
        (
            r"^\s*(?:Portfolio Holder|Lead Member|Cabinet Member|Report from|Report author|Author|Corporate Director"
            r"|Group Director|Strategic Director|Executive Director)\s*:?\s",
            2,
            True,
        ),  # fmt: skip
        (
            r"\b(?:That Cabinet|inform(?:s)? Cabinet|Cabinet is asked|Cabinet (?:notes|approves|agrees|endorses)\b|Members are asked"
            r"|the Committee is asked)\b",
            2,
            False,
        ),
        (r"^\s*\d+\.0\s+(?:Financial|Legal|Equalities) implications", 2, False),
        (
            r"^\s*(?:\d+\.?\s+)?(?:Purpose of (?:the )?Report|Budget and Policy Framework|Financial implications"
            r"|Legal implications|Equalit(?:y|ies) implications|Risk management|Background papers"
            r"|Reasons? for (?:the )?recommendations?)\s*:?\s*$",
            2,
            False,
        ),  # fmt: skip
    ],
    "press-release": [
        (r"^\s*\W*\s*released:", 4, False),
        (r"\bnotes to editors\b|^\s*ENDS\s*$", 3, False),
        # The document calling itself one ("Press release | 9 September 2024"), at its head; the words
        # anywhere else are only a hint (a text may speak of a press release).
        (r"^\s*(?:News|Press) release\b", 3, True),
        # A council site's own section for them, named in the page's trail at its head.
        (
            r"^[^\n]*[|>\u203a\u00bb][^\n]*\b(?:News and press releases|Press releases|Newsroom|Media centre)\b"
            r"|^\s*(?:News and press releases|Press releases|Newsroom|Media centre)\s*$",
            2,
            True,
        ),  # fmt: skip
        (r"\bpress release\b", 1, False),
        # A council's own page: the council's name over it, a news section in its trail.
        (r"\A\s*(?:[A-Z][\w'\u2019.-]+ ){1,6}Council\s*$", 2, True),
        (r"^[^\n]*(?:[>\u203a\u00bb|/]\s*)(?:Latest news|News and media|News)\s*(?:[>\u203a\u00bb|/]|$)", 1, True),
        # A council site's own sections in the trail ('Home > Council and democracy > News'): the page is the
        # council's.
        (r"^[^\n]*[>\u203a\u00bb|][^\n]*\b(?:Council and democracy|Your council|Council news)\b", 2, True),
        (r"^\s*(?:Media|Press) (?:enquiries|contacts?|office)\b", 2, False),
        (r"the [A-Z][\w ]+ Council['\u2019]s [A-Z][\w \-]+, said:", 2, False),
        (r"^\s*Type=(?:image|media);", 1, False),
    ],
    "news-article": [
        # A byline and a dateline under the headline.
        (r"^\s*By [A-Z][\w'\-]+(?: [A-Z][\w'\-]+){1,3}\s*(?:,.*)?$", 2, True),
        (
            r"^\s*(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? )?(?:\d{1,2} [A-Z][a-z]+|[A-Z][a-z]+ \d{1,2}),? \d{4}"
            r"(?:,? \d{1,2}[:.]\d\d\s*(?:am|pm)?)?\s*$",
            1,
            True,
        ),  # fmt: skip
        # A byline that gives the journalist's post ('Holly Lee, Children's Services Correspondent').
        (
            r"^[ \t]*(?:By[ \t]+)?[A-Z][\w'\u2019]*(?:-[A-Z][\w'\u2019]*)?(?:[ \t]+[A-Z][\w'\u2019]*(?:-[A-Z][\w'\u2019]*)?){1,3},?"
            r"[ \t]+(?:[\w'\u2019&]+[ \t]+){0,4}(?:Reporter|Correspondent|Editor|Journalist)[ \t]*$",
            2,
            True,
        ),
        (r"^\s*(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? )?\d{1,2}/\d{1,2}/\d{4}\s*$", 1, True),
        (r"^[^\n]*\b(?:Log in|Sign in)\b[^\n]*\bSubscribe\b|^\s*Subscriber content\s*$", 1, True),
        # A reading time and a row of sharing buttons under the headline ('18.07.2024 | 7 min read').
        (r"\b\d{1,2}\s+min(?:ute)?s?\s+read\b", 2, True),
        (r"^\s*Share\b[^\n]{0,40}$", 1, True),
        (r"^\s*(?:ADVERTISEMENT|MOST READ|Share this (?:article|story)|Related topics)\s*$", 2, False),
        # Links to the publisher's other stories between or after the paragraphs, a comments section, a
        # disclaimer about other sites: what any news site puts around an article.
        # (in capitals with a colon: "Related" or "Read more" open lines of any council's page too)
        (r"(?-i:^\s*(?:READ MORE|ALSO READ|READ NEXT|RELATED(?: STORIES| ARTICLES)?)\s*:)", 3, False),
        (r"^\s*(?:Comments are closed\.|\d+ comments?\s*$|Sign up to (?:our|the) [\w ]*newsletter)", 2, False),
        (r"is not responsible for the content of external", 2, False),
        (r"^\s*(?:Related Internet links|More on this story|See more stories)\b", 2, False),
        # Reported speech about the council, in the third person: a reporter's, not the council's own voice.
        (
            r"\bthe (?:council|authority|local authority)(?:['\u2019]s [\w ]{1,60}(?:, [\w .'\u2019-]{1,60})?)?,? "
            r"(?:said|says|added|welcomed)\b",
            2,
            False,
        ),  # fmt: skip
        (r"\ba (?:council )?spokes(?:man|woman|person)\b(?: for [\w ]{1,40})? said\b", 2, False),
        (r"\b(?:the watchdog|the report said|it said|say inspectors|inspectors said)\b", 1, False),
    ],
}
MIN_SCORE = 3

_COMPILED = {
    kind: [(re.compile(p, re.MULTILINE | re.IGNORECASE), w, head) for p, w, head in cues] for kind, cues in CUES.items()
}


def scores(text: str) -> dict[str, int]:
    body, head = text[:200_000], text[:HEAD]
    return {
        kind: sum(w for pattern, w, at_head in cues if pattern.search(head if at_head else body))
        for kind, cues in _COMPILED.items()
    }


def detect_kind(text: str) -> str | None:
    """The kind of document, or None if no kind's cues are strong enough."""
    ranked = sorted(scores(text).items(), key=lambda kv: (-kv[1], kv[0]))
    kind, score = ranked[0]
    if score < MIN_SCORE or (len(ranked) > 1 and ranked[1][1] == score):
        return None
    return kind

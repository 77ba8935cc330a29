"""People named in any kind of document, with the posts and organisations the text gives them.

Read from the shapes of the language, never from a list of names: a title before
a name ("Councillor Val Gibson", "Lead Inspector Nigel Parkes"), an apposition
("Linda Sanders, the City of Wolverhampton Council's Strategic Director - People,
said"), a party and ward in brackets ("(Lab. Ettingshall)"), and the role rows of
a council report's cover sheet ("Accountable director Linda Sanders, Strategic
Director, People").
"""

from __future__ import annotations

import re

from ofsted_kg.councils import load_councils
from ofsted_kg.facts import Context, PersonFact
from ofsted_kg.text import Quoted, Span, trim

# Two or three capitalised words on one line (a name is never broken over lines here).
NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?: (?:Mc|Mac|O['\u2019])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,2}"
HONORIFIC = r"Councillor|Councilor|Cllr\.?|Mr|Mrs|Ms|Miss|Dr|Professor|Sir|Dame"
SPEECH = r"said|says|added|adds|commented|explained|told|stated"
# Party abbreviations as councils' papers and local news print them.
PARTIES = {
    "lab": "Labour",
    "labour": "Labour",
    "con": "Conservative",
    "conservative": "Conservative",
    "ld": "Liberal Democrats",
    "lib dem": "Liberal Democrats",
    "libdem": "Liberal Democrats",
    "green": "Green Party",
    "ind": "Independent",
    "independent": "Independent",
    "reform": "Reform UK",
}
# Words that end the name of a post.
POST_WORDS = (
    r"(?:Director|Member|Inspector|Officer|Manager|Head|Leader|Executive|Lead|Chair|Chairman|Commissioner|"
    r"Adviser|Advisor|Mayor|Councillor|Worker|Secretary)"
)

# Councillor Val Gibson, the City of Wolverhampton Council's Cabinet Member for ..., said
APPOSITION = re.compile(
    rf"(?:(?P<hon>{HONORIFIC}) +)?(?P<name>{NAME})"
    rf"(?:\s*\((?P<party>[A-Z][A-Za-z ]*?)\.?\s+(?P<ward>[A-Z][\w' -]*?)\))?"
    rf",\s+(?P<post>[^,:;\"\u201c\u201d\n]{{3,150}}?),\s+(?:{SPEECH})\b"
)
# Lead Inspector Nigel Parkes; Councillor Val Gibson
TITLED = re.compile(
    rf"\b(?P<post>(?:Lead|Chief|Senior)\s+[Ii]nspector|H(?:er|is) Majesty['\u2019]s Inspector) +(?P<name>{NAME})"
    rf"|\b(?P<hon>{HONORIFIC}) +(?P<hname>{NAME})"
)
# Lead inspector: Andy Waugh, Her Majesty's Inspector
LEAD_LINE = re.compile(rf"(?m)^\s*Lead\s+inspector:\s*(?P<name>{NAME}),\s*(?P<post>[^\n]+?)\s*$")
# Cover sheet of a council report
COVER_ROLE = re.compile(
    rf"(?m)^\s*(?P<label>Accountable director|Accountable employee\(s\)|Accountable officer|Report author|"
    rf"Contact officer|Lead officer)\s+(?P<name>{NAME})(?:,\s*(?P<post>[^\n]+?))?\s*$"
)
CABINET_MEMBER = re.compile(
    rf"Cabinet\s+member\s+with\s+lead\s+responsibility\s+(?:(?P<hon>{HONORIFIC})\s+)?(?P<name>{NAME})\s*\n\s*(?P<portfolio>[^\n]+?)\s*\n"
)
POST_LINE = re.compile(rf"(?m)^\s*(?P<post>[A-Z][^\n]{{0,60}}?\b{POST_WORDS}\b[^\n]{{0,80}}?)\s*$")
OWNER = re.compile(r"^(?:the\s+)?(?P<owner>.+?)['\u2019]s\s+(?P<title>.+)$")


def _q(text: str, m: re.Match, group: str) -> Quoted[str] | None:
    if m.group(group) is None:
        return None
    span = trim(text, m.start(group), m.end(group))
    return Quoted(re.sub(r"\s+", " ", span.quote(text)), (span,))


def organisation_of(post: str, context: Context) -> str | None:
    """Whose post it is: the council named in it, Ofsted for inspectors, else the document's council."""
    if re.search(r"\binspector\b", post, re.IGNORECASE):
        return "ofsted"
    owner = OWNER.match(post)
    if owner:
        council = load_councils().resolve(owner.group("owner"))
        if council:
            return council.gss_code
    return context.council


def _post(text: str, m: re.Match, group: str = "post") -> Quoted[str] | None:
    """The post, without its owner: "the City of X Council's Cabinet Member" -> "Cabinet Member"."""
    post = _q(text, m, group)
    if post is None:
        return None
    owner = OWNER.match(post.value)
    if not owner:
        return post
    start = m.start(group) + m.group(group).rfind(owner.group("title"))
    span = Span(start, start + len(owner.group("title")))
    return Quoted(owner.group("title"), (span,))


def _party(text: str, m: re.Match) -> Quoted[str] | None:
    party = _q(text, m, "party")
    if party is None:
        return None
    name = PARTIES.get(party.value.lower().rstrip("."))
    return Quoted(name, party.spans) if name else None


def extract(text: str, context: Context) -> list[PersonFact]:
    out: list[PersonFact] = []
    for m in APPOSITION.finditer(text):
        post = _post(text, m)
        party = _party(text, m)
        out.append(
            PersonFact(
                name=_q(text, m, "name"),
                post=post,
                organisation=organisation_of(m.group("post"), context),
                honorific=_q(text, m, "hon"),
                party=party,
                ward=_q(text, m, "ward") if party else None,
                as_at=context.date,
            )
        )
    for m in TITLED.finditer(text):
        if m.group("name"):
            out.append(PersonFact(_q(text, m, "name"), _q(text, m, "post"), "ofsted", as_at=context.date))
        else:
            out.append(PersonFact(_q(text, m, "hname"), honorific=_q(text, m, "hon"), as_at=context.date))
    for m in LEAD_LINE.finditer(text):
        out.append(PersonFact(_q(text, m, "name"), _q(text, m, "post"), "ofsted", as_at=context.date))
    for m in COVER_ROLE.finditer(text):
        post = _q(text, m, "post")
        if post is None:
            # The cover sheet's columns come apart: the post is on a line further down.
            below = POST_LINE.search(text, m.end(), m.end() + 200)
            post = _q(text, below, "post") if below else None
        out.append(PersonFact(_q(text, m, "name"), post, context.council, as_at=context.date))
    for m in CABINET_MEMBER.finditer(text):
        portfolio = _q(text, m, "portfolio")
        label = Span(m.start(), m.start() + len("Cabinet member"))
        post = Quoted(f"Cabinet Member for {portfolio.value}", (label, portfolio.spans[0]))
        out.append(PersonFact(_q(text, m, "name"), post, context.council, _q(text, m, "hon"), as_at=context.date))
    return out

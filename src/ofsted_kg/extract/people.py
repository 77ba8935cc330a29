"""People named in any kind of document, with the posts and organisations the text gives them.

Read from the shapes of the language, never from a list of names: a title before
a name ("Councillor Val Gibson", "Lead Inspector Nigel Parkes"), an apposition
("Linda Sanders, the City of Wolverhampton Council's Strategic Director - People,
said"), a party and ward in brackets ("(Lab. Ettingshall)"), and the role rows of
a council report's cover sheet ("Accountable director Linda Sanders, Strategic
Director, People").
"""

from __future__ import annotations

import functools
import re

from ofsted_kg.councils import load_councils
from ofsted_kg.facts import Context, PersonFact
from ofsted_kg.text import Quoted, Span, squash, trim

# Two or three capitalised words on one line (a name is never broken over lines here).
NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?: (?:Mc|Mac|O['\u2019])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,2}"
HONORIFIC = r"Councillor|Councilor|Cllr\.?|Mr|Mrs|Ms|Miss|Dr|Professor|Sir|Dame"
SPEECH = r"said|says|added|adds|commented|explained|told|stated|wrote|writes|warned|warns"
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
    r"Adviser|Advisor|Mayor|Councillor|Worker|Secretary|Holder|Lawyer|Solicitor|Accountant|Partner|Scrutineer|"
    r"Coordinator|Co-ordinator|Analyst|Headteacher)"
)

# Councillor Val Gibson, the City of Wolverhampton Council's Cabinet Member for ..., said
APPOSITION = re.compile(
    rf"(?:(?P<hon>{HONORIFIC}) +)?(?P<name>{NAME})"
    rf"(?:\s*\((?P<party>[A-Z][A-Za-z ]*?)\.?,?\s+(?P<ward>[A-Z][\w' -]*?)\))?"
    rf",\s+(?P<post>[^:;\"\u201c\u201d\n]{{3,150}}?),\s+(?:{SPEECH})\b"
)
# Lorraine Smith, the council's director of children's services, was keen ...: a post between two commas
# after a name, whatever the sentence goes on with (it has a post's word and no comma of its own;
# APPOSITION, with a verb of saying after it, takes posts with commas).
APPOSITION_POST = re.compile(
    rf"(?:(?P<hon>{HONORIFIC}) +)?(?P<name>{NAME}),[ \t]+(?P<post>[^:;,\"\u201c\u201d\n()]{{3,100}}?),[ \t]+"
    # (then the sentence goes on: not a capitalised word or 'and', which would be more of the post)
    r"(?!and\b)(?=[a-z])"
)
# What may follow a comma inside a post ("corporate director of children, families and education";
# "Service Director, Legal and Governance"), and what may not: a clause, an age, another person.
_NOT_IN_POST = re.compile(r"^(?:and\s+)?(?:who|which|whose|where|when|aged|both|a|an|\d)\b", re.IGNORECASE)
# Lead Inspector Nigel Parkes; Councillor Val Gibson
TITLED = re.compile(
    rf"\b(?P<post>(?:[Ll]ead|Chief|Senior)\s+[Ii]nspector|H(?:er|is) Majesty['\u2019]s Inspector) +(?P<name>{NAME})"
    rf"|\b(?P<hon>{HONORIFIC}) +(?P<hname>{NAME})"
)
# Lead inspector: Andy Waugh, Her Majesty's Inspector
LEAD_LINE = re.compile(rf"(?m)^\s*Lead\s+inspector:\s*(?P<name>{NAME}),\s*(?P<post>[^\n]+?)\s*$")
# Cover sheet of a council report: a role's label, then the person (on its line, after a colon or spaces,
# or on the next line), then the post ("Report from: Jane Smith, Director of Children's Services").
COVER_LABELS = (
    r"Accountable director|Accountable employee\(s\)|Accountable officer|Report author|Author|Report from|"
    r"Contact officer|Lead officer|Lead member|Portfolio holder|Cabinet member|Corporate director|Group director|"
    r"Strategic director|Executive director|Director|Responsible officer|Chief officer|Report authorised by|"
    r"Lawyer consulted|Finance officer consulted"
)
COVER_ROLE = re.compile(
    rf"(?m)^[ \t]*(?P<label>(?i:{COVER_LABELS}))[ \t]*(?::[ \t]*|[ \t]+|\n[ \t]*)(?:Name:[ \t]*)?"
    rf"(?:(?P<hon>{HONORIFIC})\.?[ \t]+)?(?P<name>{NAME})(?:,[ \t]*(?P<post>[^\n]+?))?"
    # (a line may go on with the person's telephone, e-mail or the date it was signed)
    r"(?:[ \t]{2,}(?:Tel|Telephone|Email|E-mail|Date)\b[^\n]*)?[ \t]*$"
)
# A post that runs on to the next line of a cover sheet's column.
CONTINUED = re.compile(r"\n[ \t]{8,}(?P<more>[^\n:]{3,80}?)[ \t]*$", re.MULTILINE)
CABINET_MEMBER = re.compile(
    rf"Cabinet\s+member\s+with\s+lead\s+responsibility\s+(?:(?P<hon>{HONORIFIC})\s+)?(?P<name>{NAME})\s*\n\s*(?P<portfolio>[^\n]+?)\s*\n"
)
POST_LINE = re.compile(rf"(?m)^\s*(?P<post>[A-Z][^\n]{{0,60}}?\b{POST_WORDS}\b[^\n]{{0,80}}?)\s*$")
OWNER = re.compile(r"^(?:the\s+)?(?P<owner>.+?)['\u2019]s\s+(?P<title>.+)$")
_POST_WORD = re.compile(rf"\b{POST_WORDS}\b", re.IGNORECASE)


def _owner(post: str) -> re.Match[str] | None:
    """The owner before a post ("the council's corporate director"), not a possessive inside the post's
    own words ("Cabinet Member for Children and Young People's Services", "His Majesty's Inspector"):
    the title after it names a post, and the owner does not."""
    m = OWNER.match(post)
    if not m or re.fullmatch(r"H(?:er|is)\s+Majesty", m.group("owner")):
        return None
    return m if _POST_WORD.search(m.group("title")) and not _POST_WORD.search(m.group("owner")) else None


# What a personal name is written with but is not part of it: an honorific before it, an
# inspector's post before or after it ("Senior HMI Jane Smith", "Jane Smith (HMI)", "Jane Smith,
# His Majesty's Inspector").
INSPECTOR_POST = (
    r"(?:(?:Senior|Lead|Deputy|Team|Designated)\s+)?(?:S?HMIs?|H(?:er|is)\s+Majesty['\u2019]s\s+Inspectors?|"
    r"(?:Ofsted|Social\s+Care|Regulatory|Social\s+Care\s+Regulatory)\s+Inspectors?)"
)
_BEFORE_NAME = re.compile(rf"^(?:(?:{HONORIFIC})\.?|{INSPECTOR_POST})\s+")
_AFTER_NAME = re.compile(rf"(?:[\s,;:.]+|\s*[,(]\s*{INSPECTOR_POST}\s*\)?|\s+{INSPECTOR_POST})$")
# One word of a personal name: 'Smith', 'McInerney', "O'Brien", 'Thomson-Jones', 'Jenny-ellen', an
# initial ('J', 'J.'), or a particle inside it ('Le', 'van', 'de').
_PARTICLE = r"(?:de|del|der|den|van|von|le|la|da|di|du|bin|al)"
_FULL_WORD = r"(?:Mc|Mac|O['\u2019]|D['\u2019])?[A-Z][a-z]+(?:[-'\u2019][A-Za-z][a-z]+)*"
PERSONAL_NAME = re.compile(rf"{_FULL_WORD}(?:[ \t]+(?:{_FULL_WORD}|[A-Z]\.?|{_PARTICLE})){{0,2}}[ \t]+{_FULL_WORD}")
# Words that name things, not people: kinds of body, document and service, and the words of posts.
# A phrase holding one ('Adoption Report', 'Children in Care Council') is not a personal name.
NOT_NAME_WORDS = {
    w.lower()
    for w in (
        "Report Reports Council Councils Board Boards Plan Plans Service Services Team Teams Panel Committee Authority "
        "Department Agency Act Review Reviews Inspection Inspections Framework Strategy Policy Unit Centre Centres "
        "Forum Network Partnership Partnerships Trust Group Groups Programme Project Office Hub Children Care "
        "Adoption Fostering Safeguarding Education Health Social Annual Local National Corporate County City Borough "
        "Metropolitan District Government Minister Secretary Families Youth People Leaving "
        "Assessment Protection Practice Contact Point Front Door Multi Agency Looked After Leavers Care "
        "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Ofsted "
        # the words of a service's or a function's name ('Head of Service - Early Help', '... - Quality Assurance')
        "Help Early Quality Assurance Improvement Performance Commissioning Operations Intelligence Resources "
        "Finance Inclusion Learning Skills Development Justice Offending Permanence Placements Sufficiency"
    ).split()
} | {w.lower() for w in re.findall(r"\w+", POST_WORDS + " " + HONORIFIC) if w != "Head"}  # Head: a surname too


def personal_name(text: str, start: int, end: int) -> Span | None:
    """The personal name in text[start:end], without the honorifics and posts written around it,
    or None if what is left does not look like a personal name: two to four capitalised words on one
    line, none of them a word for a body, a document or a post, and not all of them words the
    text itself also writes in lower case ('Adoption Report' next to 'the adoption report')."""
    span = trim(text, start, end)
    while True:
        value = span.quote(text)
        before = _BEFORE_NAME.match(value)
        after = _AFTER_NAME.search(value)
        if before:
            span = trim(text, span.start + before.end(), span.end)
        elif after and after.start() > 0:
            span = trim(text, span.start, span.start + after.start())
        else:
            break
    value = span.quote(text)
    if not PERSONAL_NAME.fullmatch(value):
        return None
    words = re.findall(r"[\w'\u2019-]+", value)
    if any(w.lower() in NOT_NAME_WORDS or w.lower().removesuffix("s") in NOT_NAME_WORDS for w in words):
        return None  # ('Chief Officers': a word of a post, in the plural too)
    if words[0].lower() in NOT_FIRST_WORDS or any(
        m.end - m.start == len(value) for m in load_councils().mentions(value)
    ):
        return None  # ('In Tower Hamlets', 'North East', 'Tower Hamlets': a place, not a person)
    common = [w for w in words if len(w) > 1 and written_in_lower_case(text, w.lower())]
    return None if len(common) == len([w for w in words if len(w) > 1]) else span


# Words a personal name does not start with: prepositions and articles ('In West Kent, the Director, ...'), and
# the points of the compass that name England's regions ('North East Senior HMI').
NOT_FIRST_WORDS = frozenset(
    "in at across for from with by on of the and but as after before since under over within "
    "north south east west central".split()
)


# An e-mail or web address, whose lower-case words ('jane.smith@council.gov.uk') are not the text's own.
_ADDRESS = re.compile(r"(?<!\S)[^\s@]+@\S+|\bhttps?://\S+|\bwww\.\S+")


@functools.lru_cache(maxsize=8)
def _without_addresses(text: str) -> str:
    return _ADDRESS.sub(" ", text)


@functools.lru_cache(maxsize=8)
def _words_of(text: str) -> frozenset[str]:
    """The words of a text outside its addresses, each a run of letters, digits and hyphens: read once per
    text, where a search of the text for each name's words made a document of many names quadratic."""
    return frozenset(re.findall(r"[\w-]+", _without_addresses(text)))


def written_in_lower_case(text: str, word: str) -> bool:
    """Whether the text writes the word, in lower case, as a word of its own."""
    if re.fullmatch(r"[\w-]+", word):
        return word in _words_of(text)
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", _without_addresses(text)) is not None


def post_fits(post: str) -> bool:
    """Whether the words an apposition gives as a post can be one: without a comma, any; with commas,
    only words of a post, a title among them, none of its parts a clause or another person's name."""
    pieces = [p.strip() for p in post.split(",")]
    if _NOT_IN_POST.match(pieces[0]) and not _owner(pieces[0]):
        return False  # ('Jo Smith, who leads the opposition group, said': a clause, not a post)
    if len(pieces) == 1:
        return True
    if not _POST_WORD.search(post) or len(pieces) > 4:
        return False
    for piece in pieces[1:]:
        words = re.sub(r"^and\s+", "", piece)
        if not words or _NOT_IN_POST.match(piece) or personal_name(words, 0, len(words)):
            return False
    return True


def _named(text: str, m: re.Match[str], group: str) -> Quoted[str] | None:
    """A name matched by a pattern, as a personal name (personal_name), or None."""
    if m.group(group) is None:
        return None
    span = personal_name(text, m.start(group), m.end(group))
    return Quoted(span.quote(text), (span,)) if span else None


def _q(text: str, m: re.Match[str], group: str) -> Quoted[str] | None:
    if m.group(group) is None:
        return None
    span = trim(text, m.start(group), m.end(group))
    return Quoted(squash(span.quote(text)), (span,))


def organisation_of(post: str, context: Context) -> str | None:
    """Whose post it is: the council named in it, Ofsted for inspectors, else the document's council."""
    if re.search(r"\binspector\b", post, re.IGNORECASE):
        return "ofsted"
    owner = _owner(post)
    if owner:
        council = load_councils().resolve(owner.group("owner"))
        if council:
            return council.gss_code
    return context.council


def _post(text: str, m: re.Match[str], group: str = "post") -> Quoted[str] | None:
    """The post, without its owner: "the City of X Council's Cabinet Member" -> "Cabinet Member"."""
    post = _q(text, m, group)
    if post is None:
        return None
    owner = _owner(post.value)
    if not owner:
        return post
    start = m.start(group) + m.group(group).rfind(owner.group("title"))
    span = Span(start, start + len(owner.group("title")))
    return Quoted(owner.group("title"), (span,))


def _party(text: str, m: re.Match[str]) -> Quoted[str] | None:
    party = _q(text, m, "party")
    if party is None:
        return None
    name = PARTIES.get(party.value.lower().rstrip("."))
    return Quoted(name, party.spans) if name else None


def extract(text: str, context: Context) -> list[PersonFact]:
    out: list[PersonFact] = []
    for m in APPOSITION.finditer(text):
        if not (name := _named(text, m, "name")):
            continue
        if not post_fits(m.group("post")):
            if _NOT_IN_POST.match(m.group("post")):  # 'Jo Smith, who leads the group, said': a person, no post
                out.append(PersonFact(name=name, honorific=_q(text, m, "hon"), as_at=context.date))
            continue
        post = _post(text, m)
        party = _party(text, m)
        out.append(
            PersonFact(
                name=name,
                post=post,
                organisation=organisation_of(m.group("post"), context),
                honorific=_q(text, m, "hon"),
                party=party,
                ward=_q(text, m, "ward") if party else None,
                as_at=context.date,
            )
        )
    said = {p.name.spans for p in out}
    for m in APPOSITION_POST.finditer(text):
        post_words = m.group("post")
        if len(post_words.split()) > 12 or not _POST_WORD.search(post_words) or _NOT_IN_POST.match(post_words):
            continue
        if not (name := _named(text, m, "name")) or name.spans in said:
            continue
        out.append(
            PersonFact(
                name=name,
                post=_post(text, m),
                organisation=organisation_of(post_words, context),
                honorific=_q(text, m, "hon"),
                as_at=context.date,
            )
        )
    for m in TITLED.finditer(text):
        if not (name := _named(text, m, "name" if m.group("name") else "hname")):
            continue
        if m.group("name"):
            out.append(PersonFact(name, _q(text, m, "post"), "ofsted", as_at=context.date))
        else:
            out.append(PersonFact(name, honorific=_q(text, m, "hon"), as_at=context.date))
    for m in LEAD_LINE.finditer(text):
        if name := _named(text, m, "name"):
            out.append(PersonFact(name, _q(text, m, "post"), "ofsted", as_at=context.date))
    for m in COVER_ROLE.finditer(text):
        if not (name := _named(text, m, "name")):
            continue
        post = _q(text, m, "post")
        more = CONTINUED.match(text, m.end()) if post is not None else None
        if post is not None and more:
            post = Quoted(f"{post.value} {more.group('more')}", (*post.spans, Span(*more.span("more"))))
        if post is None:
            # The cover sheet's columns come apart: the post is on a line further down.
            below = POST_LINE.search(text, m.end(), m.end() + 200)
            post = _q(text, below, "post") if below else None
        out.append(PersonFact(name, post, context.council, honorific=_q(text, m, "hon"), as_at=context.date))
    for m in CABINET_MEMBER.finditer(text):
        portfolio = _q(text, m, "portfolio")  # (never None: the pattern has one)
        if not (name := _named(text, m, "name")) or portfolio is None:
            continue
        label = Span(m.start(), m.start() + len("Cabinet member"))
        post = Quoted(f"Cabinet Member for {portfolio.value}", (label, portfolio.spans[0]))
        out.append(PersonFact(name, post, context.council, _q(text, m, "hon"), as_at=context.date))
    return out

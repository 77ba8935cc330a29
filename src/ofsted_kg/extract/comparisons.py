"""Other councils a document names, with the claim made about each (e.g. a regional ranking).

"in the West Midlands only Staffordshire is ranked higher", "just behind Telford
and Wrekin": the council named becomes a resource of its own, with the sentence
as the claim, and a ranking above the document's council where the words say so.
"""

from __future__ import annotations

import re

from ofsted_kg.councils import load_councils
from ofsted_kg.facts import ClaimFact, Context
from ofsted_kg.text import Quoted, sentences, squash

# "<X> is ranked higher", "just behind <X>", "behind only <X>": X ranks above the document's council.
ABOVE_AFTER = re.compile(r"^\s*(?:is|was|are|were)\s+(?:ranked|rated|placed)\s+(?:higher|above|ahead)\b", re.IGNORECASE)
ABOVE_BEFORE = re.compile(r"\b(?:behind|below|after)\s+(?:only\s+)?$", re.IGNORECASE)
# "ahead of <X>", "above <X>": X ranks below.
BELOW_BEFORE = re.compile(r"\b(?:ahead\s+of|above|higher\s+than|better\s+than)\s+$", re.IGNORECASE)
MIN_WORDS = 6  # fewer words make a heading ("Birmingham & Black Country"), not a claim
# A claim about another council compares how it performs or was judged; other mentions
# ("See more stories from across Birmingham", a postal address) are not claims.
CLAIM_CUES = re.compile(
    r"\b(?:rank(?:ed|ing)?|rated|rating|judged|judgements?|inspect\w*|perform\w*|best|worst|behind|ahead|"
    r"higher|lower|better|outstanding|good|inadequate|requires\s+improvement|compared?)\b",
    re.IGNORECASE,
)


def extract(text: str, context: Context) -> list[ClaimFact]:
    if context.council is None:
        return []
    others = [m for m in load_councils().mentions(text) if m.council.gss_code != context.council]
    if not others:
        return []
    spans = sentences(text)
    out = []
    for mention in others:
        sentence = next((s for s in spans if s.start <= mention.start and mention.end <= s.end), None)
        if sentence is None:
            continue
        words = sentence.quote(text)
        if len(words.split()) < MIN_WORDS or not CLAIM_CUES.search(words):
            continue
        before, after = text[sentence.start : mention.start], text[mention.end : sentence.end]
        ranking = None
        if ABOVE_AFTER.match(after) or ABOVE_BEFORE.search(before):
            ranking = "above"
        elif BELOW_BEFORE.search(before):
            ranking = "below"
        out.append(
            ClaimFact(
                council=mention.council.gss_code,
                about=context.council,
                mention=Quoted.at(squash(text[mention.start : mention.end]), mention.start, mention.end),
                claim=Quoted(squash(words), (sentence,)),
                ranking=ranking,
            )
        )
    return out

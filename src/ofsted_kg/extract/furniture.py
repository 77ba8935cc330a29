"""Web-page furniture in the text of a press release or news article: where no fact is read.

A page saved as text keeps the site's lists of other stories ("Related stories", "Related news", "Most
read") and its one-line teasers ("READ MORE: ..."). Their headlines are other articles' words: a count of
homes in a headline about a housing appeal, or a family hub opening in a town, is no fact of this
document. A list runs from its heading over the short lines under it (headlines carry no full stop), to
the first line of prose or the end of the text.
"""

from __future__ import annotations

import re

from ofsted_kg.text import Span

# Headings of a page's lists of other stories, alone on their line.
HEADING = re.compile(
    r"(?im)^[ \t]*(?:related|more|other|latest|top|most\s+(?:read|popular|viewed))"
    r"(?:[ \t]+(?:news|stories|articles|content|links|reading|on\s+this(?:\s+\w+)?))?[ \t]*:?[ \t]*$"
)
# A teaser of another story: 'READ MORE: ...' on a line of its own.
TEASER = re.compile(r"(?im)^[ \t]*(?:read\s+more|see\s+also|also\s+read)\s*:[^\n]*$")
HEADLINE = 120  # characters: a headline under a list's heading is shorter than this, and ends without a full stop


def spans(text: str) -> list[Span]:
    """The spans of the page's lists of other stories and its teasers."""
    out = [Span(m.start(), m.end()) for m in TEASER.finditer(text)]
    for heading in HEADING.finditer(text):
        if heading.group(0).strip().lower() in ("more", "other", "latest", "top"):
            continue  # a word alone is no heading of a list
        end = heading.end()
        for line in re.finditer(r"[^\n]*(?:\n|$)", text[heading.end() :]):
            content = line.group(0).strip()
            if not line.group(0):
                break
            if content and (len(content) > HEADLINE or content.endswith((".", ":"))):
                break
            end = heading.end() + line.end()
        out.append(Span(heading.start(), end))
    return sorted(out)

"""Story body versus page boilerplate in plain text.

Pasted or scraped articles carry a publisher's street address, navigation lines, newsletter and
"republish" notices. Those are not the story and must not put places on the map (a Berlin office
address is not a place in an Iraq story). :func:`boilerplate_spans` finds such lines by their form;
the geoparser skips mentions inside them. Offsets always refer to the text as given.

>>> text = "Acme Media\\nMain Street 9, 10119 Berlin, Germany\\n\\nFighting spread to Mosul.\\n"
>>> [text[s:e] for s, e in boilerplate_spans(text)]
['Main Street 9, 10119 Berlin, Germany']
"""

from __future__ import annotations

import bisect
import re

from conflict_map.text.sentences import lines

_STREET = (
    r"(?:stra(?:ss|ß)e|str\.|street|st\.|road|rd\.|avenue|ave\.|boulevard|blvd|lane|platz|allee|weg|gasse|rue|via|"
    r"calle|square|plaza)"
)
_ADDRESS_RES = (
    # "Brunnenstraße 9, 10119 Berlin" / "12 Main Street, London" / "PO Box 123"
    re.compile(rf"\b\w*{_STREET}\s*\d+[a-z]?\s*,", re.I),
    re.compile(rf"\b\d+[a-z]?\s+(?:[A-Z][\w.'-]*\s+){{1,4}}(?i:{_STREET})(?:,|\s*$)"),
    re.compile(r"\b\d{4,5}\s+[A-Z][\w-]+\s*,\s*[A-Z][a-z]+", re.U),  # postcode City, Country
    re.compile(r"\bP\.?\s?O\.?\s+Box\s+\d+", re.I),
)
_NOTICE_RE = re.compile(
    r"republish|re-publish|subscribe|newsletter|e-?mail address|cookies? (?:policy|settings|consent)|copyright|©|"
    r"all rights reserved|follow us|share this|share on|our other projects|related (?:articles|stories)|read more|"
    r"sign up|privacy policy|terms of (?:use|service)|advertisement|log ?in\b|registered\b|skip to (?:main )?content|"
    r"click here|download (?:the )?app|please mention",
    re.I,
)
#: Phrases that mark a notice even in a long line (a whole "republish our articles" paragraph).
_STRONG_NOTICE_RE = re.compile(
    r"republish|re-publish|all rights reserved|copyright ©|subscribe to our|sign up for our|our other projects",
    re.I,
)
_MAX_NOTICE_WORDS = 12


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """Line spans of ``text`` that look like page furniture rather than story."""
    out: list[tuple[int, int]] = []
    for s, e in lines(text):
        if _is_boilerplate(text[s:e].strip()):
            out.append((s, e))
    return out


def _is_boilerplate(line: str) -> bool:
    if len(line) <= 120 and any(r.search(line) for r in _ADDRESS_RES):
        return True  # a postal address
    if len(line) <= 400 and _STRONG_NOTICE_RE.search(line):
        return True  # "You are welcome to republish our articles..."
    # short navigation / notice lines, but not a quotation that happens to mention them
    return len(line.split()) <= _MAX_NOTICE_WORDS and bool(_NOTICE_RE.search(line)) and not line.endswith(('"', "”"))


def in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    """True when offset ``pos`` falls inside one of ``spans`` (sorted, non-overlapping)."""
    if not spans:
        return False
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


#: A paragraph: text up to a blank line; line ends as given (LF, CRLF or a lone CR).
_PARAGRAPH_RE = re.compile(r"\S(?:[^\r\n]|(?:\r\n|\r|\n)(?![ \t]*(?:\r\n|\r|\n)))*")


def story_span(text: str, boiler: list[tuple[int, int]] | None = None) -> tuple[int, int]:
    """The story body: after the page furniture at the top, before the furniture at the bottom.

    The body starts after the last boilerplate line that comes before the first paragraph of prose (25 words
    or more outside boilerplate lines; paragraphs are separated by blank lines), so a masthead and address above
    the headline are left out; it ends at the first boilerplate line after the last paragraph of prose.
    """

    def words_of_story(ps: int, pe: int) -> int:  # words of a paragraph outside boilerplate lines
        n = len(text[ps:pe].split())
        for s, e in boiler:
            if ps <= s and e <= pe:
                n -= len(text[s:e].split())
        return n

    if boiler is None:
        boiler = boilerplate_spans(text)
    prose = [(m.start(), m.end()) for m in _PARAGRAPH_RE.finditer(text) if words_of_story(*m.span()) >= 25]
    if not prose:
        return (0, len(text))
    first, last = prose[0][0], prose[-1][1]
    start = max((e for s, e in boiler if e <= first), default=0)
    end = min((s for s, e in boiler if s >= last), default=len(text))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end)


def story_title(text: str, limit: int = 120) -> str:
    """The first line of the story body (the headline), shortened to ``limit`` characters."""
    start, end = story_span(text)
    for line in text[start:end].splitlines():
        line = line.strip().rstrip(":")
        if line:
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return ""

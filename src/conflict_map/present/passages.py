"""The text of a story: the sentences about a place (names highlighted), and the article's headline and lead.

A place step shows the first distinct sentences that name the place (:func:`passages`): whitespace runs
collapsed, a long sentence cut to a window around the name, a headline glued onto the first sentence
dropped. :func:`headline_and_lead` finds the article's headline just above its first paragraph, so page
furniture further up (a publisher's address, a site menu) is neither the title nor a place of the story.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from conflict_map.models import Mention, ParseResult

#: A sentence longer than this is cut to a window around the place name.
MAX_SENTENCE_CHARS = 360


def squash(text: str, spans: Sequence[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """Collapse whitespace runs to one space (and strip), mapping ``spans`` onto the new text."""
    out: list[str] = []
    new_pos = [0] * (len(text) + 1)
    prev_space = True  # drops leading whitespace
    for i, ch in enumerate(text):
        new_pos[i] = len(out)
        if ch.isspace():
            if not prev_space:
                out.append(" ")
            prev_space = True
        else:
            out.append(ch)
            prev_space = False
    new_pos[len(text)] = len(out)
    s = "".join(out)
    stripped = s.rstrip()
    mapped = []
    for a, b in spans:
        na, nb = new_pos[max(0, min(a, len(text)))], new_pos[max(0, min(b, len(text)))]
        nb = min(nb, len(stripped))
        if na < nb:
            mapped.append((na, nb))
    return stripped, mapped


def _window(text: str, spans: list[tuple[int, int]], limit: int) -> tuple[str, list[tuple[int, int]]]:
    """Cut a long sentence to about ``limit`` characters around its first highlighted span."""
    if len(text) <= limit:
        return text, spans
    first = spans[0] if spans else (0, 0)
    start = max(0, min(first[0] - limit // 3, len(text) - limit))
    # start and end on word boundaries
    if start > 0:
        sp = text.find(" ", start)
        start = sp + 1 if 0 <= sp < first[0] else start
    end = min(len(text), start + limit)
    if end < len(text):
        sp = text.rfind(" ", max(first[1], start), end)
        end = sp if sp > first[1] else end
    pre = "\u2026 " if start > 0 else ""
    post = " \u2026" if end < len(text) else ""
    shift = len(pre) - start
    out = pre + text[start:end] + post
    kept = [(a + shift, b + shift) for a, b in spans if a >= start and b <= end]
    return out, kept


def _lines_with_marks(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """Keep only the lines from the first to the last one holding a span (drops a headline glued on)."""
    if "\n" not in text or not spans:
        return text, spans
    starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    first = max(i for i, st in enumerate(starts) if st <= spans[0][0])
    last = max(i for i, st in enumerate(starts) if st <= spans[-1][0])
    a = starts[first]
    b = starts[last + 1] if last + 1 < len(starts) else len(text)
    return text[a:b], [(x - a, y - a) for x, y in spans if a <= x and y <= b]


def passages(
    mentions: Sequence[Mention], max_sentences: int, skip: Iterable[str] = ()
) -> tuple[str, list[tuple[int, int]]]:
    """The distinct sentences of ``mentions`` (first ``max_sentences``), the names highlighted.

    A sentence that is (part of) one of ``skip`` (the headline, already on the title step) is left out
    when the place has other sentences.
    """
    skip = {" ".join(x.split()) for x in skip if x}
    by_sentence: dict[int, tuple[str, list[tuple[int, int]]]] = {}
    for m in mentions:
        key = m.sentence_start if m.sentence else m.start
        sent = m.sentence or m.text
        entry = by_sentence.setdefault(key, (sent, []))
        rs, re_ = m.start - key, m.end - key
        if 0 <= rs < re_ <= len(sent) and sent[rs:re_] == m.text:
            entry[1].append((rs, re_))
    items = list(by_sentence.values())
    if skip and len(items) > 1:
        rest = [it for it in items if not any(" ".join(it[0].split()) in h for h in skip)]
        items = rest or items
    parts: list[str] = []
    marks: list[tuple[int, int]] = []
    offset = 0
    for sent, spans in items[:max_sentences]:
        sent, spans = _lines_with_marks(sent, sorted(set(spans)))
        t, sp = squash(sent, spans)
        t, sp = _window(t, sp, MAX_SENTENCE_CHARS)
        if not t:
            continue
        if parts:
            offset += 2  # "\n\n"
        parts.append(t)
        marks += [(a + offset, b + offset) for a, b in sp]
        offset += len(t)
    return "\n\n".join(parts), marks


_PARA_END = re.compile(r"""[.!?]["'”’)]?$""")


def _lines(result: ParseResult) -> tuple[list[str], list[int]]:
    """The body's lines, stripped (empty strings mark blank lines), and their offsets in the text."""
    start = result.body[0] if result.body[1] > result.body[0] else 0
    body = result.text[start : result.body[1]] if result.body[1] > result.body[0] else result.text
    lines, offsets, pos = [], [], start
    for raw in body.splitlines(keepends=True):
        lines.append(raw.strip())
        offsets.append(pos)
        pos += len(raw)
    return lines, offsets


def _is_paragraph(line: str) -> bool:
    n = len(line.split())
    return n >= 25 or (n >= 12 and bool(_PARA_END.search(line)))


def _is_byline(line: str) -> bool:
    words = line.split()
    return 1 <= len(words) <= 4 and not _PARA_END.search(line) and all(w[:1].isupper() for w in words)


def headline_and_lead(result: ParseResult) -> tuple[str, str, int]:
    """(headline, first sentence of the first paragraph, offset where the article starts) of the text.

    The headline is the short line(s) just above the first paragraph (a byline such as "Jane Doe"
    between them is skipped), so page furniture further up (a publisher's name and address, a site
    menu) is not taken for it; the article starts at the headline (or the first paragraph).
    ``""`` for what is not found.
    """
    lines, offsets = _lines(result)
    first_para = next((i for i, ln in enumerate(lines) if _is_paragraph(ln)), None)
    if first_para is None:
        first = next((ln for ln in lines if ln), "")
        ok = first and len(first) <= 160 and not first.endswith((".", ",", ";"))
        return (first if ok else ""), "", 0
    i = first_para - 1
    while i >= 0 and (not lines[i] or _is_byline(lines[i])):
        i -= 1
    head: list[str] = []
    while i >= 0 and lines[i] and len(lines[i]) <= 160 and not _is_paragraph(lines[i]) and len(head) < 3:
        head.insert(0, lines[i])
        i -= 1
    headline = " ".join(head)
    if len(headline) > 200:
        headline = head[-1]
    para = lines[first_para]
    m = re.match(r"(.{20,400}?[.!?])(\s|$)", para)
    return headline, (m.group(1) if m else para[:300]), offsets[i + 1]


__all__ = ["MAX_SENTENCE_CHARS", "headline_and_lead", "passages", "squash"]

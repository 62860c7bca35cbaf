"""Where text enters the program: one cleaner for every string, and the size limit of an article.

Every replacement is one character for one, so offsets into the cleaned text are offsets into the text as
given. Used for article text, titles and other metadata, JSONL fields, file names, alias names and notes.
"""

from __future__ import annotations

import re

#: Largest text accepted (characters); a 600-word article is about 4,000.
MAX_TEXT_CHARS = 5 * 1024 * 1024

#: Characters XML 1.0 forbids (C0 controls but tab, LF and CR; lone UTF-16 surrogates; U+FFFE, U+FFFF) and DEL.
_FORBIDDEN_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_INVALID_RE = re.compile(r"[\ud800-\udfff\ufffe\uffff]")
_REPLACEMENTS = {0x0B: "\n", 0x0C: "\n"} | {c: " " for c in (*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F)}


def _replacement(m: re.Match[str]) -> str:
    ch = m.group()
    return _REPLACEMENTS.get(ord(ch), "\ufffd")


def clean_text(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids, replaced one for one so offsets stay valid.

    Vertical tab and form feed (a PDF page break) become a line feed, other control characters a space, lone
    UTF-16 surrogates (from JSON ``"\\ud800"`` or a file name that is not UTF-8) and U+FFFE/U+FFFF become
    U+FFFD. Tab, line feed and carriage return are kept. The one shared cleaner for every text that enters
    the program: article text, titles and other metadata, JSONL fields, file names, alias names, notes.

    >>> clean_text("Mosul \\ud800 Baghdad\\x01") == "Mosul \\ufffd Baghdad "
    True
    """
    if _FORBIDDEN_RE.search(value) is None:
        return value
    return _FORBIDDEN_RE.sub(_replacement, value)


def text_warnings(text: str, label: str) -> list[str]:
    """A warning for ``label`` when its text holds invalid characters that :func:`clean_text` will replace."""
    n = len(_INVALID_RE.findall(text)) if _INVALID_RE.search(text) else 0
    if not n:
        return []
    return [f"{label}: {n} invalid character(s) (lone surrogates or non-characters) replaced by U+FFFD"]


_LONE_CR_RE = re.compile(r"\r(?!\n)")


def clean_article(text: str) -> str:
    """The article text offsets refer to: :func:`clean_text`, a lone CR (old Mac line end) read as LF.

    Every replacement is one character for one, so offsets equal offsets into the text as given
    (``\r\n`` line ends are kept); a byte-order mark left at the start (pasted text) reads as a space.
    """
    text = clean_text(text)
    if text.startswith("\ufeff"):
        bom = len(text) - len(text.lstrip("\ufeff"))
        text = " " * bom + text[bom:]
    return _LONE_CR_RE.sub("\n", text) if "\r" in text else text

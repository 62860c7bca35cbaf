"""Read user input (a path, uploaded bytes or pasted text) into plain text plus metadata.

Supported inputs:

* ``.txt`` (and any unknown extension that looks like text): UTF-8, UTF-8 with BOM, UTF-16/32 with BOM,
  UTF-16 without BOM (detected from the NUL pattern); otherwise cp1252, then latin-1, with a warning.
* ``.html`` / ``.htm`` / ``.xhtml``: the story body and metadata (title, date, publisher, canonical URL)
  via trafilatura. The page is only parsed, never rendered; scripts are never run.
* ``.pdf``: text of every page via pypdf.

Everything the user can get wrong raises :class:`conflict_map.errors.InputError` with a message that says
what is wrong and, for limits, what the limit is. Only regular files are read (a FIFO, a device or a socket is
refused before it is opened), and never more than the size limit, whatever the file system reports.

All text that enters the program (file text, pasted text, JSONL fields, file names, alias names, notes) goes
through :func:`clean_text`: characters XML 1.0 forbids are replaced one for one, so offsets into an article
stay offsets into the text as given. Line ends are kept as given (``\r\n`` stays ``\r\n``).

>>> doc = read_bytes(b"Fighting continued near Mosul.", "note.txt")
>>> doc.text
'Fighting continued near Mosul.'
"""

from __future__ import annotations

import codecs
import io
import logging
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from conflict_map.errors import InputError
from conflict_map.text.clean import MAX_TEXT_CHARS, clean_article, clean_text, text_warnings

#: Largest file accepted, in bytes (PDFs and HTML pages carry a lot of markup).
MAX_FILE_BYTES = 20 * 1024 * 1024

TEXT_EXTENSIONS = frozenset({".txt", ".text", ".md", ".csv", ""})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".shtml"})
PDF_EXTENSIONS = frozenset({".pdf"})
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | HTML_EXTENSIONS | PDF_EXTENSIONS

_MB = 1024 * 1024


@dataclass(slots=True)
class SourceDocument:
    """The text of one input and what is known about where it came from.

    ``date`` is an ISO date string (``YYYY-MM-DD``) or ``""``; ``format`` is ``"txt"``, ``"html"``
    or ``"pdf"``; ``warnings`` are human-readable notes (e.g. an encoding guess) to show the user.
    """

    text: str
    title: str = ""
    date: str = ""
    url: str = ""
    publisher: str = ""
    name: str = ""
    format: str = "txt"
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (without the text)."""
        return {
            "title": self.title,
            "date": self.date,
            "url": self.url,
            "publisher": self.publisher,
            "name": self.name,
            "format": self.format,
            "warnings": list(self.warnings),
        }


# --------------------------------------------------------------------------- public API


def read_path(path: str | Path) -> SourceDocument:
    """Read a file from disk; the format is chosen by extension, then by content."""
    p = Path(path)
    return read_bytes(read_file_bytes(p), p.name)


def read_stdin(limit: int | None = None) -> SourceDocument:
    """Read an article from standard input (``-`` on the command line), at most ``limit`` bytes."""
    limit = MAX_FILE_BYTES if limit is None else limit
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError("standard input is not available")
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"standard input is larger than the limit of {limit // _MB} MB")
    return read_bytes(data, "stdin")


_NOT_REGULAR = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> str:
    return next((what for test, what in _NOT_REGULAR if test(mode)), "not a regular file")


def check_regular_file(path: str | Path) -> os.stat_result:
    """The status of ``path`` (symlinks followed) when it is a regular file; :class:`InputError` otherwise.

    Nothing is opened: a FIFO would block the reader until someone writes to it.
    """
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError as exc:
        raise InputError(f"{p}: no such file") from exc
    except (OSError, ValueError) as exc:
        raise InputError(f"{p}: cannot read ({getattr(exc, 'strerror', None) or exc})") from exc
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{p}: is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{p}: is {_not_regular(st.st_mode)}, not a regular file; save the text to a file first")
    return st


def open_regular_file(path: str | Path) -> BinaryIO:
    """Open a regular file for binary reading; FIFOs, devices and sockets are refused without blocking."""
    p = Path(path)
    check_regular_file(p)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since the check, opening it still returns at once
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror or exc})") from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"{p}: is {_not_regular(mode)}, not a regular file; save the text to a file first")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_file_bytes(path: str | Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file, refusing files over ``limit`` (default :data:`MAX_FILE_BYTES`).

    At most ``limit + 1`` bytes are read, so a file whose reported size lies (``/proc``) cannot grow memory.
    """
    p = Path(path)
    limit = MAX_FILE_BYTES if limit is None else limit
    st = check_regular_file(p)
    if st.st_size > limit:
        raise InputError(f"{p.name}: file is too large ({st.st_size / _MB:.1f} MB; the limit is {limit // _MB} MB)")
    try:
        with open_regular_file(p) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror or exc})") from exc
    if len(data) > limit:
        raise InputError(f"{p.name}: file is too large (over {limit // _MB} MB; the limit is {limit // _MB} MB)")
    return data


def read_bytes(data: bytes, filename: str = "") -> SourceDocument:
    """Read uploaded bytes; ``filename`` (may be empty) picks the format by its extension."""
    label = filename or "input"
    if len(data) > MAX_FILE_BYTES:
        raise InputError(
            f"{label}: file is too large ({len(data) / _MB:.1f} MB; the limit is {MAX_FILE_BYTES // _MB} MB)"
        )
    if not data.strip():
        raise InputError(f"{label}: the file is empty")
    kind = detect_format(data, filename)
    if kind == "pdf":
        doc = _read_pdf(data, label)
    elif kind == "html":
        doc = _read_html(data, label)
    else:
        text, warnings = decode_text(data, label)
        doc = SourceDocument(text=text, format="txt", warnings=warnings)
    doc.name = clean_text(filename)
    doc.warnings += text_warnings(doc.text, label)
    doc.text = clean_article(doc.text)
    _check_text(doc.text, label)
    doc.title, doc.date, doc.url, doc.publisher = (clean_text(v) for v in (doc.title, doc.date, doc.url, doc.publisher))
    if not doc.title and kind == "txt":
        doc.title = _first_line_title(doc.text)
    return doc


def read_text(text: str, title: str = "", name: str = "") -> SourceDocument:
    """Wrap pasted text in a :class:`SourceDocument`, applying the same checks as files."""
    label = name or "text"
    if "\x00" in text:
        raise InputError(f"{label}: contains NUL characters; this looks like binary data, not text")
    warnings = text_warnings(text, label)
    text = clean_article(text)
    _check_text(text, label)
    title = clean_text(title)
    return SourceDocument(text=text, title=title or _first_line_title(text), name=clean_text(name), warnings=warnings)


def detect_format(data: bytes, filename: str = "") -> str:
    """``"pdf"``, ``"html"`` or ``"txt"`` from the extension, or the content when the extension is unknown."""
    ext = Path(filename).suffix.lower() if filename else ""
    if ext in PDF_EXTENSIONS or data[:5] == b"%PDF-":
        return "pdf"
    if ext in HTML_EXTENSIONS:
        return "html"
    if ext not in TEXT_EXTENSIONS or not ext:
        head = data[:2048].lstrip(codecs.BOM_UTF8).lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html")) or (b"<html" in head and b"<body" in data[:65536].lower()):
            return "html"
    return "txt"


def decode_text(data: bytes, label: str = "input") -> tuple[str, list[str]]:
    """Decode text bytes; returns ``(text, warnings)``. Raises :class:`InputError` for binary data."""
    warnings: list[str] = []
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(enc), warnings
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{label}: starts with a {enc.upper()} byte-order mark but is not valid "
                    f"{enc.upper()} ({exc.reason} at byte {exc.start})"
                ) from exc
    utf16 = _sniff_utf16(data)
    if utf16:
        try:
            text16 = data.decode(utf16)
        except UnicodeDecodeError:
            text16 = None
        if text16 is not None and not _mostly_binary(text16):
            return text16, warnings
    if b"\x00" in data:
        raise InputError(f"{label}: contains NUL bytes; this looks like a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
            warnings.append(f"{label}: not valid UTF-8; read as Windows-1252 (cp1252). Check accented letters.")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            warnings.append(f"{label}: not valid UTF-8; read as Latin-1. Check accented letters.")
    if _mostly_binary(text):
        raise InputError(f"{label}: mostly control characters; this looks like a binary file, not text")
    return text, warnings


# --------------------------------------------------------------------------- helpers

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: mostly-ASCII text has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _mostly_binary(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    return len(_CONTROL.findall(sample)) > 0.05 * len(sample)


def _check_text(text: str, label: str) -> None:
    if not text.strip():
        raise InputError(f"{label}: no text found")
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(
            f"{label}: text is too long ({len(text) / _MB:.1f} million characters; the limit is "
            f"{MAX_TEXT_CHARS // _MB} million)"
        )


def _first_line_title(text: str, limit: int = 120) -> str:
    """The story's headline: the first line of its body, after any masthead, address or notices."""
    from conflict_map.text.boilerplate import story_title

    return story_title(text, limit)


def _read_pdf(data: bytes, label: str) -> SourceDocument:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - pypdf is a dependency
        raise InputError(f"{label}: PDF support needs the 'pypdf' package") from exc
    warnings: list[str] = []
    pdf_log = logging.getLogger("pypdf")
    level = pdf_log.level
    pdf_log.setLevel(logging.ERROR)  # damaged files are reported as InputError, not as log noise
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - any failure means we cannot open it
                raise InputError(f"{label}: the PDF is password-protected") from exc
            if not ok:
                raise InputError(f"{label}: the PDF is password-protected")
        pages = []
        for i, page in enumerate(reader.pages):
            try:
                pages.append(page.extract_text() or "")
            except Exception:  # noqa: BLE001 - one bad page should not lose the rest
                warnings.append(f"{label}: page {i + 1} could not be read and was skipped")
        meta = reader.metadata or {}
        title = str(meta.get("/Title") or "").strip()
        date = _pdf_date(str(meta.get("/CreationDate") or ""))
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise InputError(f"{label}: not a readable PDF ({exc})") from exc
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        raise InputError(f"{label}: not a readable PDF ({type(exc).__name__}: {exc})") from exc
    finally:
        pdf_log.setLevel(level)
    text = "\n\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        raise InputError(f"{label}: the PDF has no extractable text (is it a scanned image? run OCR first)")
    return SourceDocument(text=text, title=title, date=date, format="pdf", warnings=warnings)


def _pdf_date(value: str) -> str:
    m = re.match(r"(?:D:)?(\d{4})(\d{2})(\d{2})", value)
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else ""


def _read_html(data: bytes, label: str) -> SourceDocument:
    """Body and metadata of an HTML page; parsing only (lxml), nothing is executed or fetched."""
    import trafilatura

    warnings: list[str] = []
    if (
        b"\x00" in data[:65536]
        and not _sniff_utf16(data)
        and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    ):
        raise InputError(f"{label}: contains NUL bytes; this looks like a binary file, not HTML")
    html_text, dec_warn = _decode_html(data, label)
    warnings.extend(dec_warn)
    doc: Any = None
    try:
        doc = trafilatura.bare_extraction(
            html_text, with_metadata=True, include_comments=False, include_tables=True, favor_recall=True
        )
    except Exception as exc:  # noqa: BLE001 - a damaged page falls back to the plain text below
        warnings.append(f"{label}: body extraction failed ({type(exc).__name__}); used the whole page text")
    meta: dict[str, Any] = {}
    if doc is not None:
        meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = (meta.get("text") or "").strip()
    if not text:
        text = _html_plain_text(html_text)
        if text.strip() and doc is not None:
            warnings.append(f"{label}: no article body found; used the whole page text")
    title = (meta.get("title") or "").strip() or _html_title(html_text)
    return SourceDocument(
        text=text,
        title=title,
        date=(meta.get("date") or "").strip(),
        url=(meta.get("url") or "").strip(),
        publisher=(meta.get("sitename") or meta.get("hostname") or "").strip(),
        format="html",
        warnings=warnings,
    )


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def _decode_html(data: bytes, label: str) -> tuple[str, list[str]]:
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not _sniff_utf16(data):
        m = _META_CHARSET.search(data[:4096])
        if m:
            enc = m.group(1).decode("ascii", "replace")
            try:
                return data.decode(enc), []
            except (LookupError, UnicodeDecodeError):
                pass
    return decode_text(data, label)


def _html_tree(html_text: str) -> Any:
    import lxml.html

    try:
        return lxml.html.document_fromstring(html_text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except Exception:  # noqa: BLE001 - unparseable markup
        return None


def _html_plain_text(html_text: str) -> str:
    tree = _html_tree(html_text)
    if tree is None:
        return ""
    for bad in tree.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    lines = [ln.strip() for ln in tree.text_content().splitlines()]
    return "\n".join(ln for ln in lines if ln)


def _html_title(html_text: str) -> str:
    tree = _html_tree(html_text)
    if tree is None:
        return ""
    found = tree.xpath("//title/text()")
    return found[0].strip() if found else ""

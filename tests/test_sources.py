"""Reading .txt / .html / .pdf / uploaded bytes into text + metadata (fixtures are invented text)."""

from __future__ import annotations

import codecs

import pytest
from pdf_helper import make_pdf

from conflict_map.errors import InputError
from conflict_map.ingest import readers as sources
from conflict_map.ingest.readers import read_bytes, read_path, read_text

STORY = "Convoys left the river town of Haditha at dawn and drove west toward the border crossing."

HTML = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Desert convoy | Example Wire</title>
<meta property="og:title" content="Convoys head west">
<meta property="og:site_name" content="Example Wire">
<meta property="article:published_time" content="2024-05-17T08:00:00Z">
<link rel="canonical" href="https://wire.example.org/convoys">
<script>document.write("EVIL"); fetch("https://tracker.example");</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Convoys head west</h1>
<p>{STORY}</p>
<p>Local officials said the road past the old pumping station was reopened after two days of repairs.</p>
<p>Residents reported that fuel prices in the market had doubled since the start of the month.</p>
</article>
<footer>Example Wire, 1 Sample Street, Exampletown</footer>
</body></html>"""


def test_txt_utf8(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Title line\n\n" + STORY, encoding="utf-8")
    doc = read_path(p)
    assert STORY in doc.text
    assert doc.title == "Title line"
    assert doc.format == "txt" and doc.warnings == []


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_txt_unicode_encodings(encoding):
    text = "Al-Qā'im — الأنبار. " + STORY
    doc = read_bytes(text.encode(encoding), "x.txt")
    assert doc.text == text
    assert not doc.text.startswith("\ufeff")


def test_txt_cp1252_fallback_warns():
    doc = read_bytes("Caf\u00e9 near the front \u2014 quotes \u201cok\u201d".encode("cp1252"), "x.txt")
    assert "Caf\u00e9" in doc.text and "\u201cok\u201d" in doc.text
    assert doc.warnings and "cp1252" in doc.warnings[0]


def test_latin1_last_resort():
    # 0x81 is undefined in cp1252, so only latin-1 can decode this.
    doc = read_bytes(b"abc \x81 d\xe9f " + STORY.encode(), "x.txt")
    assert "Latin-1" in doc.warnings[0]


def test_line_ends_kept_one_for_one():
    # CRLF stays as given; a lone CR (old Mac) reads as LF, one character for one, so offsets do not move
    assert read_bytes(b"one\r\ntwo\rthree", "x.txt").text == "one\r\ntwo\nthree"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"   \n\t  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
        (bytes(range(1, 32)) * 50, "binary"),
    ],
)
def test_bad_text_inputs(data, fragment):
    with pytest.raises(InputError, match=fragment):
        read_bytes(data, "bad.txt")


def test_too_large_file(monkeypatch):
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 100)
    with pytest.raises(InputError, match=r"too large .*limit is"):
        read_bytes(b"a" * 101, "big.txt")


def test_too_long_text(monkeypatch):
    monkeypatch.setattr(sources, "MAX_TEXT_CHARS", 50)
    with pytest.raises(InputError, match="too long"):
        read_bytes(b"word " * 20, "long.txt")


def test_too_large_path_reports_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 10)
    p = tmp_path / "big.txt"
    p.write_bytes(b"x" * 11)
    with pytest.raises(InputError, match="limit is"):
        read_path(p)


def test_missing_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_path(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="folder"):
        read_path(tmp_path)


def test_html_body_and_metadata(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(HTML, encoding="utf-8")
    doc = read_path(p)
    assert STORY in doc.text
    assert "EVIL" not in doc.text and "fetch(" not in doc.text
    assert "Sample Street" not in doc.text
    assert doc.title == "Convoys head west"
    assert doc.date == "2024-05-17"
    assert doc.publisher == "Example Wire"
    assert doc.url == "https://wire.example.org/convoys"
    assert doc.format == "html"


def test_html_sniffed_without_extension():
    doc = read_bytes(HTML.encode(), "upload")
    assert doc.format == "html" and STORY in doc.text


def test_html_tiny_page_falls_back_to_text():
    doc = read_bytes(
        b"<html><head><title>T</title><script>x=1</script></head><body><p>Shelling in Rawa.</p></body></html>",
        "t.html",
    )
    assert "Shelling in Rawa." in doc.text
    assert "x=1" not in doc.text
    assert doc.title == "T"


def test_html_meta_charset_cp1256():
    body = "<p>" + ("\u0627\u0644\u0623\u0646\u0628\u0627\u0631 " * 30) + "</p>"
    html = f'<html><head><meta charset="windows-1256"><title>t</title></head><body>{body}</body></html>'
    doc = read_bytes(html.encode("cp1256"), "ar.html")
    assert "\u0627\u0644\u0623\u0646\u0628\u0627\u0631" in doc.text


def test_pdf_text_and_metadata(tmp_path):
    p = tmp_path / "r.pdf"
    p.write_bytes(make_pdf(["Artillery fire was heard near Rawa.", "Officials gave no figures."], title="Report"))
    doc = read_path(p)
    assert "Artillery fire was heard near Rawa." in doc.text
    assert doc.title == "Report" and doc.date == "2024-03-05" and doc.format == "pdf"


def test_pdf_sniffed_by_magic():
    assert read_bytes(make_pdf(["Line one."]), "noext").format == "pdf"


@pytest.mark.parametrize("data", [b"%PDF-1.4\nthis is not really a pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8])
def test_unreadable_pdf(data):
    with pytest.raises(InputError, match="PDF"):
        read_bytes(data, "broken.pdf")


def test_pdf_without_text():
    with pytest.raises(InputError, match="no extractable text"):
        read_bytes(make_pdf([]), "scan.pdf")


def test_read_text_checks():
    assert read_text("Shelling near Tikrit.").title == "Shelling near Tikrit."
    with pytest.raises(InputError):
        read_text("   ")
    with pytest.raises(InputError, match="NUL"):
        read_text("a\x00b")


def test_utf16_without_bom_detected():
    doc = read_bytes(STORY.encode("utf-16-le"), "x.txt")
    assert doc.text == STORY


def test_bom_constants_distinct():
    # guard: utf-32 LE BOM starts with the utf-16 LE BOM, so order of checks matters
    assert codecs.BOM_UTF32_LE.startswith(codecs.BOM_UTF16_LE)
    assert read_bytes("abc".encode("utf-32"), "x.txt").text == "abc"

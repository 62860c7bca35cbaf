"""Input at the boundary: only regular files, bounded reads, capped JSONL lines, lone surrogates, characters XML
forbids, and offsets into CRLF text as given (all texts invented for these tests)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fake_geoparse import fake_geoparse

from conflict_map.cli.main import main
from conflict_map.errors import InputError
from conflict_map.ingest import batch as ingest_mod
from conflict_map.ingest import readers as sources
from conflict_map.ingest.batch import ingest_paths, iter_jsonl
from conflict_map.ingest.readers import clean_text, read_bytes, read_path, read_stdin, read_text
from conflict_map.store.sqlite import Corpus
from conflict_map.text.boilerplate import story_span
from conflict_map.text.sentences import sentences

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
needs_dev_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
# every character XML 1.0 forbids, some of each kind
FORBIDDEN = "\x01\x08\x0b\x0c\x1f\x7f\ud800\udfff\ufffe\uffff"


def finishes(fn: Callable[[], Any], seconds: float = 20.0) -> Any:
    """Run ``fn`` in a daemon thread; fail (instead of hanging the suite) when it blocks."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            box["error"] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), "blocked: the reader opened or read something it should have refused"
    if "error" in box:
        raise box["error"]
    return box.get("value")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- 6: non-regular files, bounded reads


@needs_fifo
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"named pipe \(FIFO\)"):
        finishes(lambda: read_path(fifo))
    with pytest.raises(InputError, match="FIFO"):
        finishes(lambda: list(iter_jsonl(fifo)))
    link = tmp_path / "feed.jsonl"
    link.symlink_to(fifo)
    with Corpus(tmp_path / "c.sqlite") as corpus:
        report = finishes(lambda: ingest_paths([link, fifo], corpus, geoparse=fake_geoparse, progress=False))
    assert [reason for _name, reason in report.failed] == [
        "is a named pipe (FIFO), not a regular file; save the text to a file first"
    ] * 2


@needs_fifo
def test_fifo_in_a_folder_is_reported_not_opened(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Shelling hit Rawa at dawn.", encoding="utf-8")
    os.mkfifo(tmp_path / "in" / "b.txt")
    with Corpus(tmp_path / "c.sqlite") as corpus:
        report = finishes(lambda: ingest_paths([tmp_path / "in"], corpus, geoparse=fake_geoparse, progress=False))
    assert report.added == 1 and len(report.failed) == 1 and "FIFO" in report.failed[0][1]


@needs_dev_zero
def test_devices_are_refused_also_behind_a_jsonl_symlink(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # run in a child with a memory ceiling, so that a regression fails instead of eating the machine's memory
    link = tmp_path / "zero.jsonl"
    link.symlink_to("/dev/zero")
    code = f"""
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31))
from conflict_map.ingest.batch import ingest_paths
from conflict_map.models import ParseResult
from conflict_map.ingest.readers import read_path
from conflict_map.store.sqlite import Corpus
from conflict_map.errors import InputError
for p in ("/dev/zero", {str(link)!r}):
    try:
        read_path(p)
    except InputError as exc:
        print(exc)
with Corpus({str(tmp_path / "c.sqlite")!r}) as c:
    r = ingest_paths([{str(link)!r}, "/dev/zero"], c, geoparse=lambda t: ParseResult(t, []), progress=False)
print(r.failed)
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.count("is a character device, not a regular file") == 4
    assert main(["extract", "--jsonl", str(link)]) == 2
    assert "character device" in capsys.readouterr().err


def test_read_stops_at_the_limit_whatever_the_size_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes(b"x" * 5000)
    asked: list[int] = []
    real = sources.open_regular_file

    def spy(path: Any) -> Any:
        fh = real(path)
        read = fh.read

        def bounded(n: int = -1) -> bytes:
            asked.append(n)
            return read(n)

        fh.read = bounded  # type: ignore[method-assign]
        return fh

    monkeypatch.setattr(sources, "open_regular_file", spy)
    monkeypatch.setattr(os, "stat", lambda *a, **k: os.lstat(*a, **k))  # same file; size is checked below anyway
    assert len(sources.read_file_bytes(p, limit=10_000)) == 5000
    assert asked == [10_001]  # never an unbounded read(-1)
    with pytest.raises(InputError, match="too large"):
        sources.read_file_bytes(p, limit=100)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="no /proc")
def test_proc_file_with_size_zero_is_read_with_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    assert os.stat("/proc/self/status").st_size == 0
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 50)
    with pytest.raises(InputError, match="too large"):
        read_path("/proc/self/status")


def test_stdin_is_read_with_a_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[int] = []

    class Stream(io.BytesIO):
        def read(self, n: int | None = -1) -> bytes:
            sizes.append(-1 if n is None else n)
            return super().read(n)

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(Stream(b"Rawa " * 100)))
    with pytest.raises(InputError, match="standard input is larger"):
        read_stdin(limit=100)
    assert sizes == [101]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(Stream(b"Shelling near Rawa.")))
    assert read_stdin().text == "Shelling near Rawa."


def test_jsonl_line_over_the_cap_is_skipped_not_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_mod, "MAX_JSONL_LINE_BYTES", 1000)
    f = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Shelling hit Rawa."}),
        json.dumps({"id": "huge", "text": "Qaim " * 5000}),
        json.dumps({"id": "b", "text": "Convoys reached Haditha."}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = list(iter_jsonl(f))
    assert [(x.lineno, bool(x.record), x.error[:25]) for x in got] == [
        (1, True, ""),
        (2, False, "line is longer than 0.000"),
        (3, True, ""),
    ]
    with Corpus(tmp_path / "c.sqlite") as corpus:
        report = ingest_paths([f], corpus, geoparse=fake_geoparse, progress=False)
        assert report.added == 2
        assert report.failed[0][0].endswith("feed.jsonl:2") and "longer than" in report.failed[0][1]


def test_bad_utf8_and_absurd_json_lose_only_their_line(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    f.write_bytes(
        b'{"id": "a", "text": "Shelling hit Rawa."}\n'
        b'{"id": "b", "text": "caf\xe9 in Qaim"}\n'
        + b'{"id": 1'
        + b"0" * 5000
        + b', "text": "Qaim"}\n'
        + b"[" * 100_000
        + b"\n"
        b'{"id": "c", "text": "Convoys reached Haditha."}\n'
    )
    with Corpus(tmp_path / "c.sqlite") as corpus:
        report = ingest_paths([f], corpus, geoparse=fake_geoparse, progress=False)
    assert report.added == 2
    assert [name.rsplit(":", 1)[1] for name, _ in report.failed] == ["2", "3", "4"]
    assert "not UTF-8" in report.failed[0][1]


# --------------------------------------------------------------------------- 7 and 9: surrogates, XML-forbidden


def test_clean_text_replaces_one_for_one() -> None:
    dirty = "Mosul" + FORBIDDEN + "Baghdad\t\r\n"
    clean = clean_text(dirty)
    assert len(clean) == len(dirty)  # offsets stay valid
    assert clean == "Mosul" + "  \n\n  " + "\ufffd" * 4 + "Baghdad\t\r\n"
    clean.encode("utf-8")  # no lone surrogate left
    assert clean_text("plain") == "plain"


def test_lone_surrogate_line_is_kept_with_a_warning_and_the_rest_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "feed.jsonl"
    f.write_text(
        '{"id": "a\\udc00", "text": "Mosul \\ud800 Baghdad", "title": "T\\ud800"}\n'
        '{"id": "b", "text": "Troops reached Erbil."}\n',
        encoding="utf-8",
    )
    code, _out, err = run(capsys, "extract", "--jsonl", str(f), "-o", str(tmp_path / "out.jsonl"))
    assert code == 0 and "replaced by U+FFFD" in err
    recs = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in recs] == ["a\ufffd", "b"]
    assert [m["text"] for m in recs[0]["mentions"]] == ["Mosul", "Baghdad"]
    assert recs[0]["mentions"][1]["start"] == len("Mosul \ud800 ")  # offsets into the text as given
    assert [m["text"] for m in recs[1]["mentions"]] == ["Erbil"]


def test_lone_surrogate_is_stored_and_exported(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    f.write_text(
        '{"id": "x\\ud800", "text": "Shelling hit Rawa \\ud800 and Qaim.", "title": "T\\udfff", '
        '"publisher": "P\\ud800", "url": "https://e.org/\\ud800", "date": "2024-01-01\\ud800"}\n'
        '{"id": "y", "text": "Convoys reached Haditha."}\n',
        encoding="utf-8",
    )
    with Corpus(tmp_path / "c.sqlite") as corpus:
        report = ingest_paths([f], corpus, geoparse=fake_geoparse, progress=False)
        assert report.added == 2 and not report.failed
        assert any("U+FFFD" in w for w in report.warnings)
        art = corpus.get_article(report.article_ids[0])
        for value in (art.text, art.title, art.publisher, art.url, art.ext_id):
            assert "\ufffd" in value
        for value in (art.text, art.title, art.publisher, art.url, art.date, art.ext_id):
            value.encode("utf-8")  # the date is kept only when it reads as a date
    assert main(["export", "--db", str(tmp_path / "c.sqlite"), "-o", str(tmp_path / "out.csv")]) == 0


def test_xml_forbidden_characters_are_cleaned_where_text_enters(tmp_path: Path) -> None:
    in_file = "\x01\x0b\x0c\x7f\ufffe\uffff"  # all but surrogates can be stored in UTF-8
    doc = read_bytes(("Title" + in_file + "\n\n" + "Shelling hit Rawa. " * 10).encode(), "a.txt")
    assert doc.title == "Title" and not set(FORBIDDEN) & set(doc.text)
    pasted = read_text("Shelling hit Rawa." + FORBIDDEN, title="T" + FORBIDDEN, name="n" + FORBIDDEN)
    assert not set(FORBIDDEN) & set(pasted.text + pasted.title + pasted.name)
    assert len(pasted.text) == len("Shelling hit Rawa." + FORBIDDEN)
    f = tmp_path / "feed.jsonl"
    rec = {k: k + FORBIDDEN for k in ("id", "title", "date", "url", "publisher")}
    f.write_text(json.dumps({**rec, "text": "Shelling hit Rawa." + FORBIDDEN}) + "\n", encoding="utf-8")
    with Corpus(tmp_path / "c.sqlite") as corpus:
        report = ingest_paths([f], corpus, geoparse=fake_geoparse, progress=False)
        art = corpus.get_article(report.article_ids[0])
    for value in (art.text, art.title, art.publisher, art.url, art.date, art.ext_id):
        assert not set(FORBIDDEN) & set(value)


def test_file_names_are_cleaned(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ctl\x01name.txt").write_text("Shelling hit Rawa.", encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as fh:  # not UTF-8: a lone surrogate
        fh.write(b"Convoys reached Haditha.")
    with Corpus(tmp_path / "c.sqlite") as corpus:
        report = ingest_paths([folder], corpus, geoparse=fake_geoparse, progress=False)
        assert report.added == 2 and not report.failed
        names = sorted(corpus.get_article(i).source_name for i in report.article_ids)
        ext_ids = [corpus.get_article(i).ext_id for i in report.article_ids]
    assert names == ["caf\ufffd.txt", "ctl name.txt"]
    for value in names + ext_ids:
        value.encode("utf-8")
    report.summary().encode("utf-8")


def test_alias_names_and_notes_are_cleaned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "c.sqlite")
    code, out, err = run(capsys, "corrections", "--db", db, "alias", "Qaim\x01town\uffff", "34.3,41.0")
    assert code == 0, err
    with Corpus(db) as corpus:
        (rec,) = corpus.list_corrections()
    assert not set(FORBIDDEN) & set(rec.mention_text + rec.place.name)
    code, _, err = run(capsys, "corrections", "--db", db, "alias", "Q" * 500, "34.3,41.0")
    assert code == 2 and "at most 200" in err


# --------------------------------------------------------------------------- 11: offsets into CRLF text as given


def test_crlf_offsets_point_into_the_text_as_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = b"Shelling near Mosul.\r\n\r\nTroops left Baghdad for Erbil.\r\nThey reached Kirkuk.\r\n"
    f = tmp_path / "crlf.txt"
    f.write_bytes(raw)
    code, out, _ = run(capsys, "extract", str(f), "--format", "json")
    assert code == 0
    given = raw.decode("utf-8")
    mentions = json.loads(out)["mentions"]
    assert [m["text"] for m in mentions] == ["Mosul", "Baghdad", "Erbil", "Kirkuk"]
    for m in mentions:
        assert given[m["start"] : m["end"]] == m["text"]
        assert "\r" not in m["sentence"] and "\n" not in m["sentence"]


def test_line_ends_split_sentences_and_paragraphs_alike() -> None:
    lf = "Acme Media\nMain Street 9, 10119 Berlin, Germany\n\n" + "Columns left Rawa before dawn " * 6 + "\n\nSign up"
    for eol in ("\r\n", "\r"):
        other = lf.replace("\n", eol)
        assert [other[s:e] for s, e in sentences(other)] == [lf[s:e] for s, e in sentences(lf)]
        body = story_span(other)
        assert other[body[0] : body[1]] == lf[slice(*story_span(lf))].replace("\n", eol)


def test_leading_byte_order_mark_of_pasted_text_keeps_offsets() -> None:
    doc = read_text("\ufeffShelling near Rawa.")
    assert doc.text == " Shelling near Rawa." and doc.title == "Shelling near Rawa."

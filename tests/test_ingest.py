"""Ingest: files, folders, JSONL, duplicates, unreadable inputs, progress, CLI (with a fake geoparser)."""

from __future__ import annotations

import io
import json

import pytest
from fake_geoparse import fake_geoparse, make_text
from pdf_helper import make_pdf

from conflict_map.cli.main import main
from conflict_map.ingest import batch as ingest_mod
from conflict_map.ingest.batch import Progress, ingest_articles, ingest_paths
from conflict_map.store.sqlite import ArticleInput, Corpus

HTML = (
    "<html><head><title>Page</title><meta property='og:site_name' content='Desert Post'>"
    "<meta name='date' content='2024-02-03'></head><body><article><p>"
    + "Patrols returned to Qaim after the storm. " * 8
    + "</p><p>Engineers inspected the bridge near Haditha for damage.</p></article></body></html>"
)


@pytest.fixture
def inputs(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(make_text(1), encoding="utf-8")
    (d / "sub" / "b.html").write_text(HTML, encoding="utf-8")
    (d / "c.pdf").write_bytes(make_pdf(["Shelling was reported in Rawa.", "Nobody was hurt."], title="PDF story"))
    (d / "empty.txt").write_bytes(b"")
    (d / "broken.pdf").write_bytes(b"%PDF-1.4 nothing here")
    (d / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (d / ".hidden.txt").write_text("Qaim", encoding="utf-8")
    lines = [
        json.dumps(
            {
                "id": "j1",
                "text": make_text(2),
                "title": "J one",
                "date": "2024-01-10",
                "url": "https://e.org/1",
            }
        ),
        "",
        "{not json",
        json.dumps({"id": "j3", "title": "no text"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "j4", "text": make_text(1)}),  # same text as a.txt
        json.dumps({"id": "j5", "text": "   "}),
    ]
    (d / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


def test_ingest_folder(tmp_path, inputs):
    with Corpus(tmp_path / "c.sqlite") as c:
        rep = ingest_paths([inputs], c, geoparse=fake_geoparse, progress=False, batch_size=2)
        assert rep.added == 4, rep.summary()  # a.txt, b.html, c.pdf, j1
        assert rep.duplicates == 1  # j4 == a.txt
        assert rep.skipped == 1  # image.png
        failed = dict(rep.failed)
        assert set(failed) == {
            str(inputs / "empty.txt"),
            str(inputs / "broken.pdf"),
            f"{inputs / 'feed.jsonl'}:3",
            f"{inputs / 'feed.jsonl'}:4",
            f"{inputs / 'feed.jsonl'}:5",
            f"{inputs / 'feed.jsonl'}:7",
        }
        assert "empty" in failed[str(inputs / "empty.txt")]
        assert "PDF" in failed[str(inputs / "broken.pdf")]
        assert "not valid JSON" in failed[f"{inputs / 'feed.jsonl'}:3"]
        assert "'text'" in failed[f"{inputs / 'feed.jsonl'}:4"]
        assert rep.mentions > 0
        arts = {a.ext_id: a for a in c.list_articles()}
        assert arts["j1"].title == "J one" and arts["j1"].date == "2024-01-10" and arts["j1"].url == "https://e.org/1"
        html_art = next(a for a in arts.values() if a.format == "html")
        assert html_art.publisher == "Desert Post" and html_art.date == "2024-02-03"
        pdf_art = next(a for a in arts.values() if a.format == "pdf")
        assert pdf_art.title == "PDF story"
        assert c.check() == []
        summary = rep.summary()
        assert "added 4" in summary and "could not read:" in summary and "empty.txt" in summary
        # second run: everything is a duplicate, nothing re-added
        rep2 = ingest_paths([inputs], c, geoparse=fake_geoparse, progress=False)
        assert rep2.added == 0 and rep2.duplicates == 5
        assert c.count_articles() == 4


def test_missing_path_reported(tmp_path):
    with Corpus(tmp_path / "c.sqlite") as c:
        rep = ingest_paths([tmp_path / "nope"], c, geoparse=fake_geoparse, progress=False)
    assert rep.failed == [(str(tmp_path / "nope"), "no such file or folder")]


def test_explicit_file_with_odd_extension_is_read(tmp_path):
    p = tmp_path / "story.article"
    p.write_text("Troops reached Qaim.", encoding="utf-8")
    with Corpus(tmp_path / "c.sqlite") as c:
        rep = ingest_paths([p], c, geoparse=fake_geoparse, progress=False)
        assert rep.added == 1 and rep.skipped == 0


def test_geoparser_failure_is_per_article(tmp_path):
    def flaky(text: str):
        if "boom" in text:
            raise RuntimeError("bad input")
        return fake_geoparse(text)

    arts = [ArticleInput(text="Qaim is quiet.", ext_id="ok"), ArticleInput(text="boom in Rawa", ext_id="bad")]
    with Corpus(tmp_path / "c.sqlite") as c:
        rep = ingest_articles(arts, c, geoparse=flaky)
        assert rep.added == 1
        assert rep.failed == [("bad", "geoparser failed: RuntimeError: bad input")]


def test_geoparser_loaded_once(tmp_path):
    calls = {"n": 0}

    def counting(text: str):
        calls["n"] += 1
        return fake_geoparse(text)

    arts = [ArticleInput(text=make_text(i)) for i in range(30)]
    with Corpus(tmp_path / "c.sqlite") as c:
        ingest_articles(arts + arts[:5], c, geoparse=counting, batch_size=7)
    assert calls["n"] == 30  # duplicates are not geoparsed


def test_parallel_jobs(tmp_path):
    arts = [ArticleInput(text=make_text(i), ext_id=str(i)) for i in range(60)]
    with Corpus(tmp_path / "c.sqlite") as c:
        rep = ingest_articles(arts, c, geoparse=fake_geoparse, jobs=2, batch_size=25)
        assert rep.added == 60 and c.check() == []
        assert c.load_result(rep.article_ids[0]).mentions


def test_progress_bar_draws():
    buf = io.StringIO()
    bar = Progress(3, stream=buf, force=True)
    for _ in range(3):
        bar.update()
    bar.close()
    out = buf.getvalue()
    assert "3/3" in out and "[" in out and out.endswith("\n")


def test_cli_ingest_and_articles(tmp_path, inputs, monkeypatch, capsys):
    monkeypatch.setattr(ingest_mod, "default_geoparse", lambda: fake_geoparse)
    db = tmp_path / "cli.sqlite"
    assert main(["ingest", str(inputs), "--db", str(db), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "added 4 article(s)" in out and "broken.pdf" in out
    assert main(["ingest", str(inputs / "a.txt"), "--db", str(db), "--json", "--no-progress"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["added"] == 0 and rep["duplicates"] == 1
    assert main(["ingest", str(inputs / "empty.txt"), "--db", str(db), "--no-progress"]) == 1
    capsys.readouterr()
    monkeypatch.setenv("CONFLICT_MAP_DB", str(db))
    assert main(["articles"]) == 0
    assert "J one" in capsys.readouterr().out


_CLI_INGEST = """
import sys
sys.path[:0] = [{src!r}, {tests!r}]
from fake_geoparse import fake_geoparse
from conflict_map.ingest import batch as ingest
ingest.default_geoparse = lambda: fake_geoparse
from conflict_map.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_cli_ingest_killed_with_sigkill_then_resumed(tmp_path):
    """A real `conflict-map ingest` process killed with SIGKILL mid-run leaves a consistent corpus."""
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time
    from pathlib import Path

    tests = Path(__file__).parent
    script = tmp_path / "cli.py"
    script.write_text(_CLI_INGEST.format(src=str(tests.parent / "src"), tests=str(tests)))
    feed = tmp_path / "feed.jsonl"
    n = 4000
    feed.write_text(
        "\n".join(json.dumps({"id": f"a{i}", "text": make_text(i, words=300)}) for i in range(n)) + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "c.sqlite"
    args = [sys.executable, str(script), "ingest", str(feed), "--db", str(db), "--batch", "50", "--jobs", "1"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            with sqlite3.connect(db, timeout=5) as con:
                stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            continue
        if stored >= 300:
            break
    assert proc.poll() is None, "ingest finished before it could be killed; make the feed larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    with Corpus(db) as c:
        assert c.check() == []
        k = c.count_articles()
        assert 300 <= k < n and k % 50 == 0  # whole batches only
    assert subprocess.run(args, stdout=subprocess.DEVNULL, timeout=300).returncode == 0
    with Corpus(db) as c:
        assert c.count_articles() == n and c.check() == []

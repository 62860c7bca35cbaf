"""The corpus database: schema/migrations, round trips, duplicates, crash safety and concurrent writers."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from fake_geoparse import ASAD, QAIM, RAWA, RAWA_OTHER, fake_geoparse, make_text
from old_corpus import make_old_corpus

from conflict_map.errors import UserError
from conflict_map.store import sqlite as storage
from conflict_map.store.sqlite import ArticleInput, Corpus, default_db_path, normalise_date, text_hash

TESTS = Path(__file__).parent
SRC = TESTS.parent / "src"


def _art(i: int, **kw) -> ArticleInput:
    return ArticleInput(text=make_text(i), title=f"Story {i}", **kw)


def test_create_schema_wal(tmp_path):
    db = tmp_path / "sub" / "c.sqlite"
    with Corpus(db) as c:
        assert c.schema_version == storage.SCHEMA_VERSION
        assert c.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert c.count_articles() == 0
        assert c.check() == []
    assert db.exists()


def test_default_path_env(monkeypatch, tmp_path):
    monkeypatch.setenv("CONFLICT_MAP_DB", str(tmp_path / "x.sqlite"))
    assert default_db_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("CONFLICT_MAP_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "conflict-map" / "corpus.sqlite"


def test_round_trip_mentions_and_alternatives(tmp_path):
    text = "Shelling hit Rawa. Troops left Qaim for Ain al-Asad."
    result = fake_geoparse(text)
    with Corpus(tmp_path / "c.sqlite") as c:
        aid, created = c.add_article(
            ArticleInput(text=text, title="T", url="https://e.org/a", publisher="Pub", date="2024-05-01T10:00Z"),
            result,
        )
        assert created
        art = c.get_article(aid)
        assert (art.title, art.url, art.publisher, art.date) == ("T", "https://e.org/a", "Pub", "2024-05-01")
        assert art.hash == text_hash(text) and art.text == text and art.n_mentions == 3
        back = c.load_result(aid)
        assert [(m.start, m.end, m.text) for m in back.mentions] == [(m.start, m.end, m.text) for m in result.mentions]
        rawa = back.mentions[0]
        assert rawa.place == RAWA and rawa.confidence == pytest.approx(0.7)
        assert [a.place for a in rawa.alternatives] == [RAWA_OTHER]
        assert back.mentions[2].place == ASAD
        assert all(text[m.start : m.end] == m.text for m in back.mentions)
        assert c.check() == []


def test_duplicate_by_hash(tmp_path):
    with Corpus(tmp_path / "c.sqlite") as c:
        a1, new1 = c.add_article(_art(1), fake_geoparse(make_text(1)))
        a2, new2 = c.add_article(ArticleInput(text="\n" + make_text(1) + "  \n", title="again"), None)
        assert new1 and not new2 and a1 == a2
        assert c.count_articles() == 1
        assert c.get_article(a1).title == "Story 1"
        assert c.find_hashes([text_hash(make_text(1)), "nope"]) == {text_hash(make_text(1)): a1}


def test_failed_batch_rolls_back(tmp_path):
    class Boom(Exception):
        pass

    with Corpus(tmp_path / "c.sqlite") as c:
        c.add_article(_art(0), fake_geoparse(make_text(0)))
        with pytest.raises(Boom), c.transaction() as conn:
            conn.execute("DELETE FROM mentions")
            raise Boom
        assert c.check() == []
        assert c.load_result(1).mentions
        # a batch whose second item is broken stores nothing
        bad = fake_geoparse(make_text(2))
        bad.mentions[0].start = None  # type: ignore[assignment]  # violates NOT NULL
        with pytest.raises(sqlite3.IntegrityError):
            c.add_articles([(_art(3), fake_geoparse(make_text(3))), (_art(2), bad)])
        assert c.count_articles() == 1 and c.check() == []
        # places cached during the failed batch are still written by the next one
        c.add_articles([(_art(3), fake_geoparse(make_text(3)))])
        assert c.check() == []


def test_replace_parse_keeps_corrections(tmp_path):
    from conflict_map.store.corrections import choose_place

    text = "Shelling hit Rawa."
    with Corpus(tmp_path / "c.sqlite") as c:
        aid, _ = c.add_article(ArticleInput(text=text), fake_geoparse(text))
        choose_place(c, aid, 13, 17, RAWA_OTHER)
        c.replace_parse(aid, fake_geoparse(text))
        assert c.load_result(aid).mentions[0].place == RAWA_OTHER
        assert c.load_result(aid, corrected=False).mentions[0].place == RAWA
        assert c.check() == []


def test_delete_cascades(tmp_path):
    with Corpus(tmp_path / "c.sqlite") as c:
        aid, _ = c.add_article(_art(1), fake_geoparse(make_text(1)))
        c.add_correction("not_place", article_id=aid, start=0, end=1, mention_text="R")
        assert c.delete_article(aid)
        assert c.conn.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0
        assert c.list_corrections(include_undone=True) == []
        with pytest.raises(UserError):
            c.get_article(aid)


def test_list_and_filter_articles(tmp_path):
    with Corpus(tmp_path / "c.sqlite") as c:
        c.add_article(_art(1, date="2024-01-05", publisher="A"), None)
        c.add_article(_art(2, date="2024-03-01", publisher="B"), None)
        c.add_article(_art(3, date="", publisher="A"), None)
        assert [a.title for a in c.list_articles(publisher="A")] == ["Story 1", "Story 3"]
        assert [a.title for a in c.list_articles(date_from="2024-02-01")] == ["Story 2"]
        assert [a.title for a in c.list_articles(date_to="2024-01-31")] == ["Story 1"]
        assert [a.title for a in c.list_articles(search="ory 2")] == ["Story 2"]
        assert c.publishers() == ["A", "B"]


def test_normalise_date():
    assert normalise_date("2024-05-01T10:00:00+02:00") == "2024-05-01"
    assert normalise_date("2024-05") == "2024-05"
    assert normalise_date("yesterday") == ""


def test_newer_schema_refused(tmp_path):
    db = tmp_path / "c.sqlite"
    Corpus(db).close()
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version = {storage.SCHEMA_VERSION + 5}")
    con.close()
    with pytest.raises(UserError, match="newer conflict-map"):
        Corpus(db)


def test_not_a_database(tmp_path):
    db = tmp_path / "c.sqlite"
    db.write_bytes(b"this is a text file, not sqlite" * 100)
    with pytest.raises(UserError, match="not a conflict-map corpus"):
        Corpus(db)


def test_automatic_migration_keeps_data(tmp_path, monkeypatch):
    db = tmp_path / "c.sqlite"
    with Corpus(db) as c:
        c.add_article(_art(1), fake_geoparse(make_text(1)))
    v = storage.SCHEMA_VERSION
    migrations = dict(storage.MIGRATIONS)
    migrations[v + 1] = ("ALTER TABLE articles ADD COLUMN language TEXT NOT NULL DEFAULT ''",)
    monkeypatch.setattr(storage, "MIGRATIONS", migrations)
    monkeypatch.setattr(storage, "SCHEMA_VERSION", v + 1)
    with Corpus(db) as c:
        assert c.schema_version == v + 1
        cols = [r[1] for r in c.conn.execute("PRAGMA table_info(articles)")]
        assert "language" in cols
        assert c.count_articles() == 1 and c.check() == []


# ----------------------------------------------------------------------------- real processes

_WRITER = textwrap.dedent(
    """
    import sys
    sys.path[:0] = [{src!r}, {tests!r}]
    from conflict_map.store.sqlite import Corpus, ArticleInput
    from fake_geoparse import fake_geoparse, make_text
    db, first, n, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    with Corpus(db) as c:
        for b in range(first, first + n, batch):
            items = []
            for i in range(b, min(b + batch, first + n)):
                t = make_text(i, words=600)
                items.append((ArticleInput(text=t, title=f"Story {{i}}"), fake_geoparse(t)))
            c.add_articles(items)
            print(b, flush=True)
    """
).format(src=str(SRC), tests=str(TESTS))


def _run_writer(tmp_path: Path, db: Path, first: int, n: int, batch: int) -> subprocess.Popen:
    script = tmp_path / "writer.py"
    script.write_text(_WRITER)
    return subprocess.Popen(
        [sys.executable, str(script), str(db), str(first), str(n), str(batch)],
        stdout=subprocess.PIPE,
        text=True,
    )


def test_sigkill_mid_ingest_leaves_consistent_db(tmp_path):
    db = tmp_path / "c.sqlite"
    Corpus(db).close()
    proc = _run_writer(tmp_path, db, 0, 100_000, 25)
    assert proc.stdout is not None
    for _ in range(8):  # let several batches commit, then kill while the next one is being written
        assert proc.stdout.readline(), "writer died early"
    time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with Corpus(db) as c:
        assert c.check() == []
        n = c.count_articles()
        assert n >= 8 * 25 and n % 25 == 0, n  # whole batches only
        titles = {a.title for a in c.list_articles()}
        assert titles == {f"Story {i}" for i in range(n)}
    # resuming the same ingest skips what is stored and adds the rest, without duplicates
    proc = _run_writer(tmp_path, db, 0, n + 30, 25)
    proc.communicate(timeout=120)
    with Corpus(db) as c:
        assert c.count_articles() == n + 30 and c.check() == []


_CORRECTOR = textwrap.dedent(
    """
    import sys
    sys.path[:0] = [{src!r}, {tests!r}]
    from conflict_map.store.sqlite import Corpus
    from conflict_map.store.corrections import choose_place, add_alias
    from fake_geoparse import RAWA_OTHER, QAIM
    db, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with Corpus(db, timeout=60) as c:
        for i in range(n):
            if i % 10 == 0:
                add_alias(c, f"{{who}} alias {{i}}", QAIM, user=who)
            else:
                choose_place(c, 1, 13, 17, RAWA_OTHER, note=f"{{who}}-{{i}}", user=who)
    """
).format(src=str(SRC), tests=str(TESTS))


def test_two_concurrent_writers_lose_nothing(tmp_path):
    db = tmp_path / "c.sqlite"
    text = "Shelling hit Rawa."
    with Corpus(db) as c:
        c.add_article(ArticleInput(text=text), fake_geoparse(text))
    script = tmp_path / "corrector.py"
    script.write_text(_CORRECTOR)
    n = 150
    procs = [
        subprocess.Popen([sys.executable, str(script), str(db), who, str(n)], stderr=subprocess.PIPE, text=True)
        for who in ("alice", "bob")
    ]
    # a third writer (this process) ingests articles at the same time
    with Corpus(db) as c:
        for i in range(20):
            c.add_article(_art(100 + i), fake_geoparse(make_text(100 + i)))
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
    with Corpus(db) as c:
        corr = c.list_corrections()
        assert len(corr) == 2 * n
        for who in ("alice", "bob"):
            notes = {x.note for x in corr if x.user == who and x.kind == "choose"}
            assert notes == {f"{who}-{i}" for i in range(n) if i % 10}
        assert c.count_articles() == 21 and c.check() == []


def test_concurrent_ingest_same_articles_no_duplicates(tmp_path):
    db = tmp_path / "c.sqlite"
    Corpus(db).close()
    procs = [_run_writer(tmp_path, db, 0, 120, 10) for _ in range(2)]
    for p in procs:
        p.communicate(timeout=120)
        assert p.returncode == 0
    with Corpus(db) as c:
        assert c.count_articles() == 120 and c.check() == []


def test_places_keep_first_seen_values(tmp_path):
    with Corpus(tmp_path / "c.sqlite") as c:
        c.add_article(ArticleInput(text="Qaim."), fake_geoparse("Qaim."))
        assert c.get_place(QAIM.id) == QAIM


def test_upgrade_from_schema_1(tmp_path):
    """A database written by schema 1 (first release) is upgraded in place, data intact."""
    db = make_old_corpus(tmp_path / "old.sqlite", 1, [(_art(1), fake_geoparse(make_text(1)))])
    with Corpus(db) as c:
        assert c.schema_version == storage.SCHEMA_VERSION >= 2
        idx = {r[1] for r in c.conn.execute("PRAGMA index_list(mentions)")}
        assert "mentions_place_cover" in idx and "mentions_place" not in idx
        assert c.count_articles() == 1 and c.check() == []
        assert c.load_result(1).mentions


def test_upgrade_keeps_a_story_table_made_before_migrations_held_it(tmp_path):
    """Schema 3 corpora got the story table on first use; schema 4 creates it by migration and keeps theirs."""
    db = make_old_corpus(tmp_path / "v3.sqlite", 3, [(_art(1), fake_geoparse(make_text(1)))])
    con = sqlite3.connect(db)  # what story_store did on first use before schema 4
    con.execute(
        "CREATE TABLE IF NOT EXISTS story (article_id INTEGER PRIMARY KEY REFERENCES articles(id)"
        " ON DELETE CASCADE, layout TEXT NOT NULL, user TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )
    con.execute("INSERT INTO story VALUES (1, '{\"steps\": []}', 'teacher', '2026-01-01T00:00:00Z')")
    con.commit()
    con.close()
    with Corpus(db) as c:
        assert c.schema_version == storage.SCHEMA_VERSION >= 4
        assert c.conn.execute("SELECT user FROM story WHERE article_id = 1").fetchone()[0] == "teacher"
    with Corpus(tmp_path / "new.sqlite") as c:  # a new corpus has the table from the start
        assert c.conn.execute("SELECT count(*) FROM story").fetchone()[0] == 0


def test_threads_sharing_one_connection_lose_nothing(tmp_path):
    """The dashboard shares one Corpus between sessions (threads): concurrent saves all land."""
    import threading

    from conflict_map.store.corrections import choose_place

    text = "Shelling hit Rawa."
    with Corpus(tmp_path / "c.sqlite") as c:
        c.add_article(ArticleInput(text=text), fake_geoparse(text))
        errors: list[BaseException] = []

        def worker(who: str) -> None:
            try:
                for i in range(100):
                    choose_place(c, 1, 13, 17, RAWA_OTHER, note=f"{who}-{i}", user=who)
                    c.load_result(1)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(f"s{k}",)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert len(c.list_corrections()) == 400 and c.check() == []

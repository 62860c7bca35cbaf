"""The same store tests against both backends (a SQLite file and a throwaway PostGIS server).

Articles, mentions, corrections, claims, story layouts and views go through the store interface
(:class:`conflict_map.store.base.Store`); the two backends must store and give back the same things, and
export the same files for the same input.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fake_geoparse import ANBAR, ASAD, EVIL, HADITHA, QAIM, RAWA, RAWA_OTHER, fake_geoparse, make_text
from pg_server import server

from conflict_map.cli.main import main
from conflict_map.errors import UserError
from conflict_map.export.registry import export
from conflict_map.models import ArticleInput, Candidate, Mention, ParseResult, text_hash
from conflict_map.present.layout_store import delete_layout, layout_info, load_layout, save_layout
from conflict_map.store import corrections as corr
from conflict_map.store.base import Store
from conflict_map.store.factory import open_store
from conflict_map.store.queries import CorpusFilter, mentions_over_time, place_excerpts, place_summaries
from conflict_map.store.schema import SCHEMA_VERSION

TESTS = Path(__file__).parent
ARTICLES = [
    ("Shelling hit Qaim overnight. Qaim residents fled to Rawa.", "2024-01-05", "Wire A"),
    ("Engineers reached Qaim by noon. The Anbar council met.", "2024-01-20", "Wire B"),
    ("Convoys left Haditha. Al Qaem was calm.", "2024-03-02", "Wire A"),
    ("Evilton saw protests near Qaim.", "", "Wire C"),
]


def _fill(s: Store) -> None:
    for i, (text, date, pub) in enumerate(ARTICLES):
        s.add_article(
            ArticleInput(text=text, date=date, publisher=pub, title=f"Story {i + 1}", url=f"https://e.org/{i}"),
            fake_geoparse(text),
        )


def _by(places):
    return {s.place.id: s for s in places}


def test_backend_is_a_store(store):
    assert isinstance(store, Store)
    assert store.schema_version == SCHEMA_VERSION
    assert store.count_articles() == 0 and store.check() == []


def test_round_trip_mentions_places_and_alternatives(store):
    text = "Shelling hit Rawa. Troops left Qaim for Ain al-Asad."
    result = fake_geoparse(text)
    aid, created = store.add_article(
        ArticleInput(text=text, title="T", url="https://e.org/a", publisher="Pub", date="2024-05-01T10:00Z"), result
    )
    assert created
    art = store.get_article(aid)
    assert (art.title, art.url, art.publisher, art.date, art.hash) == (
        "T", "https://e.org/a", "Pub", "2024-05-01", text_hash(text)
    )  # fmt: skip
    assert art.text == text and art.n_mentions == 3 and art.body == (0, len(text))
    back = store.load_result(aid)
    assert [(m.start, m.end, m.text, m.sentence, m.sentence_start) for m in back.mentions] == [
        (m.start, m.end, m.text, m.sentence, m.sentence_start) for m in result.mentions
    ]
    rawa = back.mentions[0]
    assert rawa.place == RAWA and rawa.confidence == pytest.approx(0.7)
    assert [a.place for a in rawa.alternatives] == [RAWA_OTHER]
    assert back.mentions[2].place == ASAD  # lat/lon come back exactly (a geography point in PostGIS)
    assert store.get_place(ASAD.id) == ASAD and store.places_by_id([QAIM.id, "nope"]) == {QAIM.id: QAIM}
    assert store.check() == []


def test_sentences_are_stored_once_and_shared(store):
    """A long one-sentence article: mention rows hold offsets, not 1,000 copies of the sentence."""
    sentence = "Convoys crossed " + ", ".join(["Qaim"] * 1000) + " before dawn."
    mentions = []
    for i in range(1000):
        start = 16 + 6 * i
        m = Mention(start, start + 4, "Qaim", sentence, 0, candidates=[Candidate(QAIM, 0.9)], place=QAIM)
        mentions.append(m)
    aid, _ = store.add_article(ArticleInput(text=sentence), ParseResult(sentence, mentions))
    stored = list(store.rows("SELECT sum(length(sentence)), count(*) FROM mentions WHERE article_id = ?", [aid]))
    assert [tuple(int(v) for v in r) for r in stored] == [(0, 1000)]
    back = store.load_result(aid).mentions
    assert len(back) == 1000 and len({id(m.sentence) for m in back}) == 1 and back[0].sentence == sentence


def test_duplicates_by_hash_and_batches(store):
    a1, new1 = store.add_article(ArticleInput(text=make_text(1), title="Story 1"), fake_geoparse(make_text(1)))
    a2, new2 = store.add_article(ArticleInput(text="\n" + make_text(1) + "  \n", title="again"), None)
    assert new1 and not new2 and a1 == a2
    out = store.add_articles(
        [
            (ArticleInput(text=make_text(2)), None),
            (ArticleInput(text=make_text(2)), None),
            (ArticleInput(text="x"), None),
        ]
    )
    assert [c for _i, c in out] == [True, False, True] and out[0][0] == out[1][0]
    assert store.count_articles() == 3
    assert store.find_hashes([text_hash(make_text(1)), "nope"]) == {text_hash(make_text(1)): a1}


def test_list_filter_and_publishers(store):
    _fill(store)
    assert [a.title for a in store.list_articles(publisher="Wire A")] == ["Story 3", "Story 1"]
    assert [a.title for a in store.list_articles(date_from="2024-02-01")] == ["Story 3"]
    assert [a.title for a in store.list_articles(date_to="2024-01-31")] == ["Story 2", "Story 1"]
    assert [a.title for a in store.list_articles(search="STORY 2")] == ["Story 2"]  # ASCII case ignored
    assert [a.title for a in store.list_articles(limit=2, offset=1)] == ["Story 2", "Story 1"]
    assert store.publishers() == ["Wire A", "Wire B", "Wire C"]
    assert set(store.articles_by_id([1, 4, 99])) == {1, 4}


def test_corrections_apply_to_views_and_undo_is_exact(store):
    _fill(store)
    before = _by(place_summaries(store))
    rec = corr.add_alias(store, "Al Qaem", QAIM)
    assert _by(place_summaries(store))[QAIM.id].n_articles == 4
    r = ARTICLES[0][0].index("Rawa")
    corr.choose_place(store, 1, r, r + 4, RAWA_OTHER)
    a = ARTICLES[1][0].index("Anbar")
    corr.mark_not_place(store, 2, a, a + 5)
    h = ARTICLES[2][0].index("Haditha")
    corr.place_at_coordinates(store, 3, h, h + 7, 34.2, 42.4, name="Haditha dam")
    places = _by(place_summaries(store))
    assert RAWA_OTHER.id in places and RAWA.id not in places and ANBAR.id not in places
    assert HADITHA.id not in places and "user:34.20000,42.40000" in places
    fast = _by(place_summaries(store, article_ids=False))
    assert {k: (v.n_mentions, v.n_articles) for k, v in fast.items()} == {
        k: (v.n_mentions, v.n_articles) for k, v in places.items()
    }
    assert [e.article_id for e in place_excerpts(store, QAIM.id)] == [1, 1, 2, 3, 4]
    assert store.load_result(1).mentions[2].place == RAWA_OTHER
    assert store.load_result(1, corrected=False).mentions[2].place == RAWA
    for c in store.list_corrections()[::-1]:
        store.undo_correction(c.id)
    with pytest.raises(UserError, match="already undone"):
        store.undo_correction(rec.id)
    after = _by(place_summaries(store))
    assert {k: (v.n_mentions, v.n_articles) for k, v in after.items()} == {
        k: (v.n_mentions, v.n_articles) for k, v in before.items()
    }
    assert store.check() == []


def test_an_alias_applies_to_articles_added_later_and_reprocessing_keeps_corrections(store):
    corr_text = "Shelling hit Rawa."
    aid, _ = store.add_article(ArticleInput(text=corr_text), fake_geoparse(corr_text))
    corr.choose_place(store, aid, 13, 17, RAWA_OTHER)
    corr.add_alias(store, "Al Qaem", QAIM)
    later, _ = store.add_article(ArticleInput(text="Al Qaem was calm."), fake_geoparse("Al Qaem was calm."))
    assert [e.article_id for e in place_excerpts(store, QAIM.id)] == [later]
    store.replace_parse(aid, fake_geoparse(corr_text))
    assert store.load_result(aid).mentions[0].place == RAWA_OTHER
    assert _by(place_summaries(store))[RAWA_OTHER.id].n_articles == 1
    assert store.check() == []


def test_time_series_and_filters(store):
    _fill(store)
    assert mentions_over_time(store, QAIM.id, by="month") == [{"period": "2024-01", "mentions": 3, "articles": 2}]
    assert set(_by(place_summaries(store, CorpusFilter(publishers=["Wire A"])))) == {QAIM.id, RAWA.id, HADITHA.id}
    assert set(_by(place_summaries(store, CorpusFilter(kinds=["province"])))) == {ANBAR.id}
    undated = place_summaries(store, CorpusFilter(date_from="2024-03-01"))
    assert set(_by(undated)) == {HADITHA.id, QAIM.id, EVIL.id}


def test_story_layouts_and_delete_cascade(store):
    _fill(store)
    save_layout(store, 1, {"steps": [{"id": "a"}], "title": "Mine"}, user="teacher")
    assert load_layout(store, 1) == {"steps": [{"id": "a"}], "title": "Mine"}
    assert layout_info(store, 1)[0] == "teacher"
    corr.add_alias(store, "Al Qaem", QAIM)
    corr.mark_not_place(store, 1, 13, 17)
    version = store.data_version()
    assert store.delete_article(1) and not store.delete_article(1)
    assert store.data_version() != version
    assert load_layout(store, 1) is None and not delete_layout(store, 2)
    assert all(c.article_id != 1 for c in store.list_corrections(include_undone=True))
    rows = list(store.rows("SELECT count(*) FROM mentions WHERE article_id = 1"))
    assert int(rows[0][0]) == 0 and store.check() == []
    with pytest.raises(UserError, match="no article 1"):
        store.get_article(1)


def test_claims_are_stored_with_the_article(store):
    text = "Troops left Qaim for Ain al-Asad, which is 150 kilometres away."
    store.add_article(ArticleInput(text=text, title="Claim"), fake_geoparse(text))
    rows = list(store.rows("SELECT article_id, data FROM claims"))
    assert len(rows) == 1 and rows[0][0] == 1
    data = rows[0][1] if isinstance(rows[0][1], dict) else json.loads(rows[0][1])
    assert "150" in data["stated"] and data["line"]


def _export_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8-sig")
    return "\n".join(line for line in text.splitlines() if "generated_at" not in line and "Exported by" not in line)


@pytest.mark.parametrize("fmt", ["geojson", "csv", "kml", "parquet", "gpkg"])
def test_both_backends_export_the_same_files(fmt, tmp_path):
    """Same input, same corrections: SQLite and PostGIS export identical files (the time stamp aside)."""
    import geopandas as gpd
    import pyarrow.parquet as pq

    outputs = []
    for name, target in (("sqlite", str(tmp_path / "c.sqlite")), ("postgis", server().new_database())):
        with open_store(target) as s:
            _fill(s)
            s.add_article(
                ArticleInput(text=make_text(7, words=300), title="Long <b>"), fake_geoparse(make_text(7, 300))
            )
            corr.add_alias(s, "Al Qaem", QAIM)
            corr.choose_place(s, 1, ARTICLES[0][0].index("Rawa"), ARTICLES[0][0].index("Rawa") + 4, RAWA_OTHER)
            for layer in ("places", "mentions") if fmt == "parquet" else ("places",):
                out = tmp_path / f"{name}-{layer}.{fmt}"
                export(s, fmt, out, layer=layer)
                outputs.append(out)
    half = len(outputs) // 2
    for a, b in zip(outputs[:half], outputs[half:], strict=True):
        if fmt == "parquet":
            assert pq.read_table(a).equals(pq.read_table(b))
        elif fmt == "gpkg":
            assert gpd.read_file(a, layer="places").equals(gpd.read_file(b, layer="places"))
        else:
            assert _export_text(a) == _export_text(b)


def test_newer_schema_is_refused(pg_url):
    with open_store(pg_url) as s:
        list(s.rows("SELECT 1"))
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE schema_version SET version = version + 5")
    with pytest.raises(UserError, match="newer conflict-map"):
        open_store(pg_url)


@pytest.mark.parametrize(
    "case",
    ["wrong password", "no postgis", "unreachable"],
)
def test_database_url_faults_are_one_line(case, capsys):
    srv = server()
    url = {
        "wrong password": srv.url("cm_template", password="not-the-password"),
        "no postgis": srv.plain_database(),
        "unreachable": "postgresql://cm:x@127.0.0.1:1/nothing",
    }[case]
    assert main(["articles", "--db", url]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("conflict-map: error:")
    assert "not-the-password" not in err and "Traceback" not in err
    assert {"wrong password": "password authentication failed", "no postgis": "PostGIS", "unreachable": "refused"}[
        case
    ] in err


_WRITER = textwrap.dedent(
    """
    import sys
    sys.path[:0] = [{src!r}, {tests!r}]
    from conflict_map.models import ArticleInput
    from conflict_map.store.factory import open_store
    from conflict_map.store.corrections import add_alias, choose_place
    from fake_geoparse import fake_geoparse, make_text, QAIM, RAWA_OTHER
    url, who = sys.argv[1], sys.argv[2]
    with open_store(url) as s:
        for b in range(0, 60, 10):
            s.add_articles([(ArticleInput(text=make_text(i), title=f"Story {{i}}"), fake_geoparse(make_text(i)))
                            for i in range(b, b + 10)])
            add_alias(s, f"{{who}} alias {{b}}", QAIM, user=who)
            choose_place(s, 1, 0, 6, RAWA_OTHER, user=who)
    """
).format(src=str(TESTS.parent / "src"), tests=str(TESTS))


def test_several_writers_at_once_store_nothing_twice(pg_url, tmp_path):
    """Two ingests of the same articles with corrections in between, at once: no duplicate, nothing lost."""
    with open_store(pg_url) as s:
        s.add_article(ArticleInput(text=make_text(0), title="Story 0"), fake_geoparse(make_text(0)))
    script = tmp_path / "writer.py"
    script.write_text(_WRITER)
    procs = [
        subprocess.Popen([sys.executable, str(script), pg_url, who], stderr=subprocess.PIPE, text=True)
        for who in ("alice", "bob")
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with open_store(pg_url) as s:
        assert s.count_articles() == 60 and s.check() == []
        assert len(s.list_corrections()) == 24
        assert len({a.hash for a in s.list_articles()}) == 60

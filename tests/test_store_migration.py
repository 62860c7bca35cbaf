"""Schema 5 migrates a corpus written by the old schema in place: sentences become offsets, the corrected
views and the checked claims are derived, and everything reads back as before."""

from __future__ import annotations

import sqlite3

from fake_geoparse import QAIM, RAWA_OTHER, fake_geoparse
from old_corpus import make_old_corpus

from conflict_map.models import ArticleInput
from conflict_map.store.queries import place_excerpts, place_summaries
from conflict_map.store.schema import SCHEMA_VERSION
from conflict_map.store.sqlite import Corpus

TEXTS = [
    "Shelling hit Qaim overnight. Qaim residents fled to Rawa.",
    "Convoys left Haditha. Al Qaem was calm.",
    "Troops left Qaim for Ain al-Asad, which is 150 kilometres away.",
]


def _old(tmp_path):
    arts = [(ArticleInput(text=t, title=f"Story {i}", date=f"2024-01-0{i + 1}"), fake_geoparse(t)) for i, t in
            enumerate(TEXTS)]  # fmt: skip
    rawa = TEXTS[0].index("Rawa")
    corrections = [
        {"kind": "alias", "alias_key": "al qaem", "mention_text": "Al Qaem", "place": QAIM},
        {"kind": "choose", "article_id": 1, "start": rawa, "end": rawa + 4, "mention_text": "Rawa",
         "place": RAWA_OTHER},
    ]  # fmt: skip
    return make_old_corpus(tmp_path / "v4.sqlite", 4, arts, corrections), arts


def test_schema_4_corpus_is_migrated_in_place(tmp_path):
    db, arts = _old(tmp_path)
    con = sqlite3.connect(db)
    old_bytes = con.execute("SELECT sum(length(sentence)) FROM mentions").fetchone()[0]
    con.close()
    assert old_bytes > 0  # the old schema kept one sentence per mention row
    with Corpus(db) as c:
        assert c.schema_version == SCHEMA_VERSION == 5
        assert c.conn.execute("SELECT sum(length(sentence)) FROM mentions").fetchone()[0] == 0
        for aid, (_art, result) in enumerate(arts, start=1):
            back = c.load_result(aid, corrected=False)
            assert [(m.start, m.end, m.sentence, m.sentence_start) for m in back.mentions] == [
                (m.start, m.end, m.sentence, m.sentence_start) for m in result.mentions
            ]
        places = {s.place.id: s for s in place_summaries(c)}
        assert places[QAIM.id].n_articles == 3  # the alias counts in SQL after the migration
        assert RAWA_OTHER.id in places
        assert [e.article_id for e in place_excerpts(c, QAIM.id)] == [1, 1, 2, 3]
        claims = c.conn.execute("SELECT count(*) FROM claims").fetchone()[0]
        assert claims == 1 and c.check() == []
    with Corpus(db) as c:  # opening again changes nothing
        assert c.schema_version == 5 and c.check() == []


def test_a_sentence_that_is_not_a_slice_of_the_text_is_kept(tmp_path):
    text = "Shelling hit Qaim overnight."
    result = fake_geoparse(text)
    result.mentions[0].sentence = "a sentence from elsewhere naming Qaim"
    db = make_old_corpus(tmp_path / "odd.sqlite", 4, [(ArticleInput(text=text), result)])
    with Corpus(db) as c:
        assert c.load_result(1).mentions[0].sentence == "a sentence from elsewhere naming Qaim"

"""Corpus views as plain functions: places across articles, filters, excerpts, mentions over time, map."""

from __future__ import annotations

import pytest
from fake_geoparse import ANBAR, EVIL, HADITHA, QAIM, RAWA, RAWA_OTHER, fake_geoparse

from conflict_map.store.corrections import add_alias, choose_place, mark_not_place
from conflict_map.store.queries import (
    CorpusFilter,
    date_range,
    kinds_in_corpus,
    mentions_over_time,
    place_excerpts,
    place_summaries,
)
from conflict_map.store.sqlite import ArticleInput, Corpus
from conflict_map.view import corpusmap

ARTICLES = [
    ("Shelling hit Qaim overnight. Qaim residents fled to Rawa.", "2024-01-05", "Wire A"),
    ("Engineers reached Qaim by noon. The Anbar council met.", "2024-01-20", "Wire B"),
    ("Convoys left Haditha. Al Qaem was calm.", "2024-03-02", "Wire A"),
    ("Evilton saw protests near Qaim.", "", "Wire C"),
]


@pytest.fixture
def corpus(tmp_path):
    with Corpus(tmp_path / "c.sqlite") as c:
        for text, date, pub in ARTICLES:
            c.add_article(ArticleInput(text=text, date=date, publisher=pub, title=text[:20]), fake_geoparse(text))
        yield c


def _by(places):
    return {s.place.id: s for s in places}


def test_sized_by_article_count(corpus):
    places = place_summaries(corpus)
    assert places[0].place == QAIM
    q = _by(places)[QAIM.id]
    assert (q.n_articles, q.n_mentions, q.article_ids) == (3, 4, [1, 2, 4])
    assert q.first_date == "2024-01-05" and q.last_date == "2024-01-20"


def test_filters(corpus):
    assert set(_by(place_summaries(corpus, CorpusFilter(publishers=["Wire A"])))) == {
        QAIM.id,
        RAWA.id,
        HADITHA.id,
    }
    jan = place_summaries(corpus, CorpusFilter(date_from="2024-01-01", date_to="2024-01-31", include_undated=False))
    assert set(_by(jan)) == {QAIM.id, RAWA.id, ANBAR.id}
    with_undated = place_summaries(corpus, CorpusFilter(date_from="2024-01-01", date_to="2024-01-31"))
    assert EVIL.id in _by(with_undated)
    assert set(_by(place_summaries(corpus, CorpusFilter(kinds=["province"])))) == {ANBAR.id}
    assert set(_by(place_summaries(corpus, CorpusFilter(article_ids=[3])))) == {HADITHA.id}


def test_corrections_apply_across_corpus(corpus):
    add_alias(corpus, "Al Qaem", QAIM)  # article 3: a spelling the recogniser missed
    assert _by(place_summaries(corpus))[QAIM.id].n_articles == 4
    r = ARTICLES[0][0].index("Rawa")
    choose_place(corpus, 1, r, r + 4, RAWA_OTHER, mention_text="Rawa")
    a = ARTICLES[1][0].index("Anbar")
    mark_not_place(corpus, 2, a, a + 5, mention_text="Anbar")
    places = _by(place_summaries(corpus))
    assert RAWA.id not in places and places[RAWA_OTHER.id].n_articles == 1
    assert ANBAR.id not in places
    ex = place_excerpts(corpus, QAIM.id)
    assert any(e.text == "Al Qaem" and e.sentence.startswith("Al Qaem was calm") for e in ex)
    corpus.undo_correction()  # the not-a-place
    assert ANBAR.id in _by(place_summaries(corpus))


def test_excerpts_and_time_series(corpus):
    ex = place_excerpts(corpus, QAIM.id)
    assert [e.article_id for e in ex] == [1, 1, 2, 4]  # dated first, undated last
    e = ex[0]
    assert e.sentence[e.start : e.end] == "Qaim" and e.title and e.date == "2024-01-05"
    assert place_excerpts(corpus, QAIM.id, limit=2) == ex[:2]
    series = mentions_over_time(corpus, QAIM.id)
    assert series == [{"period": "2024-01", "mentions": 3, "articles": 2}]
    assert mentions_over_time(corpus, QAIM.id, by="day")[0]["period"] == "2024-01-05"
    with pytest.raises(ValueError):
        mentions_over_time(corpus, QAIM.id, by="week")


def test_helpers(corpus):
    assert date_range(corpus) == ("2024-01-05", "2024-03-02")
    assert "province" in kinds_in_corpus(corpus)


def test_corpus_map_escapes_and_clusters(corpus):
    places = place_summaries(corpus)
    m = corpusmap.build_corpus_map(places)
    page = m.get_root().render()
    assert "L.markerClusterGroup" in page and "/app/static/vendor/leaflet.markercluster/" in page
    assert '"maxZoom": 14' in page  # markercluster refuses a map without maxZoom (tiles=None)
    assert "<script>alert" not in page  # the hostile place name is escaped
    assert "https://cdn" not in page and "cdnjs" not in page
    assert corpusmap.marker_radius(10, 10) > corpusmap.marker_radius(1, 10)
    assert corpusmap.nearest_place(places, QAIM.lat + 0.001, QAIM.lon) == QAIM.id
    assert corpusmap.nearest_place(places, 0, 0) is None


def _key(places):
    return sorted((s.place.id, s.n_mentions, s.n_articles, s.first_date, s.last_date) for s in places)


@pytest.mark.parametrize(
    "flt",
    [
        CorpusFilter(),
        CorpusFilter(publishers=["Wire A"]),
        CorpusFilter(date_from="2024-01-10", include_undated=False),
        CorpusFilter(kinds=["town"]),
        CorpusFilter(article_ids=[1, 3]),
    ],
)
def test_fast_sql_summaries_equal_python_ones(corpus, flt):
    assert _key(place_summaries(corpus, flt, article_ids=False)) == _key(place_summaries(corpus, flt))
    add_alias(corpus, "Al Qaem", QAIM)
    r = ARTICLES[0][0].index("Rawa")
    choose_place(corpus, 1, r, r + 4, RAWA_OTHER)
    a = ARTICLES[1][0].index("Anbar")
    mark_not_place(corpus, 2, a, a + 5)
    fast = place_summaries(corpus, flt, article_ids=False)
    assert _key(fast) == _key(place_summaries(corpus, flt))
    assert all(s.article_ids == [] for s in fast)


def test_excerpt_limit_with_corrected_articles(corpus):
    add_alias(corpus, "Al Qaem", QAIM)  # article 3 is then loaded in full and corrected
    full = place_excerpts(corpus, QAIM.id)
    assert [e.article_id for e in full] == [1, 1, 2, 3, 4]
    for n in range(1, 6):
        assert place_excerpts(corpus, QAIM.id, limit=n) == full[:n]

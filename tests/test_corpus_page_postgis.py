"""The Corpus page on a PostGIS corpus (``CONFLICT_MAP_DB=postgresql://...``): map, a correction, an export."""

from __future__ import annotations

from fake_geoparse import QAIM, fake_geoparse
from test_corpus_page import PAGE, TEXTS, panel

from conflict_map.ingest import batch as ingest
from conflict_map.models import ArticleInput
from conflict_map.present.layout_store import story_for_article
from conflict_map.store.factory import open_store


def test_corpus_page_on_postgis(pg_url, monkeypatch):
    from streamlit.testing.v1 import AppTest

    with open_store(pg_url) as s:
        for text, date in TEXTS:
            s.add_article(ArticleInput(text=text, date=date, title=text[:24], publisher="Wire"), fake_geoparse(text))
    monkeypatch.setenv("CONFLICT_MAP_DB", pg_url)
    monkeypatch.setattr(ingest, "default_geoparse", lambda: fake_geoparse)
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="cm_place").value == QAIM.id
    assert '<mark class="cm-town">Qaim</mark>' in panel(at, "cm_excerpts")
    at.sidebar.radio(key="cm_view").set_value("Article").run()
    at.selectbox(key="cm_article").set_value(2).run()
    at.radio(key="cm_action_2").set_value("Not a place").run()
    at.button(key="cm_save_2").click().run()
    assert not at.exception
    with open_store(pg_url) as s:
        (rec,) = s.list_corrections()
        assert rec.kind == "not_place" and rec.mention_text == "Qaim" and rec.article_id == 2
        story, _gone = story_for_article(s, 2)  # the story is built from the corrected article
        assert story.steps
    at.sidebar.radio(key="cm_view").set_value("Export").run()
    at.button(key="cm_prep_corpus").click().run()
    assert not at.exception and at.get("download_button")
    pg_url_in_page = " ".join(c.value for c in at.sidebar.caption)
    assert "cm-secret" not in pg_url_in_page

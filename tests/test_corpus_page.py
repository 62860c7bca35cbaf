"""The Streamlit corpus page (pages/2_Corpus.py), headless via AppTest, on a small invented corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_geoparse import HADITHA, QAIM, fake_geoparse

from conflict_map.ingest import batch as ingest
from conflict_map.store.sqlite import ArticleInput, Corpus

PAGE = Path(__file__).resolve().parents[1] / "pages" / "2_Corpus.py"
TEXTS = [
    ("Shelling hit Qaim overnight. Residents fled to Rawa.", "2024-01-05"),
    ("Engineers reached Qaim by noon. Haditha stayed calm.", "2024-02-20"),
]


@pytest.fixture
def app(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    db = tmp_path / "page.sqlite"
    with Corpus(db) as c:
        for text, date in TEXTS:
            c.add_article(ArticleInput(text=text, date=date, title=text[:24], publisher="Wire"), fake_geoparse(text))
    monkeypatch.setenv("CONFLICT_MAP_DB", str(db))
    monkeypatch.setattr(ingest, "default_geoparse", lambda: fake_geoparse)
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at, db


def panel(at, key: str) -> str:
    """The HTML a text-panel component instance shows (the component's data)."""
    import json

    for el in at.get("bidi_component"):
        if el.proto.id.endswith(f"-{key}"):
            return json.loads(el.proto.json)["html"]
    raise AssertionError(f"no component {key}")


def test_corpus_map_lists_places_and_excerpts(app):
    at, _ = app
    assert at.selectbox(key="cm_place").value == QAIM.id
    assert "2 article(s)" in " ".join(m.value for m in at.markdown)
    assert '<mark class="cm-town">Qaim</mark>' in panel(at, "cm_excerpts")
    at.selectbox(key="cm_place").set_value(HADITHA.id).run()
    assert not at.exception
    assert '<mark class="cm-town">Haditha</mark>' in panel(at, "cm_excerpts")


def test_open_article_and_mark_not_a_place(app):
    at, db = app
    assert 'data-article="1"' in panel(at, "cm_excerpts")  # "Open article" in the excerpt list
    at.sidebar.radio(key="cm_view").set_value("Article").run()
    at.selectbox(key="cm_article").set_value(1).run()
    assert not at.exception
    at.radio(key="cm_action_1").set_value("Not a place").run()
    at.button(key="cm_save_1").click().run()
    assert not at.exception
    with Corpus(db) as c:
        recs = c.list_corrections()
        assert [r.kind for r in recs] == ["not_place"] and recs[0].mention_text == "Qaim"
    at.button(key=f"undo_{recs[0].id}").click().run()
    with Corpus(db) as c:
        assert c.list_corrections() == []


def test_add_pasted_article(app):
    at, db = app
    at.sidebar.radio(key="cm_view").set_value("Add articles").run()
    at.text_area[0].input("Patrols returned to Haditha after the storm.").run()
    at.button[0].click().run()
    assert not at.exception
    assert any("Added 1 article" in s.value for s in at.success)
    with Corpus(db) as c:
        assert c.count_articles() == 3


def test_other_views_render(app):
    at, _ = app
    for view in ("Corrections", "Export"):
        at.sidebar.radio(key="cm_view").set_value(view).run()
        assert not at.exception
    at.button(key="cm_prep_corpus").click().run()
    assert not at.exception
    assert at.get("download_button")


def test_place_at_coordinates_from_the_form(app):
    at, db = app
    at.sidebar.radio(key="cm_view").set_value("Article").run()
    aid = at.selectbox(key="cm_article").value
    at.radio(key=f"cm_action_{aid}").set_value("Place at coordinates").run()
    assert not at.exception
    assert at.number_input(key=f"cm_lat_{aid}").value == pytest.approx(QAIM.lat)  # starts at the mention's place
    at.number_input(key=f"cm_lat_{aid}").set_value(34.5).run()
    at.number_input(key=f"cm_lon_{aid}").set_value(41.2).run()
    at.button(key=f"cm_save_{aid}").click().run()
    assert not at.exception
    with Corpus(db) as c:
        (rec,) = c.list_corrections()
        assert rec.kind == "coords" and (rec.place.lat, rec.place.lon) == (34.5, 41.2)
        assert rec.article_id == aid and rec.mention_text == "Qaim"


def test_article_text_is_the_main_pages_text_panel_never_markdown(tmp_path, monkeypatch):
    """Article text with Markdown, HTML and template payloads is shown as text in the shared text panel."""
    from hostile import MARKDOWN, breaches, printable_text
    from streamlit.testing.v1 import AppTest

    text = printable_text(("Qaim", "Haditha"))
    db = tmp_path / "hostile.sqlite"
    with Corpus(db) as c:
        c.add_article(ArticleInput(text=text, title="# " + MARKDOWN[0]), fake_geoparse(text))
    monkeypatch.setenv("CONFLICT_MAP_DB", str(db))
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    at.sidebar.radio(key="cm_view").set_value("Article").run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    for payload in MARKDOWN:  # no Markdown element carries the article's text
        assert payload not in shown
    html = panel(at, "cm_text_1")
    assert "tracker.example" in html and "cm-town" in html  # the text is there, as text
    assert breaches(html) == []

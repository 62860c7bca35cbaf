"""Classroom sharing: every page that writes to the corpus asks for the teacher's passphrase (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_geoparse import fake_geoparse
from streamlit.testing.v1 import AppTest

from conflict_map.ingest import batch as ingest
from conflict_map.store.sqlite import ArticleInput, Corpus
from conflict_map.web import access

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Shelling hit Qaim overnight. Residents fled to Rawa."
PHRASE = "euphrates-2026"


@pytest.fixture
def shared(tmp_path, monkeypatch):
    db = tmp_path / "class.sqlite"
    with Corpus(db) as c:
        c.add_article(ArticleInput(text=TEXT, title="Qaim", date="2024-01-05"), fake_geoparse(TEXT))
    monkeypatch.setenv("CONFLICT_MAP_DB", str(db))
    monkeypatch.setenv(access.SHARE_ENV, "1")
    monkeypatch.setenv(access.PASSPHRASE_ENV, PHRASE)
    monkeypatch.setattr(ingest, "default_geoparse", lambda: fake_geoparse)
    return db


def corpus_article_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "2_Corpus.py"), default_timeout=60)
    at.run()
    at.sidebar.radio(key="cm_view").set_value("Article").run()
    assert not at.exception, at.exception
    return at


def test_corrections_need_the_passphrase_when_shared(shared):
    at = corpus_article_page()
    assert not [b for b in at.button if b.key == "cm_save_1"]  # no way to change the corpus yet
    assert any("Shared on the classroom network" in i.value for i in at.sidebar.info)
    at.text_input(key="cm_fix_1_passphrase").input("guess").run()
    at.button(key="cm_fix_1_unlock").click().run()
    assert any("not the passphrase" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "cm_save_1"]
    at.text_input(key="cm_fix_1_passphrase").input(PHRASE).run()
    at.button(key="cm_fix_1_unlock").click().run()
    assert not at.exception
    at.radio(key="cm_action_1").set_value("Not a place").run()
    at.button(key="cm_save_1").click().run()
    with Corpus(shared) as c:
        assert [r.kind for r in c.list_corrections()] == ["not_place"]


def test_adding_articles_needs_the_passphrase_when_shared(shared):
    at = AppTest.from_file(str(ROOT / "pages" / "2_Corpus.py"), default_timeout=60)
    at.run()
    at.sidebar.radio(key="cm_view").set_value("Add articles").run()
    assert not at.text_area and any(b.key == "cm_add_unlock" for b in at.button)


def test_widget_values_cannot_unlock(shared):
    """The unlocked flag is a session key no widget owns: only a checked passphrase sets it."""
    from conflict_map.web.components import UNLOCKED_KEY

    at = corpus_article_page()
    assert UNLOCKED_KEY not in at.session_state
    assert all(w.key != UNLOCKED_KEY for w in at.text_input)


def test_not_shared_writes_freely(tmp_path, monkeypatch):
    db = tmp_path / "home.sqlite"
    with Corpus(db) as c:
        c.add_article(ArticleInput(text=TEXT, title="Qaim"), fake_geoparse(TEXT))
    monkeypatch.setenv("CONFLICT_MAP_DB", str(db))
    monkeypatch.delenv(access.SHARE_ENV, raising=False)
    at = corpus_article_page()
    assert any(b.key == "cm_save_1" for b in at.button)


def test_shared_without_passphrase_says_so(shared, monkeypatch):
    monkeypatch.delenv(access.PASSPHRASE_ENV)
    at = corpus_article_page()
    assert any("needs a passphrase" in e.value for e in at.sidebar.error)
    assert not [b for b in at.button if b.key == "cm_save_1"]


def test_main_page_keep_in_corpus_needs_the_passphrase(shared, monkeypatch):
    monkeypatch.setenv("CONFLICT_MAP_GEOPARSER", "dashboard_fake:geoparse")
    monkeypatch.setenv("CONFLICT_MAP_OFFLINE", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.sidebar.text_area(key="paste").set_value("Convoys left Al Qaim for Rawa.")
    at.sidebar.button[1].click().run()
    at.selectbox(key="fix_mention").set_value("Rawa").run()
    at.selectbox(key="fix_choice_Rawa").set_value("__not_a_place__").run()
    next(b for b in at.button if b.label == "Apply correction").click().run()
    assert not at.exception, at.exception
    assert not [b for b in at.button if b.label == "Keep in corpus with corrections"]
    at.text_input(key="keep_passphrase").input(PHRASE).run()
    at.button(key="keep_unlock").click().run()
    assert [b for b in at.button if b.label == "Keep in corpus with corrections"]

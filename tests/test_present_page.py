"""The Streamlit presentation page (pages/3_Present.py), headless via AppTest, with the stand-in geoparser."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from dashboard_fake import geoparse as fake_geoparse

from conflict_map.store.sqlite import ArticleInput, Corpus

PAGE = Path(__file__).resolve().parents[1] / "pages" / "3_Present.py"
TEXT = (
    "Notes for a geography lesson\n\n"
    "Engineers drove from Haditha to Ramadi along the river. "
    "Ramadi lies about 110 kilometres west of Baghdad, officials said."
)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Path, int]:
    from streamlit.testing.v1 import AppTest

    db = tmp_path / "present.sqlite"
    with Corpus(db) as c:
        aid, _ = c.add_article(ArticleInput(text=TEXT, title="Lesson notes", date="2026-01-02"), fake_geoparse(TEXT))
    monkeypatch.setenv("CONFLICT_MAP_DB", str(db))
    monkeypatch.setenv("CONFLICT_MAP_GEOPARSER", "dashboard_fake:geoparse")
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at, db, aid


def _iframe_html(at: Any) -> str:
    found = [e for e in _walk(at.main) if type(e).__name__ == "UnknownElement" and hasattr(e, "proto")]
    for e in found:
        raw = str(e.proto)
        if "cm-story-data" in raw:
            return raw
    raise AssertionError("no story iframe on the page")


def _walk(node: Any) -> list[Any]:
    out = [node]
    for child in getattr(node, "children", {}).values():
        out += _walk(child)
    return out


def test_build_sample_story_and_present(app: tuple[Any, Path, int]) -> None:
    at, _, _ = app
    assert "Build a story" in at.info[0].value
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.session_state["present_story"].steps[0].kind == "title"
    assert any("steps shown" in c.value for c in at.caption)
    page = _iframe_html(at)
    assert "cm-story-data" in page and "/app/static/vendor/leaflet/leaflet.js" in page
    assert not re.search(r"(?:src|href)=\\?\"https?://", page)
    labels = [t.label for t in at.tabs]
    assert labels == ["Present", "Order, skip, notes", "Hand-out"]
    downloads = list(at.get("download_button"))
    assert len(downloads) == 3  # story HTML, hand-out HTML, map PNG
    assert [e for e in _walk(at.main) if type(e).__name__ == "Image"], "the hand-out map image is shown"


def test_corpus_article_layout_is_saved(app: tuple[Any, Path, int]) -> None:
    from conflict_map.present import layout_store as story_store

    at, db, aid = app
    at.radio(key="present_source").set_value("Corpus article").run()
    assert at.selectbox(key="present_article").value == aid
    at.button[0].click().run()
    assert not at.exception, at.exception
    story = at.session_state["present_story"]
    assert story.title == "Lesson notes"
    assert any("kept with the corpus article" in c.value for c in at.caption)
    at.text_input(key="present_title_1").set_value("Lesson 4: the Euphrates road").run()
    save = next(b for b in at.button if b.label == "Save order and notes")
    save.click().run()
    assert not at.exception, at.exception
    assert any("saved with the article" in s.value for s in at.success)
    with Corpus(db) as c:
        layout = story_store.load_layout(c, aid)
    assert layout is not None and layout["title"] == "Lesson 4: the Euphrates road"
    assert [s["id"] for s in layout["steps"]][0] == "title"
    assert json.dumps(layout)  # plain JSON

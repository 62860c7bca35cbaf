"""The map page with AppTest (fake geoparser): areas, lone far readings, editing, the shareable link, the page list,
the phone input, the passphrase on corpus edits when shared (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from conflict_map.store.sqlite import ArticleInput, Corpus
from conflict_map.web import access

ROOT = Path(__file__).resolve().parents[1]
PHRASE = "euphrates-2026"


@pytest.fixture(autouse=True)
def fake_geoparser(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("CONFLICT_MAP_GEOPARSER", "dashboard_fake:geoparse")
    monkeypatch.setenv("CONFLICT_MAP_DB", str(tmp_path / "corpus.sqlite"))
    monkeypatch.setenv("CONFLICT_MAP_OFFLINE", "1")
    monkeypatch.syspath_prepend(str(Path(__file__).parent))


def run(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def again(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def script(at: AppTest) -> str:
    (el,) = [e for e in at.get("component_instance") if e.proto.component_name == "streamlit_folium.st_folium"]
    return json.loads(el.proto.json_args)["script"]


def overlay(at: AppTest) -> str:
    (el,) = [e for e in at.get("component_instance") if e.proto.component_name == "streamlit_folium.st_folium"]
    return json.loads(el.proto.json_args)["feature_group"]


def paste(at: AppTest, text: str) -> AppTest:
    at.sidebar.text_area(key="paste").set_value(text)
    at.sidebar.button[1].click()
    return again(at)


def test_areas_are_not_pins_and_from_to_lists_point_places_first() -> None:
    at = run()
    s = script(at)
    assert s.count("window.cmMarkers[") == 14 and s.count("cmArea: true") == 4
    opts = at.selectbox(key="from_sel").options
    assert opts[:2] == ["\u2014", "Ramadi (city, Anbar, IQ)"] or opts[1].startswith("Ramadi")
    areas = [o for o in opts if "an area: to its nearest edge" in o]
    assert len(areas) == 4 and opts.index(areas[0]) == 11  # after the ten point places
    assert "14 places (10 on the map as pins, 4 as areas)" in at.caption[0].value


def test_a_lone_far_reading_is_flagged_everywhere() -> None:
    at = paste(run(), "Convoys left Al Qaim for Haditha, then Ramadi and Baghdad. A report put them in Hawf.")
    assert any("Left out of the view: Hawf" in c.value.replace("\\", "") for c in at.caption)
    panel = json.loads(at.get("bidi_component")[0].proto.json)["html"]
    assert "cm-far" in panel
    assert "Far from the article" in script(at)


def test_page_list_names_the_map_page_and_the_phone_input_maps_an_article() -> None:
    at = run()
    links = [e.proto.label for e in at.get("page_link")]
    assert links == ["Map", "Corpus", "Present"]
    at.text_area(key="paste_phone").set_value("Patrols left Ramadi for Haditha.")
    at.button(key="map_phone").click()
    again(at)
    assert "Pasted article" in at.caption[0].value and script(at).count("window.cmMarkers[") == 2


def test_a_dragged_pin_moves_every_mention_and_undo_brings_it_back() -> None:
    at = run()
    at.session_state["map_event"] = {"cm": "move", "place": "3", "lat": 33.5, "lon": 43.0, "n": "t-1"}
    again(at)
    s = script(at)
    assert 'window.cmMarkers["user:33.50000,43.00000"]' in s and 'window.cmMarkers["3"]' not in s
    assert at.session_state["selected"] == "user:33.50000,43.00000"
    undo = [b for b in at.button if b.label == "Undo"]
    assert len(undo) == 1
    undo[0].click()
    again(at)
    assert 'window.cmMarkers["3"]' in script(at)
    assert any("undone" in c.value for c in at.caption)


def test_a_map_click_moves_the_selected_place_only_in_move_mode() -> None:
    at = run({"article": "sample", "place": "5"})
    at.session_state["map_event"] = {"cm": "click", "place": "", "lat": 33.0, "lon": 44.0, "n": "t-2"}
    again(at)
    assert 'window.cmMarkers["5"]' in script(at)  # not editing: a click on the map changes nothing
    at.toggle(key="move_mode").set_value(True)
    again(at)
    assert "Drag a pin to move it, or click the map to move Baghdad there." in overlay(at)
    at.session_state["map_event"] = {"cm": "click", "place": "", "lat": 33.0, "lon": 44.0, "n": "t-3"}
    again(at)
    assert 'window.cmMarkers["user:33.00000,44.00000"]' in script(at)


def test_selected_words_become_a_place_placed_on_the_map() -> None:
    at = run()
    text = at.session_state["article_text"]
    start = text.index("desert highway")
    at.session_state["pending_add"] = {"start": start, "end": start + 14, "text": "desert highway"}
    again(at)
    assert any("Add \u201cdesert highway\u201d as a place" in m.value for m in at.markdown)
    at.button(key="add_on_map").click()
    again(at)
    assert "Click the map where \u201cdesert highway\u201d is." in overlay(at)
    at.session_state["map_event"] = {"cm": "click", "place": "", "lat": 34.0, "lon": 42.0, "n": "t-4"}
    again(at)
    assert 'window.cmMarkers["user:34.00000,42.00000"]' in script(at)
    panel = json.loads(at.get("bidi_component")[0].proto.json)["html"]
    assert ">desert highway</mark>" in panel
    assert at.session_state["pending_add"] is None


def test_a_stale_selection_is_refused_with_a_message() -> None:
    at = run()
    at.session_state["pending_add"] = {"start": 0, "end": 5, "text": "nonsense"}
    again(at)
    assert any("select the words again" in w.value for w in at.warning)


def test_a_correction_can_apply_to_every_spelling() -> None:
    at = paste(run(), "Convoys left Al Qaim at dawn. In Qaim the market reopened.")
    at.selectbox(key="fix_mention").set_value("Al Qaim")
    again(at)
    at.checkbox(key="fix_every_Al Qaim").check()
    at.selectbox(key="fix_choice_Al Qaim").set_value("__not_a_place__")
    [b for b in at.button if b.label == "Apply correction"][0].click()
    again(at)
    assert script(at).count("window.cmMarkers[") == 0
    assert any("and its other spellings is not a place (2 mentions)" in c.value.replace("\\", "") for c in at.caption)


def test_the_link_restores_the_place_the_claim_and_the_view() -> None:
    at = run({"article": "sample", "place": "3", "claim": "1", "view": "34.0000,42.0000,8"})
    assert at.session_state["selected"] == "3"
    radio = at.radio(key="claim_choice")
    assert radio.value == radio.options[1]
    assert '"restored":true' in script(at) and "[34.0,42.0,8]" in script(at)
    assert at.query_params["place"] == ["3"] or at.query_params["place"] == "3"
    assert str(at.query_params["view"]).strip("[]'") == "34.0000,42.0000,8"  # the map keeps it current


def test_a_bad_link_falls_back_and_never_shows_a_server_path() -> None:
    import os

    Corpus(Path(os.environ["CONFLICT_MAP_DB"])).close()  # a corpus without article 999
    at = run({"article": "corpus:999", "place": "<b>x</b>", "view": "1e9,2,3", "claim": "99"})
    assert any("No corpus article 999" in e.value for e in at.error)
    assert not any(".sqlite" in e.value or "/" in e.value.split("999")[0] for e in at.error)
    assert at.session_state["selected"] is None


@pytest.fixture
def shared_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    import dashboard_fake

    db = tmp_path / "class.sqlite"
    text = "Shelling hit Haditha. Convoys left Al Qaim for Ramadi."
    with Corpus(db) as c:
        aid, _ = c.add_article(ArticleInput(text=text, title="Stored"), dashboard_fake.geoparse(text))
    monkeypatch.setenv("CONFLICT_MAP_DB", str(db))
    monkeypatch.setenv(access.SHARE_ENV, "1")
    monkeypatch.setenv(access.PASSPHRASE_ENV, PHRASE)
    return f"corpus:{aid}"


def test_moving_a_pin_of_a_corpus_article_needs_the_passphrase_when_shared(shared_corpus: str) -> None:
    at = run({"article": shared_corpus})
    at.session_state["map_event"] = {"cm": "move", "place": "3", "lat": 33.5, "lon": 43.0, "n": "t-5"}
    again(at)
    assert 'window.cmMarkers["3"]' in script(at)  # refused: nothing written
    with Corpus(Path(access.os.environ["CONFLICT_MAP_DB"])) as c:
        assert c.list_corrections() == []
    at.toggle(key="move_mode_locked").set_value(True)
    again(at)
    at.text_input(key="move_passphrase").input(PHRASE)
    at.button(key="move_unlock").click()
    again(at)
    at.session_state["map_event"] = {"cm": "move", "place": "3", "lat": 33.5, "lon": 43.0, "n": "t-6"}
    again(at)
    assert 'window.cmMarkers["user:33.50000,43.00000"]' in script(at)
    with Corpus(Path(access.os.environ["CONFLICT_MAP_DB"])) as c:
        assert [r.kind for r in c.list_corrections()] == ["coords"]

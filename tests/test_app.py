"""Page logic of app.py via streamlit.testing.v1.AppTest (headless, fake geoparser, about 1 s per run)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from conflict_map.view import offline
from conflict_map.web import page as dashboard

HOSTILE = (
    'Breaking <script>alert("x")</script> news from Al Qaim <img src=x onerror=alert(1)> and '
    '<a href="javascript:alert(2)">Haditha</a> <!-- hidden --> near Evilton.'
)


@pytest.fixture(autouse=True)
def fake_geoparser(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("CONFLICT_MAP_GEOPARSER", "dashboard_fake:geoparse")
    monkeypatch.setenv("CONFLICT_MAP_DB", str(tmp_path / "corpus.sqlite"))
    monkeypatch.setenv("CONFLICT_MAP_OFFLINE", "1")
    monkeypatch.syspath_prepend(str(__import__("pathlib").Path(__file__).parent))


def run(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def map_args(at: AppTest) -> dict[str, Any]:
    els = list(at.get("component_instance"))
    assert len(els) == 1
    assert els[0].proto.component_name == "streamlit_folium.st_folium"
    return json.loads(els[0].proto.json_args)


def drawn(script: str) -> int:
    """Places drawn on the map: a pin or an area's name, each registered once in ``window.cmMarkers``."""
    return script.count("window.cmMarkers[")


def area_names(script: str) -> int:
    """Places drawn as areas (an outline or a line with its name; never a pin)."""
    return script.count("cmArea: true")


def text_panel(at: AppTest) -> str:
    return str(at.get("bidi_component")[0].proto)


def mapped(at: AppTest, text: str) -> AppTest:
    at.sidebar.text_area(key="paste").set_value(text)
    at.sidebar.button[1].click()  # "Map article"
    at.run()
    assert not at.exception, at.exception
    return at


def correct(at: AppTest, name: str, choice: str) -> AppTest:
    """Choose what the mention ``name`` means in *Check and correct places* and apply it."""
    at.selectbox(key="fix_mention").set_value(name)
    at.run()
    at.selectbox(key=f"fix_choice_{name}").set_value(choice)
    return click(at, "Apply correction")


def click(at: AppTest, label: str) -> AppTest:
    [b for b in at.button if b.label == label][0].click()
    at.run()
    assert not at.exception, at.exception
    return at


def test_accessible_labels() -> None:
    at = run()
    assert [t.label for t in at.sidebar.text_area] == ["Article text"]
    assert "Map article" in [b.label for b in at.sidebar.button]
    labels = [s.label for s in at.selectbox]
    assert "From" in labels and "To" in labels


def test_sample_is_mapped_with_local_assets_only() -> None:
    at = run()
    args = map_args(at)
    assert drawn(args["script"]) == 14
    assert area_names(args["script"]) == 4  # Anbar, Iraq, Syria, Jordan: areas, not pins
    links = args["js_links"] + args["css_links"]
    assert links and all(offline.is_local(u) for u in links), links
    assert "https://" not in args["header"] and "http://" not in args["header"]
    assert "L.tileLayer(" not in args["script"]
    assert "14 places" in at.caption[0].value


def test_map_data_per_rerun_is_small() -> None:
    at = run()
    size = sum(len(e.proto.SerializeToString()) for e in at.get("component_instance"))
    size += sum(len(e.proto.SerializeToString()) for e in at.get("bidi_component"))
    assert size < 100_000, size


def test_map_pasted_article() -> None:
    at = mapped(run(), "Convoys left Al Qaim for Haditha, then Ramadi.")
    assert drawn(map_args(at)["script"]) == 3
    assert "3 places" in at.caption[0].value
    assert not at.query_params.get("article")  # a pasted text is not shareable by URL


def test_hostile_article_is_text() -> None:
    at = mapped(run(), HOSTILE)
    panel = text_panel(at)
    script = map_args(at)["script"]
    for raw in ("<script>alert", "<img src=x", "<a href=", "<!--"):
        assert raw not in panel
        assert raw not in script
    assert "&lt;script&gt;" in panel
    # tooltip and popup are HTML in Leaflet: escaped; title/alt are DOM attributes (text) and stay literal
    assert 'bindTooltip("\\u003cimg' not in script
    assert 'bindTooltip("\\u0026lt;img src=x onerror=alert(1)\\u0026gt;Evil"' in script


def test_every_hostile_payload_is_text_on_the_main_page() -> None:
    """The shared payload list: template syntax runs nowhere, no markup, no Markdown, the text stays."""
    from hostile import breaches, printable_text

    at = mapped(run(), printable_text(("Al Qaim", "Haditha", "Ramadi")))
    args = map_args(at)
    panel = json.loads(at.get("bidi_component")[0].proto.json)["html"]
    shown = " ".join(str(e.value) for e in [*at.markdown, *at.caption])
    assert breaches(args["script"]) == [] and breaches(panel) == [] and breaches(shown) == []
    assert drawn(args["script"]) == 3
    assert "![cm](http://tracker.example/p.png)" in panel  # the text is shown, as text


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "empty"), ("x" * (dashboard.MAX_ARTICLE_CHARS + 1), "too long")],
)
def test_bad_input_refused_with_message(text: str, message: str) -> None:
    at = mapped(run(), text)
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert "14 places" in at.caption[0].value  # the previous article stays


def test_distance_pair_and_url_state() -> None:
    at = run()
    at.selectbox(key="from_sel").set_value("1")
    at.selectbox(key="to_sel").set_value("icao:ORAA")
    at.run()
    md = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Al Qa'im \u2192 Ain al-Asad Air Base: 140.1 km (87.1 mi)" in md
    assert "bearing" in md
    fg = map_args(at)["feature_group"]
    assert "L.polyline(" in fg and "140.1 km" in fg
    assert at.query_params["article"] == ["sample"] or at.query_params["article"] == "sample"
    assert "icao:ORAA" in str(at.query_params["to"])


def test_shared_link_reopens_pair() -> None:
    at = run({"article": "sample", "from": "1", "to": "5"})
    assert at.selectbox(key="from_sel").value == "1"
    assert at.selectbox(key="to_sel").value == "5"
    assert "Al Qa'im \u2192 Baghdad" in " ".join(m.value for m in at.markdown).replace("\\", "")


def test_unknown_shared_article_falls_back_to_sample() -> None:
    at = run({"article": "<script>x</script>"})
    assert any("does not have" in e.value for e in at.error)
    assert "14 places" in at.caption[0].value


def test_border_highlight_when_article_discusses_it() -> None:
    if offline.missing_assets():
        pytest.skip("static/ not installed")
    at = run()
    fg = map_args(at)["feature_group"]
    assert "Iraq\\u2013Syria border" in fg or "Iraq\u2013Syria border" in fg


def test_correction_not_a_place_removes_marker() -> None:
    at = run()
    correct(at, "Rawa", dashboard.NOT_A_PLACE)
    assert drawn(map_args(at)["script"]) == 13
    assert "13 places" in at.caption[0].value


def test_correction_other_candidate() -> None:
    at = run()
    correct(at, "Rawa", "9")
    assert "[10.0,20.0]" in map_args(at)["script"]


def test_claims_panel_draws_measured_line() -> None:
    at = run()
    radio = at.radio(key="claim_choice")
    text = " ".join(radio.options).replace("\\", "")
    assert "about 150 kilometres" in text and "roughly 600 kilometres" in text
    assert len(radio.options) >= 3
    radio.set_value(radio.options[0])
    at.run()
    fg = map_args(at)["feature_group"]
    assert "measured" in fg and "L.polyline(" in fg


def test_corpus_article_by_url(tmp_path: Any) -> None:
    import dashboard_fake

    from conflict_map.store.sqlite import ArticleInput, Corpus

    text = "Shelling hit Haditha. Convoys left Al Qaim for <b>Ramadi</b>."
    corpus = Corpus(tmp_path / "corpus.sqlite")
    article = ArticleInput(text, title="Stored <i>story</i>")
    aid, _ = corpus.add_article(article, dashboard_fake.geoparse(text))
    corpus.close()
    at = run({"article": f"corpus:{aid}", "from": "4", "to": "1"})
    assert drawn(map_args(at)["script"]) == 3
    assert "Stored" in at.caption[0].value and "<i>" not in at.caption[0].value
    assert at.selectbox(key="from_sel").value == "4"
    assert str(at.query_params["article"]).strip("[]'") == f"corpus:{aid}"


def test_missing_corpus_article_falls_back() -> None:
    at = run({"article": "corpus:999"})
    assert any("No corpus article" in e.value for e in at.error)
    assert "14 places" in at.caption[0].value


def test_correction_from_gazetteer_search() -> None:
    at = run()
    at.selectbox(key="fix_mention").set_value("Rawa")
    at.run()
    at.text_input(key="fix_search_Rawa").set_value("Mosul")
    at.run()
    assert not at.exception, at.exception
    opts = at.selectbox(key="fix_choice_Rawa").options
    if not any("Mosul" in o for o in opts):
        pytest.skip("gazetteer index not built")
    at.selectbox(key="fix_choice_Rawa").set_value("99072")
    click(at, "Apply correction")
    script = map_args(at)["script"]
    assert 'window.cmMarkers["99072"]' in script  # every "Rawa" is now Mosul
    assert 'window.cmMarkers["2"]' not in script
    assert drawn(script) == 14


def test_internet_is_opt_in_and_degrades_offline() -> None:
    at = run()
    assert [t.label for t in at.sidebar.text_input] == []  # no URL field while offline by default
    basemap = [s for s in at.sidebar.selectbox if s.label == "Basemap"][0]
    assert basemap.options == ["Offline map"]
    at.sidebar.toggle(key="use_web").set_value(True)
    at.run()
    assert any("No internet connection" in w.value for w in at.warning)  # CONFLICT_MAP_OFFLINE=1 here
    assert [t.label for t in at.sidebar.text_input] == []
    assert "L.tileLayer(" not in map_args(at)["script"]


def test_corrections_kept_in_the_corpus_outlast_the_session(tmp_path: Any) -> None:
    from conflict_map.store.sqlite import Corpus

    at = run()
    correct(at, "Rawa", "9")
    click(at, "Keep in corpus with corrections")
    ref = str(at.query_params["article"]).strip("[]'")
    assert ref.startswith("corpus:")
    with Corpus(tmp_path / "corpus.sqlite") as c:
        stored = c.load_result(dashboard.parse_corpus_ref(ref))
    assert {m.place.id for m in stored.mentions if m.text == "Rawa"} == {"9"}
    # a new session opening the shared link sees the corrected place
    again = run({"article": ref})
    assert "[10.0,20.0]" in map_args(again)["script"]
    # and a correction made there is saved at once, and can be undone
    correct(again, "Haditha", dashboard.NOT_A_PLACE)
    with Corpus(tmp_path / "corpus.sqlite") as c:
        assert not [m for m in c.load_result(dashboard.parse_corpus_ref(ref)).mentions if m.text == "Haditha"]
    click(again, "Undo my corrections")
    with Corpus(tmp_path / "corpus.sqlite") as c:
        assert [m for m in c.load_result(dashboard.parse_corpus_ref(ref)).mentions if m.text == "Haditha"]

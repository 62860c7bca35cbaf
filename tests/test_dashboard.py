"""Page logic of the dashboard (conflict_map.web.page) and the offline asset module, without Streamlit."""

from __future__ import annotations

import json
from pathlib import Path

import dashboard_fake
import pytest

from conflict_map.errors import InputError, UserError
from conflict_map.models import Place
from conflict_map.view import offline
from conflict_map.web import page as dashboard
from conflict_map.web import urlstate


def test_sample_is_own_text_with_claims() -> None:
    text = dashboard.sample_text()
    assert "about 150 kilometres to the east of Al Qaim" in text
    assert "roughly 600 kilometres long" in text
    assert "teaching sample" in text


@pytest.mark.parametrize("text", ["", "   \n"])
def test_empty_article_refused(text: str) -> None:
    with pytest.raises(InputError, match="empty"):
        dashboard.check_article(text)


def test_long_article_refused_with_limit() -> None:
    with pytest.raises(InputError, match="100,000"):
        dashboard.check_article("x" * (dashboard.MAX_ARTICLE_CHARS + 1))


def test_read_upload_txt_html_and_bad_files() -> None:
    text, title = dashboard.read_upload(b"Convoys left Al Qaim for Haditha.", "<img src=x onerror=alert(1)>.txt")
    assert text.startswith("Convoys left Al Qaim")
    page = b"<html><head><title>Report</title></head><body><article><p>" + b"Shelling near Rawa. " * 20
    page += b"</p><script>alert(1)</script></article></body></html>"
    text, _ = dashboard.read_upload(page, "story.html")
    assert "Shelling near Rawa" in text and "alert(1)" not in text
    with pytest.raises(InputError):
        dashboard.read_upload(b"%PDF-1.4 broken", "broken.pdf")
    with pytest.raises(InputError, match="too large"):
        dashboard.read_upload(b"x" * (dashboard.MAX_UPLOAD_BYTES + 1), "big.txt")


def test_fetch_url_rejects_non_http() -> None:
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "ftp://x", ""):
        with pytest.raises(InputError):
            dashboard.fetch_url(bad)


def test_corrections_not_a_place_and_other_candidate() -> None:
    r = dashboard_fake.geoparse(dashboard.sample_text())
    rawa = next(m for m in r.mentions if m.text == "Rawa")
    key = dashboard.mention_key(rawa)
    gone = dashboard.apply_corrections(r, {key: dashboard.NOT_A_PLACE})
    assert not any(m.text == "Rawa" for m in gone.places)  # every "Rawa" mention follows the correction
    assert len(gone.resolved_places()) == len(r.resolved_places()) - 1
    moved = dashboard.apply_corrections(r, {key: "9"})
    assert {m.place.id for m in moved.places if m.text == "Rawa"} == {"9"}
    assert all(m.confidence == 1.0 for m in moved.places if m.text == "Rawa")
    # an id from the gazetteer lookup, not among the candidates
    other = Place("x1", "Elsewhere", "town", 1.0, 2.0)
    looked = dashboard.apply_corrections(r, {key: "x1"}, lookup=lambda i: other if i == "x1" else None)
    assert {m.place.id for m in looked.places if m.text == "Rawa"} == {"x1"}
    assert dashboard.apply_corrections(r, {}) is r
    assert dashboard.apply_corrections(r, {key: "unknown"}).places == r.places


def test_url_state_round_trip() -> None:
    q = urlstate.encode_state("sample", ("1", "icao:ORAA"))
    assert q == {"article": "sample", "from": "1", "to": "icao:ORAA"}
    assert urlstate.decode_state(q) == ("sample", ("1", "icao:ORAA"))
    assert urlstate.encode_state("sample", (None, None)) == {"article": "sample"}
    assert urlstate.decode_state({"article": ["x" * 500]})[0] == "x" * 200
    assert urlstate.decode_state({}) == ("", (None, None))


def test_corpus_refs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert dashboard.parse_corpus_ref(dashboard.corpus_ref(12)) == 12
    for bad in ("corpus:", "corpus:x", "sample", "corpus:1;drop", ""):
        assert dashboard.parse_corpus_ref(bad) is None
    monkeypatch.setenv("CONFLICT_MAP_DB", str(tmp_path / "none.sqlite"))
    assert dashboard.corpus_articles() == []
    with pytest.raises(InputError.__mro__[1]):
        dashboard.load_corpus_article("corpus:1")


def test_discussed_border_is_iraq_syria() -> None:
    r = dashboard_fake.geoparse(dashboard.sample_text())
    borders = dashboard.discussed_borders(r)
    if not borders:
        pytest.skip("no boundary data built (make boundaries / make web-assets)")
    assert {borders[0].a, borders[0].b} == {"Iraq", "Syria"}
    assert 590 < borders[0].km < 605
    assert "Iraq\u2013Syria border" in borders[0].overlay().label


def test_nearest_border_text() -> None:
    qaim = dashboard_fake.P["qaim"]
    text = dashboard.nearest_border_text(qaim)
    if not text:
        pytest.skip("no boundary data built")
    assert text.startswith("Al Qa'im: ") and "Iraq\u2013Syria border" in text


def test_claims_from_sample_have_geometry() -> None:
    claims = dashboard.find_claims(dashboard_fake.geoparse(dashboard.sample_text()))
    by_text = {c.text: c for c in claims}
    c150 = by_text["about 150 kilometres"]
    assert c150.verdict in ("consistent", "differs") and c150.overlay is not None
    assert c150.overlay.endpoints and len(c150.overlay.parts[0]) > 2
    assert "\\" in c150.label  # Markdown-escaped for st.radio


def test_offline_topojson_decoding() -> None:
    topo = {
        "type": "Topology",
        "transform": {"scale": [1.0, 1.0], "translate": [0.0, 0.0]},
        "arcs": [  # delta-encoded: a shared edge, the rest of square A, the rest of square B
            [[0, 0], [0, 1]],
            [[0, 1], [1, 0], [0, -1], [-1, 0]],
            [[0, 0], [-1, 0], [0, 1], [1, 0]],
        ],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "1", "properties": {"name": "A"}},
                    {"type": "Polygon", "arcs": [[2, ~0]], "id": "2", "properties": {"name": "B"}},
                ],
            }
        },
    }
    countries, borders = offline.topojson_to_basemap(topo)
    assert [f["properties"]["name"] for f in countries["features"]] == ["A", "B"]
    ring = countries["features"][0]["geometry"]["coordinates"][0][0]
    assert ring[0] == ring[-1] and len(ring) == 5
    assert len(borders["features"]) == 1
    assert borders["features"][0]["properties"] == {"a": "A", "b": "B"}
    assert borders["features"][0]["geometry"]["coordinates"] == [[0, 0], [0, 1]]


def test_offline_assets_and_links() -> None:
    assert offline.is_local("/app/static/vendor/leaflet/leaflet.js")
    assert not offline.is_local("https://cdn.jsdelivr.net/x.js") and not offline.is_local("//cdn/x.js")
    assert offline.provinces_url("../../etc") is None
    missing = offline.missing_assets(Path("/nonexistent"))
    assert missing == list(offline.REQUIRED_FILES)
    if not offline.missing_assets():
        data = json.loads((offline.STATIC_DIR / "geo" / "countries.geojson").read_text())
        assert len(data["features"]) > 200


def test_downloads_of_a_hostile_article() -> None:
    text = 'Fighting near Al Qaim <script>alert("x")</script> and Evilton <img src=x onerror=alert(1)>.'
    r = dashboard_fake.geoparse(text)
    assert dashboard.export_file_name('<script>x</script> "Report"/..', "kml") == "script-x-script-report.kml"
    assert dashboard.export_file_name("", "csv") == "article.csv"
    gj = json.loads(dashboard.export_article(r, "geojson", "t"))
    assert {f["properties"]["name"] for f in gj["features"] if f["geometry"]["type"] == "Point"} >= {"Al Qa'im"}
    page = dashboard.export_article(r, "html", "<b>t</b>").decode("utf-8")
    assert "<script>alert" not in page and "<img src=x onerror" not in page and "<b>t</b>" not in page
    assert dashboard.export_article(r, "kml", "t").startswith(b"<?xml")
    assert b"Al Qa'im" in dashboard.export_article(r, "csv", "t")


def test_keep_in_corpus_saves_the_readers_corrections(tmp_path: Path) -> None:
    from conflict_map.store.sqlite import Corpus

    text = "Shelling hit Rawa on Monday. Later Rawa market reopened near Al Qaim."
    raw = dashboard_fake.geoparse(text)
    rawa = next(m for m in raw.mentions if m.text == "Rawa")
    qaim = next(m for m in raw.mentions if m.text == "Al Qaim")
    choices = {dashboard.mention_key(rawa): "9", dashboard.mention_key(qaim): dashboard.NOT_A_PLACE}
    db = tmp_path / "c.sqlite"
    ref, n = dashboard.keep_in_corpus(text, "Pasted", raw, choices, path=db)
    assert ref.startswith("corpus:") and n == 3  # both "Rawa" mentions and the one "Al Qaim"
    with Corpus(db) as c:
        stored = c.load_result(dashboard.parse_corpus_ref(ref))
    assert [(m.text, m.place.id) for m in stored.mentions if m.place] == [("Rawa", "9"), ("Rawa", "9")]
    # the same text again is not stored twice
    assert dashboard.keep_in_corpus(text, "Pasted", raw, {}, path=db)[0] == ref


def test_corrections_of_a_corpus_article_are_saved_and_undone(tmp_path: Path) -> None:
    from conflict_map.store.sqlite import Corpus

    text = "Shelling hit Rawa on Monday. Later Rawa market reopened."
    db = tmp_path / "c.sqlite"
    ref, _ = dashboard.keep_in_corpus(text, "t", dashboard_fake.geoparse(text), {}, path=db)
    with Corpus(db) as c:
        raw = c.load_result(dashboard.parse_corpus_ref(ref))
    ids = dashboard.correct_corpus_article(ref, dashboard.mention_key(raw.mentions[0]), "9", path=db)
    assert len(ids) == 2
    with Corpus(db) as c:
        assert {m.place.id for m in c.load_result(dashboard.parse_corpus_ref(ref)).mentions} == {"9"}
    assert dashboard.undo_corpus_corrections(ids, path=db) == 2
    assert dashboard.undo_corpus_corrections(ids, path=db) == 0  # already undone
    with Corpus(db) as c:
        assert {m.place.id for m in c.load_result(dashboard.parse_corpus_ref(ref)).mentions} == {"2"}
    with pytest.raises(UserError):
        dashboard.correct_corpus_article(ref, dashboard.mention_key(raw.mentions[0]), "no-such-id", path=db)

"""Map stories: steps from a geoparse, the teacher's layout, offline HTML, hand-out, corpus storage, CLI.

The texts are written for these tests. Places come from the deterministic stand-in geoparser
(``tests/dashboard_fake.py``); claims are checked by the real claim checker on its result.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from dashboard_fake import geoparse as fake_geoparse

from conflict_map.cli.main import main
from conflict_map.errors import UserError
from conflict_map.present import handout as handouts
from conflict_map.present import mapimage
from conflict_map.present import page as storypage
from conflict_map.present import story as st
from conflict_map.store.sqlite import ArticleInput, Corpus

TEXT = (
    "Lessons from the Euphrates valley\n\n"
    "Trucks left Ramadi at dawn on the road west. "
    "By noon they had reached Al Qaim, close to the frontier with Syria. "
    "Pilots flying from Ain al-Asad, about 150 kilometres from Al Qaim, watched the road. "
    "In Ramadi, roughly 110 kilometres west of Baghdad, the council met in the evening."
)
HOSTILE = "</script><script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
ASSETS = not storypage.missing_story_assets()
needs_assets = pytest.mark.skipif(not ASSETS, reason="browser assets not installed (make setup)")


@pytest.fixture(scope="module")
def story() -> st.Story:
    return st.build_story(fake_geoparse(TEXT), source="Test desk \u00b7 2026-01-01")


def _fresh() -> st.Story:
    return st.build_story(fake_geoparse(TEXT), source="Test desk \u00b7 2026-01-01")


# ------------------------------------------------------------------------------------ building


def test_title_then_places_in_reading_order(story: st.Story) -> None:
    kinds = [s.kind for s in story.steps]
    assert kinds[0] == "title"
    assert story.steps[0].title == "Lessons from the Euphrates valley"  # first line used as the title
    places = [s for s in story.steps if s.kind == "place"]
    assert [s.title for s in places] == ["Ramadi", "Al Qa'im", "Syria", "Ain al-Asad Air Base", "Baghdad"]
    assert kinds.index("claim") > max(i for i, k in enumerate(kinds) if k == "place")  # claims after places
    ramadi = places[0]
    assert ramadi.id == "place:3"
    # both sentences about Ramadi, each name highlighted exactly
    assert ramadi.text.count("\n\n") == 1
    assert [ramadi.text[a:b] for a, b in ramadi.marks] == ["Ramadi", "Ramadi"]
    assert ramadi.view == {"center": [33.4206, 43.3078], "zoom": st.KIND_ZOOM["city"]}
    assert "2 mentions" in ramadi.detail
    syria = next(s for s in places if s.title == "Syria")
    assert syria.view["zoom"] == st.KIND_ZOOM["country"]
    # the overview frames every place but the countries named in passing (they would widen it to a continent)
    (south, west), (north, east) = story.steps[0].view["bounds"]
    for s in places:
        inside = south <= s.place["lat"] <= north and west <= s.place["lon"] <= east
        assert inside or s.place["kind"] == "country"
    assert "5 places" in story.steps[0].detail and "Test desk" in story.steps[0].detail


def test_claim_steps_have_line_and_verdict(story: st.Story) -> None:
    claims = [s for s in story.steps if s.kind == "claim"]
    assert len(claims) == 2
    asad = next(c for c in claims if "Ain al-Asad" in c.title)
    c = asad.claim
    assert c is not None
    assert c["verdict"] in ("consistent", "differs")
    assert c["stated"] == "about 150 km"
    assert abs(c["measured_km"] - 150) < 12
    line = c["lines"][0]
    ends = {(e["lat"], e["lon"]) for e in c["ends"]}
    assert (round(line[0][0], 3), round(line[0][1], 3)) in {(round(a, 3), round(b, 3)) for a, b in ends}
    assert len(line) > 5  # a sampled geodesic, not just two points
    assert asad.text[asad.marks[0][0] : asad.marks[0][1]] == "about 150 kilometres"
    assert "bounds" in asad.view
    assert {e["step"] for e in c["ends"]} == {"place:1", "place:icao:ORAA"}


def test_claims_can_be_given_and_unmeasured_ones_are_left_out() -> None:
    result = fake_geoparse(TEXT)
    given = [
        {
            "kind": "distance",
            "start": 5,
            "end": 9,
            "text": "5 km",
            "sentence": "x 5 km y",
            "measured_km": 6.2,
            "verdict": "differs",
            "subject": "A \u2013 B",
            "stated": "5 km",
            "lines": [[[33.0, 44.0], [33.1, 44.1]]],
        },
        {"kind": "distance", "start": 1, "end": 2, "measured_km": None, "verdict": "unchecked"},
        {"kind": "area", "start": 3, "end": 4, "measured_km": 3.0},
    ]
    s = st.build_story(result, "T", claims=given)
    claims = [x for x in s.steps if x.kind == "claim"]
    assert len(claims) == 1 and claims[0].claim["verdict"] == "differs"
    assert claims[0].id == "claim:5-9"


def test_text_without_places_gives_only_a_title() -> None:
    s = st.build_story(fake_geoparse("Nothing happened anywhere today."), "", claims=[])
    assert [x.kind for x in s.steps] == ["title"]
    assert s.title == "Nothing happened anywhere today."[:160] or s.title == "Map story"


# ------------------------------------------------------------------------------------ teacher's layout


def test_reorder_skip_notes_and_layout_round_trip() -> None:
    s = _fresh()
    s.move("place:5", 1)  # Baghdad first
    s.set_hidden("place:99237", True) if any(x.id == "place:99237" for x in s.steps) else None
    s.set_hidden("place:163843", True)  # skip Syria
    s.set_note("place:1", "  Ask: why does the road follow the river?  ")
    s.title = "Roads of the Euphrates"
    assert s.steps[1].id == "place:5"
    assert s.step("place:1").note == "Ask: why does the road follow the river?"
    numbers = s.place_numbers()
    assert numbers["place:5"] == 1 and "place:163843" not in numbers
    assert "place:163843" not in [x.id for x in s.visible_steps()]

    # the layout is small and re-applies to a freshly built story
    layout = json.loads(json.dumps(s.layout()))
    assert set(layout["steps"][0]) == {"id", "hidden", "note"}
    again = _fresh()
    assert again.apply_layout(layout) == []
    assert [x.id for x in again.steps] == [x.id for x in s.steps]
    assert again.title == "Roads of the Euphrates"
    assert again.step("place:163843").hidden and again.step("place:1").note.startswith("Ask")

    # the full story survives to_dict/from_dict
    back = st.Story.from_dict(json.loads(json.dumps(s.to_dict())))
    assert back.to_dict() == s.to_dict()


def test_layout_with_gone_and_new_steps() -> None:
    s = _fresh()
    layout = {"steps": [{"id": "place:gone", "note": "x"}, {"id": "place:5", "note": "first"}, "junk", {"id": 3}]}
    gone = s.apply_layout(layout)
    assert gone == ["place:gone"]
    assert s.steps[0].id == "place:5" and s.steps[0].note == "first"
    assert s.steps[1].id == "title"  # steps the layout does not name keep reading order after it
    with pytest.raises(UserError):
        s.apply_layout(["not", "a", "layout"])
    assert s.apply_layout(None) == []


def test_editing_errors() -> None:
    s = _fresh()
    with pytest.raises(UserError):
        s.move("place:nope", 0)
    with pytest.raises(UserError):
        s.reorder(["title", "nope"])
    with pytest.raises(UserError):
        s.set_note("title", 5)  # type: ignore[arg-type]
    s.move("title", 99)  # clamped to the end
    assert s.steps[-1].id == "title"
    s.set_note("title", "n" * 5000)
    assert len(s.step("title").note) == st.MAX_NOTE_CHARS


@pytest.mark.parametrize(
    "bad",
    [
        None,
        [],
        {"steps": "x"},
        {"steps": [{"id": "a", "kind": "slide"}]},
        {"steps": [{"kind": "place"}]},
        {"steps": [{"id": "a", "kind": "place"}, {"id": "a", "kind": "place"}]},
    ],
)
def test_from_dict_rejects_malformed(bad: object) -> None:
    with pytest.raises(UserError):
        st.Story.from_dict(bad)


def test_from_dict_drops_bad_marks() -> None:
    marks = [[0, 2], [2, 9], [True, 1], "x"]
    step = st.StoryStep.from_dict({"id": "a", "kind": "place", "text": "abc", "marks": marks})
    assert step.marks == [(0, 2)]


# ------------------------------------------------------------------------------------ HTML


def _hostile_story() -> st.Story:
    text = f"{HOSTILE} Patrols reached Evilton near Ramadi. {IMG} & more"
    s = st.build_story(fake_geoparse(text), f"Title {HOSTILE}{IMG}", source=IMG, claims=[])
    s.set_note("place:3", f"note {HOSTILE} {IMG}")
    return s


def _story_json(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="cm-story-data">(.*?)</script>', page, re.S)
    assert m is not None
    return json.loads(m.group(1))


def test_story_page_escapes_hostile_text() -> None:
    s = _hostile_story()
    page = storypage.story_page(s)
    assert HOSTILE not in page and IMG not in page
    assert "alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "<title>Title &lt;/script&gt;" in page
    data = _story_json(page)  # the data survives intact, to be put in the page with textContent
    assert data["title"] == s.title
    evil = next(x for x in data["steps"] if x["id"] == "place:666")
    assert evil["title"] == "<img src=x onerror=alert(1)>Evil"
    assert next(x for x in data["steps"] if x["id"] == "place:3")["note"].startswith("note </script>")
    assert "innerHTML" not in storypage.STORY_JS  # text only ever goes in through textContent / text nodes


@needs_assets
def test_story_html_is_self_contained(story: st.Story) -> None:
    page = storypage.render_story_html(story)
    assert not re.search(r"<script[^>]*\bsrc=", page, re.I)
    assert not re.search(r"<link[^>]*\bhref=", page, re.I)
    assert "<script>/* leaflet.js */" in page and "L.map(" in page  # Leaflet inlined
    assert '"/app/static/geo/countries.geojson":{"type":"FeatureCollection"' in page  # basemap inlined
    # outside Leaflet's own files (a link in its attribution string, bug links in CSS comments) no URL at all
    own = re.sub(r"<script>/\* leaflet\.js \*/.*?</script>", "", page, flags=re.S)
    own = re.sub(r"<style>/\* leaflet\.css \*/.*?</style>", "", own, flags=re.S)
    assert not re.search(r"url\((?!data:)", own)
    assert not re.search(r"https?://", own), re.search(r".{60}https?://.{60}", own)
    data = _story_json(page)
    # Syria is an area: named on the map, not numbered like the towns
    assert [x["number"] for x in data["steps"] if x["kind"] == "place"] == [1, 2, None, 3, 4]
    assert {"name", "lat", "lon"} <= set(data["labels"][0]) if data["labels"] else True
    page2 = storypage.render_story_html(_hostile_story())
    assert HOSTILE not in page2 and IMG not in page2


def test_render_refuses_missing_assets_and_empty_story(tmp_path: Path, story: st.Story) -> None:
    with pytest.raises(UserError, match="make setup"):
        storypage.render_story_html(story, static_dir=tmp_path)
    s = _fresh()
    for x in s.steps:
        x.hidden = True
    with pytest.raises(UserError, match="nothing to present"):
        storypage.render_story_html(s)


# ------------------------------------------------------------------------------------ hand-out


def test_handout(tmp_path: Path) -> None:
    s = _fresh()
    s.set_hidden("place:163843")
    s.set_note("place:3", "Ramadi: provincial capital")
    page, png = handouts.write_handout(s, tmp_path / "out")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    text = page.read_text(encoding="utf-8")
    assert "data:image/png;base64," in text  # one file to print
    assert '<span class="n">1</span><div><b dir="auto">Ramadi</b>' in text
    assert "Syria</b>" not in text  # skipped steps stay off the hand-out
    assert "Ramadi: provincial capital" in text
    assert "about 150 km" in text and "<th>Verdict</th>" in text
    assert "@page" in text and "http" not in text.replace("http://www.w3.org", "")
    h = handouts.render_handout(_hostile_story(), png=b"\x89PNG")
    assert HOSTILE not in h.html and IMG not in h.html and "&lt;img src=x onerror=alert(1)&gt;Evil" in h.html
    (tmp_path / "file").write_text("x")
    with pytest.raises(UserError):
        handouts.write_handout(s, tmp_path / "file")


def _old_handout(folder: Path) -> None:
    folder.mkdir()
    (folder / "handout.html").write_text("old page")
    (folder / "handout-map.png").write_bytes(b"old png")


def _unchanged(folder: Path) -> bool:
    return (
        (folder / "handout.html").read_text() == "old page"
        and (folder / "handout-map.png").read_bytes() == b"old png"
        and sorted(p.name for p in folder.iterdir()) == ["handout-map.png", "handout.html"]  # no temporary file
    )


@pytest.mark.parametrize("failing", ["write_text", "write_bytes"])  # the page; the map image
def test_handout_write_error_is_one_line_and_keeps_both_old_files(tmp_path: Path, monkeypatch, failing: str) -> None:
    import errno

    monkeypatch.setattr(handouts, "render_map_png", lambda story: b"\x89PNG new")

    def full(self, *_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    out = tmp_path / "out"
    _old_handout(out)
    monkeypatch.setattr(Path, failing, full)
    with pytest.raises(UserError) as exc:
        handouts.write_handout(_fresh(), out)
    assert "\n" not in str(exc.value) and str(exc.value).endswith("No space left on device")
    monkeypatch.undo()
    assert _unchanged(out)


def test_handout_refuses_a_fifo_and_replaces_files_atomically(tmp_path: Path, monkeypatch) -> None:
    import os

    monkeypatch.setattr(handouts, "render_map_png", lambda story: b"\x89PNG new")
    out = tmp_path / "out"
    _old_handout(out)
    os.mkfifo(out / "x-map.png")
    with pytest.raises(UserError, match="not a regular file"):
        handouts.write_handout(_fresh(), out, stem="x")  # opening the FIFO would block: it is never opened
    assert not (out / "x.html").exists()
    page, png = handouts.write_handout(_fresh(), out)
    assert png.read_bytes() == b"\x89PNG new" and "data:image/png;base64," in page.read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["handout-map.png", "handout.html", "x-map.png"]


# ------------------------------------------------------------------------------------ corpus


def test_layout_kept_with_corpus_article(tmp_path: Path) -> None:
    from conflict_map.present import layout_store as story_store

    db = tmp_path / "c.sqlite"
    with Corpus(db) as c:
        aid, _ = c.add_article(ArticleInput(text=TEXT, title="Euphrates lesson", publisher="Desk"), fake_geoparse(TEXT))
        s, gone = story_store.story_for_article(c, aid)
        assert gone == [] and s.title == "Euphrates lesson" and story_store.load_layout(c, aid) is None
        s.move("place:5", 1)
        s.set_note("place:5", "Capital")
        s.set_hidden("place:163843")
        story_store.save_layout(c, aid, s)
        assert story_store.layout_info(c, aid) is not None
    with Corpus(db) as c:  # a new connection sees it
        again, gone = story_store.story_for_article(c, aid)
        assert [x.id for x in again.steps] == [x.id for x in s.steps]
        assert again.step("place:5").note == "Capital" and again.step("place:163843").hidden
        with pytest.raises(UserError):
            story_store.save_layout(c, 999, s)
        with pytest.raises(UserError):
            story_store.save_layout(c, aid, {"steps": "no"})
        assert c.check() == []
        c.delete_article(aid)  # the layout goes with the article
        assert story_store.load_layout(c, aid) is None
        assert story_store.delete_layout(c, aid) is False


# ------------------------------------------------------------------------------------ CLI


@needs_assets
def test_cli_story_and_handout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    art = tmp_path / "lesson.txt"
    art.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "story.html"
    assert main(["story", str(art), "-o", str(out), "--handout", str(tmp_path / "ho"), "--title", "Class 9b"]) == 0
    msg = capsys.readouterr().out
    assert "Class 9b:" in msg and "wrote" in msg
    page = out.read_text(encoding="utf-8")
    assert "<title>Class 9b</title>" in page and not re.search(r"<script[^>]*\bsrc=", page)
    assert (tmp_path / "ho" / "handout.html").is_file() and (tmp_path / "ho" / "handout-map.png").is_file()


@needs_assets
def test_cli_corpus_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from conflict_map.present import layout_store as story_store

    db = tmp_path / "c.sqlite"
    with Corpus(db) as c:
        aid, _ = c.add_article(ArticleInput(text=TEXT, title="Euphrates lesson"), fake_geoparse(TEXT))
        s, _ = story_store.story_for_article(c, aid)
        s.set_note("place:1", "Border town")
        s.move("place:1", 1)
        story_store.save_layout(c, aid, s)
    out = tmp_path / "a.html"
    assert main(["story", "--db", str(db), "--article", str(aid), "-o", str(out)]) == 0
    data = _story_json(out.read_text(encoding="utf-8"))
    assert data["steps"][1]["id"] == "place:1" and data["steps"][1]["note"] == "Border town"
    assert main(["story", "--db", str(db), "--article", "42", "-o", str(out)]) == 2
    assert "no article 42" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["story", "{missing}", "-o", "{out}"], "no such file"),
        (["story", "{empty}", "-o", "{out}"], "empty"),
        (["story", "{art}"], "say what to write"),
        (["story", "-o", "{out}"], "give an article FILE"),
        (["story", "{art}", "--article", "1", "-o", "{out}"], "not both"),
        (["story", "{art}", "-o", "{dir}"], "is a folder"),
        (["story", "{art}", "-o", "{tmp}/story.pdf"], "ending in .html"),
        (["story", "{art}", "--handout", "{art}"], "is a file"),
        (["story", "{binary}", "-o", "{out}"], ""),
    ],
)
def test_cli_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    (tmp_path / "art.txt").write_text("Some words.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "d").mkdir()
    names = {
        "missing": tmp_path / "nope.txt",
        "empty": tmp_path / "empty.txt",
        "art": tmp_path / "art.txt",
        "binary": tmp_path / "bin.txt",
        "out": tmp_path / "o.html",
        "dir": tmp_path / "d",
        "tmp": tmp_path,
    }
    args = [a.format(**{k: str(v) for k, v in names.items()}) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("conflict-map: error:") and message in err
    assert "Traceback" not in err
    assert not (tmp_path / "o.html").exists()


def test_editor_rows_round_trip() -> None:
    s = _fresh()
    rows = s.editor_rows()
    assert rows[0] == {"order": 1, "show": True, "step": f"Title: {s.title}", "note": "", "id": "title"}
    by_id = {r["id"]: r for r in rows}
    by_id["place:5"]["order"] = 1.5  # between the title and the first place
    by_id["place:163843"]["show"] = False
    by_id["place:3"]["note"] = "Provincial capital"
    by_id["place:1"]["order"] = float("nan")  # a cleared cell keeps the step where it was
    by_id["place:icao:ORAA"]["note"] = None
    s.apply_editor_rows([*rows, {"id": "nope", "order": 0}, {"order": 2}])
    ids = [x.id for x in s.steps]
    assert ids[:3] == ["title", "place:5", "place:3"]
    assert ids.index("place:1") == 3
    assert s.step("place:163843").hidden and s.step("place:3").note == "Provincial capital"
    assert s.step("place:icao:ORAA").note == ""
    # typing the number of an occupied position puts the moved step there
    rows = s.editor_rows()
    rows[-1]["order"] = 2
    last = rows[-1]["id"]
    s.apply_editor_rows(rows)
    assert [x.id for x in s.steps][1] == last


def test_headline_is_not_a_place_sentence() -> None:
    text = "Ramadi road report\n\nTrucks left Ramadi at dawn."
    s = st.build_story(fake_geoparse(text), "A teacher's own title", claims=[])
    assert s.step("place:3").text == "Trucks left Ramadi at dawn."


def test_page_furniture_above_the_headline_is_left_out() -> None:
    text = (
        "Syria Media Collective\nPO Box 12, Baghdad\n\nOur other projects\n\n"
        "Convoys on the river road:\nA long week for Ramadi\n\nJane Writer\n"
        "Trucks left Ramadi at dawn and reached Al Qaim by the evening, drivers said on Friday.\n"
    )
    s = st.build_story(fake_geoparse(text), claims=[])
    assert s.title == "Convoys on the river road: A long week for Ramadi"
    assert s.steps[0].text.startswith("Trucks left Ramadi at dawn")
    assert [x.id for x in s.steps if x.kind == "place"] == ["place:3", "place:1"]  # no Syria, no Baghdad
    assert st.article_start(fake_geoparse(text)) == text.index("Convoys on the river road")


def test_map_image_takes_names_literally() -> None:
    s = st.build_story(fake_geoparse("Trucks left Ramadi at dawn. They reached Baghdad."), claims=[])
    s.steps[1].title = "Price $x^ of $ {bad"  # would be (broken) mathtext if parsed
    assert mapimage.render_map_png(s)[:4] == b"\x89PNG"

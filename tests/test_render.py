"""The one rendering layer, and every HTML output of the product fed with the shared hostile payloads.

Outputs covered here: the dashboard map (markers, popups, tooltips, overlays), the corpus map, the text
panel, the place list, the excerpt list, the story page and the hand-out. The export formats are covered in
``test_export_hostile.py``; the pages (main, Corpus, Present) in ``test_app.py``, ``test_corpus_page.py``,
``test_present_page.py`` and the browser tests.
"""

from __future__ import annotations

import json
import re

import jinja2
import pytest
from dashboard_fake import geoparse as fake_geoparse
from hostile import MARKDOWN, PAYLOADS, PRINTABLE, breaches, printable_text

from conflict_map.models import Candidate, Mention, Place
from conflict_map.present import handout as handouts
from conflict_map.present import page as storypage
from conflict_map.present import story as stories
from conflict_map.store.queries import PlaceSummary
from conflict_map.view import corpusmap, mapview, overlays, render, textview


def hostile_place(i: int, payload: str) -> Place:
    return Place(f"id{i}{payload}", f"Town {payload}", "town", 33.0 + i / 100, 42.0, "IQ", f"Prov {payload}")


def mention_of(place: Place, sentence: str, word: str) -> Mention:
    i = sentence.index(word)
    return Mention(i, i + len(word), word, sentence, 0, "place", word.lower(), [Candidate(place, 0.3)], place, 0.3)


# --- the primitives ------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_script_json_round_trips_and_is_inert_everywhere(payload: str) -> None:
    value = {"text": payload, "list": [payload, {"k": payload}], "n": 1.5}
    out = render.script_json(value)
    assert json.loads(out) == value  # the browser gets exactly the value
    for bad in ("<", ">", "&", "'", "{{", "{%", "{#", "\u2028", "\u2029"):
        assert bad not in out
    assert not re.search(r"[\ud800-\udfff]", out)
    out.encode("utf-8")  # always encodable
    # handed to a template engine as source (as branca does), it renders to itself
    assert jinja2.Template(out).render() == out


@pytest.mark.parametrize("payload", PRINTABLE)
def test_html_text_and_markdown_text(payload: str) -> None:
    h = str(render.html_text(payload))
    assert "<" not in h and ">" not in h and '"' not in h and "'" not in h
    md = render.markdown_text(payload)
    # every Markdown / HTML / LaTeX / directive character is backslashed
    assert not re.search(r"(?<!\\)[\[\]()`*_#$<>!:~|]", md.replace("\\\\", ""))


def test_markdown_text_folds_line_breaks() -> None:
    assert render.markdown_text("a\n# b\n\n- c") == "a \\# b \\- c"


def test_safe_macro_element_never_compiles_its_output() -> None:
    import folium
    from folium.template import Template

    class Echo(render.SafeMacroElement):
        _template = Template("{% macro script(this, kwargs) %}var x = {{ this.raw }};{% endmacro %}")

        def __init__(self, raw: str) -> None:
            super().__init__()
            self.raw = raw

    m = folium.Map(tiles=None)
    Echo("'{{ 7*7*7*7*7*7 }}'").add_to(m)  # even unescaped text stays text: nothing is compiled twice
    out = m.get_root().render()
    assert "'{{ 7*7*7*7*7*7 }}'" in out and "117649" not in out


# --- every HTML output, every payload -------------------------------------------------------------------


def test_dashboard_map_with_hostile_places_and_text() -> None:
    places = []
    for i, p in enumerate(PAYLOADS):
        place = hostile_place(i, p)
        sentence = f"Shelling near Town {p} hit {p} at dawn."
        places.append(mapview.MapPlace(place, [mention_of(place, sentence, "Town")]))
    for i, p in enumerate(PAYLOADS[:3]):  # areas too: a province, a river, a sea with hostile names
        kind = ("province", "water", "region")[i]
        area = Place(f"area{i}{p}", f"Area {p}", kind, 33.5, 42.5, "IQ", f"Prov {p}")
        places.append(mapview.MapPlace(area, [mention_of(area, f"Fighting in Area {p}.", "Area")]))
    m = mapview.build_map(places)
    overlays.overlay_group(
        lines=[overlays.LineOverlay([[(33, 42), (34, 43)]], "<b data-cm-pwn>", label_at=(33.5, 42.5))],
        select="x",
        edit=("move", "Drag <b data-cm-pwn> {{ 7*7 }}"),
    ).add_to(m)
    out = m.get_root().render()
    assert breaches(out) == []
    assert out.count("window.cmMarkers[") == len(PAYLOADS) + 3
    # the popups carry the text (escaped), e.g. the Markdown image is there as text
    assert "![cm](http://tracker.example/p.png)" in out


def test_corpus_map_with_hostile_places() -> None:
    rows = [
        PlaceSummary(place=hostile_place(i, p), n_mentions=2, n_articles=1, first_date=p, last_date=p)
        for i, p in enumerate(PAYLOADS)
    ]
    out = corpusmap.build_corpus_map(rows).get_root().render()
    assert breaches(out) == [] and "tracker.example" in out


def test_text_panel_place_list_and_excerpts() -> None:
    text = printable_text(("Ramadi", "Haditha", "Baghdad"))
    result = fake_geoparse(text)
    assert result.places, "the stand-in geoparser finds the places"
    html = textview.render_text(text, result.mentions, selected=result.places[0].place.id, body=result.body)
    assert breaches(html) == []
    for p in MARKDOWN:  # Markdown is shown as written
        assert str(render.html_text(p)) in html
    places = textview.place_list_html(
        [mapview.MapPlace(hostile_place(i, p), []) for i, p in enumerate(PAYLOADS)], selected=None
    )
    assert breaches(places) == []
    items = [
        {"pre": p, "mid": p, "post": p, "source": p, "date": p, "article": p}
        for p in PAYLOADS  # lone surrogates included: they become U+FFFD, never a crash
    ]
    ex = textview.excerpts_html(items)
    assert breaches(ex) == [] and ex.encode("utf-8")


def test_story_page_and_handout() -> None:
    text = "Hostile briefing {{ 7*7*7*7*7*7 }} <b data-cm-pwn>\n\n" + printable_text(("Ramadi", "Baghdad"))
    story = stories.build_story(fake_geoparse(text), source="Desk </script><b data-cm-pwn2>x</b>")
    for step in story.steps:
        story.set_note(step.id, PRINTABLE[len(step.id) % len(PRINTABLE)])
    page = storypage.story_page(story)
    assert breaches(page) == []
    data = re.search(r'<script type="application/json" id="cm-story-data">(.*?)</script>', page, re.S)
    assert data and "{{ 7*7*7*7*7*7 }}" in json.dumps(json.loads(data.group(1)), ensure_ascii=False)
    handout = handouts.render_handout(story, png=b"\x89PNG")
    assert breaches(handout.html) == [] and "{{ 7*7*7*7*7*7 }}" in handout.html


def test_folium_elements_never_compile_their_rendered_parts() -> None:
    """branca compiled every rendered part of a macro element as a Jinja template again; with
    conflict_map.view.render imported, folium's own elements (a marker's tooltip here) put theirs in verbatim."""
    import folium

    import conflict_map.view.render  # noqa: F401 - installs the verbatim rendering

    m = folium.Map(location=(33.3, 44.4), zoom_start=6, tiles=None)
    folium.Marker((33.3, 44.4), tooltip="Baghdad {{ 7*7 }} {% if 1 %}x{% endif %}").add_to(m)
    html = m.get_root().render()
    assert "{{ 7*7 }}" in html and "{% if 1 %}" in html
    assert "Baghdad 49" not in html

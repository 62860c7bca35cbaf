"""textview: highlighted, escaped article HTML."""

from __future__ import annotations

from conflict_map.models import Candidate, Mention, Place
from conflict_map.view import textview

QAIM = Place("1", "Al Qa'im", "town", 34.37, 41.09, "IQ", "Anbar")
ASAD = Place("icao:ORAA", "Ain al-Asad", "base", 33.79, 42.44, "IQ", "Anbar")


def m(text: str, word: str, p: Place | None, conf: float = 0.9, typ: str = "place", nth: int = 0) -> Mention:
    i = -1
    for _ in range(nth + 1):
        i = text.index(word, i + 1)
    cands = [Candidate(p, conf)] if p else []
    return Mention(i, i + len(word), word, text, 0, typ, word.lower(), cands, p, conf)  # type: ignore[arg-type]


def test_highlights_by_kind_with_ids() -> None:
    t = "Convoys leave Al Qaim.\n\nAin al-Asad is east of Al Qaim."
    ms = [m(t, "Al Qaim", QAIM), m(t, "Ain al-Asad", ASAD, 0.3), m(t, "Al Qaim", QAIM, nth=1)]
    out = textview.render_text(t, ms, selected="1")
    assert out.count('<p dir="auto">') == 2
    assert out.count('data-place="1"') == 2
    assert 'class="cm-base cm-uncertain" data-place="icao:ORAA"' in out
    assert out.count("cm-sel") == 2
    assert ">Al Qaim</mark>" in out and 'role="button"' in out and 'tabindex="0"' in out


def test_hostile_text_is_escaped() -> None:
    t = 'Hi <script>alert(1)</script> <img src=x onerror="alert(2)"> <!-- x -->'
    t += ' <a href="javascript:y">z</a> Al Qaim'
    out = textview.render_text(t, [m(t, "Al Qaim", QAIM)])
    assert "<script>" not in out and "<img" not in out and "<!--" not in out and "<a " not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "onerror=&#34;alert(2)&#34;" in out


def test_hostile_place_name_and_id_escaped() -> None:
    evil = Place('"><script>x</script>', "<b>Evil</b>", "town", 0, 0, "IQ", "<i>p</i>")
    t = "In Evil town."
    out = textview.render_text(t, [m(t, "Evil", evil)])
    assert "<script>" not in out and "<b>" not in out and "<i>" not in out
    assert 'data-place="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"' in out


def test_overlapping_and_out_of_range_mentions_skipped() -> None:
    t = "Khan al-Baghdadi and Baghdad."
    big = m(t, "Khan al-Baghdadi", QAIM)
    inner = Mention(5, 16, "al-Baghdadi", t, 0, "place", "", [], ASAD, 0.5)
    bad = Mention(100, 110, "x", t, 0, "place", "", [], ASAD, 0.5)
    out = textview.render_text(t, [inner, big, bad])
    assert out.count("<mark") == 1 and ">Khan al-Baghdadi</mark>" in out


def test_demonyms_and_rejected_mentions() -> None:
    t = "Iraqi officials met in Al Qaim."
    dem = m(t, "Iraqi", None, typ="demonym")
    out = textview.render_text(t, [dem, m(t, "Al Qaim", QAIM)])
    assert 'class="cm-demonym"' in out
    rejected = m(t, "Al Qaim", None)
    out2 = textview.render_text(t, [rejected])
    assert "<mark" not in out2


def test_first_mention_index_and_legend() -> None:
    t = "Ain al-Asad and Al Qaim."
    ms = [m(t, "Al Qaim", QAIM), m(t, "Ain al-Asad", ASAD)]
    assert textview.first_mention_index(ms, "1") == 1
    assert textview.first_mention_index(ms, "zz") is None
    assert "cm-uncertain" in textview.legend_html()


def test_boilerplate_outside_the_story_is_greyed() -> None:
    t = "Story about Al Qaim.\n\nPublisher, Kastanienallee 12, Berlin"
    body_end = t.index("\n\nPublisher")
    out = textview.render_text(t, [m(t, "Al Qaim", QAIM)], body=(0, body_end))
    assert out.count('class="cm-boiler"') == 1
    assert out.index("Al Qaim</mark>") < out.index('class="cm-boiler"')
    assert "Kastanienallee" in out.split('class="cm-boiler"')[1]
    # no body information: nothing greyed
    assert "cm-boiler" not in textview.render_text(t, [], body=(0, 0))
    assert "cm-boiler" not in textview.render_text(t, [], body=(0, len(t)))


def test_place_list_buttons_escaped() -> None:
    from conflict_map.view.mapview import MapPlace

    evil = Place('"x', "<img src=x onerror=alert(1)>", "base", 0, 0)
    t = "Ain al-Asad and Al Qaim."
    out = textview.place_list_html(
        [MapPlace(QAIM, [m(t, "Al Qaim", QAIM)]), MapPlace(evil, [m(t, "Ain al-Asad", evil, 0.2)])], selected="1"
    )
    assert out.count("<button") == 2 and 'class="cm-place cm-sel" data-place="1"' in out
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt; ?" in out and 'data-place="&#34;x"' in out

"""``conflict-map load PARSED.jsonl``: parses made anywhere go into the corpus without parsing again."""

from __future__ import annotations

import dataclasses
import json

import pytest
from fake_geoparse import QAIM, RAWA, RAWA_OTHER, fake_geoparse, make_text
from hostile import PAYLOADS

from conflict_map.cli.main import main
from conflict_map.ingest.load import load_paths, sentence_span
from conflict_map.models import ELLIPSIS, MAX_SENTENCE_CHARS
from conflict_map.store.queries import place_summaries
from conflict_map.text.clean import clean_text


def _line(i: int, text: str | None = None, **extra) -> dict:
    text = text if text is not None else make_text(i)
    return {
        "id": f"wire-{i}",
        "text": text,
        "title": f"Story {i}",
        "date": f"2024-02-{i % 28 + 1:02d}",
        "url": f"https://e.org/{i}",
        "publisher": "Wire",
        "section": "world",  # a field conflict-map does not know: carried along, ignored
        "mentions": [m.to_dict() for m in fake_geoparse(text).mentions],
        **extra,
    }


def _write(path, lines) -> str:
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    return str(path)


def test_load_stores_the_parse_as_given(store, tmp_path):
    parsed = _write(tmp_path / "p.jsonl", [_line(i) for i in range(12)])
    report = load_paths([parsed], store, batch_size=5, progress=False)
    assert (report.added, report.duplicates, report.failed) == (12, 0, [])
    assert report.mentions == sum(len(fake_geoparse(make_text(i)).mentions) for i in range(12))
    art = next(a for a in store.list_articles() if a.ext_id == "wire-1")
    assert (art.title, art.date, art.url, art.publisher, art.ext_id) == (
        "Story 1", "2024-02-02", "https://e.org/1", "Wire", "wire-1"
    )  # fmt: skip
    want = fake_geoparse(make_text(1)).mentions
    got = store.load_result(art.id).mentions

    def key(m):
        p = m.place
        return (m.start, m.end, m.text, m.sentence, m.sentence_start, p.id, p.name, p.lat, p.lon)

    assert [key(m) for m in got] == [key(m) for m in want]
    rawa = next(m for m in got if m.text == "Rawa")
    alt = rawa.alternatives[0].place  # the mention object carries every field of an alternative but its source
    assert rawa.place.id == RAWA.id and alt == dataclasses.replace(RAWA_OTHER, source="")
    assert store.check() == []


def test_load_is_idempotent_and_resumes(store, tmp_path):
    lines = [_line(i) for i in range(10)]
    first = _write(tmp_path / "first.jsonl", lines[:4])  # an interrupted load stored these
    load_paths([first], store, progress=False)
    everything = _write(tmp_path / "all.jsonl", lines)
    report = load_paths([everything], store, batch_size=3, progress=False)
    assert (report.added, report.duplicates) == (6, 4)
    again = load_paths([everything], store, progress=False)
    assert (again.added, again.duplicates) == (0, 10)
    assert store.count_articles() == 10
    assert {s.place.id for s in place_summaries(store)} >= {QAIM.id}


def test_a_line_not_matching_its_offsets_is_reported_and_skipped(store, tmp_path, capsys):
    good = [_line(i) for i in range(3)]
    shifted = _line(7)
    shifted["mentions"][0]["start"] += 1  # the text there is not the mention's any more
    shifted["mentions"][0]["end"] += 1
    outside = _line(8)
    outside["mentions"][-1]["end"] = 10**6
    broken = [shifted, outside, {"id": "x", "text": "Qaim."}, {"id": "y", "error": "geoparser failed", "mentions": []}]
    path = tmp_path / "mixed.jsonl"
    _write(path, good + broken)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    assert main(["load", str(path), "--db", str(tmp_path / "c.sqlite"), "--no-progress"]) == 0
    captured = capsys.readouterr()
    skipped = [line for line in captured.err.splitlines() if line.startswith("conflict-map: skipped")]
    assert len(skipped) == 5
    assert f"{path}:4: mention 1 " in skipped[0] and "does not match the text" in skipped[0]
    assert f"{path}:5:" in skipped[1] and "outside the text" in skipped[1]
    assert "missing 'mentions'" in skipped[2] and "geoparse failed" in skipped[3] and "not valid JSON" in skipped[4]
    assert "loaded 3 article(s)" in captured.out
    load_paths([str(path)], store, progress=False)
    assert store.count_articles() == 3


def test_long_sentences_cut_to_a_window_are_found_again():
    text = "Intro. " + "a" * 3000 + " Qaim " + "b" * 3000 + " end. Next."
    start = text.index("Qaim")
    from conflict_map.models import Mention

    m = Mention(start, start + 4, "Qaim", sentence=text[7 : text.index(" Next")], sentence_start=7)
    shown = m.sentence_window()
    assert len(shown) <= MAX_SENTENCE_CHARS and shown.startswith(ELLIPSIS)
    s0, s1 = sentence_span(text, start, start + 4, shown)
    assert s0 <= start < start + 4 <= s1 and text[s0:s1] == shown.strip(ELLIPSIS)
    short = "Qaim fell."
    assert sentence_span("Intro. Qaim fell. Next.", 7, 11, short) == (7, 17)
    assert sentence_span("Qaim", 0, 4, "") == (0, 4)


def test_hostile_text_is_stored_as_data(store, tmp_path):
    lines = [_line(100 + i, text=f"Fighting near Qaim {p} on Monday.", title=p) for i, p in enumerate(PAYLOADS)]
    report = load_paths([_write(tmp_path / "h.jsonl", lines)], store, progress=False)
    assert report.failed == [] and report.added + report.duplicates == len(PAYLOADS)  # some clean to one text
    titles = {a.title for a in store.list_articles()}
    assert {clean_text(p) for p in PAYLOADS if p.strip()} <= titles
    assert store.check() == []


def test_load_cli_on_a_missing_file_and_bad_database(tmp_path, capsys):
    assert main(["load", str(tmp_path / "nope.jsonl"), "--db", str(tmp_path / "c.sqlite"), "--no-progress"]) == 1
    assert "nope.jsonl" in capsys.readouterr().err
    folder = tmp_path / "dir"
    folder.mkdir()
    assert main(["load", str(tmp_path / "nope.jsonl"), "--db", str(folder)]) == 2


@pytest.mark.parametrize("fields", [{"text": 5}, {"mentions": "Qaim"}])
def test_wrong_field_types_are_reported(tmp_path, fields):
    from conflict_map.store.sqlite import Corpus

    line = _line(1) | fields
    with Corpus(tmp_path / "c.sqlite") as c:
        report = load_paths([_write(tmp_path / "w.jsonl", [line])], c, progress=False)
    assert report.added == 0 and len(report.failed) == 1

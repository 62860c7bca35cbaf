"""Corrections: recording, applying (on load, re-process and export), listing and undo."""

from __future__ import annotations

import pytest
from fake_geoparse import ANBAR, HADITHA, QAIM, RAWA, RAWA_OTHER, fake_geoparse

from conflict_map.cli.main import main
from conflict_map.errors import UserError
from conflict_map.store.corrections import (
    add_alias,
    alias_key,
    apply_corrections,
    choose_place,
    corrected_spans,
    mark_not_place,
    place_at_coordinates,
    sentence_bounds,
)
from conflict_map.store.sqlite import ArticleInput, Corpus

TEXT = "Shelling hit Rawa on Monday. Abu Haditha spoke to reporters. Later the Al Qaem market reopened."
RAWA_SPAN = (13, 17)


@pytest.fixture
def corpus(tmp_path):
    with Corpus(tmp_path / "c.sqlite") as c:
        c.add_article(ArticleInput(text=TEXT, title="t"), fake_geoparse(TEXT))
        yield c


def _places(c: Corpus, aid: int = 1) -> list[tuple[str, str | None]]:
    return [(m.text, m.place.id if m.place else None) for m in c.load_result(aid).mentions]


def test_fixture_spans():
    assert TEXT[slice(*RAWA_SPAN)] == "Rawa"


def test_choose_other_candidate(corpus):
    rec = choose_place(corpus, 1, *RAWA_SPAN, RAWA_OTHER, mention_text="Rawa")
    assert rec.user and rec.created_at.endswith("Z") and rec.kind == "choose"
    m = corpus.load_result(1).mentions[0]
    assert m.place == RAWA_OTHER and m.confidence == 1.0
    assert RAWA in [a.place for a in m.alternatives]  # the machine's reading stays available


def test_place_by_coordinates(corpus):
    rec = place_at_coordinates(corpus, 1, *RAWA_SPAN, 34.5, 41.9, name="Rawa (new town)")
    m = corpus.load_result(1).mentions[0]
    assert (m.place.lat, m.place.lon, m.place.name, m.place.source) == (34.5, 41.9, "Rawa (new town)", "user")
    assert rec.place.id.startswith("user:")
    with pytest.raises(UserError, match="out of range"):
        place_at_coordinates(corpus, 1, *RAWA_SPAN, 95, 0)
    with pytest.raises(UserError, match="numbers"):
        place_at_coordinates(corpus, 1, *RAWA_SPAN, "north", 0)


def test_not_a_place_and_undo(corpus):
    start = TEXT.index("Haditha")
    assert ("Haditha", HADITHA.id) in _places(corpus)
    rec = mark_not_place(corpus, 1, start, start + 7)
    assert ("Haditha", HADITHA.id) not in _places(corpus)
    undone = corpus.undo_correction(rec.id)
    assert undone.undone_at and undone.undone_by
    assert ("Haditha", HADITHA.id) in _places(corpus)
    assert corpus.list_corrections() == []
    assert len(corpus.list_corrections(include_undone=True)) == 1
    with pytest.raises(UserError, match="already undone"):
        corpus.undo_correction(rec.id)
    with pytest.raises(UserError, match="no correction to undo"):
        corpus.undo_correction()


def test_undo_latest(corpus):
    choose_place(corpus, 1, *RAWA_SPAN, RAWA_OTHER)
    second = place_at_coordinates(corpus, 1, *RAWA_SPAN, 1.0, 2.0)
    assert corpus.load_result(1).mentions[0].place.lat == 1.0  # the newest wins
    assert corpus.undo_correction().id == second.id
    assert corpus.load_result(1).mentions[0].place == RAWA_OTHER


def test_span_validation(corpus):
    with pytest.raises(UserError, match="not 'Qaim'"):
        choose_place(corpus, 1, *RAWA_SPAN, QAIM, mention_text="Qaim")
    with pytest.raises(UserError, match="outside"):
        mark_not_place(corpus, 1, 0, 10_000)
    with pytest.raises(UserError, match="no article"):
        mark_not_place(corpus, 99, 0, 1)


def test_alias_adds_missed_mentions_corpus_wide(corpus):
    assert "Al Qaem" not in [t for t, _ in _places(corpus)]
    add_alias(corpus, "Al-Qaem", QAIM)
    assert ("Al Qaem", QAIM.id) in _places(corpus)
    # applies to articles added later too
    text2 = "Convoys reached AL QAEM by night; al-Qaem's bridge held."
    aid2, _ = corpus.add_article(ArticleInput(text=text2), fake_geoparse(text2))
    found = [(m.text, m.place.id) for m in corpus.load_result(aid2).mentions]
    assert found == [("AL QAEM", QAIM.id), ("al-Qaem", QAIM.id)]
    m = corpus.load_result(aid2).mentions[0]
    assert m.sentence.startswith("Convoys reached") and text2[m.start : m.end] == m.text


def test_alias_finds_accented_spellings_the_geoparser_missed(corpus):
    add_alias(corpus, "Al Qaim", QAIM)
    text = "Trucks left Al-Qā'im at dawn and reached AL QAÏM by noon; Al Qaimiya is another place."
    aid, _ = corpus.add_article(ArticleInput(text=text), fake_geoparse(text))
    found = [m.text for m in corpus.load_result(aid).mentions if m.place == QAIM]
    assert found == ["Al-Qā'im", "AL QAÏM"]


def test_alias_overrides_machine_but_mention_correction_wins(corpus):
    add_alias(corpus, "rawa", ANBAR)
    assert corpus.load_result(1).mentions[0].place == ANBAR
    choose_place(corpus, 1, *RAWA_SPAN, RAWA_OTHER)
    assert corpus.load_result(1).mentions[0].place == RAWA_OTHER


def test_alias_validation(corpus):
    with pytest.raises(UserError):
        add_alias(corpus, " - ", QAIM)


def test_correction_survives_changed_span(corpus):
    choose_place(corpus, 1, *RAWA_SPAN, RAWA_OTHER)
    res = fake_geoparse(TEXT)
    res.mentions[0].end += 0  # same span
    res.mentions[0].start -= 0
    out = apply_corrections(res, corpus.corrections_for(1))
    assert out.mentions[0].place == RAWA_OTHER
    assert res.mentions[0].place == RAWA  # input untouched
    assert set(corrected_spans(corpus.corrections_for(1))) == {RAWA_SPAN}


def test_choose_for_span_machine_missed(corpus):
    start = TEXT.index("Monday")
    choose_place(corpus, 1, start, start + 6, QAIM)
    assert ("Monday", QAIM.id) in _places(corpus)


def test_alias_key_and_sentence():
    assert alias_key("Al-Qā’im") == alias_key("al qaim")
    assert sentence_bounds("One. Two here. Three.", 5, 8) == (5, 14)


def test_cli_list_and_undo(corpus, capsys):
    db = str(corpus.path)
    rec = choose_place(corpus, 1, *RAWA_SPAN, RAWA_OTHER, note="wrong Rawa")
    add_alias(corpus, "Al Qaem", QAIM)
    assert main(["corrections", "--db", db, "list"]) == 0
    out = capsys.readouterr().out
    assert "Rawa" in out and "alias 'Al Qaem'" in out and rec.user in out
    assert main(["corrections", "--db", db, "undo", str(rec.id)]) == 0
    assert "undone" in capsys.readouterr().out
    assert main(["corrections", "--db", db, "list"]) == 0
    assert "wrong Rawa" not in capsys.readouterr().out
    assert main(["corrections", "--db", db, "list", "--all", "--json"]) == 0
    assert '"undone_at"' in capsys.readouterr().out
    assert main(["corrections", "--db", db, "undo", "999"]) == 2


def test_cli_alias_and_reprocess(corpus, capsys, monkeypatch):
    from conflict_map.ingest import batch as ingest

    db = str(corpus.path)
    assert main(["corrections", "--db", db, "alias", "Al Qaem", HADITHA.id]) == 0  # a place stored in the db
    assert "alias 'Al Qaem'" in capsys.readouterr().out
    assert main(["corrections", "--db", db, "alias", "Monday", "34.1, 42.2", "--name", "Somewhere"]) == 0
    assert main(["corrections", "--db", db, "alias", "x", "no-such-id"]) == 2
    assert "unknown place" in capsys.readouterr().err
    assert main(["corrections", "--db", db, "alias", "x", "95,0"]) == 2
    found = {(m.text, m.place.name) for m in corpus.load_result(1).mentions}
    assert ("Al Qaem", HADITHA.name) in found and ("Monday", "Somewhere") in found
    # reprocess: the machine output is replaced, the corrections stay on top
    choose_place(corpus, 1, *RAWA_SPAN, RAWA_OTHER)
    monkeypatch.setattr(ingest, "default_geoparse", lambda: fake_geoparse)
    assert main(["reprocess", "--db", db]) == 0
    assert "re-processed 1 article" in capsys.readouterr().out
    assert corpus.load_result(1).mentions[0].place == RAWA_OTHER
    assert corpus.check() == []

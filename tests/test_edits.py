"""Editing as in My Maps (issue 14, item 6) and the shareable link: session and corpus corrections, undo per
action, every spelling, added and moved places, ``?place=&claim=&view=`` (invented sentences)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import PAYLOADS

from conflict_map.errors import UserError
from conflict_map.models import Candidate, Mention, ParseResult, Place
from conflict_map.store.sqlite import Corpus
from conflict_map.web import edits as ed
from conflict_map.web import urlstate

QAIM = Place("92138", "Al Qa'im", "town", 34.39, 40.99, "IQ", "Anbar")
RAWA = Place("92004", "Rawah", "town", 34.48, 41.92, "IQ", "Anbar")
RAWA_NG = Place("9", "Rawa", "village", 10.0, 20.0, "NG")
TEXT = "Convoys left Al Qaim for Rawa. In Qaim the market reopened; Rawa and al Qaim stayed quiet near the dam."


def mention(word: str, place: Place | None, nth: int = 0, cands: tuple[Place, ...] = ()) -> Mention:
    i = -1
    for _ in range(nth + 1):
        i = TEXT.index(word, i + 1)
    return Mention(
        i, i + len(word), word, TEXT, 0, "place", word.lower(), [Candidate(c, 0.5) for c in cands], place, 0.8
    )


def parsed() -> ParseResult:
    ms = [
        mention("Al Qaim", QAIM),
        mention("Rawa", RAWA, 0, (RAWA, RAWA_NG)),
        mention("Qaim", QAIM, 1),
        mention("Rawa", RAWA, 1, (RAWA, RAWA_NG)),
        mention("al Qaim", QAIM),
    ]
    return ParseResult(text=TEXT, mentions=sorted(ms, key=lambda m: m.start), body=(0, len(TEXT)))


def test_a_correction_applies_to_its_spelling_and_with_the_option_to_every_spelling() -> None:
    raw = parsed()
    m0 = next(m for m in raw.mentions if m.text == "Al Qaim")
    one = ed.correct([], raw, m0, RAWA_NG)
    assert {(r.mention_text, r.kind) for r in one} == {("Al Qaim", "choose"), ("al Qaim", "choose")}  # alias key
    every = ed.correct([], raw, m0, RAWA_NG, every_spelling=True)
    assert {r.mention_text for r in every} == {"Al Qaim", "Qaim", "al Qaim"}
    assert "and its other spellings" in every[0].note
    assert ed.other_spellings(raw, m0) == ["Qaim"]
    out = ed.apply_edits(raw, every)
    assert {m.place.id for m in out.mentions if "aim" in m.text} == {"9"}  # type: ignore[union-attr]
    assert raw.mentions[0].place is QAIM  # the machine's reading is not changed


def test_not_a_place_added_and_moved_places_and_undo_per_action() -> None:
    raw = parsed()
    rawa = next(m for m in raw.mentions if m.text == "Rawa")
    records = ed.correct([], raw, rawa, None)
    dam = TEXT.index("the dam") + 4
    span = ed.check_selection(TEXT, dam - 1, dam + 4, " dam.")  # selection trimmed to the name
    assert span == (dam, dam + 3, "dam")
    placed = ed.moved(Place("user:new", "dam", "landmark", 0, 0), 34.2, 42.36)
    records += ed.add_place(records, span, placed, placed=True)
    out = ed.apply_edits(raw, records)
    qaim_now = ed.apply_edits(raw, records)
    records += ed.move_place(records, qaim_now, QAIM.id, ed.moved(QAIM, 34.0, 41.0))
    out = ed.apply_edits(raw, records)
    assert not [m for m in out.mentions if m.text == "Rawa" and m.place is not None]
    assert any(m.text == "dam" and m.place and m.place.kind == "landmark" for m in out.mentions)
    assert {m.place.id for m in out.mentions if "aim" in m.text} == {"user:34.00000,41.00000"}  # type: ignore[union-attr]
    groups = ed.edit_groups(records)
    assert [g.label.split(" ")[0] for g in groups] == ["Al", "\u201cdam\u201d", "\u201cRawa\u201d"]  # newest first
    assert all(g.active for g in groups) and len(groups[0].ids) == 3
    # undo the move only: the other two actions still apply
    records = ed.undo(records, groups[0].ids)
    again = ed.apply_edits(raw, records)
    assert {m.place.id for m in again.mentions if "aim" in m.text} == {QAIM.id}  # type: ignore[union-attr]
    assert any(m.text == "dam" for m in again.mentions)
    assert [g.active for g in ed.edit_groups(records)] == [False, True, True]


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [(0, 5, "wrong"), (-1, 3, "Con"), (0, 3, "   "), (0, 200, TEXT[:200])],
)
def test_a_selection_that_is_not_a_place_name_is_refused(start: int, end: int, text: str) -> None:
    with pytest.raises(UserError):
        ed.check_selection(TEXT, start, end, text)


def test_moved_place_finds_its_country_again() -> None:
    p = ed.moved(RAWA_NG, 34.47, 41.93, locate=lambda lat, lon: ("IQ", "Anbar"))
    assert (p.country, p.province, p.id, p.source) == ("IQ", "Anbar", "user:34.47000,41.93000", "user")
    assert ed.moved(RAWA_NG, 1, 2, locate=lambda lat, lon: 1 / 0).country == "NG"  # no boundary data: kept
    with pytest.raises(UserError):
        ed.moved(RAWA_NG, 95, 0)


def test_corpus_edits_are_saved_at_once_listed_and_undone_per_action(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    raw = parsed()
    aid, n = ed.keep_in_corpus(TEXT, "Stored", raw, [], path=db)
    assert n == 0
    rawa = next(m for m in raw.mentions if m.text == "Rawa")
    ids = ed.save_to_corpus(aid, ed.correct([], raw, rawa, RAWA_NG), path=db)
    moved = ed.moved(QAIM, 34.1, 41.1, locate=lambda lat, lon: ("IQ", "Anbar"))
    ids2 = ed.save_to_corpus(aid, ed.move_place([], raw, QAIM.id, moved), path=db)
    assert len(ids) == 2 and len(ids2) == 3
    with Corpus(db) as c:
        stored = c.load_result(aid)
    assert {m.place.id for m in stored.mentions if m.text == "Rawa"} == {"9"}  # type: ignore[union-attr]
    assert {(m.place.country, m.place.province) for m in stored.mentions if "aim" in m.text} == {("IQ", "Anbar")}  # type: ignore[union-attr]
    groups = ed.corpus_edit_groups(aid, path=db)
    assert len(groups) == 2 and groups[0].ids == tuple(ids2) and groups[0].label.startswith("Al Qa'im moved")
    assert ed.undo_in_corpus(groups[0].ids, path=db) == 3
    assert ed.undo_in_corpus(groups[0].ids, path=db) == 0  # already undone: nothing, no error
    with Corpus(db) as c:
        assert {m.place.id for m in c.load_result(aid).mentions if "aim" in m.text} == {QAIM.id}  # type: ignore[union-attr]
    assert [g.active for g in ed.corpus_edit_groups(aid, path=db)] == [False, True]


def test_keeping_a_pasted_article_keeps_its_session_edits(tmp_path: Path) -> None:
    raw = parsed()
    rawa = next(m for m in raw.mentions if m.text == "Rawa")
    records = ed.correct([], raw, rawa, RAWA_NG)
    records = ed.undo(records, [records[0].id])  # one of the two undone: only the active one is kept
    aid, n = ed.keep_in_corpus(TEXT, "Pasted", raw, records, path=tmp_path / "c.sqlite")
    assert n == 1


@pytest.mark.parametrize("payload", PAYLOADS[:10])
def test_edit_labels_keep_hostile_text_as_written(payload: str) -> None:
    text = f"Patrols reached {payload} at dawn."
    m = Mention(16, 16 + len(payload), payload, text, 0, "place", "", [], None, 0.0)
    records = ed.add_place([], (m.start, m.end, payload), Place("p", payload, "town", 1.0, 2.0))
    assert (
        payload in records[0].note and ed.edit_groups(records)[0].label == f"\u201c{payload}\u201d added as {payload}"
    )


# --- the shareable link -------------------------------------------------------------------------------


def test_link_round_trip_with_place_claim_and_view() -> None:
    q = urlstate.encode_state("corpus:3", ("1", None), place="98182", claim=2, view="34.1000,41.5000,8")
    assert q == {"article": "corpus:3", "from": "1", "place": "98182", "claim": "2", "view": "34.1000,41.5000,8"}
    link = urlstate.decode_link(q)
    assert (link.article, link.pair, link.place, link.claim, link.view) == (
        "corpus:3",
        ("1", None),
        "98182",
        2,
        (34.1, 41.5, 8),
    )
    assert urlstate.same_page_state({**q, "view": "1,2,3"}, q)  # the map's own view does not count
    assert not urlstate.same_page_state({**q, "place": "x"}, q)


@pytest.mark.parametrize(
    "bad", ["", "34,41", "91,0,5", "0,181,5", "1,2,40", "a,b,c", "1e9,1,5", "<b>,1,5", "34,41,8,1"]
)
def test_a_malformed_view_or_claim_is_dropped(bad: str) -> None:
    assert urlstate.parse_view(bad) is None
    assert urlstate.decode_link({"view": bad, "claim": bad}).claim is None

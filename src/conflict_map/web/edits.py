"""Editing the map as people expect from My Maps: correct a place, add one the machine missed, move a pin, undo.

Every edit is a list of :class:`~conflict_map.store.sqlite.CorrectionRecord` (one per mention it changes), the
same records the corpus stores, applied by the same :func:`conflict_map.store.corrections.apply_corrections`:

* a pasted article (or the sample) keeps its edits in the session (:func:`correct`, :func:`add_place`,
  :func:`move_place` build them; :func:`apply_edits` applies the active ones);
* a corpus article writes them to the corpus at once (:func:`save_to_corpus`), for every reader.

One reader action is one *edit*: its records share a note ``dashboard #<tag>: <what it did>``, so the list of
corrections (:func:`edit_groups`, :func:`corpus_edit_groups`) has one line, and one Undo, per action.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from conflict_map.errors import UserError
from conflict_map.models import Mention, ParseResult, Place
from conflict_map.store import corrections as corr
from conflict_map.store.sqlite import ArticleInput, Corpus, CorrectionRecord, default_db_path

NOTE_PREFIX = "dashboard #"
SESSION_USER = "this session"


@dataclass(frozen=True, slots=True)
class EditGroup:
    """One reader action in the list of corrections: what it did, its record ids, whether it still applies."""

    tag: str
    label: str
    ids: tuple[int, ...]
    active: bool
    user: str = ""


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def new_note(label: str) -> str:
    """The note every record of one action shares: ``dashboard #<random tag>: <label>``."""
    return f"{NOTE_PREFIX}{secrets.token_hex(4)}: {label}"


def _split_note(note: str) -> tuple[str, str]:
    """(tag, label) of a note written by :func:`new_note`; ("", note) for any other note."""
    if note.startswith(NOTE_PREFIX) and ": " in note:
        tag, _, label = note[len(NOTE_PREFIX) :].partition(": ")
        return tag, label
    return "", note


def _record(rid: int, kind: str, m: tuple[int, int, str], place: Place | None, note: str) -> CorrectionRecord:
    start, end, text = m
    return CorrectionRecord(rid, kind, None, start, end, text, "", place, note, SESSION_USER, _now())


def _next_id(records: Sequence[CorrectionRecord]) -> int:
    return max((r.id for r in records), default=0) + 1


def spelling_group(result: ParseResult, m0: Mention, every_spelling: bool = False) -> list[Mention]:
    """The mentions one correction of ``m0`` changes: its spelling everywhere, and with ``every_spelling`` every
    mention read as the same place (``Al Qaim``, ``Al-Qaim``, ``al-Qa'im``)."""
    key = corr.alias_key(m0.text)
    same_place = m0.place.id if every_spelling and m0.place is not None else None
    return [
        m
        for m in result.mentions
        if m.type == "place"
        and (
            corr.alias_key(m.text) == key
            or (same_place is not None and m.place is not None and m.place.id == same_place)
        )
    ]


def other_spellings(result: ParseResult, m0: Mention) -> list[str]:
    """Other spellings in the text read as the same place as ``m0`` (for "apply to every spelling")."""
    if m0.place is None:
        return []
    key = corr.alias_key(m0.text)
    seen: dict[str, None] = {}
    for m in result.mentions:
        if m.place is not None and m.place.id == m0.place.id and corr.alias_key(m.text) != key:
            seen.setdefault(m.text, None)
    return list(seen)


def correct(
    records: Sequence[CorrectionRecord],
    result: ParseResult,
    m0: Mention,
    place: Place | None,
    *,
    every_spelling: bool = False,
) -> list[CorrectionRecord]:
    """New records saying the mentions of ``m0`` mean ``place`` (None: they are not a place)."""
    ms = spelling_group(result, m0, every_spelling)
    what = f"\u201c{m0.text}\u201d" + (
        " and its other spellings" if every_spelling and len({m.text for m in ms}) > 1 else ""
    )
    label = f"{what} is not a place" if place is None else f"{what} \u2192 {place.name}"
    label += f" ({len(ms)} mention{'s' if len(ms) != 1 else ''})"
    note, rid = new_note(label), _next_id(records)
    kind = "not_place" if place is None else "choose"
    return [_record(rid + i, kind, (m.start, m.end, m.text), place, note) for i, m in enumerate(ms)]


def check_selection(text: str, start: int, end: int, selected: str) -> tuple[int, int, str]:
    """The span a reader selected in the article, trimmed of spaces and punctuation; UserError when it does not
    match the text (the page changed) or is not a place name (empty, several lines, over 100 characters)."""
    if not (0 <= start < end <= len(text)) or text[start:end] != selected:
        raise UserError("That selection is not in the article any more: select the words again.")
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    span = text[start:end]
    if not span or "\n" in span or len(span) > 100:
        raise UserError("Select a place name: a few words on one line (at most 100 characters).")
    return start, end, span


def add_place(
    records: Sequence[CorrectionRecord], span: tuple[int, int, str], place: Place, *, placed: bool = False
) -> list[CorrectionRecord]:
    """A record adding a mention the machine missed at ``span`` (start, end, text) that means ``place``.

    ``placed``: the reader clicked the map (a ``coords`` record for a place the gazetteer lacks).
    """
    where = f" at {place.lat:.3f}, {place.lon:.3f}" if placed else f" as {place.name}"
    note = new_note(f"\u201c{span[2]}\u201d added{where}")
    return [_record(_next_id(records), "coords" if placed else "choose", span, place, note)]


def moved(
    place: Place, lat: float, lon: float, locate: Callable[[float, float], tuple[str, str]] | None = None
) -> Place:
    """``place`` at new coordinates (a reader's place: ``user:lat,lon`` id), its country and province found again
    by ``locate`` when given."""
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise UserError(f"coordinates out of range: {lat}, {lon}")
    country, province = place.country, place.province
    if locate is not None:
        with contextlib.suppress(Exception):  # boundary data missing: keep what the place said
            country, province = locate(lat, lon)
    return Place(f"user:{lat:.5f},{lon:.5f}", place.name, place.kind, lat, lon, country, province, 0, "user")


def move_place(
    records: Sequence[CorrectionRecord], result: ParseResult, place_id: str, new: Place
) -> list[CorrectionRecord]:
    """Records moving every mention of ``place_id`` to the place ``new`` (:func:`moved`)."""
    ms = [m for m in result.mentions if m.place is not None and m.place.id == place_id]
    if not ms:
        raise UserError("That place is not on the map any more.")
    note = new_note(
        f"{new.name} moved to {new.lat:.3f}, {new.lon:.3f} ({len(ms)} mention{'s' if len(ms) != 1 else ''})"
    )
    rid = _next_id(records)
    return [_record(rid + i, "coords", (m.start, m.end, m.text), new, note) for i, m in enumerate(ms)]


def apply_edits(raw: ParseResult, records: Iterable[CorrectionRecord]) -> ParseResult:
    """``raw`` with the active records applied (the input is not changed)."""
    active = [r for r in records if r.active]
    return corr.apply_corrections(raw, active) if active else raw


def edit_groups(records: Iterable[CorrectionRecord]) -> list[EditGroup]:
    """One line per action, newest first: its label, record ids and whether it still applies."""
    groups: dict[str, list[CorrectionRecord]] = {}
    for r in records:
        tag, _label = _split_note(r.note)
        groups.setdefault(tag or f"id{r.id}", []).append(r)
    out = []
    for tag, rs in groups.items():
        label = _split_note(rs[0].note)[1] or corr.describe(rs[0])
        out.append(EditGroup(tag, label, tuple(r.id for r in rs), any(r.active for r in rs), rs[0].user))
    return sorted(out, key=lambda g: -max(g.ids))


def undo(records: Sequence[CorrectionRecord], ids: Iterable[int]) -> list[CorrectionRecord]:
    """The session's records with those of ``ids`` undone (kept in the list, no longer applied)."""
    gone = set(ids)
    stamp = _now()
    return [replace(r, undone_at=stamp, undone_by=SESSION_USER) if r.id in gone and r.active else r for r in records]


# --- the corpus ------------------------------------------------------------------------------------


def _corpus(path: Path | None) -> Corpus:
    return Corpus(path or default_db_path())


def save_records(corpus: Corpus, article_id: int, records: Iterable[CorrectionRecord]) -> list[int]:
    """Write session-built records into the corpus for one article; the new correction ids."""
    ids = []
    for r in records:
        if not r.active or r.start is None or r.end is None:
            continue
        args = (corpus, article_id, r.start, r.end)
        if r.kind == "not_place":
            rec = corr.mark_not_place(*args, mention_text=r.mention_text, note=r.note)
        elif r.kind == "coords" and r.place is not None:
            p = r.place
            rec = corr.place_at_coordinates(
                *args,
                p.lat,
                p.lon,
                name=p.name,
                kind=p.kind,
                mention_text=r.mention_text,
                note=r.note,
                country=p.country,
                province=p.province,
            )
        elif r.place is not None:
            rec = corr.choose_place(*args, r.place, mention_text=r.mention_text, note=r.note)
        else:
            continue
        ids.append(rec.id)
    return ids


def save_to_corpus(article_id: int, records: Iterable[CorrectionRecord], path: Path | None = None) -> list[int]:
    """Record a reader's action on a corpus article at once (it applies wherever the corpus is read)."""
    corpus = _corpus(path)
    try:
        return save_records(corpus, article_id, records)
    finally:
        corpus.close()


def corpus_edit_groups(article_id: int, path: Path | None = None) -> list[EditGroup]:
    """The corrections of one corpus article (its own, undone ones too), one line per action, newest first."""
    corpus = _corpus(path)
    try:
        recs = corpus.list_corrections(article_id=article_id, include_undone=True)
    finally:
        corpus.close()
    return edit_groups(r for r in recs if r.article_id == article_id)


def undo_in_corpus(ids: Iterable[int], path: Path | None = None) -> int:
    """Undo corpus corrections by id; how many were still active."""
    corpus = _corpus(path)
    try:
        return corr.undo_corrections(corpus, ids)
    finally:
        corpus.close()


def keep_in_corpus(
    text: str, title: str, raw: ParseResult, records: Iterable[CorrectionRecord], path: Path | None = None
) -> tuple[int, int]:
    """Store a pasted article in the corpus with the session's active edits; (article id, corrections stored).

    An article already in the corpus (same text) is not stored twice; the edits are added to it.
    """
    corpus = _corpus(path)
    try:
        aid, _created = corpus.add_article(ArticleInput(text=text, title=title, source_name="dashboard"), raw)
        return aid, len(save_records(corpus, aid, records))
    finally:
        corpus.close()

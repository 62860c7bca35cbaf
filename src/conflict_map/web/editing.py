"""The map page's editing controls (Streamlit): correct a place, add one from selected words, move a pin, undo.

The records come from :mod:`conflict_map.web.edits`. A pasted article (or the sample) keeps them in the session
(``st.session_state.edits``); a corpus article saves them to the corpus at once, and only when this session may
write (:func:`conflict_map.web.components.can_write`: the teacher's passphrase on a shared dashboard).
Session keys: ``edits``, ``corpus_undo`` (ids saved from this page), ``edit_mode`` (``off`` / ``move`` /
``place``), ``pending_add`` (the words selected to add), ``map_event`` (a dragged pin or a click on the map).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import streamlit as st

from conflict_map.errors import UserError
from conflict_map.models import Mention, ParseResult, Place
from conflict_map.store.sqlite import CorrectionRecord
from conflict_map.view.areas import is_area
from conflict_map.view.render import markdown_text
from conflict_map.web import components
from conflict_map.web import edits as ed
from conflict_map.web import page as dash

#: Kinds a reader can give a place placed on the map by hand.
PLACE_KINDS = ("town", "village", "base", "crossing", "camp", "landmark")
ss = st.session_state


def _article_id() -> int | None:
    return dash.parse_corpus_ref(ss.get("article_id", ""))


def commit(records: list[CorrectionRecord], *, in_corpus: bool) -> None:
    """Keep the records: in the session, or saved to the corpus at once (the ids remembered for undo)."""
    if not records:
        return
    aid = _article_id()
    if in_corpus and aid is not None:
        ss.corpus_undo = [*ss.get("corpus_undo", []), *ed.save_to_corpus(aid, records)]
    else:
        ss.edits = [*ss.get("edits", []), *records]


def _writable(in_corpus: bool) -> bool:
    return not in_corpus or components.can_write()


def apply_map_event(
    result: ParseResult, *, in_corpus: bool, locate: Callable[[float, float], tuple[str, str]] | None = None
) -> bool:
    """Apply the pending map event (a dragged pin, a click on the map while editing); True when something changed."""
    ev = ss.get("map_event")
    ss.map_event = None
    if not ev:
        return False
    if not _writable(in_corpus):
        ss.edit_note = "Changing a corpus article needs the teacher's passphrase (unlock it below the map)."
        return False
    try:
        if ev["cm"] == "move" or (ev["cm"] == "click" and ss.get("edit_mode") == "move"):
            pid = ev["place"] if ev["cm"] == "move" else ss.get("selected")
            return _move(result, pid, ev["lat"], ev["lon"], in_corpus=in_corpus, locate=locate)
        if ev["cm"] == "click" and ss.get("edit_mode") == "place" and ss.get("pending_add"):
            return _place_at(ev["lat"], ev["lon"], in_corpus=in_corpus, locate=locate)
    except UserError as exc:
        ss.edit_note = str(exc)
    return False


def _move(
    result: ParseResult,
    pid: str | None,
    lat: float,
    lon: float,
    *,
    in_corpus: bool,
    locate: Callable[[float, float], tuple[str, str]] | None,
) -> bool:
    place = next((m.place for m in result.mentions if m.place is not None and m.place.id == pid), None)
    if place is None:
        ss.edit_note = "Select a place (click its pin or its name) before clicking the map to move it."
        return False
    if is_area(place):
        ss.edit_note = f"{place.name} is an area: correct what it means under \u201cCheck and correct places\u201d."
        return False
    new = ed.moved(place, lat, lon, locate)
    commit(ed.move_place(ss.get("edits", []), result, place.id, new), in_corpus=in_corpus)
    ss.selected, ss.pan = new.id, False
    return True


def _place_at(
    lat: float, lon: float, *, in_corpus: bool, locate: Callable[[float, float], tuple[str, str]] | None
) -> bool:
    pa = ss.pending_add
    start, end, span = ed.check_selection(ss.article_text, int(pa["start"]), int(pa["end"]), str(pa["text"]))
    kind = ss.get("add_kind") if ss.get("add_kind") in PLACE_KINDS else "landmark"
    base = Place("user:new", span, kind, lat, lon)
    place = ed.moved(base, lat, lon, locate)
    commit(ed.add_place(ss.get("edits", []), (start, end, span), place, placed=True), in_corpus=in_corpus)
    ss.pending_add, ss.edit_mode = None, "off"
    ss.selected, ss.pan = place.id, False
    return True


def map_mode(by_id: Mapping[str, Any]) -> tuple[str, str]:
    """(editing mode, hint shown on the map) for the overlay group."""
    mode = ss.get("edit_mode", "off")
    if mode == "place" and ss.get("pending_add"):
        return "place", f"Click the map where \u201c{str(ss.pending_add.get('text', '')).strip()[:60]}\u201d is."
    if mode == "move":
        sel = by_id.get(ss.get("selected") or "")
        if sel is not None and not is_area(sel.place):
            return "move", f"Drag a pin to move it, or click the map to move {sel.place.name} there."
        return "move", "Drag a pin to move it (or select a place, then click the map)."
    return "off", ""


def move_toggle(container: Any, *, in_corpus: bool) -> None:
    """The "Move places" switch under the map (a corpus article needs the passphrase when shared)."""

    def on_change() -> None:
        ss.edit_mode = "move" if ss.get("move_mode") else "off"

    ss.move_mode = ss.get("edit_mode") == "move"
    with container:
        if not _writable(in_corpus):
            if st.toggle("Move places on the map", key="move_mode_locked", value=False):
                components.unlock_box("move")
            return
        st.toggle(
            "Move places on the map",
            key="move_mode",
            on_change=on_change,
            help="Drag a pin to where the place really is, or select a place and click the map.",
        )
        note = ss.pop("edit_note", "")
        if note:
            st.caption(markdown_text(note))


def _search(gazetteer: Callable[[], Any], query: str) -> list[Place]:
    try:
        found = list(gazetteer().search(query.strip()[:100], 8)) if query.strip() else []
    except Exception as exc:  # noqa: BLE001 - the search is optional; say why it failed
        st.caption(markdown_text(f"Search unavailable: {exc}"))
        return []
    ss.extra_places = {**ss.get("extra_places", {}), **{p.id: p for p in found}}
    return found


def _overlapped(result: ParseResult, start: int, end: int) -> list[Mention]:
    return [m for m in result.mentions if m.type == "place" and m.start < end and start < m.end]


def add_place_panel(result: ParseResult, gazetteer: Callable[[], Any], *, in_corpus: bool) -> None:
    """Add the words a reader selected in the text as a place: from the gazetteer, or placed on the map."""
    pa = ss.pending_add
    try:
        start, end, span = ed.check_selection(ss.article_text, int(pa["start"]), int(pa["end"]), str(pa["text"]))
    except (UserError, ValueError, KeyError, TypeError) as exc:
        st.warning(str(exc) if isinstance(exc, UserError) else "Select the words of a place name again.")
        ss.pending_add = None
        return
    inner = _overlapped(result, start, end)
    if any(m.start < start or m.end > end for m in inner):
        st.info(markdown_text(f"\u201c{inner[0].text}\u201d is already a place here: correct it below instead."))
        ss.pending_add = None
        return
    with st.container(border=True, key="cm_add_place"):
        st.markdown(f"**Add \u201c{markdown_text(span)}\u201d as a place**")
        if not _writable(in_corpus):
            components.unlock_box("add")
            return
        query = st.text_input("Search the gazetteer", value=span, key=f"add_q_{start}_{end}")
        found = _search(gazetteer, query)
        by_id = {p.id: p for p in found}
        pick = st.selectbox(
            "It is", list(by_id), format_func=lambda i: dash.place_label(by_id[i]), key=f"add_pick_{start}_{end}"
        )
        if not found:
            st.caption("No place of that name in the gazetteer: place it on the map instead.")
        c1, c2, c3 = st.columns([3, 4, 2], vertical_alignment="bottom")
        if c1.button("Add it", type="primary", disabled=pick is None, key="add_go"):
            hidden = _not_place_inside(inner)
            added = ed.add_place([*ss.get("edits", []), *hidden], (start, end, span), by_id[pick])
            commit([replace(r, note=added[0].note) for r in hidden] + added, in_corpus=in_corpus)
            ss.pending_add, ss.selected, ss.pan = None, pick, True
            st.rerun()
        c2.selectbox("Kind, to place it on the map", PLACE_KINDS, key="add_kind")
        if c2.button("Click the map to place it", key="add_on_map"):
            ss.edit_mode = "place"
            st.rerun()
        if c3.button("Cancel", key="add_cancel"):
            ss.pending_add, ss.edit_mode = None, "off"
            st.rerun()


def _not_place_inside(inner: list[Mention]) -> list[CorrectionRecord]:
    """A longer name replaces the mentions inside it (``Haditha`` inside ``Haditha Dam``)."""
    out: list[CorrectionRecord] = []
    for m in inner:
        out += ed.correct([*ss.get("edits", []), *out], ParseResult(text="", mentions=[m]), m, None)
    return out


def _choices(m0: Mention, found: list[Place]) -> tuple[list[str], dict[str, Place]]:
    cands = [c.place for c in m0.candidates]
    if m0.place is not None and all(c.id != m0.place.id for c in cands):
        cands.insert(0, m0.place)
    cands += [p for p in found if all(p.id != c.id for c in cands)]
    return [c.id for c in cands] + [dash.NOT_A_PLACE], {c.id: c for c in cands}


def correct_panel(
    raw: ParseResult,
    result: ParseResult,
    gazetteer: Callable[[], Any],
    *,
    in_corpus: bool,
    set_article: Callable[[str, str, str], None],
) -> None:
    """ "Check and correct places": what a spelling means, for its every mention (and every spelling)."""
    with st.expander("Check and correct places", expanded=False):
        groups: dict[str, list[Mention]] = {}
        for m in raw.mentions:
            if m.type == "place" and (m.place is not None or m.candidates):
                groups.setdefault(m.text, []).append(m)
        if not groups:
            st.caption("No place mentions to correct.")
            return
        name = st.selectbox("Mention", sorted(groups, key=str.casefold), key="fix_mention")
        ms = groups[name]
        m0 = ms[0]
        current = next((m for m in result.mentions if (m.start, m.end) == (m0.start, m0.end)), None)
        query = st.text_input("Search the gazetteer", key=f"fix_search_{name}", placeholder="another place name")
        found = _search(gazetteer, query)
        if query.strip() and not found:
            st.caption("No place of that name in the gazetteer.")
        opts, cand_by_id = _choices(m0, found)
        now = current.place.id if current is not None and current.place is not None else dash.NOT_A_PLACE
        choice = st.selectbox(
            "Means",
            opts,
            index=opts.index(now) if now in opts else len(opts) - 1,
            format_func=lambda i: "Not a place" if i == dash.NOT_A_PLACE else dash.place_label(cand_by_id[i]),
            key=f"fix_choice_{name}",
        )
        others = ed.other_spellings(result, current) if current is not None else []
        every = bool(others) and st.checkbox(
            markdown_text(f"Also every other spelling of this place ({', '.join(others[:4])})"),
            key=f"fix_every_{name}",
        )
        st.caption(markdown_text(f"{len(ms)} mention(s) of \u201c{name}\u201d; confidence {m0.confidence:.0%}."))
        if in_corpus and not components.unlock_box("fix"):
            return  # a shared dashboard: changing the corpus needs the teacher's passphrase
        if st.button("Apply correction"):
            place = None if choice == dash.NOT_A_PLACE else cand_by_id.get(choice)
            target = current or m0
            base = result if current is not None else raw
            commit(ed.correct(ss.get("edits", []), base, target, place, every_spelling=every), in_corpus=in_corpus)
            st.rerun()
        _keep_or_undo_all(raw, in_corpus=in_corpus, set_article=set_article)


def _keep_or_undo_all(raw: ParseResult, *, in_corpus: bool, set_article: Callable[[str, str, str], None]) -> None:
    if in_corpus:
        st.caption("Corrections of a corpus article are saved in the corpus (undo them here or on the Corpus page).")
        if ss.get("corpus_undo") and components.can_write() and st.button("Undo my corrections"):
            ed.undo_in_corpus(ss.corpus_undo)
            ss.corpus_undo = []
            st.rerun()
        return
    active = [r for r in ss.get("edits", []) if r.active]
    if active and st.button("Undo all corrections"):
        ss.edits = ed.undo(ss.edits, [r.id for r in active])
        st.rerun()
    if active:
        st.caption("These corrections last for this session. Keep the article in the corpus to save them.")
        if components.unlock_box("keep") and st.button("Keep in corpus with corrections"):
            try:
                aid, n = ed.keep_in_corpus(ss.article_text, ss.article_title, raw, active)
            except UserError as exc:
                st.error(str(exc))
            else:
                set_article(ss.article_text, ss.article_title, dash.corpus_ref(aid))
                ss.forget_draft = True  # the corpus keeps it now: no local draft needed
                st.toast(f"Saved as {dash.corpus_ref(aid)} with {n} correction(s).")
                st.rerun()


def corrections_list(*, in_corpus: bool) -> None:
    """The list of corrections, one line per action, each with its own Undo."""
    aid = _article_id()
    try:
        groups = ed.corpus_edit_groups(aid) if in_corpus and aid is not None else ed.edit_groups(ss.get("edits", []))
    except UserError:
        groups = []
    if not groups:
        return
    active = sum(g.active for g in groups)
    with st.expander(f"Corrections ({active} active)", expanded=True):
        may_undo = _writable(in_corpus)
        for g in groups:
            c1, c2 = st.columns([7, 2], vertical_alignment="center")
            who = f" \u00b7 {g.user}" if in_corpus and g.user else ""
            c1.caption(markdown_text(g.label + who + ("" if g.active else " \u00b7 undone")))
            if g.active and may_undo and c2.button("Undo", key=f"undo_{g.tag}"):
                if in_corpus:
                    ed.undo_in_corpus(g.ids)
                else:
                    ss.edits = ed.undo(ss.edits, g.ids)
                st.rerun()
        if in_corpus and not may_undo:
            st.caption("Undoing a correction of the corpus needs the teacher's passphrase.")

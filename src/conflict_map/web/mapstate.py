"""The map page's session state and the callbacks of its widgets (clicks run before the script: one rerun each).

``app.py`` lays the page out; this module keeps what a click changes: the article (:func:`set_article`), the
selected place, the measured pair, the words selected to add as a place, the map's editing events and the
shareable link read once when a session starts (:func:`init_state`).
"""

from __future__ import annotations

import streamlit as st

from conflict_map.errors import UserError
from conflict_map.view.controls import edit_event
from conflict_map.web import page as dash
from conflict_map.web import urlstate

MAP_KEY = "map"
SAMPLE_TITLE = "Sample briefing: western Anbar"

ss = st.session_state


def init_state() -> None:
    """Once per session: the sample (or the shared link's article) and what the link asks to show."""
    if "article_text" in ss:
        return
    link = urlstate.decode_link(st.query_params)
    ss.article_id, ss.article_title, ss.article_text = dash.SAMPLE_ID, SAMPLE_TITLE, dash.sample_text()
    ss.edits, ss.corpus_undo = [], []
    ss.selected, ss.pan, ss.nonce = None, False, 0
    ss.last_click_count, ss.last_edit_n = None, ""
    ss.input_error = ""
    ss.edit_mode, ss.pending_add, ss.map_event = "off", None, None
    ss.want_pair, ss.want_place, ss.want_claim = link.pair, link.place, link.claim
    ss.link_view = link.view
    ss.offer_draft, ss.draft_out, ss.forget_draft = not link.article, None, False
    if dash.parse_corpus_ref(link.article) is not None:
        try:
            text, title, _ = dash.load_corpus_article(link.article)
            ss.article_text, ss.article_title, ss.article_id = text, title, link.article
            return
        except UserError as exc:
            ss.input_error = f"{exc} Showing the sample."
    elif link.article and link.article != dash.SAMPLE_ID:
        ss.input_error = (
            f"The shared link names an article this dashboard does not have ({link.article[:60]}); showing the sample."
        )
    if ss.input_error:
        ss.link_view, ss.want_place, ss.want_claim = None, None, None


def first_paint() -> bool:
    """True for the first page run of a browser's session: the page then draws the title, the article and its
    map only, and leaves out the sidebar's inputs, the phone's article box, the From/To boxes (boxes of their
    height stand in), the toggles and what lies below the map. streamlit-folium reports the map's view as soon
    as its pins are painted, and the page run that report starts draws the rest: the browser has much less to do
    before the pins (bench/results/dashboard.txt). A session without a browser (AppTest) gets everything at once."""
    if ss.get("drawn_once"):
        return False
    ss.drawn_once = True
    return bool(st.context.headers.get("User-Agent"))


def set_article(text: str, title: str, article_id: str) -> None:
    """Show another article: its edits, selection, pair and claim start empty."""
    ss.article_text, ss.article_title, ss.article_id = text, title, article_id
    ss.edits, ss.corpus_undo = [], []
    ss.selected, ss.pending_add, ss.edit_mode = None, None, "off"
    ss.want_pair, ss.want_place, ss.want_claim, ss.link_view = (None, None), None, None, None
    ss.input_error, ss.offer_draft = "", False
    for k in ("from_sel", "to_sel", "claim_choice"):
        ss.pop(k, None)


def on_map_article(key: str = "paste") -> None:
    """The "Map article" button: the text in the box ``key`` (sidebar or phone), kept as a local draft."""
    try:
        text = dash.check_article(ss.get(key, ""))
    except UserError as exc:
        ss.input_error = str(exc)
        return
    set_article(text, "Pasted article", "pasted")
    ss.draft_out = {"text": text, "title": "Pasted article"}  # kept in this browser: a reload does not lose it


def on_sample() -> None:
    """The "Sample briefing" button."""
    set_article(dash.sample_text(), SAMPLE_TITLE, dash.SAMPLE_ID)


def on_upload(key: str = "upload") -> None:
    """An uploaded file: its text, or one line saying why not."""
    f = ss.get(key)
    if f is None:
        return
    try:
        text, title = dash.read_upload(f.getvalue(), f.name)
    except UserError as exc:
        ss.input_error = f"{f.name}: {exc}"
        return
    set_article(text, title or f.name, "upload")


def on_corpus_pick() -> None:
    """The "Open from corpus" select."""
    ref = ss.get("corpus_pick")
    if not ref:
        return
    try:
        text, title, _ = dash.load_corpus_article(ref)
    except UserError as exc:
        ss.input_error = str(exc)
        return
    set_article(text, title, ref)


def select(place_id: str | None, pan: bool) -> None:
    """Select a place (``pan``: bring it into view on the map)."""
    ss.selected = place_id
    ss.pan = pan
    ss.nonce += 1


# Clicks are handled in widget callbacks, which run before the script: one rerun per click.


def on_component_place(key: str) -> None:
    """A click on a highlighted mention or a place button: select the place and centre the map on it."""
    value = ss.get(key)
    pid = value.get("place") if isinstance(value, dict) else getattr(value, "place", None)
    if isinstance(pid, str) and pid:
        select(pid, pan=True)


def on_text_event() -> None:
    """The text panel: a click on a mention, words selected to add as a place, or a local draft to reopen."""
    value = ss.get("text_panel")
    get = value.get if isinstance(value, dict) else lambda k: getattr(value, k, None)
    sel, draft = get("select"), get("draft")
    if isinstance(sel, dict):
        ss.pending_add = sel
        ss.edit_mode = "off"
    elif isinstance(draft, dict) and isinstance(draft.get("text"), str):
        try:
            text = dash.check_article(draft["text"])
        except UserError as exc:
            ss.input_error = str(exc)
            return
        set_article(text, str(draft.get("title") or "Pasted article")[:200], "pasted")
    else:
        on_component_place("text_panel")


def on_map_change() -> None:
    """A click on a pin or an area's name (streamlit-folium reports its tooltip): select it, keep the view.

    While editing, a dragged pin or a click on the map is kept in ``ss.map_event`` for the script to apply.
    """
    out = ss.get(MAP_KEY) or {}
    ev = edit_event(out)
    if ev is not None and ev["n"] != ss.get("last_edit_n"):
        ss.last_edit_n = ev["n"]
        ss.map_event = ev
        return
    count = out.get("last_object_clicked_count")
    if not count or count == ss.get("last_click_count"):
        return
    ss.last_click_count = count
    pid = ss.get("tooltip_ids", {}).get(str(out.get("last_object_clicked_tooltip") or "").strip())
    if pid and ss.get("pick_pair"):
        # "Measure by clicking two markers": the first click sets From, the second To
        if ss.get("from_sel") and not ss.get("to_sel") and ss.from_sel != pid:
            ss.to_sel = pid
        else:
            ss.from_sel, ss.to_sel = pid, None
    if pid and pid != ss.selected:
        select(pid, pan=False)

"""conflict-map presentation page: an article as a map story for the classroom, and its hand-out.

Streamlit shows this file as a page of ``app.py``. One click builds the story of the article on the
main page, the sample briefing or a corpus article; the teacher orders, skips and annotates the steps
(kept with the article in the corpus for corpus articles) and presents it here full-screen, or
downloads it as one offline HTML file and a printable hand-out. The logic lives in
:mod:`conflict_map.present` (story, page, handout, layout_store); this file only lays out the page.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pandas as pd
import streamlit as st

from conflict_map.errors import UserError
from conflict_map.models import ParseResult
from conflict_map.present import story as stories
from conflict_map.present.handout import render_handout
from conflict_map.present.page import missing_story_assets, render_story_html, story_page
from conflict_map.store.base import Store
from conflict_map.store.factory import open_store, resolve_db
from conflict_map.view import offline
from conflict_map.view.render import markdown_text
from conflict_map.web import components
from conflict_map.web import page as dash
from conflict_map.web.edits import apply_edits

st.set_page_config(page_title="conflict-map: present", page_icon="\U0001f5fa", layout="wide")
components.page_links()
ss = st.session_state
SOURCES = ("Article on the main page", "Sample briefing", "Corpus article")
PRESENT_HEIGHT = 720


# --- resources -------------------------------------------------------------------------------------


@st.cache_resource(show_spinner="Loading the gazetteer...")
def geoparser() -> Any:
    """The geoparser (``CONFLICT_MAP_GEOPARSER`` may substitute one, as on the main page)."""
    return dash.default_geoparser()


@st.cache_data(show_spinner="Finding places...", max_entries=16)
def parse(text: str) -> ParseResult:
    return geoparser()(text)


@st.cache_resource
def corpus_for(path: str) -> Store:
    return open_store(path)


@st.cache_data(show_spinner=False, max_entries=8)
def handout_for(story_json: str) -> tuple[str, bytes]:
    """(hand-out HTML, map PNG) of a story, cached by its JSON."""
    h = render_handout(stories.Story.from_dict(json.loads(story_json)))
    return h.html, h.png


def _slug(title: str) -> str:
    keep = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    return "-".join(p for p in keep.split("-") if p)[:50] or "story"


# --- building --------------------------------------------------------------------------------------


def build(source: str, article_id: int | None) -> None:
    """Button callback: build the story of the chosen article (with its saved layout for a corpus one)."""
    ss.present_error = ""
    try:
        if source == "Corpus article":
            if article_id is None:
                raise UserError("choose an article of the corpus first")
            from conflict_map.present.layout_store import story_for_article

            story, gone = story_for_article(corpus_for(str(resolve_db(None))), article_id)
            if gone:
                ss.present_error = f"{len(gone)} saved step(s) no longer match a place of the article."
            key = f"corpus:{article_id}"
        else:
            if source == "Sample briefing" or "article_text" not in ss:
                text, title, edits = dash.sample_text(), "Sample briefing: western Anbar", []
            else:  # the main page's article with the reader's corrections, added and moved places
                text, title, edits = ss.article_text, ss.get("article_title", ""), ss.get("edits", [])
            result = apply_edits(parse(text), edits)
            story = stories.build_story(result, "" if title == "Pasted article" else title)
            key = "text:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    except UserError as exc:
        ss.present_error = str(exc)
        return
    ss.present_story = story
    ss.present_key = key
    ss.present_version = ss.get("present_version", 0) + 1


def save(rows: list[dict[str, Any]], title: str) -> None:
    """Apply the edited step table (and title); keep it with the article when it is in the corpus."""
    story: stories.Story = ss.present_story
    story.apply_editor_rows(rows)
    if title.strip():
        story.title = " ".join(title.split())[: stories.MAX_TITLE_CHARS]
    ss.present_version += 1
    ss.present_saved = ""
    if ss.present_key.startswith("corpus:"):
        from conflict_map.present.layout_store import save_layout

        try:
            save_layout(corpus_for(str(resolve_db(None))), int(ss.present_key.split(":", 1)[1]), story)
            ss.present_saved = "Order and notes saved with the article in the corpus."
        except UserError as exc:
            ss.present_error = str(exc)
    else:
        ss.present_saved = "Order and notes applied (add the article to the corpus to keep them)."


# --- page ------------------------------------------------------------------------------------------

st.subheader("Present a map story")
missing = missing_story_assets()
if missing:
    st.error(f"The map's browser files are missing ({', '.join(missing)}): {offline.INSTALL_HINT}.")

c1, c2, c3 = st.columns([3, 5, 2], vertical_alignment="bottom")
default_source = 0 if "article_text" in ss else 1
source = c1.radio("Article", SOURCES, index=default_source, key="present_source", horizontal=False)
article_id: int | None = None
if source == "Corpus article":
    try:
        corpus = corpus_for(str(resolve_db(None)))
        arts = corpus.list_articles(limit=500)
    except UserError as exc:
        st.error(str(exc))
        arts = []
    if arts:
        labels = {a.id: f"{a.label()} ({a.date or 'undated'}, #{a.id})" for a in arts}
        article_id = c2.selectbox("Corpus article", list(labels), format_func=labels.__getitem__, key="present_article")
    else:
        c2.caption("The corpus has no articles yet: add some on the Corpus page.")
elif source == "Article on the main page":
    c2.caption(
        markdown_text(ss.get("article_title", "Sample briefing: western Anbar"))
        if "article_text" in ss
        else "No article on the main page yet: the sample briefing is used."
    )
else:
    c2.caption("The team's sample briefing on western Anbar.")
c3.button("Build story", type="primary", on_click=build, args=(source, article_id), width="stretch")

if ss.get("present_error"):
    st.warning(ss.present_error)
if "present_story" not in ss:
    st.info("Build a story: a title step, one step per place in reading order, one per checked distance.")
    st.stop()

story: stories.Story = ss.present_story
visible = story.visible_steps()
st.caption(
    f"**{markdown_text(story.title)}** \u00b7 {len(visible)} of {len(story.steps)} steps shown"
    + (" \u00b7 kept with the corpus article" if ss.present_key.startswith("corpus:") else "")
)
tab_present, tab_arrange, tab_handout = st.tabs(["Present", "Order, skip, notes", "Hand-out"])

with tab_present:
    if not visible:
        st.warning("Every step is skipped: show at least one on the 'Order, skip, notes' tab.")
    else:
        st.caption(
            "Click the story, then step with \u2190 \u2192 or Page Up / Page Down (presentation clickers), "
            "Home / End; **F** or *Full screen* fills the projector."
        )
        # linked (not inlined) assets: served by this app at /app/static/, so a small page per rerun;
        # every article/teacher string in it is JSON-escaped data put into the page with textContent
        st.iframe(story_page(story), height=PRESENT_HEIGHT)
        d1, d2 = st.columns(2)
        d1.download_button(
            "Download the story (one HTML file, works offline)",
            data=lambda s=story: render_story_html(s).encode("utf-8"),
            file_name=f"{_slug(story.title)}-story.html",
            mime="text/html",
            on_click="ignore",
            disabled=bool(missing),
        )

with tab_arrange:
    st.caption(
        "Change **Order** to move a step (type 2 to make it the second), untick **Show** to skip it, "
        "write a **Note** to show under it. Then save."
    )
    rows = story.editor_rows()
    edited = st.data_editor(
        pd.DataFrame(rows),
        key=f"present_editor_{ss.present_version}",
        hide_index=True,
        width="stretch",
        height=min(35 * (len(rows) + 1) + 3, 900),
        disabled=["step", "id"],
        column_order=["order", "show", "step", "note"],
        column_config={
            "order": st.column_config.NumberColumn("Order", min_value=0, step=1, width="small"),
            "show": st.column_config.CheckboxColumn("Show", width="small"),
            "step": st.column_config.TextColumn("Step", width="large"),
            "note": st.column_config.TextColumn("Note", max_chars=stories.MAX_NOTE_CHARS, width="large"),
        },
    )
    title = st.text_input("Title", value=story.title, key=f"present_title_{ss.present_version}")
    writable = not ss.present_key.startswith("corpus:") or components.unlock_box("present")
    if writable and st.button("Save order and notes", type="primary"):
        save(edited.to_dict("records"), title)
        st.rerun()
    if ss.get("present_saved"):
        st.success(ss.present_saved)

with tab_handout:
    try:
        page_html, png = handout_for(json.dumps(story.to_dict()))
    except UserError as exc:
        st.error(str(exc))
    else:
        h1, h2 = st.columns(2)
        h1.download_button(
            "Download the hand-out (HTML, print it)",
            data=page_html.encode("utf-8"),
            file_name=f"{_slug(story.title)}-handout.html",
            mime="text/html",
            on_click="ignore",
        )
        h2.download_button(
            "Download the map image (PNG)",
            data=png,
            file_name=f"{_slug(story.title)}-map.png",
            mime="image/png",
            on_click="ignore",
        )
        st.image(png, caption="Numbered as in the hand-out's place list; lettered lines are the distance table.")

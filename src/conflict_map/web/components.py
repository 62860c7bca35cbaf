"""The Streamlit component every page uses to show article text: the clickable, autoescaped text panel.

Article text is shown only through this component (HTML built by :mod:`conflict_map.view.textview` from
autoescaped templates), never through ``st.markdown``: the main page, the Corpus page and the Present page
show the same text the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from conflict_map.view import textview
from conflict_map.view.render import markdown_text, render_macro
from conflict_map.web import access


@st.cache_resource
def text_panel() -> Any:
    """The article panel of the map page: clicks, selected words to add as a place, the local draft."""
    return st.components.v2.component(
        "conflict_map.article_text", js=textview.COMPONENT_JS, css=textview.TEXT_CSS + textview.ADD_CSS
    )


@st.cache_resource
def list_panel() -> Any:
    """Place lists, excerpts and the other pages' text: clicks only (a lighter script on every rerun)."""
    return st.components.v2.component(
        "conflict_map.list", js=textview.LIST_JS, css=textview.TEXT_CSS + textview.PLACES_CSS + textview.EXCERPTS_CSS
    )


def show_html(
    html: str,
    *,
    key: str,
    height: int | None = None,
    scroll: bool = False,
    extra: Mapping[str, Any] | None = None,
    preview: bool = False,
    selected: str | None = None,
    **callbacks: Any,
) -> Any:
    """Show server-built HTML in the text panel.

    ``callbacks`` are ``on_place_change`` / ``on_article_change`` / ``on_select_change`` / ``on_draft_change``;
    ``extra`` turns on the article panel's extras: ``select`` (offer to add selected words as a place),
    ``draft`` (keep this pasted article as a local draft), ``offer_draft`` (offer a kept draft back),
    ``forget_draft``. With ``preview`` the panel shows a place clicked on the map selected at once (the map's
    ``cm:select`` event) and marks ``selected`` (the page's selection) on every run.
    """
    kwargs: dict[str, Any] = {"height": height} if height else {}
    data = {"html": html, "version": hash(html), "scroll": scroll, **dict(extra or {})}
    if preview:
        data.update(preview=True, selected=selected or "")
    panel = text_panel() if extra else list_panel()
    return panel(data=data, key=key, **kwargs, **callbacks)


PLAIN_TAGS = {"heading": "h3", "caption": "p", "text": "p"}
PLAIN_STYLE = {
    "heading": "margin:.2em 0 .3em;font-weight:600",
    "caption": "margin:0 0 .4em;color:rgba(49,51,63,.6);font-size:14px",
    "text": "margin:0 0 .4em",
}


def plain(text: str, kind: str = "caption") -> None:
    """Show user text (a title, a publisher, an address) as plain text: no Markdown, no link, no markup."""
    tag = PLAIN_TAGS[kind]
    html = render_macro("text.html", "plain", tag, f"cm-{kind}", text)
    st.html(html.replace(f'class="cm-{kind}"', f'class="cm-{kind}" style="{PLAIN_STYLE[kind]}"', 1))


#: Session-state key of "this session gave the teacher's passphrase". No widget uses it, so a browser
#: cannot set it; only :func:`unlock_box` does, after :func:`conflict_map.web.access.check_passphrase`.
UNLOCKED_KEY = "_cm_write_unlocked"


def can_write() -> bool:
    """May this session change the corpus (always on this computer; with the passphrase when shared)?"""
    return access.writes_allowed(bool(st.session_state.get(UNLOCKED_KEY)))


def unlock_box(key: str) -> bool:
    """True when this session may write; otherwise a passphrase box (shared dashboards only) and False."""
    if can_write():
        return True
    st.caption(markdown_text(access.write_refusal()))
    phrase = st.text_input("Teacher's passphrase", type="password", key=f"{key}_passphrase")
    if st.button("Unlock changes", key=f"{key}_unlock"):
        if access.check_passphrase(phrase):
            st.session_state[UNLOCKED_KEY] = True
            st.session_state.pop(f"{key}_passphrase", None)
            st.rerun()
        st.error("That is not the passphrase.")
    return False


def sharing_notice() -> None:
    """In the sidebar of a shared dashboard: who can see it, and what the passphrase protects."""
    if not access.sharing_enabled():
        return
    problem = access.passphrase_problem()
    if problem:
        st.sidebar.error(markdown_text(problem))
    else:
        st.sidebar.info(
            "Shared on the classroom network: everyone there can read; corrections and additions to the "
            "corpus need the teacher's passphrase."
        )


#: The dashboard's pages: (script, label). The main script is the map; Streamlit would call it "app".
PAGES = (("app.py", "Map"), ("pages/2_Corpus.py", "Corpus"), ("pages/3_Present.py", "Present"))


def page_links() -> None:
    """The page list at the top of the sidebar (Streamlit's own list is off: it would name the map page "app")."""
    from streamlit.errors import StreamlitAPIException

    with st.sidebar:
        try:
            for script, label in PAGES:
                st.page_link(script, label=label)
        except StreamlitAPIException:
            return  # a page run on its own (tests, `streamlit run pages/...`): there is no page list
        st.divider()

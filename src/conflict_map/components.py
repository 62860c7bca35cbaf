"""The Streamlit component every page uses to show article text: the clickable, autoescaped text panel.

Article text is shown only through this component (HTML built by :mod:`conflict_map.textview` from
autoescaped templates), never through ``st.markdown``: the main page, the Corpus page and the Present page
show the same text the same way.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from conflict_map import textview


@st.cache_resource
def text_panel() -> Any:
    """The text / place-list / excerpts component (registered once per server process)."""
    return st.components.v2.component(
        "conflict_map.article_text",
        js=textview.COMPONENT_JS,
        css=textview.TEXT_CSS + textview.PLACES_CSS + textview.EXCERPTS_CSS,
    )


def show_html(html: str, *, key: str, height: int | None = None, scroll: bool = False, **callbacks: Any) -> Any:
    """Show server-built HTML in the text panel; ``callbacks`` are ``on_place_change`` / ``on_article_change``."""
    kwargs: dict[str, Any] = {"height": height} if height else {}
    return text_panel()(data={"html": html, "version": hash(html), "scroll": scroll}, key=key, **kwargs, **callbacks)

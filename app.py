"""conflict-map dashboard: an article beside its map, fully offline.

Run with ``streamlit run app.py`` (``make run``). This file only names the pages: the map (``pages/1_Map.py``),
the corpus (``pages/2_Corpus.py``) and the classroom presentation (``pages/3_Present.py``). The logic lives in
``conflict_map.web`` (page logic, edits, the shareable link) and ``conflict_map.view`` (map, text, layers).
"""

from __future__ import annotations

import streamlit as st

st.navigation(
    [
        st.Page("pages/1_Map.py", title="Map", default=True),
        st.Page("pages/2_Corpus.py", title="Corpus", url_path="Corpus"),
        st.Page("pages/3_Present.py", title="Present", url_path="Present"),
    ]
).run()

"""conflict-map dashboard: an article beside its map, fully offline.

Run with ``streamlit run app.py`` (``make run``). This file only lays out the page; the logic lives in
``conflict_map.web.page`` (input, corrections, borders, claims, URL state), ``conflict_map.view.mapview``
(the folium map), ``conflict_map.view.textview`` (the highlighted text) and ``conflict_map.view.offline``
(local browser assets).
"""

from __future__ import annotations

import os
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from conflict_map.errors import UserError
from conflict_map.models import ParseResult
from conflict_map.view import mapview, offline, textview
from conflict_map.view.render import markdown_text
from conflict_map.web import components
from conflict_map.web import page as dash
from conflict_map.web.cache import SizedLRU, parse_result_bytes

st.set_page_config(page_title="conflict-map", page_icon=":world_map:", layout="wide")

PARSE_CACHE_BYTES = 64 * 1024 * 1024
MAP_KEY = "map"
MAP_HEIGHT = 620
DOWNLOADS = {"geojson": "GeoJSON", "csv": "CSV", "kml": "KML", "html": "HTML map"}
BASEMAPS = {
    "Offline map": "vector",
    "OpenStreetMap (online)": "OpenStreetMap",
    "Satellite (online)": "Satellite",
}

# --- cached resources ---------------------------------------------------------------------------


@st.cache_resource(show_spinner="Loading the gazetteer...")
def geoparser() -> Any:
    """The geoparser function (loads the gazetteer index once per server process)."""
    return dash.default_geoparser()


@st.cache_resource(show_spinner="Loading the gazetteer...")
def gazetteer() -> Any:
    """The gazetteer (for searching another place when correcting a mention)."""
    from conflict_map.gazetteer.index import get_gazetteer

    return get_gazetteer()


@st.cache_resource
def _parse_cache() -> SizedLRU[str, ParseResult]:
    """Geoparses shared by all sessions (never mutated), at most PARSE_CACHE_BYTES of estimated size."""
    return SizedLRU(PARSE_CACHE_BYTES, parse_result_bytes)


def parse(text: str) -> ParseResult:
    """Geoparse an article (cached per text; the cache is bounded by size, not by count)."""

    def compute() -> ParseResult:
        with st.spinner("Finding places..."):
            return geoparser()(text)

    return _parse_cache().get_or_compute(text, compute)


@st.cache_resource(show_spinner=False, max_entries=16)  # shared, never mutated
def claim_list(text: str, corrections: tuple[tuple[str, str], ...], _result: ParseResult) -> list[Any]:
    """Claims of an article (cached per text and corrections; the result itself is not hashed)."""
    return dash.find_claims(_result)


@st.cache_data(show_spinner=False, max_entries=32)
def export_files(_result: ParseResult, key: tuple[Any, ...]) -> dict[str, bytes]:
    """The article's downloads (shared by every reader of the same article and corrections)."""
    return {fmt: dash.export_article(_result, fmt, key[2]) for fmt in DOWNLOADS}


@st.cache_data(ttl=10, show_spinner=False)
def corpus_list() -> list[tuple[str, str]]:
    """Stored corpus articles for the "Open from corpus" select (re-read every 10 s)."""
    try:
        return dash.corpus_articles()
    except Exception:  # noqa: BLE001 - a broken or locked corpus must not break the dashboard
        return []


@st.cache_data(ttl=30, show_spinner="Checking the internet connection...")
def is_online() -> bool:
    """Only called after the user turns on "Use the internet": the dashboard never probes by itself."""
    if os.environ.get("CONFLICT_MAP_OFFLINE"):
        return False
    return dash.online()


# --- session state ------------------------------------------------------------------------------

ss = st.session_state


def _init_state() -> None:
    if "article_text" in ss:
        return
    article, pair = dash.decode_state(st.query_params)
    ss.article_id = dash.SAMPLE_ID
    ss.article_title = "Sample briefing: western Anbar"
    ss.article_text = dash.sample_text()
    ss.corrections = {}
    ss.selected = None
    ss.pan = False
    ss.nonce = 0
    ss.last_click_count = None
    ss.input_error = ""
    ss.want_pair = pair
    if dash.parse_corpus_ref(article) is not None:
        try:
            text, title, _ = dash.load_corpus_article(article)
            ss.article_text, ss.article_title, ss.article_id = text, title, article
            return
        except UserError as exc:
            ss.input_error = f"{exc} Showing the sample."
    elif article and article != dash.SAMPLE_ID:
        ss.input_error = (
            f"The shared link names an article this dashboard does not have ({article[:60]}); showing the sample."
        )


def _set_article(text: str, title: str, article_id: str) -> None:
    ss.article_text = text
    ss.article_title = title
    ss.article_id = article_id
    ss.corrections = {}
    ss.corpus_undo = []
    ss.selected = None
    ss.want_pair = (None, None)
    ss.input_error = ""
    for k in ("from_sel", "to_sel"):
        ss.pop(k, None)


def _on_map_article() -> None:
    try:
        text = dash.check_article(ss.get("paste", ""))
    except UserError as exc:
        ss.input_error = str(exc)
        return
    _set_article(text, "Pasted article", "pasted")


def _on_sample() -> None:
    _set_article(dash.sample_text(), "Sample briefing: western Anbar", dash.SAMPLE_ID)


def _on_upload() -> None:
    f = ss.get("upload")
    if f is None:
        return
    try:
        text, title = dash.read_upload(f.getvalue(), f.name)
    except UserError as exc:
        ss.input_error = f"{f.name}: {exc}"
        return
    _set_article(text, title or f.name, "upload")


def _on_corpus_pick() -> None:
    ref = ss.get("corpus_pick")
    if not ref:
        return
    try:
        text, title, _ = dash.load_corpus_article(ref)
    except UserError as exc:
        ss.input_error = str(exc)
        return
    _set_article(text, title, ref)


def _select(place_id: str | None, pan: bool) -> None:
    ss.selected = place_id
    ss.pan = pan
    ss.nonce += 1


# Clicks are handled in widget callbacks, which run before the script: one rerun per click.


def _on_component_place(key: str) -> None:
    """A click on a highlighted mention or a place button: select the place and centre the map on it."""
    value = ss.get(key)
    pid = value.get("place") if isinstance(value, dict) else getattr(value, "place", None)
    if isinstance(pid, str) and pid:
        _select(pid, pan=True)


def _on_map_change() -> None:
    """A click on a marker (streamlit-folium reports its tooltip): select that place, keep the view."""
    out = ss.get(MAP_KEY) or {}
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
        _select(pid, pan=False)


@st.cache_resource(show_spinner="Starting up...")
def warm_up() -> bool:
    """Once per server process: the gazetteer, the boundary layers and the sample's parse and claims."""
    dash.warm_up(parse(dash.sample_text()))
    return True


_init_state()
warm_up()

# --- sidebar: input -----------------------------------------------------------------------------

components.sharing_notice()
with st.sidebar:
    st.header("Article")
    st.button("Sample briefing", on_click=_on_sample, help="Load the team's sample briefing on western Anbar")
    st.text_area(
        "Article text",
        key="paste",
        height=180,
        placeholder="Paste the text of a news article here",
    )
    st.button("Map article", type="primary", on_click=_on_map_article)
    st.file_uploader(
        "Upload article",
        type=["txt", "html", "htm", "pdf"],
        key="upload",
        on_change=_on_upload,
        help=f"A .txt, .html or .pdf file up to {dash.MAX_UPLOAD_BYTES // 1048576} MB",
    )
    stored = corpus_list()
    if stored:
        labels = dict(stored)
        st.selectbox(
            "Open from corpus",
            [None, *labels],
            format_func=lambda r: "\u2014" if r is None else labels.get(r, r),
            key="corpus_pick",
            on_change=_on_corpus_pick,
        )
    use_web = st.toggle(
        "Use the internet",
        key="use_web",
        help="Off by default: the dashboard works offline. On: web map tiles and fetching an article by URL.",
    )
    web = use_web and is_online()
    if use_web and not web:
        st.warning("No internet connection: the offline map and inputs stay available.")
    if web:
        with st.form("url_form", border=False):
            url = st.text_input("Article address (URL)", placeholder="https://...")
            if st.form_submit_button("Fetch article") and url:
                try:
                    t, ttl = dash.fetch_url(url)
                    _set_article(t, ttl, "url")
                except UserError as exc:
                    ss.input_error = str(exc)
    st.header("Map")
    basemap_label = st.selectbox(
        "Basemap",
        list(BASEMAPS) if web else ["Offline map"],
        help=None if web else "Web tiles need the internet: turn on \u201cUse the internet\u201d above.",
    )
    show_provinces = st.checkbox("Province areas", value=True)
    st.caption("Basemap: Natural Earth (public domain). Gazetteer: GeoNames (CC BY 4.0).")

# --- parse --------------------------------------------------------------------------------------

st.markdown(
    "<style>.block-container{padding-top:2.2rem;padding-bottom:1rem}</style>"
    "<h2 style='margin:0;padding:0'>conflict-map</h2>",
    unsafe_allow_html=True,
)
if ss.input_error:
    st.error(ss.input_error)

missing = offline.missing_assets()
if missing:
    st.error(f"The map's browser files are missing ({', '.join(missing[:3])}...): {offline.INSTALL_HINT}.")

try:
    if dash.parse_corpus_ref(ss.article_id) is not None:
        raw = dash.load_corpus_article(ss.article_id)[2]
    else:
        raw = parse(ss.article_text)
except UserError as exc:
    st.error(str(exc))
    st.stop()
except ImportError:
    st.error("The geoparser is not installed yet (conflict_map.geoparse.pipeline); run `make setup`.")
    st.stop()

result = dash.apply_corrections(raw, ss.corrections, lookup=lambda i: ss.get("extra_places", {}).get(i))
places = dash.places_of(result)
by_id = {mp.place.id: mp for mp in places}
keys = mapview.tooltip_keys(places)
ss.tooltip_ids = {v: k for k, v in keys.items()}

# pair from the URL, once the places are known
want = ss.get("want_pair", (None, None))
if want != (None, None):
    if want[0] in by_id:
        ss.from_sel = want[0]
    if want[1] in by_id:
        ss.to_sel = want[1]
    ss.want_pair = (None, None)
if ss.selected not in by_id:
    ss.selected = None

st.caption(
    f"**{markdown_text(ss.article_title)}** \u00b7 {len(places)} places, "
    f"{len(result.places)} mentions \u00b7 click a highlighted name, a place below or a marker."
)

# --- distance, border, claims (overlays) -------------------------------------------------------

options = [mp.place.id for mp in places]


def _label(pid: str | None) -> str:
    if not pid:
        return "\u2014"
    mp = by_id.get(pid)
    return dash.place_label(mp.place) if mp else pid


lines: list[mapview.LineOverlay] = []
pair_text = ""
a_id, b_id = ss.get("from_sel"), ss.get("to_sel")
if a_id in by_id and b_id in by_id and a_id != b_id:
    a, b = by_id[a_id].place, by_id[b_id].place
    km, az, compass, line = mapview.measure_pair(a, b)
    lines.append(mapview.pair_overlay(a, b, km, az, compass, line))
    pair_text = (
        f"**{markdown_text(a.name)} \u2192 {markdown_text(b.name)}: {mapview.format_km(km)}**, "
        f"bearing {az:.0f}\u00b0 ({compass})"
    )

borders = dash.discussed_borders(result)
show_border = bool(borders) and ss.get("show_border", True)
if show_border:
    lines.append(borders[0].overlay())

claims = claim_list(ss.article_text, tuple(sorted(ss.corrections.items())), result)
claim_labels = [c.label for c in claims]
claim_idx = claim_labels.index(ss.claim_choice) if ss.get("claim_choice") in claim_labels else None
if claims and isinstance(claim_idx, int) and 0 <= claim_idx < len(claims) and claims[claim_idx].overlay:
    lines.append(claims[claim_idx].overlay)

# --- layout: text | map --------------------------------------------------------------------------

left, right = st.columns([5, 7], gap="medium")

with left:
    st.markdown("##### Article")
    body = textview.legend_html() + textview.render_text(
        ss.article_text, result.mentions, selected=ss.selected, body=result.body
    )
    components.show_html(
        body,
        key="text_panel",
        height=660,
        scroll=bool(ss.selected) and not ss.pan,
        on_place_change=lambda: _on_component_place("text_panel"),
    )

with right:
    s1, s2, s3 = st.columns([4, 4, 5], vertical_alignment="bottom")
    s1.selectbox("From", [None, *options], format_func=_label, key="from_sel")
    s2.selectbox("To", [None, *options], format_func=_label, key="to_sel")
    if pair_text:
        s3.markdown(pair_text)
    else:
        s3.caption("Pick two places to measure the geodesic distance; the ruler on the map measures freely.")
    basemap = BASEMAPS[basemap_label]
    fmap = mapview.build_map(places, basemap=basemap, provinces=show_provinces, height=MAP_HEIGHT)
    fg = mapview.overlay_group(lines=lines, select=ss.selected, pan=ss.pan, nonce=ss.nonce)
    st_folium(
        fmap,
        key=MAP_KEY,
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_object_clicked_tooltip", "last_object_clicked_count"],
        feature_group_to_add=fg,
        on_change=_on_map_change,
    )
    st.toggle("Measure by clicking two markers", key="pick_pair")
    if pair_text:
        a, b = by_id[a_id].place, by_id[b_id].place  # type: ignore[index]
        near = [t for t in (dash.nearest_border_text(a), dash.nearest_border_text(b)) if t]
        if near:
            st.caption(markdown_text(" \u00b7 ".join(near)))

# --- below: places, distance, claims, corrections -----------------------------------------------

place_html = textview.place_list_html(places, selected=ss.selected)
st.markdown("##### Places")
components.show_html(place_html, key="place_list", on_place_change=lambda: _on_component_place("place_list"))

c1, c2 = st.columns([5, 7], gap="medium")
with c1:
    st.markdown("##### Claims")
    if claims:
        st.radio("Show what was measured for a claim", claim_labels, key="claim_choice", index=None)
        if isinstance(claim_idx, int) and 0 <= claim_idx < len(claims):
            st.caption(markdown_text(claims[claim_idx].explanation or claims[claim_idx].sentence))
    else:
        st.caption("No distance or length claims found in this article.")
    if borders:
        st.checkbox(f"Highlight the {borders[0].label}", value=True, key="show_border")

with c2, st.expander("Check and correct places", expanded=False):
    groups: dict[str, list[Any]] = {}
    for m in raw.mentions:
        if m.type == "place" and (m.place is not None or m.candidates):
            groups.setdefault(m.text, []).append(m)
    if not groups:
        st.caption("No place mentions to correct.")
    else:
        names = sorted(groups, key=str.casefold)
        name = st.selectbox("Mention", names, key="fix_mention")
        ms = groups[name]
        m0 = ms[0]
        cands = [c.place for c in m0.candidates]
        if m0.place is not None and all(c.id != m0.place.id for c in cands):
            cands.insert(0, m0.place)
        query = st.text_input("Search the gazetteer", key=f"fix_search_{name}", placeholder="another place name")
        if query.strip():
            try:
                found = gazetteer().search(query.strip()[:100], 8)
            except Exception as exc:  # noqa: BLE001 - the search is optional; say why it failed
                found = []
                st.caption(markdown_text(f"Search unavailable: {exc}"))
            ss.extra_places = {**ss.get("extra_places", {}), **{p.id: p for p in found}}
            cands += [p for p in found if all(p.id != c.id for c in cands)]
            if not found:
                st.caption("No place of that name in the gazetteer.")
        opts = [c.id for c in cands] + [dash.NOT_A_PLACE]
        cand_by_id = {c.id: c for c in cands}
        current = ss.corrections.get(dash.mention_key(m0)) or (m0.place.id if m0.place else dash.NOT_A_PLACE)
        choice = st.selectbox(
            "Means",
            opts,
            index=opts.index(current) if current in opts else len(opts) - 1,
            format_func=lambda i: "Not a place" if i == dash.NOT_A_PLACE else dash.place_label(cand_by_id[i]),
            key=f"fix_choice_{name}",
        )
        st.caption(markdown_text(f"{len(ms)} mention(s) of \u201c{name}\u201d; confidence {m0.confidence:.0%}."))
        lookup = lambda i: ss.get("extra_places", {}).get(i)  # noqa: E731 - places found by the search above
        in_corpus = dash.parse_corpus_ref(ss.article_id) is not None
        if in_corpus and not components.unlock_box("fix"):
            pass  # a shared dashboard: changing the corpus needs the teacher's passphrase
        elif st.button("Apply correction"):
            if in_corpus:  # a corpus article: the correction is saved at once, for every reader of the corpus
                try:
                    ids = dash.correct_corpus_article(ss.article_id, dash.mention_key(m0), choice, lookup)
                    ss.corpus_undo = [*ss.get("corpus_undo", []), *ids]
                except UserError as exc:
                    st.error(str(exc))
            else:
                ss.corrections = {**ss.corrections, dash.mention_key(m0): choice}
            st.rerun()
        if in_corpus:
            st.caption(
                "Corrections of a corpus article are saved in the corpus (undo them here or on the Corpus page)."
            )
            if ss.get("corpus_undo") and components.can_write() and st.button("Undo my corrections"):
                dash.undo_corpus_corrections(ss.corpus_undo)
                ss.corpus_undo = []
                st.rerun()
        else:
            if ss.corrections and st.button("Undo all corrections"):
                ss.corrections = {}
                st.rerun()
            if ss.corrections:
                st.caption("These corrections last for this session. Keep the article in the corpus to save them.")
                if components.unlock_box("keep") and st.button("Keep in corpus with corrections"):
                    try:
                        ref, n = dash.keep_in_corpus(ss.article_text, ss.article_title, raw, ss.corrections, lookup)
                    except UserError as exc:
                        st.error(str(exc))
                    else:
                        _set_article(ss.article_text, ss.article_title, ref)
                        st.toast(f"Saved as {ref} with {n} correction(s).")
                        st.rerun()

with c2:
    st.markdown("##### Download")
    # bytes, not deferred callables: a deferred download gets a new id on every rerun, so a press right after
    # another action asked for a file that was already gone; the same bytes keep the same id across reruns
    readings = tuple((m.start, m.end, m.place.id if m.place else "") for m in result.mentions)
    files = export_files(result, (ss.article_text, readings, ss.article_title))
    cols = st.columns(len(DOWNLOADS))
    for col, (fmt, label) in zip(cols, DOWNLOADS.items(), strict=True):
        col.download_button(
            label,
            data=files[fmt],
            file_name=dash.export_file_name(ss.article_title, fmt),
            mime=dash.EXPORT_MIME[fmt],
            on_click="ignore",
            key=f"dl_{fmt}",
            help=f"The places of this article (corrections applied) as {label}",
        )

# --- shareable URL -------------------------------------------------------------------------------

if ss.article_id == dash.SAMPLE_ID or dash.parse_corpus_ref(ss.article_id) is not None:
    state = dash.encode_state(ss.article_id, (ss.get("from_sel"), ss.get("to_sel")))
    if dict(st.query_params) != state:
        st.query_params.from_dict(state)
elif st.query_params:
    st.query_params.clear()

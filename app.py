"""conflict-map dashboard, the "Map" page: an article beside its map, fully offline.

Run with ``streamlit run app.py`` (``make run``); ``pages/`` holds the Corpus and Present pages. This file only
lays out the page; the logic lives in ``conflict_map.web.page`` (input, borders, claims),
``conflict_map.web.mapstate`` (session state, clicks), ``conflict_map.web.edits`` and
``conflict_map.web.editing`` (corrections, added and moved places, undo), ``conflict_map.web.urlstate`` (the
shareable link), ``conflict_map.view.mapview`` (the folium map), ``conflict_map.view.textview`` (the highlighted
text) and ``conflict_map.view.offline`` (local browser assets).
"""

from __future__ import annotations

import os
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from conflict_map.errors import UserError
from conflict_map.models import ParseResult
from conflict_map.view import mapview, offline, overlays, textview
from conflict_map.view.areas import is_area
from conflict_map.view.render import markdown_text, script_json
from conflict_map.web import components, editing, urlstate
from conflict_map.web import edits as ed
from conflict_map.web import mapstate as state
from conflict_map.web import page as dash
from conflict_map.web.cache import SizedLRU, parse_result_bytes

st.set_page_config(page_title="Map \u00b7 conflict-map", page_icon="\U0001f5fa", layout="wide")

PARSE_CACHE_BYTES = 64 * 1024 * 1024
MAP_HEIGHT = 620
DOWNLOADS = {"geojson": "GeoJSON", "csv": "CSV", "kml": "KML", "html": "HTML map"}
BASEMAPS = {
    "Offline map": "vector",
    "OpenStreetMap (online)": "OpenStreetMap",
    "Satellite (online)": "Satellite",
}
#: Stands in for a From/To select box (label and box: 68 px) on a browser's first page.
SELECT_PLACEHOLDER = "<div style='height:68px'></div>"
PAGE_CSS = """<style>
.block-container{padding-top:2.2rem;padding-bottom:1rem}
@media (max-width: 767px){
  .block-container{padding-top:4.2rem;padding-left:.8rem;padding-right:.8rem}
  .cm-title{font-size:1.45rem}
}
@media (min-width: 768px){ .st-key-cm_phone_input{display:none} }
</style>"""

# --- cached resources ---------------------------------------------------------------------------


@st.cache_resource(show_spinner="Loading the gazetteer...")
def geoparser() -> Any:
    """The geoparser function (loads the gazetteer index once per server process)."""
    return dash.default_geoparser()


@st.cache_resource(show_spinner="Loading the gazetteer...")
def gazetteer() -> Any:
    """The gazetteer (for searching another place when correcting or adding a mention)."""
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
def claim_list(text: str, readings: tuple[tuple[int, int, str], ...], _result: ParseResult) -> list[Any]:
    """Claims of an article (cached per text and readings; the result itself is not hashed)."""
    return dash.find_claims(_result)


@st.cache_resource(show_spinner=False, max_entries=16)  # shared, never mutated
def map_plan(text: str, readings: tuple[tuple[int, int, str], ...], _places: Any) -> mapview.MapPlan:
    """Pins, areas, lone far readings and the view of an article (cached per text and readings)."""
    return mapview.plan_map(_places)


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


ss = st.session_state


@st.cache_resource(show_spinner="Starting up...")
def warm_up() -> bool:
    """Once per server process: the gazetteer, the boundary layers and the sample's parse and claims."""
    dash.warm_up(parse(dash.sample_text()))
    return True


state.init_state()
warm_up()

# --- input: the sidebar, and the page itself on a phone -------------------------------------------

first = state.first_paint()  # the session's first page: the article and its map first, the rest right after
components.page_links()
components.sharing_notice()


def sidebar_inputs() -> tuple[bool, str, bool, bool]:
    """The sidebar's inputs below the sample button: (online, basemap label, province areas, context layers)."""
    st.text_area("Article text", key="paste", height=180, placeholder="Paste the text of a news article here")
    st.button("Map article", type="primary", on_click=state.on_map_article)
    st.file_uploader(
        "Upload article",
        type=["txt", "html", "htm", "pdf"],
        key="upload",
        on_change=state.on_upload,
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
            on_change=state.on_corpus_pick,
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
                    state.set_article(t, ttl, "url")
                except UserError as exc:
                    ss.input_error = str(exc)
    st.header("Map")
    basemap_label = st.selectbox(
        "Basemap",
        list(BASEMAPS) if web else ["Offline map"],
        help=None if web else "Web tiles need the internet: turn on \u201cUse the internet\u201d above.",
    )
    show_provinces = st.checkbox("Province areas", value=True)
    show_context = st.checkbox("Rivers and town names", value=True)
    st.caption(
        "Basemap: Natural Earth (public domain). Rivers: GSHHG/WDBII (LGPL; public domain). "
        "Gazetteer and town names: GeoNames (CC BY 4.0). No road layer is available offline."
    )
    return web, basemap_label, show_provinces, show_context


with st.sidebar:
    st.header("Article")
    st.button("Sample briefing", on_click=state.on_sample, help="Load the team's sample briefing on western Anbar")
    if first:  # drawn by the next run, which the map's first report starts as soon as its pins are painted
        st.caption("The article box, upload and map options follow once the map is drawn.")
        web, basemap_label, show_provinces, show_context = False, "Offline map", True, True
    else:
        web, basemap_label, show_provinces, show_context = sidebar_inputs()

st.html(PAGE_CSS)
st.html("<h2 class='cm-title' style='margin:0;padding:0'>conflict-map</h2>")
phone_box = st.container(key="cm_phone_input")  # always there: the elements after it keep their place in the page
if not first:
    with phone_box, st.expander("Article: paste your own, or the sample", expanded=False):
        st.text_area("Paste an article", key="paste_phone", height=120, placeholder="Paste the text of a news article")
        p1, p2 = st.columns(2)
        p1.button(
            "Map this article", type="primary", on_click=state.on_map_article, args=("paste_phone",), key="map_phone"
        )
        p2.button("Sample briefing", on_click=state.on_sample, key="sample_phone")
if ss.input_error:
    st.error(ss.input_error)

missing = offline.missing_assets()
if missing:
    st.error(f"The map's browser files are missing ({', '.join(missing[:3])}...): {offline.INSTALL_HINT}.")

# --- parse, edits, the map's plan ---------------------------------------------------------------

in_corpus = dash.parse_corpus_ref(ss.article_id) is not None
try:
    raw = dash.load_corpus_article(ss.article_id)[2] if in_corpus else parse(ss.article_text)
except UserError as exc:
    st.error(str(exc))
    st.stop()
except ImportError:
    st.error("The geoparser is not installed yet (conflict_map.geoparse.pipeline); run `make setup`.")
    st.stop()

result = raw if in_corpus else ed.apply_edits(raw, ss.edits)
if editing.apply_map_event(result, in_corpus=in_corpus, locate=dash.locate):  # a dragged pin, a click to place
    raw = dash.load_corpus_article(ss.article_id)[2] if in_corpus else raw
    result = raw if in_corpus else ed.apply_edits(raw, ss.edits)
readings = tuple((m.start, m.end, m.place.id if m.place else "") for m in result.mentions)
plan = map_plan(ss.article_text, readings, dash.places_of(result))
places = plan.places
by_id = {mp.place.id: mp for mp in places}
keys = mapview.tooltip_keys(places)
ss.tooltip_ids = {v: k for k, v in keys.items()}

# pair, place and claim from the shared link, once the places are known
want = ss.get("want_pair", (None, None))
if want != (None, None):
    if want[0] in by_id:
        ss.from_sel = want[0]
    if want[1] in by_id:
        ss.to_sel = want[1]
    ss.want_pair = (None, None)
if ss.get("want_place"):
    if ss.want_place in by_id:
        state.select(ss.want_place, pan=ss.get("link_view") is None)
    ss.want_place = None
if ss.selected not in by_id:
    ss.selected = None

n_areas = len(plan.areas)
st.caption(
    f"**{markdown_text(ss.article_title)}** \u00b7 {len(places)} places ({len(plan.pins)} on the map as pins, "
    f"{n_areas} as areas), {len(result.places)} mentions \u00b7 click a highlighted name, a place below or a pin."
)

# --- distance, border, claims (overlays) -------------------------------------------------------

# point places first: an area is measured to its nearest edge
options = [mp.place.id for mp in plan.pins] + [mp.place.id for mp, _s in plan.areas]
pins_at = [(mp.place.lat, mp.place.lon) for mp in plan.pins]


def _label(pid: str | None) -> str:
    if not pid:
        return "\u2014"
    mp = by_id.get(pid)
    if mp is None:
        return pid
    return dash.place_label(mp.place) + (" \u2014 an area: to its nearest edge" if is_area(mp.place) else "")


lines: list[overlays.LineOverlay] = []
pair_text, pair_note = "", ""
a_id, b_id = ss.get("from_sel"), ss.get("to_sel")
if a_id in by_id and b_id in by_id and a_id != b_id:
    a, b = by_id[a_id].place, by_id[b_id].place
    measured = overlays.measure_places(a, b)
    lines.append(
        overlays.pair_overlay(
            a, b, measured.km, measured.bearing, measured.compass, measured.line, avoid=pins_at, view=plan.bounds
        )
    )
    pair_text = (
        f"**{markdown_text(a.name)} \u2192 {markdown_text(b.name)}: {overlays.format_km(measured.km)}**, "
        f"bearing {measured.bearing:.0f}\u00b0 ({measured.compass})"
    )
    pair_note = measured.note

borders = dash.discussed_borders(result)
show_border = bool(borders) and ss.get("show_border", True)
if show_border:
    lines.append(borders[0].overlay(avoid=pins_at, view=plan.bounds))

claims = claim_list(ss.article_text, readings, result)
claim_labels = [c.label for c in claims]
if ss.get("want_claim") is not None:
    if 0 <= ss.want_claim < len(claims):
        ss.claim_choice = claim_labels[ss.want_claim]
    ss.want_claim = None
claim_idx = claim_labels.index(ss.claim_choice) if ss.get("claim_choice") in claim_labels else None
if claims and isinstance(claim_idx, int) and 0 <= claim_idx < len(claims) and claims[claim_idx].overlay:
    lines.append(claims[claim_idx].overlay)

# --- layout: text | map --------------------------------------------------------------------------

left, right = st.columns([5, 7], gap="medium")
shareable = ss.article_id == dash.SAMPLE_ID or in_corpus

with left:
    st.markdown("##### Article")
    body = textview.legend_html() + textview.render_text(
        ss.article_text, result.mentions, selected=ss.selected, body=result.body, far=plan.far
    )
    extra = {"select": True, "offer_draft": bool(ss.get("offer_draft")), "forget_draft": bool(ss.get("forget_draft"))}
    if ss.get("draft_out"):
        extra["draft"] = script_json(ss.draft_out)  # JSON with <, >, & escaped: data, never markup
        ss.draft_out = None
    components.show_html(
        body,
        key="text_panel",
        height=660,
        scroll=bool(ss.selected) and not ss.pan,
        extra=extra,
        preview=True,
        selected=ss.selected,
        on_place_change=state.on_text_event,
        on_select_change=state.on_text_event,
        on_draft_change=state.on_text_event,
    )
    ss.forget_draft = False
    if ss.get("pending_add"):
        editing.add_place_panel(result, gazetteer, in_corpus=in_corpus)

with right:
    s1, s2, s3 = st.columns([4, 4, 5], vertical_alignment="bottom")
    if first:  # boxes of the select boxes' height: nothing moves when they come with the next run
        s1.html(SELECT_PLACEHOLDER)
        s2.html(SELECT_PLACEHOLDER)
    else:
        s1.selectbox("From", [None, *options], format_func=_label, key="from_sel")
        s2.selectbox("To", [None, *options], format_func=_label, key="to_sel")
    if pair_text:
        s3.markdown(pair_text)
    else:
        s3.caption("Pick two places to measure the geodesic distance; the ruler on the map measures freely.")
    fmap = mapview.build_map(
        places,
        basemap=BASEMAPS[basemap_label],
        provinces=show_provinces,
        height=MAP_HEIGHT,
        plan=plan,
        view=ss.get("link_view"),
        share=shareable,
        context=show_context,
        preview=True,
    )
    fg = overlays.overlay_group(
        lines=overlays.place_labels(lines, pins_at, plan.bounds),
        select=ss.selected,
        pan=ss.pan,
        nonce=ss.nonce,
        edit=editing.map_mode(by_id),
    )
    st_folium(
        fmap,
        key=state.MAP_KEY,
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_object_clicked_tooltip", "last_object_clicked_count", "last_active_drawing"],
        feature_group_to_add=fg,
        on_change=state.on_map_change,
    )
    if not first:
        t1, t2 = st.columns(2)
        t1.toggle("Measure by clicking two markers", key="pick_pair")
        editing.move_toggle(t2, in_corpus=in_corpus)
    notes = [pair_note] if pair_note else []
    if pair_text and not is_area(by_id[a_id].place) and not is_area(by_id[b_id].place):  # type: ignore[index]
        a, b = by_id[a_id].place, by_id[b_id].place  # type: ignore[index]
        notes += [t for t in (dash.nearest_border_text(a), dash.nearest_border_text(b)) if t]
    if notes:
        st.caption(markdown_text(" \u00b7 ".join(notes)))
    if plan.far:
        far_names = ", ".join(by_id[p].place.name for p in plan.far)
        st.caption(
            markdown_text(
                f"\u26a0 Left out of the view: {far_names}, far from the article's other places. A lone far "
                "reading is often wrong: check it (its pin is still on the map)."
            )
        )

# --- below: places, claims, corrections, downloads ----------------------------------------------

if first:
    st.caption("The place list, claims, corrections and downloads follow once the map is drawn.")
else:
    place_html = textview.place_list_html(places, selected=ss.selected)
    st.markdown("##### Places")
    components.show_html(
        place_html,
        key="place_list",
        preview=True,
        selected=ss.selected,
        on_place_change=lambda: state.on_component_place("place_list"),
    )

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

    with c2:
        editing.correct_panel(raw, result, gazetteer, in_corpus=in_corpus, set_article=state.set_article)
        editing.corrections_list(in_corpus=in_corpus)
        st.markdown("##### Download")
        # bytes, not deferred callables: a deferred download gets a new id on every rerun, so a press right after
        # another action asked for a file that was already gone; the same bytes keep the same id across reruns
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

# --- shareable URL: article, pair, selected place and claim (the map keeps its view in it itself) --------

if shareable:
    link = urlstate.encode_state(
        ss.article_id,
        (ss.get("from_sel"), ss.get("to_sel")),
        place=ss.selected,
        claim=claim_idx,
        view=st.query_params.get("view"),
    )
    if not urlstate.same_page_state(st.query_params, link):
        st.query_params.from_dict(link)
elif st.query_params:
    st.query_params.clear()

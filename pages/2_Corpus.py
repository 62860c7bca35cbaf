"""conflict-map corpus page: many articles on one map, corrections that persist, exports.

Streamlit shows this file as a second page of ``app.py``. The corpus is ``$CONFLICT_MAP_DB`` (a SQLite
file or a PostGIS database URL; else the per-user file, see :mod:`conflict_map.store.factory`).
Logic lives in :mod:`conflict_map.store.queries`,
:mod:`conflict_map.store.corrections`, :mod:`conflict_map.export`, :mod:`conflict_map.ingest.batch` and
:mod:`conflict_map.view.corpusmap`; this file only lays out the page.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from conflict_map.errors import UserError
from conflict_map.export import FORMATS, export_bytes
from conflict_map.ingest.readers import read_bytes, read_text
from conflict_map.models import ArticleInput, Mention, ParseResult, Place
from conflict_map.store import corrections as corr
from conflict_map.store.base import Store
from conflict_map.store.factory import open_store, resolve_db
from conflict_map.store.queries import CorpusFilter, date_range, kinds_in_corpus, mentions_over_time, place_excerpts
from conflict_map.store.queries import place_summaries as _place_summaries
from conflict_map.view import corpusmap, offline, textview
from conflict_map.view.render import markdown_text as md
from conflict_map.web import components

st.set_page_config(page_title="conflict-map: corpus", page_icon="\U0001f5fa", layout="wide")
ss = st.session_state
VIEWS = ("Corpus map", "Article", "Add articles", "Corrections", "Export")


# --- resources -------------------------------------------------------------------------------------


@st.cache_resource
def corpus_for(path: str) -> Store:
    """One store per server process (thread-safe: a locked SQLite connection or a PostgreSQL pool)."""
    return open_store(path)


@st.cache_resource(show_spinner="Loading the gazetteer...")
def geoparser() -> Any:
    from conflict_map.ingest.batch import default_geoparse

    return default_geoparse()


@st.cache_data(show_spinner="Counting places...", max_entries=32)
def summaries(path: str, version: tuple[Any, ...], flt: tuple[Any, ...]) -> list[Any]:
    del version  # part of the cache key only
    return _place_summaries(corpus_for(path), CorpusFilter(*flt), article_ids=False)


def db_path() -> str:
    return str(resolve_db(None))


def goto(view: str, **state: Any) -> None:
    """Button callback: switch view (and set state) before the next run draws the widgets."""
    ss.cm_view = view
    for k, v in state.items():
        ss[k] = v


# --- sidebar ---------------------------------------------------------------------------------------

components.page_links()
path = db_path()
try:
    corpus = corpus_for(path)
except UserError as exc:
    st.error(str(exc))
    st.stop()

n_articles = corpus.count_articles()
st.sidebar.caption(f"Corpus: {n_articles} article(s)")
components.sharing_notice()
view = st.sidebar.radio("View", VIEWS, key="cm_view")

st.title("Corpus")
if offline.missing_assets():
    st.warning(f"The offline map files are missing: {offline.INSTALL_HINT}.")


def filters() -> CorpusFilter:
    lo, hi = date_range(corpus)
    date_from = date_to = ""
    if lo and hi and len(lo) >= 10 and len(hi) >= 10 and lo != hi:
        d0, d1 = dt.date.fromisoformat(lo[:10]), dt.date.fromisoformat(hi[:10])
        picked = st.sidebar.slider("Article dates", min_value=d0, max_value=d1, value=(d0, d1), key="cm_dates")
        if picked != (d0, d1):
            date_from, date_to = picked[0].isoformat(), picked[1].isoformat()
    pubs = st.sidebar.multiselect("Sources", corpus.publishers(), key="cm_pubs")
    kinds = st.sidebar.multiselect("Place kinds", kinds_in_corpus(corpus), key="cm_kinds")
    undated = st.sidebar.checkbox("Include undated articles", value=True, key="cm_undated")
    return CorpusFilter(date_from, date_to, tuple(pubs), tuple(kinds), (), undated)


def flt_key(f: CorpusFilter) -> tuple[Any, ...]:
    return (
        f.date_from,
        f.date_to,
        tuple(f.publishers),
        tuple(f.kinds),
        tuple(f.article_ids),
        f.include_undated,
    )


# --- views -----------------------------------------------------------------------------------------


def corpus_map_view() -> None:
    if n_articles == 0:
        st.info("The corpus is empty. Add articles in **Add articles** or with `conflict-map ingest PATH`.")
        return
    flt = filters()
    places = summaries(path, corpus.data_version(), flt_key(flt))
    st.caption(f"{len(places)} place(s); circle size = number of articles naming the place.")
    left, right = st.columns([3, 2])
    with left:
        out = st_folium(
            corpusmap.build_corpus_map(places),
            key="corpus_map",
            height=560,
            use_container_width=True,
            returned_objects=["last_object_clicked", "last_object_clicked_tooltip"],
        )
    labels = {s.place.id: f"{corpusmap.place_label(s)} - {s.n_articles} article(s)" for s in places}
    ids = [s.place.id for s in places]
    clicked = (out or {}).get("last_object_clicked") or None
    if clicked and clicked != ss.get("cm_last_click"):
        ss.cm_last_click = clicked
        pid = corpusmap.nearest_place(places, clicked["lat"], clicked["lng"])
        if pid:
            ss.cm_place = pid
    with right:
        if not ids:
            st.info("No place matches the filters.")
            return
        if ss.get("cm_place") not in ids:
            ss.cm_place = ids[0]
        pid = st.selectbox("Place", ids, format_func=lambda i: labels[i], key="cm_place")
        s = next(x for x in places if x.place.id == pid)
        st.markdown(
            f"**{md(s.place.name)}** ({md(s.place.kind)}, "
            f"{s.place.lat:.4f}, {s.place.lon:.4f}): {s.n_mentions} mention(s) in {s.n_articles} article(s)"
        )
        series = mentions_over_time(corpus, pid, flt, by="month")
        if series:
            st.bar_chart({r["period"]: r["mentions"] for r in series}, height=160, x_label="month", y_label="mentions")
        if ss.get("cm_excerpts_for") != pid:
            ss.cm_excerpts_for, ss.cm_n_excerpts = pid, 10
        ex = place_excerpts(corpus, pid, flt, limit=ss.cm_n_excerpts)
        st.caption(f"{len(ex)} of {s.n_mentions} excerpt(s)")
        items = [
            {
                "pre": " ".join(e.sentence[: e.start].split()) + " ",
                "mid": e.sentence[e.start : e.end],
                "post": " " + " ".join(e.sentence[e.end :].split()),
                "source": e.title or f"article {e.article_id}",
                "date": e.date,
                "article": e.article_id,
            }
            for e in ex
        ]
        components.show_html(
            textview.excerpts_html(items), key="cm_excerpts", height=420, on_article_change=_open_excerpt_article
        )
        if len(ex) < s.n_mentions:
            st.button("Show more excerpts", on_click=lambda: ss.update(cm_n_excerpts=ss.cm_n_excerpts + 30))


def _open_excerpt_article() -> None:
    """A click on an excerpt's "Open article": show that article."""
    value = ss.get("cm_excerpts")
    ref = value.get("article") if isinstance(value, dict) else getattr(value, "article", None)
    if ref is not None and str(ref).isdigit():
        goto("Article", cm_article=int(ref))


def _pick_mention(aid: int, mentions: list[Mention]) -> None:
    """A click on a highlighted name in the article text: select its first mention in the correction form."""
    value = ss.get(f"cm_text_{aid}")
    pid = value.get("place") if isinstance(value, dict) else getattr(value, "place", None)
    for i, m in enumerate(mentions):
        if m.place is not None and m.place.id == pid:
            ss[f"cm_mention_{aid}"] = i
            return


def _mention_label(m: Mention) -> str:
    p = m.place
    where = f"{p.name} ({p.kind}, {p.country or '?'})" if p else "unresolved"
    return f"{m.text} @{m.start} \u2192 {where} {m.confidence:.0%}"


def article_view() -> None:
    arts = corpus.list_articles()
    if not arts:
        st.info("The corpus is empty.")
        return
    ids = [a.id for a in arts]
    if ss.get("cm_article") not in ids:
        ss.cm_article = ids[0]
    by_id = {a.id: a for a in arts}
    aid = st.selectbox(
        "Article",
        ids,
        key="cm_article",
        format_func=lambda i: f"#{i} {by_id[i].date or '----------'} {by_id[i].label()[:90]}",
    )
    art = corpus.get_article(aid)
    meta = " \u00b7 ".join(x for x in (art.publisher, art.date, art.source_name) if x)
    components.plain(art.label(), "heading")
    if meta:
        components.plain(meta)
    if art.url:
        components.plain(f"Source: {art.url}")  # plain text: never a link, never fetched
    with contextlib.suppress(Exception):  # e.g. the page run on its own, without app.py
        st.page_link(
            "app.py",
            label="Open in the main dashboard (distances, borders, claims)",
            query_params={"article": f"corpus:{aid}"},
        )
    result: ParseResult = corpus.load_result(aid)
    recs = corpus.corrections_for(aid)
    mentions = [m for m in result.mentions if m.type == "place"]
    left, right = st.columns([3, 2])
    selected = None
    with left:
        _article_map(aid, result, mentions)
    with right:
        st.markdown("#### Correct a place")
        if not mentions:
            st.info("No place mentions in this article.")
        else:
            idx = st.selectbox(
                "Mention",
                range(len(mentions)),
                format_func=lambda i: _mention_label(mentions[i]),
                key=f"cm_mention_{aid}",
            )
            m = mentions[idx]
            selected = m.place.id if m.place else None
            _correction_form(aid, m)
        st.markdown("#### Corrections for this article")
        if not recs:
            st.caption("none")
        for r in recs:
            c1, c2 = st.columns([5, 1])
            c1.caption(f"#{r.id} {md(r.created_at)} {md(r.user)}: {md(corr.describe(r))}")
            if components.can_write() and c2.button("Undo", key=f"undo_{r.id}"):
                corpus.undo_correction(r.id)
                st.rerun()
        _downloads([aid], f"a{aid}")
    with left:  # the same text panel as the main page: article text is never Markdown
        body = textview.legend_html() + textview.render_text(
            result.text, result.mentions, selected=selected, body=result.body
        )
        components.show_html(
            body, key=f"cm_text_{aid}", height=520, on_place_change=lambda: _pick_mention(aid, mentions)
        )


def _article_map(aid: int, result: ParseResult, mentions: list[Mention]) -> None:
    """The article's places (corrections applied); a click fills the coordinates of a correction."""
    from conflict_map.view import mapview

    places = mapview.map_places(result.resolved_places())
    out = st_folium(
        mapview.build_map(places, height=380),
        key=f"cm_amap_{aid}",
        height=380,
        use_container_width=True,
        returned_objects=["last_clicked"],
    )
    click = (out or {}).get("last_clicked")
    if click and click != ss.get(f"cm_aclick_{aid}"):
        ss[f"cm_aclick_{aid}"] = click
        # the correction widgets are drawn after this, so their state may still be set here
        ss[f"cm_lat_{aid}"] = round(float(click["lat"]), 5)
        ss[f"cm_lon_{aid}"] = round(float(click["lng"]), 5)
        ss[f"cm_action_{aid}"] = "Place at coordinates"
        idx = ss.get(f"cm_mention_{aid}", 0)
        if mentions and isinstance(idx, int) and 0 <= idx < len(mentions):
            ss[f"cm_coords_mention_{aid}"] = mentions[idx].start  # the click is for the selected mention
    st.caption("Click the map to place the selected mention there (then save in the panel on the right).")


def _correction_form(aid: int, m: Mention) -> None:
    if not components.unlock_box(f"cm_fix_{aid}"):
        return  # a shared dashboard: corrections need the teacher's passphrase
    action = st.radio(
        "Action",
        ("Choose another candidate", "Place at coordinates", "Not a place", "Alias for the whole corpus"),
        key=f"cm_action_{aid}",
    )
    note = st.text_input("Note (optional)", key=f"cm_note_{aid}")
    place: Place | None = None
    if action in ("Choose another candidate", "Alias for the whole corpus"):
        options: dict[str, Place] = {}
        for c in m.candidates:
            options[c.place.id] = c.place
        query = st.text_input("Search the gazetteer", key=f"cm_search_{aid}")
        if query.strip():
            try:
                from conflict_map.gazetteer.index import get_gazetteer

                for p in get_gazetteer().search(query.strip(), limit=10):
                    options.setdefault(p.id, p)
            except Exception as exc:  # noqa: BLE001 - the search is a convenience
                st.caption(f"Gazetteer search unavailable: {md(exc)}")
        if options:
            pid = st.selectbox(
                "Place",
                list(options),
                format_func=lambda i: (
                    f"{options[i].name} ({options[i].kind}, {options[i].province or ''} "
                    f"{options[i].country}) {options[i].lat:.3f}, {options[i].lon:.3f}"
                ),
                key=f"cm_pick_{aid}",
            )
            place = options[pid]
    try:
        if action == "Choose another candidate":
            if st.button("Save correction", disabled=place is None, key=f"cm_save_{aid}"):
                assert place is not None
                corr.choose_place(corpus, aid, m.start, m.end, place, mention_text=m.text, note=note)
                st.rerun()
        elif action == "Place at coordinates":
            c1, c2 = st.columns(2)
            if ss.get(f"cm_coords_mention_{aid}") != m.start:  # another mention: start from its place
                ss[f"cm_coords_mention_{aid}"] = m.start
                ss[f"cm_lat_{aid}"] = round(float(m.place.lat if m.place else 33.0), 5)
                ss[f"cm_lon_{aid}"] = round(float(m.place.lon if m.place else 42.0), 5)
            lat = c1.number_input("Latitude", -90.0, 90.0, format="%.5f", key=f"cm_lat_{aid}")
            lon = c2.number_input("Longitude", -180.0, 180.0, format="%.5f", key=f"cm_lon_{aid}")
            name = st.text_input("Name", value=m.text, key=f"cm_name_{aid}")
            if st.button("Save correction", key=f"cm_save_{aid}"):
                corr.place_at_coordinates(
                    corpus, aid, m.start, m.end, lat, lon, name=name, mention_text=m.text, note=note
                )
                st.rerun()
        elif action == "Not a place":
            if st.button(f"Mark {m.text!r} as not a place", key=f"cm_save_{aid}"):
                corr.mark_not_place(corpus, aid, m.start, m.end, mention_text=m.text, note=note)
                st.rerun()
        else:
            alias = st.text_input("Spelling", value=m.text, key=f"cm_alias_{aid}")
            target = place or m.place
            if st.button("Add alias", disabled=target is None, key=f"cm_save_{aid}"):
                assert target is not None
                corr.add_alias(corpus, alias, target, note=note)
                st.rerun()
    except UserError as exc:
        st.error(str(exc))


def _downloads(article_ids: list[int], key: str) -> None:
    st.markdown("#### Export")
    fmt = st.selectbox("Format", FORMATS, key=f"cm_fmt_{key}")
    if st.button("Prepare file", key=f"cm_prep_{key}"):
        try:
            with st.spinner("Exporting..."):
                ss[f"cm_file_{key}"] = export_bytes(corpus, fmt, article_ids=article_ids)
        except UserError as exc:
            st.error(str(exc))
    prepared = ss.get(f"cm_file_{key}")
    if prepared:
        data, name, mime = prepared
        st.download_button(f"Download {name}", data=data, file_name=name, mime=mime, key=f"cm_dl_{key}")


def add_view() -> None:
    st.markdown("Add files (.txt, .html, .pdf, .jsonl) or paste text. Texts already in the corpus are skipped.")
    if not components.unlock_box("cm_add"):
        return  # a shared dashboard: additions need the teacher's passphrase
    files = st.file_uploader("Files", accept_multiple_files=True, type=["txt", "html", "htm", "pdf", "jsonl"])
    title = st.text_input("Title for pasted text")
    pasted = st.text_area("Or paste an article", height=160)
    if st.button("Add to corpus", type="primary"):
        from conflict_map.ingest.batch import article_input, ingest_articles

        arts: list[ArticleInput] = []
        problems: list[str] = []
        for f in files or []:
            data = f.getvalue()
            if f.name.lower().endswith(".jsonl"):
                import tempfile
                from pathlib import Path

                from conflict_map.ingest.batch import ingest_paths

                with tempfile.TemporaryDirectory() as d:
                    p = Path(d) / Path(f.name).name
                    p.write_bytes(data)
                    rep = ingest_paths([p], corpus, geoparse=geoparser(), progress=False)
                st.success(f"{f.name}: " + rep.summary().replace(str(p), f.name))
                continue
            try:
                doc = read_bytes(data, f.name)
            except UserError as exc:
                problems.append(str(exc))
                continue
            arts.append(article_input(doc, source_name=f.name, ext_id=f.name))
        if pasted.strip():
            try:
                doc = read_text(pasted, title=title)
                arts.append(ArticleInput(text=doc.text, title=doc.title, source_name="pasted text"))
            except UserError as exc:
                problems.append(str(exc))
        if arts:
            rep = ingest_articles(arts, corpus, geoparse=geoparser())
            st.success(f"Added {rep.added} article(s); {rep.duplicates} were already in the corpus.")
            if rep.article_ids:
                st.button(
                    "Open the first one",
                    on_click=goto,
                    args=("Article",),
                    kwargs={"cm_article": rep.article_ids[0]},
                )
            problems += [f"{a}: {b}" for a, b in rep.failed]
        for p in problems:
            st.error(p)


def corrections_view() -> None:
    show_all = st.checkbox("Include undone corrections")
    recs = corpus.list_corrections(include_undone=show_all)
    if not recs:
        st.info("No corrections yet.")
    for r in reversed(recs):
        c1, c2 = st.columns([6, 1])
        state = f" (undone {r.undone_at} by {r.undone_by})" if r.undone_at else ""
        c1.markdown(f"`#{r.id}` {md(r.created_at)} **{md(r.user)}**: {md(corr.describe(r))}{md(state)}")
        if r.active and components.can_write() and c2.button("Undo", key=f"undo_all_{r.id}"):
            corpus.undo_correction(r.id)
            st.rerun()


def export_view() -> None:
    if n_articles == 0:
        st.info("The corpus is empty.")
        return
    st.markdown("Export every place of the corpus (corrections applied), with excerpts and article references.")
    _downloads([], "corpus")


{
    "Corpus map": corpus_map_view,
    "Article": article_view,
    "Add articles": add_view,
    "Corrections": corrections_view,
    "Export": export_view,
}[view]()

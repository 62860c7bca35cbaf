"""Corpus sub-commands: ``ingest``, ``load``, ``articles``, ``reprocess``, ``corrections`` and ``export``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from conflict_map.cli.cluster import add_engine_options
from conflict_map.errors import UserError

#: The export formats, as ``conflict_map.export.registry.FORMATS`` (tests/test_packaging.py checks they agree):
#: written out here so that building the command line does not import the exporters (a third of a second).
EXPORT_FORMATS = ("geojson", "csv", "kml", "gpkg", "html", "parquet")

DB_HELP = (
    "corpus: a SQLite file or postgresql://user@host:port/dbname "
    "(default: $CONFLICT_MAP_DB or ~/.local/share/conflict-map/corpus.sqlite)"
)


def _add_db(p: argparse.ArgumentParser, nested: bool = False) -> None:
    # nested parsers must not overwrite a --db given before the action (`corrections --db X list`)
    p.add_argument("--db", metavar="DB", help=DB_HELP, default=argparse.SUPPRESS if nested else None)


def _open(args: argparse.Namespace) -> Any:
    from conflict_map.store.factory import open_store

    return open_store(args.db)


def register(subparsers: Any) -> None:
    """Add the corpus commands to the ``conflict-map`` parser."""
    p = subparsers.add_parser(
        "ingest",
        help="add articles (.txt .html .pdf files, folders, JSONL) to the corpus",
        description="Read, geoparse and store articles. Texts already in the corpus (same content) are "
        "skipped; an interrupted ingest keeps what it stored and resumes when run again.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or .jsonl files")
    _add_db(p)
    p.add_argument("--jobs", type=int, default=0, help="geoparser processes (default: automatic)")
    p.add_argument("--batch", type=int, default=100, help="articles stored per transaction (default 100)")
    add_engine_options(p)
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=cmd_ingest)

    p = subparsers.add_parser(
        "load",
        help="store parses made anywhere (lines of `extract --jsonl`) without parsing again",
        description="Store the lines of `conflict-map extract --jsonl` output (each input record's fields next to "
        "its mentions) in the corpus without geoparsing again. Texts already stored are skipped, so a load run "
        "again resumes; a line whose mentions do not match its text is reported and skipped.",
    )
    p.add_argument("paths", nargs="+", metavar="PARSED.jsonl", help="JSONL files written by extract --jsonl")
    _add_db(p)
    p.add_argument("--batch", type=int, default=500, help="articles stored per transaction (default 500)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=cmd_load)

    p = subparsers.add_parser("articles", help="list the articles in the corpus")
    _add_db(p)
    p.add_argument("--search", default="", help="filter by title / file name")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_articles)

    p = subparsers.add_parser("reprocess", help="geoparse stored articles again (corrections are kept)")
    _add_db(p)
    p.add_argument("--article", type=int, action="append", default=[], metavar="ID")
    p.set_defaults(func=cmd_reprocess)

    p = subparsers.add_parser("corrections", help="list or undo corrections made to the geoparser's places")
    _add_db(p)
    csub = p.add_subparsers(dest="action", metavar="ACTION")
    csub.required = True
    lp = csub.add_parser("list", help="show corrections (who, when, what)")
    _add_db(lp, nested=True)
    lp.add_argument("--article", type=int, metavar="ID", help="only those applying to this article")
    lp.add_argument("--all", action="store_true", help="include undone corrections")
    lp.add_argument("--json", action="store_true")
    lp.set_defaults(func=cmd_corrections_list)
    up = csub.add_parser("undo", help="undo a correction (the latest when no id is given)")
    _add_db(up, nested=True)
    up.add_argument("id", nargs="?", type=int)
    up.set_defaults(func=cmd_corrections_undo)
    ap = csub.add_parser("alias", help='say that a spelling means a place everywhere ("Al Qaem" -> a place id)')
    _add_db(ap, nested=True)
    ap.add_argument("alias")
    ap.add_argument("place_id", help="a gazetteer id (see `conflict-map extract`) or LAT,LON")
    ap.add_argument("--name", default="", help="name for a LAT,LON place")
    ap.set_defaults(func=cmd_corrections_alias)

    p = subparsers.add_parser(
        "export",
        help="export places, excerpts and claims to GeoJSON, CSV, KML, GeoPackage, GeoParquet or a standalone HTML map",
    )
    _add_db(p)
    p.add_argument("--format", "-f", choices=EXPORT_FORMATS, help="default: from the output file's extension")
    p.add_argument("--article", type=int, action="append", default=[], metavar="ID", help="only this article")
    p.add_argument("--from", dest="date_from", default="", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", default="", metavar="YYYY-MM-DD")
    p.add_argument("--excerpts", type=int, default=5, help="quoted sentences per place (default 5)")
    p.add_argument(
        "--layer",
        choices=("places", "mentions"),
        default="places",
        help="GeoParquet: one row per place (default) or one row per mention",
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.set_defaults(func=cmd_export)


def cmd_ingest(args: argparse.Namespace) -> int:
    from conflict_map.cli.cluster import ingest_engine
    from conflict_map.ingest.batch import _count_units, auto_jobs, expand_paths, ingest_paths

    # the cluster is reached before the corpus is opened: an unreachable scheduler leaves nothing behind
    with ingest_engine(args) as engine, _open(args) as corpus:
        jobs = args.jobs
        if jobs <= 0 and engine is None:
            from pathlib import Path

            jobs = auto_jobs(_count_units(expand_paths([p for p in args.paths if Path(p).exists()])))
        report = ingest_paths(
            args.paths,
            corpus,
            batch_size=max(1, args.batch),
            jobs=jobs,
            engine=engine,
            progress=not args.no_progress,
        )
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(report.summary())
    if report.failed and not (report.added or report.duplicates):
        return 1
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from conflict_map.ingest.load import load_paths, print_failures

    with _open(args) as corpus:
        report = load_paths(args.paths, corpus, batch_size=max(1, args.batch), progress=not args.no_progress)
    print_failures(report)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(report.summary().splitlines()[0])
    if report.failed and not (report.added or report.duplicates):
        return 1
    return 0


def cmd_articles(args: argparse.Namespace) -> int:
    with _open(args) as corpus:
        arts = corpus.list_articles(search=args.search, limit=args.limit)
        total = corpus.count_articles()
    if args.json:
        print(json.dumps([a.to_dict() for a in arts], ensure_ascii=False, indent=1))
        return 0
    for a in arts:
        print(
            f"{a.id:>6}  {a.date or '----------':10}  {a.n_mentions:>4} mentions  {a.label()[:70]}"
            + (f"  [{a.publisher}]" if a.publisher else "")
        )
    print(f"{len(arts)} of {total} article(s)", file=sys.stderr)
    return 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    from conflict_map.ingest.batch import Progress, default_geoparse

    with _open(args) as corpus:
        ids = args.article or [a.id for a in corpus.list_articles()]
        parse = default_geoparse()
        bar = Progress(len(ids))
        for aid in ids:
            art = corpus.get_article(aid)
            corpus.replace_parse(aid, parse(art.text))
            bar.update()
        bar.close()
    print(f"re-processed {len(ids)} article(s); corrections are applied on top")
    return 0


def cmd_corrections_list(args: argparse.Namespace) -> int:
    from conflict_map.store.corrections import describe

    with _open(args) as corpus:
        recs = corpus.list_corrections(article_id=args.article, include_undone=args.all)
    if args.json:
        print(json.dumps([r.to_dict() for r in recs], ensure_ascii=False, indent=1))
        return 0
    if not recs:
        print("no corrections" + ("" if args.all else " (use --all to include undone ones)"))
        return 0
    for r in recs:
        state = f"  [undone {r.undone_at} by {r.undone_by}]" if r.undone_at else ""
        note = f"  note: {r.note}" if r.note else ""
        print(f"#{r.id:<5} {r.created_at}  {r.user:<12} {describe(r)}{note}{state}")
    return 0


def cmd_corrections_undo(args: argparse.Namespace) -> int:
    from conflict_map.store.corrections import describe

    with _open(args) as corpus:
        rec = corpus.undo_correction(args.id)
    print(f"undone #{rec.id}: {describe(rec)}")
    return 0


def _parse_latlon(s: str) -> tuple[float, float] | None:
    parts = s.replace(" ", "").split(",")
    if len(parts) != 2:
        return None
    try:
        return float(parts[0]), float(parts[1])
    except ValueError:
        return None


def cmd_corrections_alias(args: argparse.Namespace) -> int:
    from conflict_map.models import Place
    from conflict_map.store.corrections import add_alias, describe
    from conflict_map.text.clean import clean_text

    ll = _parse_latlon(args.place_id)
    with _open(args) as corpus:
        if ll is not None:
            lat, lon = ll
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise UserError(f"coordinates out of range: {lat}, {lon}")
            name = clean_text(args.name or args.alias).strip()
            place = Place(f"user:{lat:.5f},{lon:.5f}", name, "landmark", lat, lon, source="user")
        else:
            place = corpus.get_place(args.place_id)
            if place is None:
                try:
                    from conflict_map.gazetteer.index import get_gazetteer

                    place = get_gazetteer().get(args.place_id)
                except (ImportError, KeyError, LookupError):
                    place = None
            if place is None:
                raise UserError(f"unknown place id {args.place_id!r}")
        rec = add_alias(corpus, args.alias, place)
    print(f"added #{rec.id}: {describe(rec)}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    import shutil
    import tempfile
    from pathlib import Path

    from conflict_map.cli.output import check_output_path, output_file
    from conflict_map.export.registry import EXTENSIONS, export
    from conflict_map.store.queries import CorpusFilter

    fmt = args.format
    if fmt is None:
        ext = Path(args.output).suffix.lower()
        fmt = next((f for f, e in EXTENSIONS.items() if e == ext), None) or ("geojson" if ext == ".json" else None)
        if fmt is None:
            raise UserError(f"cannot tell the format from {args.output!r}; add --format")
    target = check_output_path(args.output)
    with _open(args) as corpus:
        if corpus.count_articles() == 0:
            raise UserError(f"the corpus {corpus.location} is empty; add articles with `conflict-map ingest`")
        with tempfile.TemporaryDirectory(prefix="conflict-map-export-") as work:
            # the exporter writes a complete file in a private folder; it then replaces the target in one go
            written, data = export(
                corpus,
                fmt,
                Path(work) / f"export{target.suffix}",
                article_ids=args.article,
                flt=CorpusFilter(date_from=args.date_from, date_to=args.date_to),
                max_excerpts=max(0, args.excerpts),
                layer=args.layer,
            )
            with output_file(target, "wb") as fh, open(written, "rb") as src:
                shutil.copyfileobj(src, fh)
        out = target
        what = f"{len(data.places)} place(s), {len(data.claims)} claim(s)"
        if args.layer == "mentions":
            what = f"{len(data.mentions)} mention(s)"  # type: ignore[arg-type]  # counted while the corpus is open
    for w in data.warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(f"wrote {out} ({fmt}): {what}, {len(data.articles)} article(s)")
    return 0

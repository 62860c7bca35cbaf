"""CLI: ``conflict-map story`` - an article as a self-contained map story (HTML) and a printable hand-out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from conflict_map.errors import UserError

DB_HELP = (
    "corpus: a SQLite file or postgresql://user@host:port/dbname "
    "(default: $CONFLICT_MAP_DB or ~/.local/share/conflict-map/corpus.sqlite)"
)


def register(subparsers: Any) -> None:
    """Add the ``story`` command to the ``conflict-map`` parser."""
    p = subparsers.add_parser(
        "story",
        help="turn an article into a map story for class (one offline HTML file) and a printable hand-out",
        description="Build a map story from an article: a title step, one step per place in reading order "
        "with the sentences about it, one step per checked distance claim. -o writes one self-contained HTML "
        "file (no server, no network; arrow keys / Page Up/Down step through it). --handout DIR writes a "
        "printable page with a numbered map image, the place list and the distance table. With --db and "
        "--article, a corpus article is used with the teacher's saved order and notes.",
    )
    p.add_argument("file", nargs="?", help="article file (.txt .html .pdf), or - for standard input")
    p.add_argument("-o", "--output", metavar="STORY.html", help="write the presentation to this file")
    p.add_argument("--handout", metavar="DIR", help="write handout.html and handout-map.png into DIR")
    p.add_argument("--db", metavar="DB", help=DB_HELP)
    p.add_argument("--article", type=int, metavar="ID", help="a corpus article (with its saved order and notes)")
    p.add_argument("--title", help="title of the story (default: the article's title or first line)")
    p.add_argument("--json", action="store_true", help="print the story's steps as JSON instead of a summary")
    p.set_defaults(func=cmd_story)


def _read_file(name: str) -> tuple[str, str, str]:
    from conflict_map.ingest.readers import read_path, read_stdin

    doc = read_stdin() if name == "-" else read_path(name)
    return doc.text, doc.title, doc.format


def _output_path(value: str) -> Path:
    from conflict_map.cli.output import check_output_path

    out = Path(value)
    if out.is_dir():
        raise UserError(f"{out} is a folder; give a file name such as {out / 'story.html'}")
    if out.suffix.lower() not in (".html", ".htm"):
        raise UserError(f"{out}: the story is an HTML file; give a name ending in .html")
    return check_output_path(out)


def cmd_story(args: argparse.Namespace) -> int:
    """Build the story and write what was asked for."""
    import json

    from conflict_map.present import story as st
    from conflict_map.present.handout import write_handout
    from conflict_map.present.page import render_story_html

    if args.file and args.article is not None:
        raise UserError("give an article FILE or --article ID (with --db), not both")
    if not args.file and args.article is None:
        raise UserError("give an article FILE (or - for standard input), or --article ID for a corpus article")
    if not args.output and not args.handout and not args.json:
        raise UserError("say what to write: -o story.html and/or --handout DIR (or --json)")
    out = _output_path(args.output) if args.output else None
    if args.handout and Path(args.handout).exists() and not Path(args.handout).is_dir():
        raise UserError(f"{args.handout} is a file; give a folder for the hand-out")

    gone: list[str] = []
    if args.article is not None:
        from conflict_map.present.layout_store import story_for_article
        from conflict_map.store.factory import open_store

        with open_store(args.db) as corpus:
            story, gone = story_for_article(corpus, args.article)
        if args.title:
            story.title = " ".join(args.title.split())[: st.MAX_TITLE_CHARS]
    else:
        from conflict_map.geoparse.pipeline import geoparse

        text, doc_title, fmt = _read_file(args.file)
        # a plain-text file's "title" is just its first line (often page furniture): let the story find
        # the headline above the first paragraph instead
        story = st.build_story(geoparse(text), args.title or (doc_title if fmt != "txt" else ""))
    if not any(s.kind == "place" for s in story.steps):
        raise UserError("no places found in the article: there is nothing to show on a map")

    if args.json:
        print(json.dumps(story.to_dict(), ensure_ascii=False, indent=1))
    written: list[Path] = []
    if out is not None:
        from conflict_map.cli.output import write_output

        written.append(write_output(out, render_story_html(story)))
    if args.handout:
        try:
            written += list(write_handout(story, args.handout))
        except OSError as exc:
            raise UserError(f"cannot write the hand-out into {args.handout}: {exc.strerror or exc}") from exc
    visible = story.visible_steps()
    n_places = sum(1 for s in visible if s.kind == "place")
    n_claims = sum(1 for s in visible if s.kind == "claim")
    msg = sys.stderr if args.json else sys.stdout
    print(
        f"{story.title}: {len(visible)} steps ({n_places} places, {n_claims} distance checks"
        f"{f', {len(story.steps) - len(visible)} skipped' if len(visible) < len(story.steps) else ''})",
        file=msg,
    )
    for g in gone:
        print(f"note: the saved order names a step that no longer exists: {g}", file=sys.stderr)
    for w in written:
        print(f"wrote {w} ({w.stat().st_size // 1024} KB)", file=msg)
    return 0

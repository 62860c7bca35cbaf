"""CLI: ``extract`` (geoparse files or JSONL), ``eval`` (score against gold), ``build-index``."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from conflict_map.errors import InputError, UserError

if TYPE_CHECKING:
    from conflict_map.ingest.batch import JsonlLine


def register(sub: argparse._SubParsersAction) -> None:
    """Add the geoparser's sub-commands."""
    p = sub.add_parser(
        "extract",
        help="find and resolve the places in an article",
        description="Find every place mention in an article (.txt, .html, .pdf or - for stdin) and resolve it "
        'to coordinates, offline. With --jsonl, geoparse one document per line ({"id", "text"}). '
        "With --url, fetch the article first (the only option that uses the internet; public http/https "
        "addresses only, 5 MB and 10 s at most).",
    )
    p.add_argument("file", nargs="?", help="article file, or - to read standard input")
    p.add_argument(
        "--url",
        metavar="URL",
        help="fetch the article from this http(s) address (uses the internet; private addresses refused)",
    )
    p.add_argument("--jsonl", metavar="IN.jsonl", help='geoparse each line {"id", "text"}; write one line per document')
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    p.add_argument("--no-demonyms", action="store_true", help="leave out demonyms/adjectives such as 'Iraqi'")
    p.set_defaults(func=cmd_extract)

    e = sub.add_parser(
        "eval",
        help="score the geoparser against gold-annotated corpora",
        description="Score recognition (P/R/F1) and resolution (accuracy within 161 km, end to end, median error) "
        "on gold JSONL files in the format of shared/eval.",
    )
    e.add_argument("gold", nargs="+", help="gold JSONL file(s)")
    e.add_argument("--no-adjectival", action="store_true", help="drop adjectival gold and predictions overlapping it")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")
    e.add_argument("--errors", type=int, default=0, metavar="N", help="also list the N most frequent errors")
    e.add_argument(
        "--split",
        choices=("dev", "test"),
        help="score only the frozen dev or test part of each corpus (eval-data/splits; tune on dev, report test)",
    )
    e.add_argument("--splits-dir", default="eval-data/splits", metavar="DIR", help="where the split files are")
    e.add_argument("--weights", metavar="FILE", help="evidence weights to use instead of geoparse/weights.json")
    e.add_argument(
        "--ablate",
        action="append",
        default=[],
        metavar="NAME",
        help="switch a feature or rule off and report what it is worth (repeatable; 'list' lists the names)",
    )
    e.add_argument("--ablate-each", action="store_true", help="report the worth of every feature and rule, one by one")
    e.set_defaults(func=cmd_eval)

    f = sub.add_parser(
        "fit-weights",
        help="fit the recogniser's feature weights on the dev split (logistic regression) and write them",
        description="Fit the recogniser's feature weights by L2-regularised logistic regression on the frozen dev "
        "split of gold corpora, keep the regularisation with the best mean of dev F1 and end-to-end accuracy, "
        "write the weights.",
    )
    f.add_argument("gold", nargs="+", help="gold JSONL file(s) with a split file in --splits-dir")
    f.add_argument("--splits-dir", default="eval-data/splits", metavar="DIR", help="where the split files are")
    f.add_argument("-o", "--output", required=True, metavar="FILE", help="weights file to write (JSON)")
    f.set_defaults(func=cmd_fit_weights)

    b = sub.add_parser(
        "build-index",
        help="(re)build the gazetteer index from the installed data packages",
        description="Build the gazetteer index into the cache, or into the file named by --gazetteer PATH "
        "(or $CONFLICT_MAP_GAZETTEER); nothing is done when it is current (same sources).",
    )
    b.add_argument("--force", action="store_true", help="rebuild even when the cached index is current")
    b.set_defaults(func=cmd_build_index)


def _read_input(name: str):  # -> SourceDocument
    from conflict_map.ingest.readers import read_path, read_stdin

    return read_stdin() if name == "-" else read_path(name)


def _fetch_input(url: str):  # -> SourceDocument
    from conflict_map.ingest.fetch import fetch_document

    return fetch_document(url)


def _table(mentions: list[dict]) -> str:
    rows = [("offset", "text", "type", "place", "kind", "lat", "lon", "country", "conf")]
    for m in mentions:
        rows.append(
            (
                f"{m['start']}-{m['end']}",
                m["text"][:30],
                m["type"],
                (m["name"] or "-")[:30],
                m["kind"] or "-",
                f"{m['lat']:.4f}" if m["lat"] is not None else "-",
                f"{m['lon']:.4f}" if m["lon"] is not None else "-",
                m["country"] or "-",
                f"{m['confidence']:.2f}",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def cmd_extract(args: argparse.Namespace) -> int:
    from conflict_map.cli.output import check_output_path, output_file

    if sum(map(bool, (args.file, args.jsonl, args.url))) != 1:
        raise UserError("give one article FILE (or -), --url URL, or --jsonl IN.jsonl")
    if args.output:
        check_output_path(args.output)  # a bad output name fails before the geoparser is loaded
    if args.jsonl:
        from conflict_map.ingest.readers import check_regular_file

        check_regular_file(args.jsonl)  # a folder, a FIFO or a device ends here, with one line
    out_cm = output_file(args.output) if args.output else contextlib.nullcontext(sys.stdout)
    with out_cm as out:
        if args.jsonl:
            return _extract_jsonl(Path(args.jsonl), out, not args.no_demonyms)
        _extract_one(args, out)
    return 0


def _extract_one(args: argparse.Namespace, out: TextIO) -> None:
    from conflict_map.geoparse.pipeline import geoparse, get_gazetteer

    doc = _read_input(args.file) if args.file else _fetch_input(args.url)
    for w in doc.warnings:
        print(f"conflict-map: warning: {w}", file=sys.stderr)
    result = geoparse(doc.text, get_gazetteer(), include_demonyms=not args.no_demonyms)
    mentions = [m.to_dict() for m in result.mentions]
    if args.format == "json":
        json.dump({"mentions": mentions}, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        places = result.resolved_places()
        out.write(_table(mentions) + "\n")
        out.write(
            f"\n{len(result.places)} place mentions of {len(places)} distinct places, {len(result.demonyms)} demonyms\n"
        )


def _json_id(value: object, lineno: int) -> object:
    """A record's ``id`` as written back: JSON scalars as given (text cleaned), anything else as text."""
    from conflict_map.text.clean import clean_text

    if value is None:
        return lineno
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, int | float | bool):
        return value
    return clean_text(json.dumps(value, ensure_ascii=False))[:200]


def _jsonl_lines(path: Path) -> Iterator[JsonlLine]:
    from conflict_map.ingest.batch import iter_jsonl

    try:
        yield from iter_jsonl(path)
    except OSError as exc:  # a read error half-way (the output's errors are not caught here)
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def _extract_jsonl(path: Path, out: TextIO, demonyms: bool) -> int:
    """Geoparse each line; a bad line is written as ``{"id", "error"}`` and the others are processed."""
    from conflict_map.geoparse.pipeline import geoparse, get_gazetteer
    from conflict_map.ingest.readers import read_text

    gaz = get_gazetteer()
    bad = 0
    for line in _jsonl_lines(path):
        n = line.lineno
        rec: dict[str, Any]
        if line.record is None:
            rec = {"id": n, "error": f"line {n}: {line.error}"}
        elif not isinstance(line.record.get("text"), str):
            rec = {"id": _json_id(line.record.get("id"), n), "error": f"line {n}: no 'text' string", "mentions": []}
        else:
            rec = {"id": _json_id(line.record.get("id"), n)}
            try:
                doc = read_text(line.record["text"], name=f"line {n}")
                for w in doc.warnings:
                    print(f"conflict-map: warning: {w}", file=sys.stderr)
                result = geoparse(doc.text, gaz, include_demonyms=demonyms)
                rec["mentions"] = [m.to_dict() for m in result.mentions]
            except InputError as exc:
                rec.update(error=str(exc), mentions=[])
            except Exception as exc:  # noqa: BLE001 - one document must not lose the rest
                rec.update(error=f"line {n}: geoparser failed ({type(exc).__name__}: {exc})", mentions=[])
        bad += "error" in rec
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if bad:
        print(
            f"conflict-map: warning: {bad} line(s) could not be geoparsed (see their 'error')",
            file=sys.stderr,
        )
    return 0


def _evaluate(args: argparse.Namespace, gaz: object, weights: object) -> tuple[list, float]:
    from conflict_map.geoparse.evaluate import evaluate
    from conflict_map.geoparse.pipeline import geoparse

    t0 = time.perf_counter()
    results = evaluate(
        args.gold,
        lambda t: geoparse(t, gaz, weights=weights),
        no_adjectival=args.no_adjectival,
        split=args.split,
        splits_dir=args.splits_dir,
    )
    return results, time.perf_counter() - t0


def _print_errors(total: object, n: int) -> None:
    from collections import Counter

    print("\nmost frequent misses:", Counter(name for _d, name in total.misses).most_common(n))
    print("most frequent false alarms:", Counter(name for _d, name in total.false_alarms).most_common(n))
    print(
        "most frequent wrong places:",
        Counter(f"{g}->{p}" for _d, g, p, _k in total.wrong_place).most_common(n),
    )


def _worth(name: str, base: object, ablated: object) -> str:
    return (
        f"{name:<32} worth  F1 {base.f1 - ablated.f1:+.4f}  acc@161km {base.acc161 - ablated.acc161:+.4f}  "
        f"end-to-end {base.end_to_end - ablated.end_to_end:+.4f}"
    )


def _ablations(args: argparse.Namespace, gaz: object, weights: object, base: list) -> None:
    names = weights.names() if args.ablate_each else args.ablate
    print(f"\nwhat each is worth (full minus switched off; {'split ' + args.split if args.split else 'all'}):")
    for name in names:
        ablated, _dt = _evaluate(args, gaz, weights.without(name))
        print(_worth(name, base[-1], ablated[-1]), flush=True)


def cmd_eval(args: argparse.Namespace) -> int:
    from conflict_map.geoparse.pipeline import get_gazetteer
    from conflict_map.geoparse.weights import default_weights, load_weights
    from conflict_map.ingest.readers import check_regular_file

    weights = load_weights(args.weights) if args.weights else default_weights()
    if "list" in args.ablate:
        print("\n".join(weights.names()))
        return 0
    weights.without(*args.ablate)  # unknown names end here, before the geoparser is loaded
    for g in args.gold:
        check_regular_file(g)  # missing, a folder, a FIFO or a device: one line, nothing opened
    gaz = get_gazetteer()
    results, dt = _evaluate(args, gaz, weights)
    if args.json and not (args.ablate or args.ablate_each):
        print(json.dumps([s.as_dict() for s in results], indent=1))
        return 0
    mode = "adjectival gold dropped" if args.no_adjectival else "all gold"
    part = f"; split {args.split}" if args.split else ""
    print(
        f"conflict-map eval ({mode}{part}; overlapping spans match; accuracy within 161 km; weights v{weights.version})"
    )
    for s in results:
        print(s.line())
    total = results[-1]
    print(f"{total.docs} documents in {dt:.1f} s ({total.docs / dt:.0f} docs/s, including scoring)")
    if args.errors:
        _print_errors(total, args.errors)
    if args.ablate or args.ablate_each:
        _ablations(args, gaz, weights, results)
    return 0


def cmd_fit_weights(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from conflict_map.cli.output import check_output_path
    from conflict_map.geoparse import fit
    from conflict_map.geoparse.evaluate import evaluate
    from conflict_map.geoparse.pipeline import geoparse, get_gazetteer
    from conflict_map.geoparse.weights import default_weights, save_weights

    check_output_path(args.output)
    base = default_weights()
    gaz = get_gazetteer()
    ex = fit.collect(args.gold, gaz, base, split="dev", splits_dir=args.splits_dir)
    print(f"{len(ex.y)} candidates from the dev documents, {int(ex.y.sum())} of them gold toponyms", flush=True)

    def dev(weights: object) -> object:
        return evaluate(
            args.gold,
            lambda t: geoparse(t, gaz, weights=weights),
            no_adjectival=True,
            split="dev",
            splits_dir=args.splits_dir,
        )[-1]

    best, trials = fit.choose(ex, base, dev)
    for t in trials:
        mark = "  <- kept" if t is best else ""
        print(
            f"lam {t.lam:>6} threshold {t.weights.threshold:6.3f}: dev P {t.scores.precision:.4f}  "
            f"F1 {t.scores.f1:.4f}  end-to-end {t.scores.end_to_end:.4f}{mark}",
            flush=True,
        )
    how = (
        f"Recogniser weights fitted by L2-regularised logistic regression (conflict-map fit-weights) on the dev split "
        f"of {', '.join(sorted({Path(g).stem for g in args.gold}))} ({best.scores.docs} documents, {len(ex.y)} "
        f"candidates), penalty towards weights version {base.version}; lam={best.lam} and the threshold chosen by "
        f"the mean of dev F1 ({best.scores.f1:.4f}) and dev end-to-end accuracy ({best.scores.end_to_end:.4f}), "
        "dev precision within 0.005 of the previous weights'; discourse and resolver parameters hand-set "
        "(sessions 1-2)."
    )
    save_weights(replace(best.weights, version=base.version + 1, how_set=how), args.output)
    print(f"wrote {args.output}")
    return 0


def cmd_build_index(args: argparse.Namespace) -> int:
    from conflict_map.gazetteer.build import build_index
    from conflict_map.gazetteer.fingerprint import source_fingerprint
    from conflict_map.gazetteer.index import index_path, open_gazetteer

    path = index_path()  # --gazetteer PATH, $CONFLICT_MAP_GAZETTEER, or the cache's
    if not args.force and path.exists():
        try:
            gaz = open_gazetteer(path)
        except UserError:
            gaz = None  # not an index (damaged, older format): build it
        if gaz is not None and gaz.fingerprint == source_fingerprint():
            print(f"gazetteer index is current: {path} ({len(gaz):,} places)")
            return 0
    if path.exists() and not path.is_file():
        raise UserError(f"cannot write the gazetteer index to {path}: not a regular file")
    t0 = time.perf_counter()
    try:
        build_index(path)
    except OSError as exc:
        raise UserError(f"cannot write the gazetteer index {path}: {exc.strerror or exc}") from None
    gaz = open_gazetteer(path)
    print(f"built gazetteer index {path} ({len(gaz):,} places) in {time.perf_counter() - t0:.1f} s")
    return 0

"""Build dev.jsonl and test.jsonl to test11.jsonl from the annotated sources in src/.

Source format (src/dev.txt, src/test.txt, src/test2.txt ... src/test10.txt, src/test11.txt): documents separated by
blank lines; each document is one header line ``## lang=ar`` (or ``lang=ckb`` for Sorani Kurdish) followed by ONE line
of text in which every place mention is marked ``[[surface|key]]`` or ``[[surface|key|flag]]``. ``surface`` is the span
exactly as it appears in the text (proclitics and kind words stay outside the brackets), ``key`` is a row of
src/places.tsv and ``flag`` is ``lil`` (the لل contraction, written to the toponym as note "lil-contraction") or
``metonymic`` (a capital standing for its government). Lines starting with a single ``#`` are comments.

Run from anywhere: ``python eval-data/arabic/build.py`` then ``python eval-data/arabic/check.py``.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = "conflict-map Arabic (written for the project)"
MARK = re.compile(r"\[\[([^\[\]|]+)\|([a-z0-9_]+)(?:\|([a-z-]+))?\]\]")
FLAGS = {"lil": "lil-contraction", "metonymic": "metonymic"}
SPLITS = ("dev", "test", "test2", "test3", "test4", "test5", "test6", "test7", "test8", "test9", "test10", "test11")
USED: set[str] = set()  # place keys referred to by the sources


def load_places(path: Path) -> dict[str, dict]:
    """Rows of places.tsv by key: label, lat, lon, geonameid (or None), source, note."""
    places: dict[str, dict] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = (line for line in fh if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(rows, delimiter="\t"):
            key = row["key"]
            if key in places:
                raise SystemExit(f"duplicate place key {key}")
            gid = row["geonameid"].strip()
            places[key] = {
                "label": row["label"],
                "lat": float(row["lat"]),
                "lon": float(row["lon"]),
                "geonameid": int(gid) if gid else None,
                "note": row.get("note", "").strip(),
            }
    return places


def read_blocks(path: Path) -> list[tuple[str, str]]:
    """(lang, marked-up line) for every document of a source file."""
    docs: list[tuple[str, str]] = []
    lang = None
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or (line.startswith("#") and not line.startswith("##")):
            continue
        if line.startswith("##"):
            m = re.fullmatch(r"##\s*lang=(ar|ckb)", line)
            if not m:
                raise SystemExit(f"{path.name}:{n}: bad header {line!r}")
            lang = m.group(1)
            continue
        if lang is None:
            raise SystemExit(f"{path.name}:{n}: text without a header")
        docs.append((lang, line))
        lang = None
    return docs


def parse(line: str, places: dict[str, dict], where: str) -> tuple[str, list[dict]]:
    """Plain text and toponym records of one marked-up line."""
    out: list[str] = []
    toponyms: list[dict] = []
    pos = 0
    length = 0
    for m in MARK.finditer(line):
        before = line[pos : m.start()]
        out.append(before)
        length += len(before)
        surface, key, flag = m.group(1), m.group(2), m.group(3)
        if key not in places:
            raise SystemExit(f"{where}: unknown place key {key!r}")
        if flag and flag not in FLAGS:
            raise SystemExit(f"{where}: unknown flag {flag!r}")
        if surface != surface.strip():
            raise SystemExit(f"{where}: span with outer spaces {surface!r}")
        USED.add(key)
        p = places[key]
        rec = {
            "start": length,
            "end": length + len(surface),
            "name": surface,
            "lat": p["lat"],
            "lon": p["lon"],
            "geonameid": p["geonameid"],
            "adjectival": False,
            "geo_eval": True,
            "normalised_name": p["label"],
        }
        notes = [FLAGS[flag]] if flag else []
        if p["note"]:
            notes.append(p["note"])
        if notes:
            rec["note"] = "; ".join(notes)
        toponyms.append(rec)
        out.append(surface)
        length += len(surface)
        pos = m.end()
    out.append(line[pos:])
    text = "".join(out)
    if "[[" in text or "]]" in text:
        raise SystemExit(f"{where}: unparsed markup left in {text[:60]!r}")
    return text, toponyms


def build(split: str, places: dict[str, dict]) -> list[dict]:
    docs = []
    for i, (lang, line) in enumerate(read_blocks(HERE / "src" / f"{split}.txt"), 1):
        doc_id = f"ar-{split}-{i:03d}"
        text, toponyms = parse(line, places, doc_id)
        docs.append(
            {
                "id": doc_id,
                "text": text,
                "toponyms": toponyms,
                "meta": {"corpus": CORPUS, "split": split, "lang": lang},
            }
        )
    return docs


def main() -> int:
    places = load_places(HERE / "src" / "places.tsv")
    for split in SPLITS:
        docs = build(split, places)
        with (HERE / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for d in docs:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
        print(f"{split}: {len(docs)} texts, {sum(len(d['toponyms']) for d in docs)} toponyms")
    unused = sorted(set(places) - USED)
    if unused:
        print("unused place keys:", ", ".join(unused), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

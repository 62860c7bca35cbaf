"""Validate the Arabic gold corpus (dev.jsonl and test.jsonl to test11.jsonl); exit 1 on any error.

Checks every line: JSON shape, unique ids ``ar-<split>-NNN``, ``text[start:end] == name``, spans sorted and not
overlapping, span edges on word boundaries (only the proclitics و ف ب ل ك, a tatweel after one, or a Sorani
suffix may touch a span), no proclitic+article or kind word inside a span, the لل contraction marked as such,
lat/lon ranges, geonameid an int or null, and no text or sentence shared between any two splits.
Warnings (not errors): a surface form annotated in a document that also occurs there unannotated (most are the
deliberate traps such as "جنات عدن" or "أبو بكر البغدادي"; read them).

    python eval-data/arabic/check.py            # errors and counts
    python eval-data/arabic/check.py --warn     # also the warnings
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPLITS = ("dev", "test", "test2", "test3", "test4", "test5", "test6", "test7", "test8", "test9", "test10", "test11")
PROCLITICS = set("وفبلك")
TATWEEL = "\u0640"
SORANI_SUFFIXES = ("ەوە", "دا", "ە", "ی")
KIND_WORDS = (
    "مدينة",
    "بلدة",
    "قرية",
    "محافظة",
    "قضاء",
    "ناحية",
    "قاعدة",
    "مطار",
    "معبر",
    "منفذ",
    "مخيم",
    "ولاية",
    "إقليم",
    "منطقة",
    "مديرية",
    "قطاع",
    "حي",
    "نهر",
    "سد",
    "ميناء",
    "معسكر",
    "مضيق",
    "سلطنة",
    "سهل",
    "قمة",
)
NOTE_TAGS = ("lil-contraction", "metonymic", "river:", "facility:", "crossing", "camp", "governorate", "approximate")
TOPONYM_KEYS = {"start", "end", "name", "lat", "lon", "geonameid", "adjectival", "geo_eval"}


def is_letter(ch: str) -> bool:
    """True for letters of any script (Arabic, Kurdish, Latin), false for spaces, digits and punctuation."""
    return unicodedata.category(ch).startswith("L")


def left_ok(text: str, start: int) -> bool:
    """The span starts a word, or follows at most two proclitics (and then maybe a tatweel) that start the word."""
    i = start
    tatweel = i > 0 and text[i - 1] == TATWEEL
    i -= tatweel
    k = 0
    while i > 0 and text[i - 1] in PROCLITICS and k < 2:
        i -= 1
        k += 1
    if tatweel and k == 0:
        return False
    return i == 0 or not is_letter(text[i - 1])


def right_ok(text: str, end: int, lang: str) -> bool:
    """The span ends a word (Sorani may attach a case suffix such as ـەوە)."""
    if end == len(text) or not is_letter(text[end]):
        return True
    if lang == "ckb":
        rest = text[end:]
        return any(rest.startswith(s) and (len(rest) == len(s) or not is_letter(rest[len(s)])) for s in SORANI_SUFFIXES)
    return False


def check_toponym(doc: dict, t: dict, where: str) -> list[str]:
    text, lang = doc["text"], doc["meta"].get("lang", "ar")
    errs: list[str] = []
    missing = TOPONYM_KEYS - set(t)
    if missing:
        return [f"{where}: missing keys {sorted(missing)}"]
    s, e, name = t["start"], t["end"], t["name"]
    if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
        return [f"{where}: bad offsets {s}-{e}"]
    if text[s:e] != name:
        errs.append(f"{where}: text[{s}:{e}]={text[s:e]!r} != name {name!r}")
    if name != name.strip():
        errs.append(f"{where}: span has outer spaces {name!r}")
    if not left_ok(text, s):
        errs.append(f"{where}: span {name!r} does not start a word ({text[max(0, s - 6) : e]!r})")
    if not right_ok(text, e, lang):
        errs.append(f"{where}: span {name!r} does not end a word ({text[s : e + 6]!r})")
    note = t.get("note", "")
    lil = "lil-contraction" in note
    if lil and not (s > 0 and text[s - 1] == "ل" and name.startswith("ل") and not name.startswith("ال")):
        errs.append(f"{where}: lil-contraction span {name!r} is not the second ل of لل + name")
    if not lil and s > 0 and text[s - 1] == "ل" and name.startswith("ل") and (s < 2 or not is_letter(text[s - 2])):
        errs.append(f"{where}: {name!r} after ل looks like an unmarked لل contraction")
    if re.match(r"^(وال|بال|فال|كال|لل)", name) and not lil:
        errs.append(f"{where}: proclitic inside span {name!r}")
    if any(name.startswith(k + " ") for k in KIND_WORDS):
        errs.append(f"{where}: kind word inside span {name!r}")
    lat, lon = t["lat"], t["lon"]
    if not (isinstance(lat, int | float) and isinstance(lon, int | float) and -90 <= lat <= 90 and -180 <= lon <= 180):
        errs.append(f"{where}: bad coordinates {lat!r}, {lon!r}")
    if t["geonameid"] is not None and not (isinstance(t["geonameid"], int) and t["geonameid"] > 0):
        errs.append(f"{where}: bad geonameid {t['geonameid']!r}")
    if t["adjectival"] is not False or t["geo_eval"] is not True:
        errs.append(f"{where}: adjectival must be false and geo_eval true")
    return errs


def check_doc(doc: dict, split: str, n: int) -> list[str]:
    where = f"{split}.jsonl:{n}"
    if not isinstance(doc, dict) or not {"id", "text", "toponyms", "meta"} <= set(doc):
        return [f"{where}: missing top-level keys"]
    errs: list[str] = []
    if not re.fullmatch(rf"ar-{split}-\d{{3}}", str(doc["id"])):
        errs.append(f"{where}: bad id {doc['id']!r}")
    meta = doc["meta"]
    if meta.get("split") != split or meta.get("corpus") != "conflict-map Arabic (written for the project)":
        errs.append(f"{where}: bad meta {meta!r}")
    if meta.get("lang") not in ("ar", "ckb") or (meta.get("lang") == "ckb" and split != "dev"):
        errs.append(f"{where}: bad lang {meta.get('lang')!r}")
    if not isinstance(doc["text"], str) or not doc["text"].strip():
        errs.append(f"{where}: empty text")
        return errs
    prev_end = -1
    for i, t in enumerate(doc["toponyms"]):
        errs += check_toponym(doc, t, f"{where} ({doc['id']}) toponym {i}")
        if isinstance(t.get("start"), int):
            if t["start"] < prev_end:
                errs.append(f"{where}: toponym {i} overlaps or is out of order")
            prev_end = t.get("end", prev_end)
    return errs


def unannotated_repeats(doc: dict) -> list[str]:
    """Surface forms annotated in the document that also occur elsewhere in it without an annotation."""
    text = doc["text"]
    spans = [(t["start"], t["end"]) for t in doc["toponyms"]]
    out = []
    for name in sorted({t["name"] for t in doc["toponyms"]}):
        for m in re.finditer(re.escape(name), text):
            if any(s <= m.start() < e for s, e in spans):
                continue
            context = text[max(0, m.start() - 15) : m.end() + 10]
            out.append(f"{doc['id']}: {name!r} also at {m.start()} unannotated: …{context}…")
    return out


def sentences(text: str) -> set[str]:
    return {s.strip() for s in re.split(r"[.!?؟\n]", text) if len(s.strip()) >= 30}


def shared(earlier: list[dict], later: list[dict], name: str) -> list[str]:
    """Errors for texts or sentences of ``later`` that also occur in ``earlier`` (the split called ``name``)."""
    errs: list[str] = []
    texts = {d["text"] for d in earlier}
    sents = set().union(*(sentences(d["text"]) for d in earlier))
    for d in later:
        if d["text"] in texts:
            errs.append(f"{d['id']}: same text in {name}")
        for s in sentences(d["text"]) & sents:
            errs.append(f"{d['id']}: sentence shared with {name}: {s[:50]}…")
    return errs


def main(argv: list[str]) -> int:
    errs: list[str] = []
    warns: list[str] = []
    docs: dict[str, list[dict]] = {}
    for split in SPLITS:
        docs[split] = []
        for n, line in enumerate((HERE / f"{split}.jsonl").read_text(encoding="utf-8").splitlines(), 1):
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as exc:
                errs.append(f"{split}.jsonl:{n}: not JSON ({exc})")
                continue
            errs += check_doc(doc, split, n)
            warns += unannotated_repeats(doc) if isinstance(doc, dict) and "toponyms" in doc else []
            docs[split].append(doc)
    ids = Counter(d.get("id") for split in SPLITS for d in docs[split])
    errs += [f"duplicate id {i}" for i, c in ids.items() if c > 1]
    for i, earlier in enumerate(SPLITS):
        for later in SPLITS[i + 1 :]:
            errs += shared(docs[earlier], docs[later], earlier)
    for split in SPLITS:
        tops = [t for d in docs[split] for t in d["toponyms"]]
        langs = Counter(d["meta"].get("lang") for d in docs[split])
        notes = {tag: sum(tag in t.get("note", "") for t in tops) for tag in NOTE_TAGS}
        print(
            f"{split}: {len(docs[split])} texts ({dict(langs)}), {len(tops)} toponyms, "
            f"{len({t['name'] for t in tops})} distinct surface forms, "
            f"{sum(t['geonameid'] is not None for t in tops)} with a GeoNames id, "
            f"per text {min(len(d['toponyms']) for d in docs[split])}-{max(len(d['toponyms']) for d in docs[split])}"
        )
        print("  toponyms whose note mentions: " + ", ".join(f"{k} {v}" for k, v in notes.items()))
    if "--warn" in argv:
        print(f"{len(warns)} warnings:")
        for w in warns:
            print("  " + w)
    for e in errs:
        print("ERROR", e)
    print("OK" if not errs else f"{len(errs)} errors")
    return 1 if errs else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

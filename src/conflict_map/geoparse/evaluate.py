"""Scoring the geoparser against gold-annotated corpora (format of ``../shared/eval``).

Recognition is scored by matching predicted place spans to gold toponym spans one-to-one
(overlapping spans match; exact-span figures are reported too). Resolution is scored on the
matched pairs whose gold has coordinates: accuracy within 161 km (100 miles) and median error.
End-to-end accuracy is the share of gold toponyms with coordinates that were both found and placed
within 161 km. With ``no_adjectival`` the gold demonyms/adjectives and any predictions overlapping
them are dropped before scoring, as the corpora's README prescribes for recognisers that report
demonyms separately.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pyproj import Geod

from conflict_map.errors import UserError
from conflict_map.models import ParseResult

GEOD = Geod(ellps="WGS84")
KM_161 = 161.0


@dataclass
class Scores:
    """Counts and errors accumulated over documents."""

    name: str
    docs: int = 0
    gold: int = 0
    pred: int = 0
    matched: int = 0
    exact: int = 0
    gold_with_coords: int = 0
    matched_with_coords: int = 0
    within_161: int = 0
    errors_km: list[float] = field(default_factory=list)
    misses: list[tuple[str, str]] = field(default_factory=list)  # (doc id, gold name)
    false_alarms: list[tuple[str, str]] = field(default_factory=list)
    wrong_place: list[tuple[str, str, str, float]] = field(default_factory=list)

    def add(self, other: Scores) -> None:
        for f in (
            "docs",
            "gold",
            "pred",
            "matched",
            "exact",
            "gold_with_coords",
            "matched_with_coords",
            "within_161",
        ):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        self.errors_km += other.errors_km
        self.misses += other.misses
        self.false_alarms += other.false_alarms
        self.wrong_place += other.wrong_place

    @property
    def precision(self) -> float:
        return self.matched / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def acc161(self) -> float:
        return self.within_161 / self.matched_with_coords if self.matched_with_coords else 0.0

    @property
    def end_to_end(self) -> float:
        return self.within_161 / self.gold_with_coords if self.gold_with_coords else 0.0

    @property
    def median_km(self) -> float:
        return statistics.median(self.errors_km) if self.errors_km else float("nan")

    def as_dict(self) -> dict:
        return {
            "corpus": self.name,
            "docs": self.docs,
            "gold": self.gold,
            "predicted": self.pred,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "exact_span_f1": round(_f1(self.exact, self.pred, self.gold), 4),
            "acc_161km": round(self.acc161, 4),
            "end_to_end_161km": round(self.end_to_end, 4),
            "median_error_km": round(self.median_km, 1),
        }

    def line(self) -> str:
        d = self.as_dict()
        return (
            f"{d['corpus']:<28} docs {d['docs']:>4}  gold {d['gold']:>5}  P {d['precision']:.3f}  "
            f"R {d['recall']:.3f}  F1 {d['f1']:.3f}  (exact-span F1 {d['exact_span_f1']:.3f})  "
            f"acc@161km {d['acc_161km']:.3f}  end-to-end {d['end_to_end_161km']:.3f}  "
            f"median error {d['median_error_km']:.1f} km"
        )


def _f1(tp: int, npred: int, ngold: int) -> float:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def read_gold(path: str | Path) -> Iterable[dict]:
    """Documents of a gold JSONL file."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def score_document(doc: dict, result: ParseResult, *, no_adjectival: bool, scores: Scores) -> None:
    """Add one document's counts to ``scores``."""
    gold = doc.get("toponyms", [])
    adjectival = [(g["start"], g["end"]) for g in gold if g.get("adjectival")]
    if no_adjectival:
        gold = [g for g in gold if not g.get("adjectival")]
    preds = [m for m in result.mentions if m.type == "place" or (not no_adjectival and m.type == "demonym")]
    if no_adjectival:
        preds = [m for m in preds if not any(_overlaps((m.start, m.end), a) for a in adjectival)]
    scores.docs += 1
    scores.gold += len(gold)
    scores.pred += len(preds)
    used: set[int] = set()
    pairs = []
    for gi, g in enumerate(sorted(gold, key=lambda g: g["start"])):
        best = None
        for pi, m in enumerate(preds):
            if pi in used or not _overlaps((m.start, m.end), (g["start"], g["end"])):
                continue
            if best is None or (m.start, m.end) == (g["start"], g["end"]):
                best = pi
        if best is None:
            scores.misses.append((doc.get("id", ""), g["name"]))
            continue
        used.add(best)
        pairs.append((g, preds[best]))
        del gi
    scores.matched += len(pairs)
    scores.exact += sum((m.start, m.end) == (g["start"], g["end"]) for g, m in pairs)
    for pi, m in enumerate(preds):
        if pi not in used:
            scores.false_alarms.append((doc.get("id", ""), m.text))
    with_coords = [g for g in gold if g.get("lat") is not None and g.get("lon") is not None]
    scores.gold_with_coords += len(with_coords)
    placed = [(g, m) for g, m in pairs if g.get("lat") is not None and g.get("lon") is not None]
    scores.matched_with_coords += len(placed)
    if placed:
        glat = np.array([g["lat"] for g, _ in placed], dtype=float)
        glon = np.array([g["lon"] for g, _ in placed], dtype=float)
        plat = np.array([m.place.lat if m.place else np.nan for _, m in placed], dtype=float)
        plon = np.array([m.place.lon if m.place else np.nan for _, m in placed], dtype=float)
        _, _, d = GEOD.inv(glon, glat, np.nan_to_num(plon), np.nan_to_num(plat))
        d = np.where(np.isnan(plat), np.inf, np.asarray(d) / 1000.0)
        for (g, m), km in zip(placed, d, strict=True):
            scores.errors_km.append(float(km))
            if km <= KM_161:
                scores.within_161 += 1
            else:
                scores.wrong_place.append((doc.get("id", ""), g["name"], m.place.name if m.place else "-", float(km)))


SPLITS = ("dev", "test")


def corpus_name(path: str | Path) -> str:
    """``gwn`` for ``gwn.jsonl`` and ``gwn_middle_east.jsonl`` (a subset shares its corpus's split)."""
    return Path(path).stem.removesuffix("_middle_east")


def split_ids(path: str | Path, split: str, splits_dir: str | Path) -> set[str] | None:
    """Ids of the documents of ``path`` in ``split`` (from ``splits_dir/<corpus>.json``).

    None when the corpus has no split file: its documents then say their split in ``meta.split`` (the Arabic
    corpus written for the project), or the call fails with a clear message.
    """
    if split not in SPLITS:
        raise UserError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    f = Path(splits_dir) / f"{corpus_name(path)}.json"
    if not f.is_file():
        return None
    return {str(i) for i in json.loads(f.read_text(encoding="utf-8"))[split]}


def in_split(doc: dict, ids: set[str] | None, split: str | None, path: str | Path) -> bool:
    if split is None:
        return True
    if ids is not None:
        return str(doc.get("id")) in ids
    meta_split = (doc.get("meta") or {}).get("split")
    if meta_split is None:
        raise UserError(f"{path}: no split file for this corpus and its documents name no split (meta.split)")
    return meta_split == split


def evaluate(
    paths: Iterable[str | Path],
    geoparse: Callable[[str], ParseResult],
    *,
    no_adjectival: bool = False,
    split: str | None = None,
    splits_dir: str | Path = "eval-data/splits",
) -> list[Scores]:
    """Score ``geoparse`` on each gold file; the last element is the total over all files.

    With ``split`` (``dev`` or ``test``) only that frozen part of each corpus is scored (see
    ``eval-data/splits``): tune on ``dev``, report ``test`` and the held-out corpora.
    """
    per_file: list[Scores] = []
    total = Scores("ALL")
    for path in paths:
        ids = split_ids(path, split, splits_dir) if split else None
        s = Scores(Path(path).name + (f" [{split}]" if split else ""))
        for doc in read_gold(path):
            if in_split(doc, ids, split, path):
                score_document(doc, geoparse(doc["text"]), no_adjectival=no_adjectival, scores=s)
        per_file.append(s)
        total.add(s)
    return [*per_file, total]

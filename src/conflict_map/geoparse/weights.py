"""The geoparser's evidence weights: one versioned data file (``weights.json``) that records how they were set.

Every piece of recogniser evidence is a named feature (:mod:`conflict_map.geoparse.recognise.features`); its
weight is read from here. ``conflict-map eval --ablate NAME`` switches a feature off (weight 0, no hints) to
show what it is worth, and ``--weights FILE`` evaluates another weights file (e.g. one fitted on the dev split
by :mod:`conflict_map.geoparse.fit`).

>>> w = default_weights()
>>> w.threshold, w.feature("locative_before")
(4.0, 2.0)
>>> w.without("locative_before").feature("locative_before"), w.without("locative_before").enabled("locative_before")
(0.0, False)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from conflict_map.errors import UserError

#: Document-level rules that can be switched off like a feature (no weight of their own): the recogniser's
#: discourse rules and the resolver's coherence.
RULES: tuple[str, ...] = (
    "recurs",
    "listed_with_places",
    "near_article_places",
    "landmark_yields",
    "foreign_common_word",
    "coherence",
)


@dataclass(frozen=True, slots=True)
class Weights:
    """Recogniser and resolver feature weights, the acceptance threshold, discourse and coherence parameters."""

    version: int
    how_set: str
    threshold: float
    features: dict[str, float]
    discourse: dict[str, float]
    resolver_features: dict[str, float]
    coherence: dict[str, float]
    dominant_gap: float
    disabled: frozenset[str] = field(default_factory=frozenset)

    def feature(self, name: str) -> float:
        """The weight of feature ``name`` (0 when it is switched off)."""
        if name in self.disabled or name in RULES:
            return 0.0
        try:
            return self.features[name]
        except KeyError:
            raise KeyError(f"no weight for recogniser feature {name!r} in the weights file") from None

    def resolver_feature(self, name: str) -> float:
        """The weight of resolver evidence ``name`` (0 when it is switched off)."""
        if name in self.disabled:
            return 0.0
        try:
            return self.resolver_features[name]
        except KeyError:
            raise KeyError(f"no weight for resolver evidence {name!r} in the weights file") from None

    def names(self) -> list[str]:
        """Every feature and rule that an ablation can switch off."""
        return sorted({*self.features, *self.resolver_features, *RULES})

    def enabled(self, name: str) -> bool:
        """False when ``name`` was switched off (its weight and its hints are ignored)."""
        return name not in self.disabled

    def without(self, *names: str) -> Weights:
        """These weights with the named features switched off (an ablation)."""
        known = self.names()
        unknown = [n for n in names if n not in known]
        if unknown:
            raise UserError(f"unknown feature(s) {', '.join(unknown)}; known: {', '.join(known)}")
        return replace(self, disabled=self.disabled | frozenset(names))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form written by :func:`save_weights`."""
        return {
            "version": self.version,
            "how_set": self.how_set,
            "recogniser": {"threshold": self.threshold, "features": dict(self.features), "discourse": self.discourse},
            "resolver": {
                "features": dict(self.resolver_features),
                "coherence": dict(self.coherence),
                "dominant_gap": self.dominant_gap,
            },
        }


def parse_weights(data: dict[str, Any]) -> Weights:
    """A :class:`Weights` from the JSON structure of ``weights.json``."""
    try:
        rec, res = data["recogniser"], data["resolver"]
        return Weights(
            version=int(data["version"]),
            how_set=str(data.get("how_set", "")),
            threshold=float(rec["threshold"]),
            features={str(k): float(v) for k, v in rec["features"].items()},
            discourse={str(k): float(v) for k, v in rec["discourse"].items()},
            resolver_features={str(k): float(v) for k, v in res["features"].items()},
            coherence={str(k): float(v) for k, v in res["coherence"].items()},
            dominant_gap=float(res["dominant_gap"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise UserError(f"not a conflict-map weights file ({type(exc).__name__}: {exc})") from exc


@lru_cache(maxsize=1)
def default_weights() -> Weights:
    """The weights shipped with the package (``conflict_map/geoparse/weights.json``)."""
    raw = resources.files("conflict_map.geoparse").joinpath("weights.json").read_text(encoding="utf-8")
    return parse_weights(json.loads(raw))


def load_weights(path: str | Path) -> Weights:
    """Weights from a JSON file (one clear error when it cannot be read)."""
    try:
        return parse_weights(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError) as exc:
        raise UserError(f"cannot read weights {path}: {exc}") from exc


def save_weights(weights: Weights, path: str | Path) -> Path:
    """Write ``weights`` as JSON (sorted, indented: a readable, diffable file)."""
    p = Path(path)
    p.write_text(json.dumps(weights.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return p

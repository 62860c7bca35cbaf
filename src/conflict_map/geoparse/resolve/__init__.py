"""Resolution: choose the right place for each recognised mention, using the whole document.

Each reading (candidate place) scores its prior importance plus the weighted evidence of
:mod:`.evidence` (the document's countries and provinces, the recogniser's hints, spelling) and the
:mod:`.coherence` bonus (how near it lies to the other names' likely readings). Scores become probabilities
with a softmax; the best is the mention's place and its probability the confidence; the rest are kept,
ranked, as alternatives a user can pick instead.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from conflict_map.gazetteer.index import Gazetteer
from conflict_map.geoparse.recognise import Candidate, Recognised
from conflict_map.geoparse.resolve.coherence import coherence, softmax
from conflict_map.geoparse.resolve.evidence import base_scores, contributions, document_context, rows_for
from conflict_map.geoparse.weights import Weights, default_weights
from conflict_map.models import Candidate as RankedCandidate

__all__ = ["document_countries", "resolve"]


def resolve(
    rec: Recognised, gaz: Gazetteer, weights: Weights | None = None
) -> list[tuple[Candidate, list[RankedCandidate]]]:
    """Rank the candidate places of every recognised mention; best first."""
    w = weights or default_weights()
    said = [contributions(c, gaz, w.dominant_gap) for c in rec.places]
    countries, provinces = document_context(rec, gaz, w.dominant_gap, said)
    own: dict[str, tuple[Counter, Counter]] = {}
    for c, (cc, pc) in zip(rec.places, said, strict=True):
        # what each name says, summed over its mentions: a name is no evidence for itself
        o = own.setdefault(c.key, (Counter(), Counter()))
        o[0].update(cc)
        o[1].update(pc)
    others = {key: (countries - oc, provinces - op) for key, (oc, op) in own.items()}  # once a name
    per = []
    for c in rec.places:
        rows = rows_for(c, gaz)
        per.append((c, rows, base_scores(c, rows, gaz, *others[c.key], w)))
    final = coherence(per, gaz, w.coherence, enabled=w.enabled("coherence"))
    out = []
    for (c, rows, _sc), sc in zip(per, final, strict=True):
        order = np.argsort(-sc, kind="stable")
        probs = softmax(sc[order])
        ranked = [RankedCandidate(gaz.place(rows[k]), p) for k, p in zip(order.tolist(), probs.tolist(), strict=True)]
        out.append((c, ranked))
    return out


def document_countries(rec: Recognised, gaz: Gazetteer, weights: Weights | None = None) -> dict[str, float]:
    """Country weights the resolver used for this document (for explanations and tests)."""
    countries, _ = document_context(rec, gaz, (weights or default_weights()).dominant_gap)
    return dict(countries)

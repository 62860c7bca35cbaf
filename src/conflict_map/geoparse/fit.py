"""Fit the recogniser's feature weights on the dev split by logistic regression (numpy, no other dependency).

Every candidate span the recogniser weighs in a dev document is one example: its features are the prior
importance of its best reading and the named evidence that fired (:attr:`Candidate.features`), its label
whether it overlaps a gold toponym. The model is ``logit = a * (prior + sum(w_f * x_f) - threshold)``, so a
fitted model converts back to the score units the discourse rules use (weights divided by the prior's
coefficient, threshold = minus the intercept divided by it).

The fit is L2-regularised towards the current weights (scaled to logit units): with a large ``lam`` it keeps
them, with a small one it follows the data; features that never fire on dev keep their current weight.
:func:`choose` tries several ``lam`` and keeps the one with the best mean of dev recognition F1 and dev
end-to-end accuracy (the geoparser's two headline figures, discourse rules and resolver included); ties go to
the stronger regularisation.

>>> X = np.array([[1.0, 0.0], [5.0, 1.0], [6.0, 0.0], [2.0, 1.0]])
>>> y = np.array([0.0, 1.0, 1.0, 0.0])
>>> w = fit_logistic(np.c_[X, np.ones(4)], y, np.zeros(3), lam=0.1)
>>> bool(w[0] > 0)
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from conflict_map.gazetteer.index import Gazetteer
from conflict_map.geoparse.evaluate import Scores, in_split, read_gold, split_ids
from conflict_map.geoparse.recognise import recognise
from conflict_map.geoparse.weights import Weights
from conflict_map.text.doc import Doc


@dataclass(slots=True)
class Examples:
    """Candidates of the dev documents as a design matrix: ``prior`` then one column per feature."""

    X: np.ndarray
    y: np.ndarray
    names: list[str]  # feature names of the columns after the prior


def _overlaps(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def collect(
    paths: Iterable[str | Path], gaz: Gazetteer, weights: Weights, *, split: str = "dev", splits_dir: str | Path
) -> Examples:
    """One example per candidate of the ``split`` documents (demonym gold and candidates over it left out)."""
    names = sorted(weights.features)
    rows: list[list[float]] = []
    labels: list[float] = []
    for path in paths:
        ids = split_ids(path, split, splits_dir)
        for doc in read_gold(path):
            if not in_split(doc, ids, split, path):
                continue
            gold = [(g["start"], g["end"]) for g in doc.get("toponyms", []) if not g.get("adjectival")]
            adjectival = [(g["start"], g["end"]) for g in doc.get("toponyms", []) if g.get("adjectival")]
            rec = recognise(Doc.of(doc["text"]), gaz, weights=weights)
            for c in rec.candidates:
                if "prior" not in c.features or _overlaps((c.start, c.end), adjectival):
                    continue  # vetoed before any evidence (ordinary words), or a demonym's span
                rows.append([c.features["prior"], *(c.features.get(n, 0.0) for n in names)])
                labels.append(1.0 if _overlaps((c.start, c.end), gold) else 0.0)
    return Examples(np.asarray(rows, dtype=float), np.asarray(labels), names)


def fit_logistic(X: np.ndarray, y: np.ndarray, w0: np.ndarray, lam: float | np.ndarray, iters: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method with an L2 penalty ``lam/2 * |w - w0|^2`` (intercept included).

    ``lam`` may be one strength per coefficient.
    """
    w = w0.copy()
    eye = np.diag(np.broadcast_to(np.asarray(lam, dtype=float), w.shape))
    lam = np.broadcast_to(np.asarray(lam, dtype=float), w.shape)
    for _ in range(iters):
        z = np.clip(X @ w, -30, 30)
        p = 1.0 / (1.0 + np.exp(-z))
        grad = X.T @ (p - y) + lam * (w - w0)
        hess = (X * (p * (1 - p))[:, None]).T @ X + eye
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def _hand_scale(ex: Examples, weights: Weights) -> float:
    """The logistic slope of the current score: how many logit units one score point is worth on dev."""
    w = np.array([1.0, *(weights.features[n] for n in ex.names)])
    s = np.clip(ex.X @ w - weights.threshold, -20.0, 20.0)  # score above the threshold, in score points
    alphas = np.geomspace(0.01, 10.0, 301)
    z = alphas[:, None] * s[None, :]
    nll = (np.logaddexp(0.0, z) - ex.y[None, :] * z).sum(axis=1)  # negative log-likelihood for each slope
    return float(alphas[int(np.argmin(nll))])


def fitted_weights(ex: Examples, weights: Weights, lam: float) -> Weights:
    """The weights a fit with regularisation ``lam`` gives, in score units (prior coefficient 1)."""
    alpha = _hand_scale(ex, weights)
    w0 = alpha * np.array([1.0, *(weights.features[n] for n in ex.names), -weights.threshold])
    # the prior's coefficient is the unit of the score: held at the current scale, so each feature moves on its
    # own evidence instead of all shrinking together when the fit prefers a steeper prior
    lams = np.full(len(w0), lam)
    lams[0] = 1e9
    w = fit_logistic(np.c_[ex.X, np.ones(len(ex.y))], ex.y, w0, lams)
    prior = w[0] if w[0] > 1e-3 else 1e-3
    features = dict(weights.features)
    for n, v in zip(ex.names, w[1:-1], strict=True):
        features[n] = round(float(v / prior), 3)
    return replace(weights, features=features, threshold=round(float(-w[-1] / prior), 3))


@dataclass(slots=True)
class Trial:
    """One regularisation strength and the dev figures of the weights it gave."""

    lam: float
    weights: Weights
    scores: Scores


def choose(
    ex: Examples,
    weights: Weights,
    evaluate_dev: Callable[[Weights], Scores],
    lams: Iterable[float] = (1000.0, 100.0, 10.0, 3.0),
    threshold_shifts: Iterable[float] = (0.0, 0.5, 1.0),
    precision_slack: float = 0.005,
) -> tuple[Trial, list[Trial]]:
    """Fit for each ``lam`` (and a few thresholds above the fitted one) and keep the best mean of dev F1 and
    end-to-end accuracy among those whose dev precision stays within ``precision_slack`` of the current
    weights' (a wrong pin on a map misleads more than a missing one). The current weights compete too.
    """
    current = Trial(float("inf"), weights, evaluate_dev(weights))
    trials = [current]
    for lam in lams:
        fitted = fitted_weights(ex, weights, lam)
        for shift in threshold_shifts:
            w = replace(fitted, threshold=round(fitted.threshold + shift, 3))
            trials.append(Trial(lam, w, evaluate_dev(w)))
    floor = current.scores.precision - precision_slack
    ok = [t for t in trials if t.scores.precision >= floor]
    best = max(ok, key=lambda t: (round((t.scores.f1 + t.scores.end_to_end) / 2, 4), t.lam))
    return best, trials

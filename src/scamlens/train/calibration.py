"""Centred isotonic calibration: a strictly increasing map that never says 0 or 1.

Plain isotonic regression is a step function. Its top step covers every training score above
the last benign one, so all those chats read "1.00" and a triage queue sorted by risk loses its
order exactly where it matters. Here (centred isotonic regression, Oron & Flournoy 2017) each
level set of the isotonic fit becomes one knot at its weighted mean score, and the map runs
straight between knots, so distinct scores keep their order. A level's value is shrunk towards
one half by a Jeffreys prior (`prior` pseudo-counts each way): a step that held only scams reads
n/(n+1)-ish, not certainty. Beyond the outer knots the map runs on to the ends of the scale,
halving the distance to 0 or 1 there.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from sklearn.isotonic import IsotonicRegression


def _levels(
    x: NDArray[np.float64], y: NDArray[np.float64], w: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Each isotonic level set's weighted mean score, weighted mean label and total weight,
    in increasing order of score."""
    order = np.argsort(x, kind="stable")
    xs, ys, ws = x[order], y[order], w[order]
    fitted = IsotonicRegression(increasing=True).fit_transform(xs, ys, sample_weight=ws)
    starts = np.flatnonzero(np.r_[True, np.diff(fitted) != 0])
    weight = np.add.reduceat(ws, starts)
    ends = np.r_[starts[1:], len(xs)] - 1
    # Clipped to the level's own scores: a rounded mean must not pass its neighbour's.
    centre = np.clip(np.add.reduceat(ws * xs, starts) / weight, xs[starts], xs[ends])
    mean = np.add.reduceat(ws * ys, starts) / weight
    return centre, mean, weight


def _pool(
    centre: NDArray[np.float64], value: NDArray[np.float64], weight: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Merge neighbouring knots until values rise strictly (shrinking can tie or swap a small
    level with a large one below it); merged knots sit at their weighted means."""
    cs: list[float] = []
    vs: list[float] = []
    ws: list[float] = []
    for c, v, w in zip(centre.tolist(), value.tolist(), weight.tolist(), strict=True):
        while vs and vs[-1] >= v:
            pw = ws.pop()
            total = pw + w
            c = (cs.pop() * pw + c * w) / total
            v = (vs.pop() * pw + v * w) / total
            w = total
        cs.append(c)
        vs.append(v)
        ws.append(w)
    return np.asarray(cs), np.asarray(vs)


def centred_isotonic(
    x: NDArray[np.float64],
    y: NDArray[np.int_] | NDArray[np.float64],
    sample_weight: NDArray[np.float64] | None = None,
    prior: float = 0.5,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Knots (xs, ys) of the map, for `np.interp(score, xs, ys)`: xs strictly increasing from
    0 to 1, ys strictly increasing inside (0, 1). Scores are probabilities in [0, 1]."""
    x = np.asarray(x, dtype=np.float64)
    yf = np.asarray(y, dtype=np.float64)
    w = np.ones(len(x)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    if x.size == 0 or not (np.isfinite(x).all() and (x >= 0).all() and (x <= 1).all()):
        raise ValueError("calibration scores must be finite probabilities, at least one")
    if len(w) != len(x) or len(yf) != len(x):
        raise ValueError("scores, labels and weights differ in length")
    if (w <= 0).any() or not np.isfinite(w).all():
        raise ValueError("calibration weights must be positive")
    if prior <= 0:
        raise ValueError("the prior must be positive (it keeps the map off 0 and 1)")
    centre, mean, weight = _levels(x, yf, w)
    # Weights are rescaled to counts (mean 1), so the prior means pseudo-samples.
    counts = weight * (len(x) / w.sum())
    value = (mean * counts + prior) / (counts + 2 * prior)
    centre, value = _pool(centre, value, counts)
    xs, ys = list(centre), list(value)
    if xs[0] > 0.0:
        xs.insert(0, 0.0)
        ys.insert(0, ys[0] / 2)
    if xs[-1] < 1.0:
        xs.append(1.0)
        ys.append((1.0 + ys[-1]) / 2)
    return np.asarray(xs), np.asarray(ys)

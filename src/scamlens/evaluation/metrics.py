"""Metric functions on plain arrays: counts, rates, curves, calibration, bootstrap intervals.

Conventions: `y` holds 1 (scam) or 0 (benign); `score` is a risk in [0, 1] where higher means
more likely scam; an item is predicted positive when `score >= threshold`. A rate whose
denominator is zero is None (shown as "—"), never 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


def _arrays(y: Sequence[int] | I64, score: Sequence[float] | F64) -> tuple[I64, F64]:
    ya = np.asarray(y, dtype=np.int64)
    sa = np.asarray(score, dtype=np.float64)
    if ya.shape != sa.shape or ya.ndim != 1:
        raise ValueError("labels and scores must be 1-D arrays of the same length")
    if ya.size and not np.isin(ya, (0, 1)).all():
        raise ValueError("labels must be 0 or 1")
    return ya, sa


@dataclass(frozen=True, slots=True)
class Counts:
    tp: int
    fp: int
    tn: int
    fn: int

    @property
    def positives(self) -> int:
        return self.tp + self.fn

    @property
    def negatives(self) -> int:
        return self.fp + self.tn

    @property
    def precision(self) -> float | None:
        d = self.tp + self.fp
        return self.tp / d if d else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.positives if self.positives else None

    @property
    def fpr(self) -> float | None:
        return self.fp / self.negatives if self.negatives else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0


def counts(y: Sequence[int] | I64, predicted: Sequence[bool] | NDArray[np.bool_]) -> Counts:
    ya = np.asarray(y, dtype=np.int64)
    pa = np.asarray(predicted, dtype=bool)
    if ya.shape != pa.shape:
        raise ValueError("labels and predictions must have the same length")
    tp = int(np.sum(pa & (ya == 1)))
    fp = int(np.sum(pa & (ya == 0)))
    return Counts(tp=tp, fp=fp, tn=int(np.sum(ya == 0)) - fp, fn=int(np.sum(ya == 1)) - tp)


def roc_curve(y: Sequence[int] | I64, score: Sequence[float] | F64) -> tuple[F64, F64]:
    """(fpr, tpr) at every distinct threshold, from (0, 0) to (1, 1); tied scores move together.

    Empty arrays when either class is absent (the curve is undefined).
    """
    ya, sa = _arrays(y, score)
    pos, neg = int(ya.sum()), int((ya == 0).sum())
    if not pos or not neg:
        return np.zeros(0), np.zeros(0)
    order = np.argsort(-sa, kind="stable")
    ys, ss = ya[order], sa[order]
    last = np.r_[np.flatnonzero(np.diff(ss) != 0), ys.size - 1]  # end of each tie block
    tps = np.cumsum(ys)[last]
    fps = (last + 1) - tps
    fpr = np.r_[0.0, fps / neg]
    tpr = np.r_[0.0, tps / pos]
    return fpr.astype(np.float64), tpr.astype(np.float64)


def roc_auc(y: Sequence[int] | I64, score: Sequence[float] | F64) -> float | None:
    """Area under the ROC curve (trapezoid: a tie between classes counts one half)."""
    fpr, tpr = roc_curve(y, score)
    if fpr.size == 0:
        return None
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


def pr_curve(y: Sequence[int] | I64, score: Sequence[float] | F64) -> tuple[F64, F64]:
    """(recall, precision) at every distinct threshold, highest threshold first.

    Empty arrays when there is no positive.
    """
    ya, sa = _arrays(y, score)
    pos = int(ya.sum())
    if not pos:
        return np.zeros(0), np.zeros(0)
    order = np.argsort(-sa, kind="stable")
    ys, ss = ya[order], sa[order]
    last = np.r_[np.flatnonzero(np.diff(ss) != 0), ys.size - 1]
    tps = np.cumsum(ys)[last].astype(np.float64)
    return tps / pos, tps / (last + 1)


def average_precision(y: Sequence[int] | I64, score: Sequence[float] | F64) -> float | None:
    """Average precision: sum over thresholds of (recall step) x precision (no interpolation)."""
    recall, precision = pr_curve(y, score)
    if recall.size == 0:
        return None
    steps = np.diff(np.r_[0.0, recall])
    return float(np.sum(steps * precision))


@dataclass(frozen=True, slots=True)
class Reliability:
    edges: F64  # bin edges, len bins + 1
    count: I64  # items per bin
    mean_score: F64  # mean predicted risk per bin (nan when empty)
    observed: F64  # share of positives per bin (nan when empty)
    ece: float | None  # expected calibration error: count-weighted |observed - mean score|


def reliability(
    y: Sequence[int] | I64, score: Sequence[float] | F64, bins: int = 10
) -> Reliability:
    """Equal-width bins over [0, 1]; a score of exactly 1 falls in the last bin."""
    ya, sa = _arrays(y, score)
    edges = np.linspace(0.0, 1.0, bins + 1)
    idx = np.clip(np.searchsorted(edges, np.clip(sa, 0.0, 1.0), side="right") - 1, 0, bins - 1)
    count = np.bincount(idx, minlength=bins).astype(np.int64)
    ssum = np.bincount(idx, weights=sa, minlength=bins)
    psum = np.bincount(idx, weights=ya.astype(np.float64), minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, ssum / np.maximum(count, 1), np.nan)
        obs = np.where(count > 0, psum / np.maximum(count, 1), np.nan)
    ece = None
    if ya.size:
        ok = count > 0
        ece = float(np.sum(count[ok] * np.abs(obs[ok] - mean[ok])) / ya.size)
    return Reliability(edges, count, mean, obs, ece)


def threshold_at_fpr(negative_scores: Sequence[float] | F64, target: float) -> float:
    """The lowest threshold t (one of the scores) with share(neg >= t) <= target, and t > 0.

    With no negative, or when even the top score exceeds the target, returns just above the
    highest negative score, so that no negative is flagged.
    """
    neg = np.sort(np.asarray(negative_scores, dtype=np.float64))
    if neg.size == 0:
        return 0.5
    values = np.unique(neg)
    # share of negatives at or above each distinct value
    share = 1.0 - np.searchsorted(neg, values, side="left") / neg.size
    ok = (share <= target + 1e-12) & (values > 0)
    if ok.any():
        return float(values[np.argmax(ok)])
    return float(np.nextafter(neg[-1], np.inf)) if neg[-1] > 0 else float(np.nextafter(0.0, 1.0))


@dataclass(frozen=True, slots=True)
class Interval:
    low: float | None
    high: float | None


def bootstrap_rate(
    hits: Sequence[bool] | NDArray[np.bool_],
    *,
    seed: int,
    n_boot: int = 2000,
    level: float = 0.95,
    groups: Sequence[str] | None = None,
) -> Interval:
    """Percentile bootstrap interval for the share of True in `hits` (e.g. recall, FPR).

    Resamples whole groups when `groups` is given (near-duplicates move together). Same
    inputs and seed give the same interval.
    """
    h = np.asarray(hits, dtype=np.float64)
    if h.size == 0:
        return Interval(None, None)
    rng = np.random.default_rng(seed)
    if groups is None:
        draws = rng.integers(0, h.size, size=(n_boot, h.size))
        rates = h[draws].mean(axis=1)
    else:
        _, gid = np.unique(np.asarray(groups, dtype=object).astype(str), return_inverse=True)
        g_hits = np.bincount(gid, weights=h)
        g_n = np.bincount(gid).astype(np.float64)
        draws = rng.integers(0, g_n.size, size=(n_boot, g_n.size))
        rates = g_hits[draws].sum(axis=1) / g_n[draws].sum(axis=1)
    alpha = (1.0 - level) / 2
    lo, hi = np.quantile(rates, [alpha, 1.0 - alpha])
    return Interval(float(lo), float(hi))


def recall_at_fpr(
    y: Sequence[int] | I64, score: Sequence[float] | F64, target: float
) -> float | None:
    """The highest recall over thresholds whose FPR is at most `target` (None: undefined)."""
    fpr, tpr = roc_curve(y, score)
    if fpr.size == 0:
        return None
    return float(tpr[fpr <= target + 1e-12].max())

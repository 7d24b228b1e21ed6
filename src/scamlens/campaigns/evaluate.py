"""Clustering quality against truth labels: pairwise precision, recall and F1.

A pair of messages is a true pair when both carry the same truth label; messages without a
label (None) are each their own group. A predicted pair is two messages in the same cluster;
unclustered messages (-1) are their own cluster. Counting uses the contingency table, so it
is exact and linear in the number of messages.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class PairScores:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    mixed_clusters: int  # predicted clusters holding two or more truth labels
    clusters: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "true_pairs": self.true_pairs,
            "predicted_pairs": self.predicted_pairs,
            "correct_pairs": self.correct_pairs,
            "mixed_clusters": self.mixed_clusters,
            "clusters": self.clusters,
        }


def _ids(labels: Sequence[Hashable | None]) -> npt.NDArray[np.int64]:
    table: dict[Hashable, int] = {}
    out = np.empty(len(labels), dtype=np.int64)
    for i, label in enumerate(labels):
        if label is None:
            out[i] = -1 - i  # a group of its own
        else:
            out[i] = table.setdefault(label, len(table))
    return out


def _pairs(counts: npt.NDArray[np.int64]) -> int:
    return int((counts * (counts - 1) // 2).sum())


def pairwise(truth: Sequence[Hashable | None], predicted: Sequence[int]) -> PairScores:
    t = _ids(truth)
    p = np.asarray(predicted, dtype=np.int64)
    alone = p < 0
    p = np.where(alone, -1 - np.arange(len(p), dtype=np.int64), p)
    _, t_counts = np.unique(t, return_counts=True)
    _, p_counts = np.unique(p, return_counts=True)
    joint = np.stack([t, p], axis=1)
    cells, c_counts = np.unique(joint, axis=0, return_counts=True)
    true_pairs = _pairs(t_counts)
    pred_pairs = _pairs(p_counts)
    correct = _pairs(c_counts)
    labels_per_cluster = np.unique(cells[:, 1], return_counts=True)[1]
    cluster_sizes = p_counts[p_counts >= 2]
    precision = correct / pred_pairs if pred_pairs else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairScores(
        precision=precision,
        recall=recall,
        f1=f1,
        true_pairs=true_pairs,
        predicted_pairs=pred_pairs,
        correct_pairs=correct,
        mixed_clusters=int((labels_per_cluster >= 2).sum()),
        clusters=int(cluster_sizes.size),
    )

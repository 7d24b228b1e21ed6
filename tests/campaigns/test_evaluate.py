from __future__ import annotations

import pytest

from scamlens.campaigns.evaluate import pairwise


def test_pairwise_counts() -> None:
    truth = ["a", "a", "a", "b", "b", None, None]
    pred = [1, 1, 2, 2, 2, -1, 2]
    s = pairwise(truth, pred)
    assert s.true_pairs == 3 + 1
    assert s.predicted_pairs == 1 + 6
    assert s.correct_pairs == 1 + 1
    assert s.precision == pytest.approx(2 / 7)
    assert s.recall == pytest.approx(2 / 4)
    assert s.mixed_clusters == 1
    assert s.clusters == 2


def test_perfect_and_empty() -> None:
    assert pairwise(["x", "x", None], [5, 5, -1]).f1 == 1.0
    assert pairwise([None, None], [-1, -1]).f1 == 1.0

import math

import numpy as np
import pytest

from scamlens.evaluation import metrics as M


def test_counts_and_rates() -> None:
    c = M.counts([1, 1, 1, 0, 0, 0, 0], [True, True, False, True, False, False, False])
    assert (c.tp, c.fp, c.tn, c.fn) == (2, 1, 3, 1)
    assert c.precision == pytest.approx(2 / 3)
    assert c.recall == pytest.approx(2 / 3)
    assert c.fpr == pytest.approx(1 / 4)
    assert c.f1 == pytest.approx(2 / 3)


def test_no_positives_or_negatives_gives_none() -> None:
    c = M.counts([0, 0], [False, False])
    assert c.recall is None and c.precision is None and c.f1 is None and c.fpr == 0.0
    c = M.counts([1, 1], [False, False])
    assert c.fpr is None and c.recall == 0.0 and c.precision is None
    assert M.roc_auc([1, 1], [0.2, 0.3]) is None
    assert M.average_precision([0, 0], [0.2, 0.3]) is None


def test_roc_auc_hand_computed_with_ties() -> None:
    # pos scores 0.9, 0.5; neg 0.5, 0.1 -> pairs: (0.9>0.5) 1, (0.9>0.1) 1, (0.5=0.5) 0.5, 1
    assert M.roc_auc([1, 1, 0, 0], [0.9, 0.5, 0.5, 0.1]) == pytest.approx(3.5 / 4)
    fpr, tpr = M.roc_curve([1, 1, 0, 0], [0.9, 0.5, 0.5, 0.1])
    assert list(fpr) == [0.0, 0.0, 0.5, 1.0]
    assert list(tpr) == [0.0, 0.5, 1.0, 1.0]
    assert M.roc_auc([1, 0], [0.3, 0.3]) == pytest.approx(0.5)


def test_average_precision_hand_computed() -> None:
    # ranking: 1 (p=1), 0, 1 (p=2/3) -> AP = 0.5*1 + 0.5*2/3
    assert M.average_precision([1, 0, 1], [0.9, 0.8, 0.7]) == pytest.approx(0.5 + 1 / 3)
    # all tied: one threshold, precision = base rate
    assert M.average_precision([1, 0, 1, 0], [0.5] * 4) == pytest.approx(0.5)


def test_reliability_and_ece() -> None:
    r = M.reliability([1, 0, 1, 1], [0.05, 0.05, 0.95, 1.0], bins=10)
    assert r.count[0] == 2 and r.count[9] == 2 and r.count.sum() == 4
    assert r.observed[0] == pytest.approx(0.5)
    assert math.isnan(r.observed[5])
    # |0.5-0.05|*2 + |1-0.975|*2 over 4
    assert r.ece == pytest.approx((0.45 * 2 + 0.025 * 2) / 4)


def test_threshold_at_fpr() -> None:
    neg = [0.0] * 96 + [0.2, 0.3, 0.4, 0.9]
    assert M.threshold_at_fpr(neg, 0.04) == pytest.approx(0.2)
    assert M.threshold_at_fpr(neg, 0.01) == pytest.approx(0.9)
    # ties at the top: all 10 negatives at 0.7 -> nothing at or below 1 % -> just above 0.7
    t = M.threshold_at_fpr([0.7] * 10, 0.01)
    assert t > 0.7 and t < 0.7001
    # all zero: the threshold must stay above zero
    assert M.threshold_at_fpr([0.0] * 10, 0.04) > 0.0


def test_bootstrap_deterministic_and_bounded() -> None:
    hits = [True] * 30 + [False] * 70
    a = M.bootstrap_rate(hits, seed=3, n_boot=500)
    b = M.bootstrap_rate(hits, seed=3, n_boot=500)
    assert a == b
    assert a.low is not None and a.high is not None
    assert a.low < 0.3 < a.high
    g = M.bootstrap_rate(hits, seed=3, n_boot=500, groups=[str(i // 2) for i in range(100)])
    assert g == M.bootstrap_rate(hits, seed=3, n_boot=500, groups=[str(i // 2) for i in range(100)])
    assert M.bootstrap_rate([], seed=1) == M.Interval(None, None)
    assert M.bootstrap_rate(np.ones(5, dtype=bool), seed=1) == M.Interval(1.0, 1.0)


def test_recall_at_fpr() -> None:
    y = [1, 1, 1, 0, 0, 0, 0]
    s = [0.9, 0.8, 0.3, 0.85, 0.2, 0.1, 0.05]
    assert M.recall_at_fpr(y, s, 0.0) == pytest.approx(1 / 3)
    assert M.recall_at_fpr(y, s, 0.25) == pytest.approx(1.0)  # 0.9, 0.8, 0.3 above one negative
    assert M.recall_at_fpr([1, 1], [0.2, 0.3], 0.1) is None

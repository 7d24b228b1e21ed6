"""Centred isotonic calibration: order kept at the top, never 0 or 1, still calibrated."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.isotonic import IsotonicRegression

from scamlens.train.calibration import centred_isotonic


def _sample(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Scores with a known truth: P(y=1 | s) = s**2."""
    rng = np.random.default_rng(seed)
    s = rng.uniform(0, 1, n)
    return s, (rng.uniform(0, 1, n) < s**2).astype(int)


def test_knots_are_strictly_increasing_and_inside_the_unit_interval() -> None:
    s, y = _sample(2000, 1)
    xs, ys = centred_isotonic(s, y)
    assert xs[0] == 0.0 and xs[-1] == 1.0
    assert (np.diff(xs) > 0).all() and (np.diff(ys) > 0).all()
    assert ys[0] > 0.0 and ys[-1] < 1.0


def test_scores_above_the_last_benign_keep_their_order() -> None:
    # Every score above 0.7 is a scam: plain isotonic maps them all to 1.0.
    s = np.r_[np.linspace(0.0, 0.69, 300), np.linspace(0.71, 0.999, 100)]
    y = np.r_[np.zeros(300, dtype=int), np.ones(100, dtype=int)]
    y[250:300:5] = 1  # a few scams among the lower scores
    top = np.array([0.75, 0.8, 0.9, 0.99, 0.999999])
    plain = IsotonicRegression(out_of_bounds="clip").fit(s, y).predict(top)
    assert (plain == 1.0).all()  # the defect this module exists for

    risk = np.interp(top, *centred_isotonic(s, y))
    assert (np.diff(risk) > 0).all()
    assert risk[2] > 0.99 and risk[-1] < 1.0


def test_calibrated_on_held_out_scores() -> None:
    s, y = _sample(4000, 2)
    knots = centred_isotonic(s, y)
    test_s, test_y = _sample(20000, 3)
    risk = np.interp(test_s, *knots)
    for lo in np.arange(0.0, 1.0, 0.2):
        band = (risk >= lo) & (risk < lo + 0.2)
        assert abs(risk[band].mean() - test_y[band].mean()) < 0.04


def test_weights_act_as_relative_counts() -> None:
    s = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.9])
    y = np.array([0, 0, 1, 0, 1, 1])
    w = np.array([1.0, 2.0, 1.0, 1.0, 3.0, 1.0])
    probe = np.linspace(0, 1, 41)
    weighted = np.interp(probe, *centred_isotonic(s, y, w))
    assert np.allclose(weighted, np.interp(probe, *centred_isotonic(s, y, 10 * w)))
    # More weight on the benign 0.6 pulls the map down around it.
    heavier = centred_isotonic(s, y, w * np.r_[1, 1, 1, 4, 1, 1])
    assert np.interp(0.6, *heavier) < np.interp(0.6, *centred_isotonic(s, y, w)) - 0.1


def test_shrinkage_cannot_break_the_order() -> None:
    # A large level at 0.9 and a single scam above it: shrunk alone, the single one would read
    # 0.75 and fall below its neighbour; the map pools them instead.
    s = np.r_[np.full(50, 0.2), np.linspace(0.5, 0.6, 1000), [0.95]]
    y = np.r_[np.zeros(50, dtype=int), (np.arange(1000) % 10 != 0).astype(int), [1]]
    xs, ys = centred_isotonic(s, y)
    assert (np.diff(xs) > 0).all() and (np.diff(ys) > 0).all()


@pytest.mark.parametrize(
    ("scores", "labels", "weights", "prior"),
    [
        ([], [], None, 0.5),
        ([0.5, 1.2], [0, 1], None, 0.5),
        ([0.5, float("nan")], [0, 1], None, 0.5),
        ([0.2, 0.8], [0, 1], [1.0, 0.0], 0.5),
        ([0.2, 0.8], [0, 1], [1.0], 0.5),
        ([0.2, 0.8], [0, 1], None, 0.0),
    ],
)
def test_bad_input_is_refused(
    scores: list[float], labels: list[int], weights: list[float] | None, prior: float
) -> None:
    w = None if weights is None else np.asarray(weights)
    with pytest.raises(ValueError):
        centred_isotonic(np.asarray(scores), np.asarray(labels), w, prior=prior)

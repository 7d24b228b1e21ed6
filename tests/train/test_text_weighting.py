"""IDF weighting of the text model and the single-text risk part's scale floor."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import sparse

from scamlens.scoring.features import FEATURE_NAMES
from scamlens.scoring.textmodel import (
    TextModel,
    document_frequency,
    make_vectorizer,
    smooth_idf,
    weigh_idf,
)
from scamlens.text.normalize import fold
from scamlens.train.fit import Sample, fit_risk_part_oof, fit_text_model

TEXTS = [
    "Hi, is this Anna? Are we still on for golf?",
    "我舅舅在交易所做分析师，稳赚不赔",
    "哈哈哈哈哈哈",
    "",
    "you need to pay the tax before you can withdraw",
]


def _counts(texts: list[str], n_features: int) -> sparse.csr_matrix:
    """Raw n-gram counts from the hasher's keys (the reference the weighting must match)."""
    vec = make_vectorizer(n_features)
    keys = vec.keys(texts)
    keys = keys[keys < len(texts) * n_features]
    rows, cols = np.divmod(keys, n_features)
    data = np.ones(keys.size, dtype=np.float64)
    mat = sparse.csr_matrix((data, (rows, cols)), shape=(len(texts), n_features))
    mat.sum_duplicates()
    return mat


def test_idf_on_normalised_counts_equals_tfidf_of_raw_counts() -> None:
    n = 2**12
    texts = [fold(t) for t in TEXTS]
    x = make_vectorizer(n).transform(texts)
    idf = smooth_idf(document_frequency(x), len(texts))
    got = weigh_idf(x, idf).toarray()
    raw = _counts(texts, n).toarray() * idf
    norms = np.linalg.norm(raw, axis=1, keepdims=True)
    want = raw / np.where(norms == 0, 1.0, norms)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)
    assert not got[3].any()  # an empty text stays empty


def test_smooth_idf_matches_sklearn_formula() -> None:
    df = np.array([0, 1, 5], dtype=np.int64)
    want = np.log((1 + 5) / (1 + df)) + 1
    np.testing.assert_allclose(smooth_idf(df, 5), want, rtol=1e-6)


def _samples() -> list[Sample]:
    scam = ["pay the tax to withdraw your profit", "deposit more USDT to unlock", "提现要交税"]
    benign = ["see you at dinner", "the bus is late again", "今天天气不错"]
    out = [Sample(t, 1, f"s{i}", 1, "zh" if i == 2 else "en", "t") for i, t in enumerate(scam)]
    out += [Sample(t, 0, f"b{i}", 0, "zh" if i == 2 else "en", "t") for i, t in enumerate(benign)]
    return out


def test_text_model_with_idf_round_trips(tmp_path: Path) -> None:
    model = fit_text_model(_samples(), seed=1)
    assert model.idf is not None and model.meta["weighting"] == "idf"
    model.save(tmp_path / "a.npz")
    loaded = TextModel.load(tmp_path / "a.npz")
    assert loaded.idf is not None
    np.testing.assert_array_equal(loaded.idf, model.idf)
    texts = [fold(t) for t in TEXTS]
    np.testing.assert_array_equal(loaded.decision(texts), model.decision(texts))
    loaded.save(tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    # The IDF changes the ranking the weights were fitted for: scam lines above benign ones.
    p = model.predict_proba([s.text for s in _samples()])
    assert p[:3].min() > p[3:].max()


def test_text_model_without_idf_still_loads(tmp_path: Path) -> None:
    plain = fit_text_model(_samples(), seed=1, idf=False, c=1.0)
    assert plain.idf is None
    plain.save(tmp_path / "p.npz")
    loaded = TextModel.load(tmp_path / "p.npz")
    assert loaded.idf is None
    x = loaded.transform([fold(t) for t in TEXTS])
    np.testing.assert_array_equal(
        loaded.decision_hashed(x), np.asarray(x @ plain.coef, dtype=np.float64) + plain.intercept
    )


def test_scale_floor_limits_log_odds_of_a_rare_feature() -> None:
    # A stage score that is non-zero on 3 of 600 texts, all scams: without the floor its
    # standardised weight bound of 1.0 allows ~14 log-odds per unit; with it, at most 4.
    rng = np.random.default_rng(0)
    n = len(FEATURE_NAMES)
    x = np.zeros((600, n))
    y = (rng.random(600) < 0.3).astype(np.int_)
    mm = FEATURE_NAMES.index("model_max")
    x[:, mm] = np.clip(0.5 + 0.3 * (y - 0.5) + rng.normal(0, 0.2, 600), 0, 1)
    rare = FEATURE_NAMES.index("stage_contact")
    x[np.flatnonzero(y)[:3], rare] = 1.0
    groups = [f"g{i}" for i in range(600)]
    bounds: dict[str, tuple[float | None, float | None]] = {"stage_contact": (0.0, 1.0)}
    free, _ = fit_risk_part_oof(x, y, groups, 1, bounds=bounds, folds=3)
    floored, _ = fit_risk_part_oof(x, y, groups, 1, bounds=bounds, folds=3, min_scale=0.25)
    assert free.weights[rare] / free.scale[rare] > 4.0
    assert floored.weights[rare] / floored.scale[rare] <= 4.0 + 1e-6

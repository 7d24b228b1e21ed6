"""The fused scoring kernel (`_ngram.score_csr`) gives the numpy/scipy products bit for bit.

The reference is always computed now, from the same matrix: `TextModel.features(x) @ coef`
(weigh_idf, then scipy's csr_matvec) and `fold_features(x) @ live_coef` (scipy's csr_matvecs).
Tests that need the kernel skip when it is not built; the fallback tests run either way.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy import sparse

from scamlens.scoring import fused, hashing
from scamlens.scoring.engine import Engine, default_engine
from scamlens.scoring.hashing import CharNgramHasher
from scamlens.scoring.tacticmodel import TacticModel, fold_features
from scamlens.scoring.textmodel import TextModel
from scamlens.text.normalize import fold
from tests.scoring.test_ngram_kernel import example_texts, use_native

REPO = Path(__file__).resolve().parents[2]
native = pytest.mark.skipif(
    not hashing.HAVE_NATIVE,
    reason="C extension scamlens.scoring._ngram not built (python setup.py build_ext --inplace)",
)


def reference(
    text_model: TextModel, tactic: TacticModel, x: sparse.csr_matrix
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    # Random values may overflow float32 (inf, nan): numpy warns, the kernel is silent.
    with np.errstate(all="ignore"):
        text_z = np.asarray(text_model.features(x) @ text_model.coef)
        tactic_z = np.asarray(fold_features(x, tactic.n_features) @ tactic.live_coef())
    return text_z, tactic_z


def assert_products_agree(text_model: TextModel, tactic: TacticModel, x: sparse.csr_matrix) -> None:
    want_text, want_tactic = reference(text_model, tactic, x)
    with use_native(True):
        raw = fused.raw_products(text_model, tactic, x)
    assert raw is not None, "the kernel declined a matrix it should take"
    got_text, got_tactic = raw
    assert got_text.dtype == want_text.dtype == np.float32
    assert got_tactic.dtype == want_tactic.dtype == np.float32
    assert got_text.shape == want_text.shape
    assert got_tactic.shape == want_tactic.shape
    assert got_text.tobytes() == want_text.tobytes()
    assert got_tactic.tobytes() == want_tactic.tobytes()


def assert_scores_agree(text_model: TextModel, tactic: TacticModel, x: sparse.csr_matrix) -> None:
    assert_products_agree(text_model, tactic, x)
    with use_native(True), np.errstate(all="ignore"):
        got = fused.fused_scores(text_model, tactic, x)
    assert got is not None
    with np.errstate(all="ignore"):
        assert got[0].tobytes() == text_model.proba_hashed(x).tobytes()
        assert got[1].tobytes() == tactic.firing_proba(x).tobytes()


# -- summation order ---------------------------------------------------------------------


@native
@pytest.mark.parametrize("length", [1, 2, 7, 8, 9, 16, 17, 128, 129, 130, 257, 1000, 4099])
def test_segment_sum_f64_is_numpys_reduceat_order(length: int) -> None:
    from scamlens.scoring import _ngram

    rng = np.random.default_rng(length)
    for trial in range(8):
        # Magnitudes over many decades: every addition rounds, so any other order shows.
        scale = 10.0 ** rng.integers(-8, 17, length) if trial % 2 else 1e15
        vals = rng.random(length) * scale + 1
        padded = np.concatenate([np.ones(3), vals, np.ones(2)])
        want = np.add.reduceat(padded, np.array([0, 3, 3 + length]))[1]
        assert np.float64(_ngram.segment_sum_f64(vals.tobytes())).tobytes() == want.tobytes()


# -- the shipped models on the example texts -----------------------------------------------


def shipped() -> tuple[Engine, TextModel, TacticModel]:
    eng = default_engine()
    tm = eng.tactic_model
    if tm is None or type(eng.text_model) is not TextModel:
        pytest.skip("the shipped engine has no plain text model and tactic model")
    return eng, eng.text_model, tm


@native
@pytest.mark.parametrize("size", [1, 7, 200, 0])
def test_shipped_models_on_the_examples(size: int) -> None:
    """Batches of 1, 7, 200 and all (0) texts: the hashed matrix of each, scored both ways."""
    _, text_model, tactic = shipped()
    texts = list(example_texts())
    assert len(texts) > 500
    assert text_model.idf is not None  # the shipped model weighs by IDF: that path is tested
    size = size or len(texts)
    for i in range(0, len(texts), size):
        assert_scores_agree(text_model, tactic, text_model.transform(texts[i : i + size]))


@native
def test_shipped_text_model_without_idf() -> None:
    """Older model files have no IDF: the text product reads the matrix itself."""
    _, text_model, tactic = shipped()
    plain = replace(text_model, idf=None)
    x = text_model.transform(list(example_texts()))
    assert_scores_agree(plain, tactic, x)


any_char = st.characters(exclude_categories=["Cs"])
small_alphabet = st.sampled_from(list("ab c\x01提现税🙂\né𝔭$0%USDT"))


@native
@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(
        st.one_of(st.text(any_char, max_size=80), st.text(small_alphabet, max_size=200)),
        max_size=30,
    )
)
def test_random_unicode_batches_on_the_shipped_models(texts: list[str]) -> None:
    _, text_model, tactic = shipped()
    folded = [fold(t) for t in texts]
    assert_scores_agree(text_model, tactic, text_model.transform(folded))
    assert_scores_agree(text_model, tactic, text_model.transform(texts))  # unfolded too


def _model_scores_both(
    eng: Engine, texts: Sequence[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[Any, Any]:
    calls: list[int] = []
    original = fused.fused_text_scores  # the engine's first choice; fused_scores the second

    def spy(*args: Any) -> Any:
        out = original(*args)
        calls.append(out is not None)
        return out

    with monkeypatch.context() as m:
        m.setattr(fused, "fused_text_scores", spy)
        got = eng._model_scores(texts, True, eng.tactic_model)
    assert calls == [True], "the engine did not take the fused path"
    with monkeypatch.context() as m:  # the path through the scipy matrix
        m.setattr(fused, "fused_text_scores", lambda *args: None)
        via_matrix = eng._model_scores(texts, True, eng.tactic_model)
    with monkeypatch.context() as m:
        m.setattr(fused, "fused_text_scores", lambda *args: None)
        m.setattr(fused, "fused_scores", lambda *args: None)
        want = eng._model_scores(texts, True, eng.tactic_model)
    for a, b in zip(via_matrix, want, strict=True):
        assert a is not None and b is not None and a.tobytes() == b.tobytes()
    return got, want


@native
def test_engine_model_scores_identical(monkeypatch: pytest.MonkeyPatch) -> None:
    eng, _, _ = shipped()
    texts = list(example_texts())
    for batch in (texts, texts[:200], texts[:1], texts[5:12], texts[:50] * 3):
        with use_native(True):
            got, want = _model_scores_both(eng, batch, monkeypatch)
        assert got[0].tobytes() == want[0].tobytes()
        assert got[1].tobytes() == want[1].tobytes()


def _example_chats() -> list[Path]:
    return [
        p
        for p in sorted((REPO / "examples").glob("*/**/*"))
        if p.is_file() and p.parent.name != "texts"
    ]


@native
def test_analyze_identical_on_every_example_chat(monkeypatch: pytest.MonkeyPatch) -> None:
    from scamlens.api import load_chats
    from scamlens.report.jsonout import verdict_dict

    eng, _, _ = shipped()
    used: list[bool] = []
    original = fused.fused_text_scores

    def spy(*args: Any) -> Any:
        out = original(*args)
        used.append(out is not None)
        return out

    n = 0
    for path in _example_chats():
        for conv in load_chats(path):
            with use_native(True), monkeypatch.context() as m:
                m.setattr(fused, "fused_text_scores", spy)
                got = eng.analyze(conv)
            with use_native(True), monkeypatch.context() as m:
                m.setattr(fused, "fused_text_scores", lambda *args: None)
                m.setattr(fused, "fused_scores", lambda *args: None)
                want = eng.analyze(conv)
            assert got == want, path
            assert json.dumps(verdict_dict(got)) == json.dumps(verdict_dict(want)), path
            n += 1
    assert n >= 10
    assert used and all(used)


# -- random models and matrices: small widths, heavy collisions -----------------------------


def _text_model(coef: NDArray[np.float32], idf: NDArray[np.float32] | None) -> TextModel:
    return TextModel(model_id="t", coef=coef, intercept=-0.25, meta={}, idf=idf)


def _tactic_model(coef: NDArray[np.float32], thresholds: NDArray[np.float64]) -> TacticModel:
    heads = coef.shape[1]
    return TacticModel(
        "k",
        tuple(f"t{i}" for i in range(heads)),
        coef,
        np.linspace(-1, 1, heads),
        thresholds,
        {},
    )


def _floats(rng: np.random.Generator, n: int, kind: int) -> NDArray[np.float32]:
    """Values whose float32 products and sums round at every step (and some that under-
    or overflow their squares)."""
    if kind == 0:
        v = rng.standard_normal(n)
    elif kind == 1:
        v = rng.standard_normal(n) * 10.0 ** rng.integers(-6, 7, n)
    else:
        v = rng.standard_normal(n) * 10.0 ** rng.integers(-30, 30, n)
    return v.astype(np.float32)


@native
@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_cols=st.sampled_from([4, 16, 64, 2**10]),
    fold_shift=st.integers(0, 3),
    heads=st.sampled_from([1, 3, 8, 24]),
    kind=st.integers(0, 2),
    use_idf=st.booleans(),
    texts=st.lists(st.text(small_alphabet, max_size=300), max_size=12),
)
def test_random_models_on_hashed_text(
    seed: int,
    n_cols: int,
    fold_shift: int,
    heads: int,
    kind: int,
    use_idf: bool,
    texts: list[str],
) -> None:
    rng = np.random.default_rng(seed)
    idf = np.abs(_floats(rng, n_cols, kind)) if use_idf else None
    if idf is not None:
        idf[rng.random(n_cols) < 0.2] = 0.0  # rows may weigh to nothing: norm 0 reads 1
    text_model = _text_model(_floats(rng, n_cols, kind), idf)
    width = max(1, n_cols >> fold_shift)
    thresholds = np.where(rng.random(heads) < 0.3, 2.0, 0.5)  # some heads switched off
    tactic = _tactic_model(_floats(rng, width * heads, kind).reshape(width, heads), thresholds)
    x = CharNgramHasher((1, 3), n_cols).transform(texts)
    assert_scores_agree(text_model, tactic, x)


@native
@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    rows=st.integers(0, 20),
    n_cols=st.sampled_from([1, 2, 8, 32]),
    kind=st.integers(0, 2),
    use_idf=st.booleans(),
    max_row=st.sampled_from([3, 40, 300]),
)
def test_random_raw_matrices(
    seed: int, rows: int, n_cols: int, kind: int, use_idf: bool, max_row: int
) -> None:
    """Any CSR the kernel may meet: unsorted and repeated columns, empty rows, signed and
    tiny or huge values (squares that underflow to 0 or overflow to inf)."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, max_row + 1, rows)
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    nnz = int(indptr[-1])
    x = sparse.csr_matrix(
        (
            _floats(rng, nnz, kind),
            rng.integers(0, n_cols, nnz).astype(np.int32),
            indptr,
        ),
        shape=(rows, n_cols),
    )
    idf = np.abs(_floats(rng, n_cols, kind)) if use_idf else None
    text_model = _text_model(_floats(rng, n_cols, kind), idf)
    width = max(1, n_cols >> int(rng.integers(0, 3)))
    heads = int(rng.integers(1, 6))
    tactic = _tactic_model(_floats(rng, width * heads, 0).reshape(width, heads), np.zeros(heads))
    assert_scores_agree(text_model, tactic, x)


@native
def test_long_rows_round_in_numpys_order() -> None:
    """Rows far past numpy's 128-element block, so the pairwise split shows."""
    rng = np.random.default_rng(11)
    n_cols = 2**12
    for length in (129, 1000, 4099):
        x = sparse.csr_matrix(
            (
                _floats(rng, length, 1),
                rng.integers(0, n_cols, length).astype(np.int32),
                np.array([0, length], dtype=np.int32),
            ),
            shape=(1, n_cols),
        )
        text_model = _text_model(_floats(rng, n_cols, 1), np.abs(_floats(rng, n_cols, 1)))
        tactic = _tactic_model(_floats(rng, 64 * 5, 1).reshape(64, 5), np.zeros(5))
        assert_scores_agree(text_model, tactic, x)


@native
def test_all_heads_switched_off() -> None:
    rng = np.random.default_rng(2)
    text_model = _text_model(_floats(rng, 64, 0), None)
    tactic = _tactic_model(_floats(rng, 16 * 3, 0).reshape(16, 3), np.full(3, 2.0))
    x = CharNgramHasher((2, 4), 64).transform(["pay the tax", "", "提现"])
    assert tactic.live_coef().shape == (16, 0)
    assert_scores_agree(text_model, tactic, x)


@native
def test_threads_share_the_kernel() -> None:
    _, text_model, tactic = shipped()
    texts = list(example_texts())
    mats = [text_model.transform(texts[i : i + 150]) for i in range(0, 1200, 150)]
    want = [reference(text_model, tactic, x) for x in mats]
    got: dict[int, Any] = {}

    def work(i: int) -> None:
        for _ in range(5):
            got[i] = fused.raw_products(text_model, tactic, mats[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(mats))]
    with use_native(True):  # set once here: the switch is a module global
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    for i, (wt, wk) in enumerate(want):
        assert got[i][0].tobytes() == wt.tobytes()
        assert got[i][1].tobytes() == wk.tobytes()


# -- bad buffers ---------------------------------------------------------------------------


def _good() -> dict[str, Any]:
    return {
        "data": np.array([0.5, 1.0, 2.0], dtype=np.float32),
        "indices": np.array([0, 7, 3], dtype=np.int32),
        "indptr": np.array([0, 2, 3], dtype=np.int32),
        "idf": np.ones(8, dtype=np.float32),
        "coef": np.arange(8, dtype=np.float32),
        "live": np.ones((4, 2), dtype=np.float32),
    }


def _call(args: dict[str, Any]) -> tuple[bytes, bytes]:
    from scamlens.scoring import _ngram

    return _ngram.score_csr(
        args["data"], args["indices"], args["indptr"], args["idf"], args["coef"], args["live"]
    )


BAD = {
    "data float64": ("data", np.array([0.5, 1.0, 2.0])),
    "data int32": ("data", np.array([1, 1, 2], dtype=np.int32)),
    "indices float32": ("indices", np.array([0, 7, 3], dtype=np.float32)),
    "indices big-endian": ("indices", np.array([0, 0, 0], dtype=">i4")),  # 0 either way
    "indices int64": ("indices", np.array([0, 7, 3], dtype=np.int64)),
    "indices uint32": ("indices", np.array([0, 7, 3], dtype=np.uint32)),
    "indptr int64": ("indptr", np.array([0, 2, 3], dtype=np.int64)),
    "coef float64": ("coef", np.arange(8, dtype=np.float64)),
    "idf float16": ("idf", np.ones(8, dtype=np.float16)),
    "live float64": ("live", np.ones((4, 2))),
    "live 1-D": ("live", np.ones(4, dtype=np.float32)),
    "live 3 rows": ("live", np.ones((3, 2), dtype=np.float32)),
    "live no rows": ("live", np.ones((0, 2), dtype=np.float32)),
    "live not contiguous": ("live", np.ones((4, 4), dtype=np.float32)[:, ::2]),
    "data not contiguous": ("data", np.ones(6, dtype=np.float32)[::2]),
    "data 2-D": ("data", np.ones((3, 1), dtype=np.float32)),
    "bytes": ("data", b"\x00" * 12),
    "short data": ("data", np.array([0.5, 1.0], dtype=np.float32)),
    "short indices": ("indices", np.array([0, 7], dtype=np.int32)),
    "short idf": ("idf", np.ones(7, dtype=np.float32)),
    "empty indptr": ("indptr", np.zeros(0, dtype=np.int32)),
    "indptr past data": ("indptr", np.array([0, 2, 4], dtype=np.int32)),
    "indptr short of data": ("indptr", np.array([0, 2, 2], dtype=np.int32)),
    "indptr not from 0": ("indptr", np.array([1, 2, 3], dtype=np.int32)),
    "indptr decreasing": ("indptr", np.array([0, 3, 1, 3], dtype=np.int32)),
    "index = len(coef)": ("indices", np.array([0, 8, 3], dtype=np.int32)),
    "index negative": ("indices", np.array([0, -1, 3], dtype=np.int32)),
    "index huge": ("indices", np.array([0, 2**31 - 1, 3], dtype=np.int32)),
    "empty coef": ("coef", np.zeros(0, dtype=np.float32)),
}


@native
def test_good_buffers_pass() -> None:
    text, tactic = _call(_good())
    assert len(text) == 2 * 4 and len(tactic) == 2 * 2 * 4
    args = _good()
    args["idf"] = None
    assert len(_call(args)[0]) == 8


@native
@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_buffers_raise(name: str) -> None:
    key, value = BAD[name]
    args = _good()
    args[key] = value
    with pytest.raises(ValueError):
        _call(args)


@native
def test_index_past_the_text_width_raises_even_when_idf_is_none() -> None:
    args = _good()
    args["idf"] = None
    args["indices"] = np.array([0, 9, 3], dtype=np.int32)
    with pytest.raises(ValueError):
        _call(args)


# -- the fallback --------------------------------------------------------------------------


def _small_models() -> tuple[TextModel, TacticModel]:
    rng = np.random.default_rng(5)
    return (
        _text_model(_floats(rng, 64, 0), np.abs(_floats(rng, 64, 0))),
        _tactic_model(_floats(rng, 16 * 2, 0).reshape(16, 2), np.zeros(2)),
    )


def test_forced_numpy_path_declines(monkeypatch: pytest.MonkeyPatch) -> None:
    text_model, tactic = _small_models()
    x = CharNgramHasher((2, 4), 64).transform(["abc"])
    monkeypatch.setattr(hashing, "USE_NATIVE", False)
    assert fused.fused_scores(text_model, tactic, x) is None
    monkeypatch.setattr(hashing, "USE_NATIVE", True)
    monkeypatch.setattr(hashing, "_ngram", None)
    assert fused.fused_scores(text_model, tactic, x) is None


@native
def test_declines_what_it_cannot_match() -> None:
    text_model, tactic = _small_models()
    x = CharNgramHasher((2, 4), 64).transform(["abc", "pay"])
    with use_native(True):
        assert fused.fused_scores(text_model, tactic, x) is not None
        wide = CharNgramHasher((2, 4), 128).transform(["abc"])
        assert fused.fused_scores(text_model, tactic, wide) is None  # width mismatch
        x64 = sparse.csr_matrix(x, dtype=np.float64)
        assert fused.fused_scores(text_model, tactic, x64) is None
        big = x.copy()
        big.indices = big.indices.astype(np.int64)
        assert fused.fused_scores(text_model, tactic, big) is None
        odd = _tactic_model(np.ones((12, 2), dtype=np.float32), np.zeros(2))
        assert fused.fused_scores(text_model, odd, x) is None  # 12 rows: no power of two


@native
def test_engine_keeps_other_text_models_on_the_old_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """A text model that is not exactly TextModel (the encoder adapter) never goes fused."""
    eng, text_model, _ = shipped()

    class Other(TextModel):
        pass

    other = Other(
        model_id=text_model.model_id,
        coef=text_model.coef,
        intercept=text_model.intercept,
        meta=text_model.meta,
        idf=text_model.idf,
    )
    monkeypatch.setattr(eng, "text_model", other)

    def refuse(*args: Any) -> None:
        raise AssertionError("fused path taken for another text model")

    monkeypatch.setattr(fused, "fused_scores", refuse)
    monkeypatch.setattr(fused, "fused_text_scores", refuse)
    probs, tprobs = eng._model_scores(["pay the tax", "提现"], True, eng.tactic_model)
    assert probs is not None and tprobs is not None

"""Both hashed models' raw products from one pass of the C kernel (`_ngram.score_csr`).

Per request the engine scores the shared hashed matrix twice: the text model reads it
IDF-weighted and normalised again (`weigh_idf`, then a sparse-dense product), the tactic model
reads it folded onto its smaller hash space (`fold_features`, then a product with its live
heads). The kernel does both in one walk over the entries, with no temporary matrices, and
gives the float32 products bit for bit (tests/scoring/test_fused_kernel.py): the same
roundings, the same summation orders as numpy's reduceat and scipy's csr_matvec(s). Intercepts
and sigmoids stay in numpy (`TextModel.proba_from_dot`, `TacticModel.firing_proba_from_dot`).

It runs under the same switch as the hashing kernel (`hashing.USE_NATIVE`); `fused_scores`
returns None wherever it does not apply, and the caller takes the numpy/scipy path.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from scamlens.scoring import hashing
from scamlens.scoring.tacticmodel import TacticModel
from scamlens.scoring.textmodel import TextModel


def raw_products(
    text_model: TextModel, tactic: TacticModel, x: sparse.csr_matrix
) -> tuple[NDArray[np.float32], NDArray[np.float32]] | None:
    """(`text_model.features(x) @ text_model.coef`, folded `x @ tactic.live_coef()`), both
    float32 as numpy/scipy give them, or None where the kernel does not apply."""
    if not isinstance(x, sparse.csr_matrix):
        return None
    return _products(text_model, tactic, (x.data, x.indices, x.indptr), int(x.shape[1]))


def _products(
    text_model: TextModel, tactic: TacticModel, x: hashing.NativeCSR, x_cols: int
) -> tuple[NDArray[np.float32], NDArray[np.float32]] | None:
    """`raw_products` of a CSR matrix given as its arrays and width."""
    kernel = hashing._ngram
    if not hashing.USE_NATIVE or kernel is None:
        return None
    live = tactic.live_coef()
    n_cols, width = int(text_model.coef.shape[0]), int(live.shape[0])
    data, indices, indptr = x
    if not (
        x_cols == n_cols
        and data.dtype == np.float32
        and indices.dtype == np.int32
        and indptr.dtype == np.int32
        and text_model.coef.dtype == np.float32
        and text_model.coef.ndim == 1
        and (text_model.idf is None or text_model.idf.dtype == np.float32)
        and live.dtype == np.float32
        and width > 0
        and width & (width - 1) == 0
        and n_cols % width == 0  # the fold `fold_features` makes (or none: equal widths)
    ):
        return None
    text_z, tactic_z = kernel.score_csr(
        data, indices, indptr, text_model.idf, text_model.coef, live
    )
    rows = int(indptr.shape[0]) - 1
    return (
        np.frombuffer(text_z, dtype=np.float32),
        np.frombuffer(tactic_z, dtype=np.float32).reshape(rows, int(live.shape[1])),
    )


def fused_scores(
    text_model: TextModel, tactic: TacticModel, x: sparse.csr_matrix
) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
    """(`text_model.proba_hashed(x)`, `tactic.firing_proba(x)`), equal bit for bit, or None
    where the kernel does not apply."""
    raw = raw_products(text_model, tactic, x)
    if raw is None:
        return None
    return text_model.proba_from_dot(raw[0]), tactic.firing_proba_from_dot(raw[1])


def fused_text_scores(
    text_model: TextModel, tactic: TacticModel, texts: list[str]
) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
    """`fused_scores(text_model, tactic, text_model.transform(texts))` straight from the
    hashing kernel's arrays to the scoring kernel's, without the scipy matrix in between
    (whose checks cost more than either kernel on a chat); None where either kernel declines
    or `texts` is empty, and the caller takes the path through `transform`."""
    if not texts or not hashing.USE_NATIVE:
        return None
    hasher = text_model.hasher()
    arrays = hasher.native_arrays(texts)
    if arrays is None:
        return None
    raw = _products(text_model, tactic, arrays, hasher.n_features)
    if raw is None:
        return None
    return text_model.proba_from_dot(raw[0]), tactic.firing_proba_from_dot(raw[1])

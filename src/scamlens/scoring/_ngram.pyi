"""The optional C kernel behind `CharNgramHasher.transform` (see _ngram.c)."""

from collections.abc import Sequence
from typing import Any

import numpy as np
from typing_extensions import Buffer

_Array = Buffer | np.ndarray[Any, Any]

def hash_csr(
    texts: Sequence[str], lo: int, hi: int, n_features: int, /
) -> tuple[bytearray, bytearray, bytearray] | None:
    """float32 data, int32 indices, int32 indptr of the hashed n-gram CSR matrix, or None."""

def segment_sum_f32(values: Buffer, /) -> float:
    """`np.add.reduceat`'s float32 sum of one segment (for tests)."""

def score_csr(
    data: _Array,
    indices: _Array,
    indptr: _Array,
    idf: _Array | None,
    coef: _Array,
    live_coef: _Array,
    /,
) -> tuple[bytes, bytes]:
    """float32 raw text-model and (rows x live heads) tactic-model products of a CSR matrix."""

def segment_sum_f64(values: Buffer, /) -> float:
    """`np.add.reduceat`'s float64 sum of one segment (for tests)."""

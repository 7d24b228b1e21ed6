"""The optional C kernel behind `CharNgramHasher.transform` (see _ngram.c)."""

from collections.abc import Sequence

from typing_extensions import Buffer

def hash_csr(
    texts: Sequence[str], lo: int, hi: int, n_features: int, /
) -> tuple[bytearray, bytearray, bytearray] | None:
    """float32 data, int32 indices, int32 indptr of the hashed n-gram CSR matrix, or None."""

def segment_sum_f32(values: Buffer, /) -> float:
    """`np.add.reduceat`'s float32 sum of one segment (for tests)."""

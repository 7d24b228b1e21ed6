"""Hashed character n-grams for a whole batch at once, in numpy.

sklearn's HashingVectorizer builds every n-gram as a Python string; here the batch is one
UTF-32 array and each n-gram is a rolling hash over it, so the cost per message is a few
vectorised passes instead of hundreds of Python objects.

When the optional C extension `_ngram` is built, `transform` hands the whole batch to it: the
same matrix, bit for bit (tests/scoring/test_ngram_kernel.py), from one pass per text with no
temporary arrays. The numpy path stays the reference and the fallback: it runs when the
extension is missing, when `SCAMLENS_NO_NATIVE` is set to a non-empty value, and for any batch
the kernel declines (a lone surrogate, an unusual n-gram range or width).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

try:
    from scamlens.scoring import _ngram as _ngram  # re-exported for fused.py
except ImportError:  # not built (no C compiler): the numpy path does everything
    _ngram = None  # type: ignore[assignment]

_SEP = "\x01"  # never survives folding (control characters become spaces)
_PRIME = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)
CHUNK_CHARS = 16_384  # characters hashed per slice of a batch
HAVE_NATIVE = _ngram is not None  # the C extension imported
# Whether `transform` uses the C kernel; tests set it to force either path.
USE_NATIVE = HAVE_NATIVE and not os.environ.get("SCAMLENS_NO_NATIVE")
_NATIVE_MAX_SPAN = 64  # the kernel takes hi - lo < 64
# A CSR matrix as the C kernel gives it: data (float32), indices (int32), indptr (int32).
NativeCSR = tuple[NDArray[np.float32], NDArray[np.int32], NDArray[np.int32]]


def _mix(h: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """A 64-bit finaliser so nearby n-grams spread over the buckets (in place)."""
    h ^= h >> np.uint64(33)
    h *= _MIX
    h ^= h >> np.uint64(29)
    return h


def csr_from_keys(keys: NDArray[np.int64], n_rows: int, n_cols: int) -> sparse.csr_matrix:
    """Counts of `row * n_cols + col` keys as a canonical CSR matrix, rows L2-normalised.

    Keys at or above `n_rows * n_cols` are dropped (they mark n-grams that span two texts).
    Equal, bit for bit, to building a COO matrix of ones and calling `tocsr()` (which sums
    duplicates and sorts each row), then normalising with scipy's `multiply` and `sum(axis=1)`:
    the squares are summed with the same `np.add.reduceat` over the same sorted rows. One sort
    of the keys replaces scipy's per-row sort, its checks and its temporary matrices.
    """
    limit = n_rows * n_cols
    if limit < 2**32:  # a 32-bit sort is about twice as fast
        keys = np.minimum(keys, limit).astype(np.uint32)
    keys = np.sort(keys)
    keys = keys[: int(np.searchsorted(keys, limit))]
    first = np.empty(keys.size, dtype=bool)
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    uniq = keys[starts].astype(np.int64)
    counts = np.diff(starts, append=keys.size)
    if n_cols & (n_cols - 1) == 0:  # a power of two: shifts instead of a division
        rows, cols = uniq >> (n_cols.bit_length() - 1), uniq & (n_cols - 1)
    else:
        rows, cols = np.divmod(uniq, n_cols)
    # scipy picks int32 indices whenever they fit; keep that so the matrix is the same.
    idx_dtype = np.int32 if max(n_cols, uniq.size) < 2**31 else np.int64
    indptr = np.searchsorted(rows, np.arange(n_rows + 1)).astype(idx_dtype)
    data = counts.astype(np.float32)
    sums = np.zeros(n_rows, dtype=np.float32)
    filled = np.flatnonzero(np.diff(indptr))
    if filled.size:
        sums[filled] = np.add.reduceat(data * data, indptr[filled].astype(np.intp))
    norms = np.sqrt(sums)
    norms[norms == 0] = 1.0
    data /= np.repeat(norms, np.diff(indptr))
    mat = sparse.csr_matrix(
        (data, cols.astype(idx_dtype), indptr), shape=(n_rows, n_cols), copy=False
    )
    mat.has_canonical_format = True  # sorted, no duplicates: later products need no sort
    return mat


def stack_rows(parts: Sequence[sparse.csr_matrix]) -> sparse.csr_matrix:
    """Canonical CSR matrices of equal width, one under the other, without scipy's checks."""
    offsets = np.cumsum([0] + [p.nnz for p in parts])
    idx_dtype = np.int32 if max(parts[0].shape[1], int(offsets[-1])) < 2**31 else np.int64
    indptr = np.concatenate(
        [np.zeros(1, dtype=idx_dtype)]
        + [p.indptr[1:].astype(idx_dtype) + o for p, o in zip(parts, offsets[:-1], strict=True)]
    )
    mat = sparse.csr_matrix(
        (
            np.concatenate([p.data for p in parts]),
            np.concatenate([p.indices for p in parts]).astype(idx_dtype),
            indptr,
        ),
        shape=(sum(p.shape[0] for p in parts), parts[0].shape[1]),
        copy=False,
    )
    mat.has_canonical_format = True
    return mat


class CharNgramHasher:
    """Counts of hashed character n-grams per text, L2-normalised rows (CSR, float32)."""

    def __init__(self, ngram_range: tuple[int, int] = (2, 4), n_features: int = 2**20) -> None:
        self.ngram_range = ngram_range
        self.n_features = n_features

    def ngram_ids(self, text: str) -> dict[str, int]:
        """Bucket of every n-gram of one (folded) text: for explanations."""
        lo, hi = self.ngram_range
        out: dict[str, int] = {}
        for n in range(lo, hi + 1):
            for i in range(len(text) - n + 1):
                gram = text[i : i + n]
                out[gram] = int(self._bucket(gram))
        return out

    def _bucket(self, gram: str) -> int:
        """The same hash as `transform`, in plain integers."""
        mask = (1 << 64) - 1
        h = 0
        for ch in gram:
            h = (h * int(_PRIME) + ord(ch)) & mask
        h = (h + len(gram) * int(_MIX)) & mask
        h ^= h >> 33
        h = (h * int(_MIX)) & mask
        h ^= h >> 29
        return h % self.n_features

    def keys(self, texts: Sequence[str]) -> NDArray[np.int64]:
        """`doc * n_features + bucket` of every n-gram occurrence of every text, unsorted.

        An n-gram that would span two texts gets `len(texts) * n_features` instead (dropped
        by `csr_from_keys`): marking the few such windows is cheaper than filtering them out.
        """
        joined = _SEP.join(texts) + _SEP
        if joined.count(_SEP) != len(texts):  # a text holds the separator (not folded text)
            joined = _SEP.join(t.replace(_SEP, " ") for t in texts) + _SEP
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        seps = np.cumsum(lengths) - 1  # where each text's separator sits
        nf = self.n_features
        doc = np.repeat(np.arange(len(texts), dtype=np.int64) * nf, lengths)  # pre-scaled
        size = len(codes)
        lo, hi = self.ngram_range
        pow2 = nf & (nf - 1) == 0
        keys: list[NDArray[np.int64]] = []
        h = codes
        for n in range(1, hi + 1):
            m = size - n + 1
            if m <= 0:
                break
            if n > 1:  # Horner step: the n-gram hash from the (n-1)-gram hash, wrapping
                h = h[:m] * _PRIME
                h += codes[n - 1 : n - 1 + m]
            if n < lo:
                continue
            offset = np.uint64((n * int(_MIX)) & ((1 << 64) - 1))  # one hash space per n
            bucket = _mix(h + offset)
            if pow2:
                bucket &= np.uint64(nf - 1)
            else:
                bucket %= np.uint64(nf)
            key = bucket.view(np.int64)  # buckets < n_features: the cast is exact
            key += doc[:m]
            # Windows starting up to n - 1 characters before a separator hold it.
            spans = (seps[:, None] - np.arange(n)).ravel()
            key[spans[(spans >= 0) & (spans < m)]] = len(texts) * nf
            keys.append(key)
        if not keys:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate(keys)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        n_docs = len(texts)
        if n_docs == 0:
            return sparse.csr_matrix((0, self.n_features), dtype=np.float32)
        texts = texts if isinstance(texts, list) else list(texts)
        if USE_NATIVE:
            mat = self._native(texts)
            if mat is not None:
                return mat
        # Rows are independent: hashing a big batch in slices keeps the arrays in cache.
        parts: list[sparse.csr_matrix] = []
        begin, chars = 0, 0
        for i, t in enumerate(texts):
            chars += len(t) + 1
            if chars >= CHUNK_CHARS or i == n_docs - 1:
                chunk = texts[begin : i + 1]
                parts.append(csr_from_keys(self.keys(chunk), len(chunk), self.n_features))
                begin, chars = i + 1, 0
        return parts[0] if len(parts) == 1 else stack_rows(parts)

    def native_arrays(self, texts: list[str]) -> NativeCSR | None:
        """The C kernel's (data, indices, indptr) of `transform(texts)`: float32, int32, int32,
        canonical (sorted, summed); None where it declines (the numpy path decides)."""
        lo, hi = self.ngram_range
        nf = self.n_features
        if _ngram is None or not (1 <= lo <= hi < lo + _NATIVE_MAX_SPAN and 1 <= nf < 2**31):
            return None
        bufs = _ngram.hash_csr(texts, lo, hi, nf)
        if bufs is None:
            return None
        data, indices, indptr = bufs
        return (
            np.frombuffer(data, dtype=np.float32),
            np.frombuffer(indices, dtype=np.int32),
            np.frombuffer(indptr, dtype=np.int32),
        )

    def _native(self, texts: list[str]) -> sparse.csr_matrix | None:
        """`transform` by the C kernel, or None where it declines (the numpy path decides)."""
        arrays = self.native_arrays(texts)
        if arrays is None:
            return None
        mat = sparse.csr_matrix(arrays, shape=(len(texts), self.n_features), copy=False)
        mat.has_canonical_format = True
        return mat

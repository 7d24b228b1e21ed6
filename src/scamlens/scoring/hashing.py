"""Hashed character n-grams for a whole batch at once, in numpy.

sklearn's HashingVectorizer builds every n-gram as a Python string; here the batch is one
UTF-32 array and each n-gram is a rolling hash over it, so the cost per message is a few
vectorised passes instead of hundreds of Python objects.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

_SEP = "\x01"  # never survives folding (control characters become spaces)
_PRIME = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)


def _mix(h: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """A 64-bit finaliser so nearby n-grams spread over the buckets."""
    h = h ^ (h >> np.uint64(33))
    h = h * _MIX
    return h ^ (h >> np.uint64(29))


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

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        n_docs = len(texts)
        if n_docs == 0:
            return sparse.csr_matrix((0, self.n_features), dtype=np.float32)
        joined = _SEP.join(t.replace(_SEP, " ") for t in texts) + _SEP
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        is_sep = codes == np.uint64(1)
        doc = np.cumsum(is_sep) - is_sep  # document index of each position
        seps_before = np.concatenate(([0], np.cumsum(is_sep)))
        rows_all: list[NDArray[np.int64]] = []
        cols_all: list[NDArray[np.int64]] = []
        size = len(codes)
        lo, hi = self.ngram_range
        for n in range(lo, hi + 1):
            m = size - n + 1
            if m <= 0:
                continue
            h = np.zeros(m, dtype=np.uint64)
            for k in range(n):
                h = h * _PRIME + codes[k : k + m]
            # Keep windows that hold no separator.
            ok = (seps_before[n : n + m] - seps_before[0:m]) == 0
            offset = np.uint64((n * int(_MIX)) & ((1 << 64) - 1))  # one hash space per n
            h = _mix(h[ok] + offset)
            rows_all.append(doc[:m][ok].astype(np.int64))
            cols_all.append((h % np.uint64(self.n_features)).astype(np.int64))
        rows = np.concatenate(rows_all) if rows_all else np.zeros(0, dtype=np.int64)
        cols = np.concatenate(cols_all) if cols_all else np.zeros(0, dtype=np.int64)
        data = np.ones(rows.shape[0], dtype=np.float32)
        # COO -> CSR sums duplicate entries; sorting the indices is not needed for a dot product.
        mat = sparse.coo_matrix((data, (rows, cols)), shape=(n_docs, self.n_features)).tocsr()
        norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel()).astype(np.float32)
        norms[norms == 0] = 1.0
        mat.data /= np.repeat(norms, np.diff(mat.indptr))
        return mat

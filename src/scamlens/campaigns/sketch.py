"""Batch MinHash over character n-grams, vectorised with numpy.

Shingles: every text of a batch is written into one UTF-32 array; the hash of each n-gram is a
polynomial over its code points (wrapping 64-bit arithmetic), finished with the splitmix64
mixer, and n-grams that cross a text boundary are dropped. No Python loop runs per shingle.

Signatures: one-permutation hashing (Li, Owen & Zhang 2012) with rotation densification
(Shrivastava & Li 2014). Each shingle hash goes to one of K bins by its top bits and each bin
keeps its minimum; empty bins borrow from the next non-empty bin. The share of equal bins
estimates the Jaccard similarity of two shingle sets, like K independent permutations would,
at the cost of a single hash per shingle.

Ubiquitous shingles (those in more than `max_df` of the texts, counted in a 2^22-bucket sketch)
are dropped before signing, so "good morning" or "the _ of the" cannot pull texts together.
Everything here is deterministic (fixed seeds, no Python `hash`), which the Spark job relies on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]

EMPTY = np.uint32(0xFFFFFFFF)
DF_BITS = 22
_PRIME = np.uint64(0x100000001B3)
_C1 = np.uint64(0xBF58476D1CE4E5B9)
_C2 = np.uint64(0x94D049BB133111EB)
_GOLD = np.uint64(0x9E3779B97F4A7C15)
_CHUNK_CHARS = 4_000_000
_MASK64 = (1 << 64) - 1


def mix64(x: U64) -> U64:
    """splitmix64 finaliser: spreads the bits of each value over the whole word."""
    x = x ^ (x >> np.uint64(30))
    x = x * _C1
    x = x ^ (x >> np.uint64(27))
    x = x * _C2
    return x ^ (x >> np.uint64(31))


def _chunks(strings: Sequence[str]) -> Iterator[tuple[int, int]]:
    start = 0
    total = 0
    for i, s in enumerate(strings):
        total += len(s)
        if total >= _CHUNK_CHARS:
            yield start, i + 1
            start, total = i + 1, 0
    if start < len(strings):
        yield start, len(strings)


def shingles(strings: Sequence[str], n: int, seed: int) -> Iterator[tuple[U64, I64]]:
    """Yield (hashes, text index) arrays of all n-grams, chunk by chunk, in text order.

    A text shorter than n gives no shingle: such texts are too short to be compared anyway.
    """
    salt = mix64(np.array([seed + 1], dtype=np.uint64))[0]
    for lo, hi in _chunks(strings):
        part = strings[lo:hi]
        lens = np.fromiter((len(s) for s in part), dtype=np.int64, count=len(part))
        codes = np.frombuffer("".join(part).encode("utf-32-le"), dtype=np.uint32)
        total = len(codes)
        if total < n:
            continue
        width = total - n + 1
        h = np.zeros(width, dtype=np.uint64)
        wide = codes.astype(np.uint64)
        for k in range(n):
            h = h * _PRIME + wide[k : k + width]
        ends = np.cumsum(lens)
        doc = np.repeat(np.arange(lo, hi, dtype=np.int64), lens)[:width]
        pos = np.arange(width, dtype=np.int64)
        valid = pos + n <= ends[doc - lo]
        yield mix64(h[valid] ^ salt), doc[valid]


def df_counts(strings: Sequence[str], n: int, seed: int) -> npt.NDArray[np.int64]:
    """How many shingles of the batch fall in each of 2^DF_BITS buckets (a one-row sketch)."""
    counts = np.zeros(1 << DF_BITS, dtype=np.int64)
    mask = np.uint64((1 << DF_BITS) - 1)
    for h, _doc in shingles(strings, n, seed):
        counts += np.bincount((h & mask).astype(np.int64), minlength=1 << DF_BITS)
    return counts


@dataclass(frozen=True, slots=True)
class Signatures:
    sig: U32  # (texts, K); all EMPTY when a text kept no shingle
    kept: I64  # shingles kept per text after dropping ubiquitous ones


def signatures(
    strings: Sequence[str],
    n: int,
    seed: int,
    k: int = 64,
    ubiquitous: npt.NDArray[np.bool_] | None = None,
) -> Signatures:
    """OPH signatures of `strings`; `ubiquitous` flags DF buckets whose shingles are dropped."""
    if k & (k - 1) or not 8 <= k <= 256:
        raise ValueError("k must be a power of two between 8 and 256")
    bits = np.uint64(64 - (k.bit_length() - 1))
    low = np.uint64((1 << DF_BITS) - 1)
    n_docs = len(strings)
    flat = np.full(n_docs * k, EMPTY, dtype=np.uint32)
    kept = np.zeros(n_docs, dtype=np.int64)
    for h, doc in shingles(strings, n, seed):
        if ubiquitous is not None:
            keep = ~ubiquitous[(h & low).astype(np.int64)]
            h, doc = h[keep], doc[keep]
        kept += np.bincount(doc, minlength=n_docs)
        slot = doc * k + (h >> bits).astype(np.int64)
        np.minimum.at(flat, slot, ((h >> np.uint64(16)) & np.uint64(0xFFFFFFFF)).astype(np.uint32))
    sig = flat.reshape(n_docs, k)
    densify(sig)
    return Signatures(sig, kept)


def densify(sig: U32, step: int = 100_000) -> None:
    """Fill empty bins in place from the next non-empty bin (circular), offset by distance."""
    n_docs, k = sig.shape
    cols = np.arange(k, dtype=np.int32)
    for lo in range(0, n_docs, step):
        block = sig[lo : lo + step]
        empty = block == EMPTY
        rows = np.flatnonzero(empty.any(axis=1) & ~empty.all(axis=1))
        if rows.size == 0:
            continue
        sub = block[rows]
        filled = np.where(empty[rows], np.int32(3 * k), cols[None, :])
        ahead = np.concatenate([filled, filled + k], axis=1)
        nxt = np.minimum.accumulate(ahead[:, ::-1], axis=1)[:, ::-1][:, :k]
        dist = (nxt - cols[None, :]).astype(np.uint32)
        src = np.take_along_axis(sub, nxt % k, axis=1)
        val = src + dist * np.uint32(0x9E3779B1)
        block[rows] = np.where(empty[rows], val, sub)


def similarity(sig: U32, a: I64, b: I64, step: int = 1_000_000) -> npt.NDArray[np.float32]:
    """Estimated Jaccard similarity of the pairs (a[i], b[i]): the share of equal bins."""
    out = np.empty(len(a), dtype=np.float32)
    for lo in range(0, len(a), step):
        hi = lo + step
        eq = sig[a[lo:hi]] == sig[b[lo:hi]]
        ok = sig[a[lo:hi]] != EMPTY
        out[lo:hi] = (eq & ok).mean(axis=1)
    return out


def band_keys(sig: U32, band: int, rows: int) -> U64:
    """One LSH bucket key per text for band `band` (rows `rows` bins per band)."""
    cols = sig[:, band * rows : (band + 1) * rows].astype(np.uint64)
    key = np.full(sig.shape[0], ((band + 1) * int(_GOLD)) & _MASK64, dtype=np.uint64)
    for j in range(rows):
        key = mix64(key ^ cols[:, j])
    return key

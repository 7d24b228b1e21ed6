"""The usual near-duplicate baseline: MinHash LSH on word 5-grams (datasketch).

Texts are lower-cased and split on white space; the shingles are the word 5-grams (a text of
fewer than five words is one shingle). Every text is queried against the LSH index and each
candidate whose estimated Jaccard similarity reaches the threshold is linked; clusters are the
connected components. This is what "dedupe with MinHash at 0.5 or 0.8" usually means, and is
the comparison asked for in docs/campaigns.md. Used only for measurement.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


def word_shingles(text: str, n: int = 5) -> set[bytes]:
    words = text.lower().split()
    if len(words) < n:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + n]).encode() for i in range(len(words) - n + 1)}


def cluster(
    texts: Sequence[str], threshold: float = 0.5, num_perm: int = 128
) -> npt.NDArray[np.int64]:
    """Cluster label per text (-1 when alone), word-5-gram MinHash LSH at `threshold`."""
    from datasketch import MinHash, MinHashLSH

    from scamlens.campaigns.engine import components

    distinct: dict[str, int] = {}
    text_id = np.empty(len(texts), dtype=np.int64)
    for i, t in enumerate(texts):
        text_id[i] = distinct.setdefault(t, len(distinct))
    uniq = list(distinct)
    sets = [word_shingles(t) for t in uniq]
    hashes = MinHash.bulk(sets, num_perm=num_perm, seed=1)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    for i, mh in enumerate(hashes):
        lsh.insert(i, mh)
    left: list[int] = []
    right: list[int] = []
    for i, mh in enumerate(hashes):
        for j in lsh.query(mh):
            if j > i and mh.jaccard(hashes[j]) >= threshold:
                left.append(i)
                right.append(int(j))
    n = len(uniq)
    labels = components(n, np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64))
    counts = np.bincount(text_id, minlength=n)
    sizes = np.bincount(labels, weights=counts[np.arange(n)]).astype(np.int64)
    per_text = np.where(sizes[labels] >= 2, labels, -1)
    out: npt.NDArray[np.int64] = per_text[text_id]
    return out

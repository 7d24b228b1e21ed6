"""Groups for cross-validation: declared groups, merged with near-duplicates across groups.

Two texts whose character 4-gram sets (after `fold`) have an estimated Jaccard similarity of
at least `threshold` are put in one group, and groups are merged transitively (union-find),
so a near-copy can never sit in a training fold while its twin is tested. Candidates come
from MinHash LSH (one-permutation signatures from `scamlens.campaigns.sketch`, 16 bands of 4
rows), then each candidate pair is verified on its signatures.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

from scamlens.campaigns import sketch
from scamlens.text.normalize import fold

SHINGLE = 4
BANDS, ROWS = 16, 4


class UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        root = a
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[a] != root:  # path compression
            self.parent[a], a = root, self.parent[a]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def merge_near_duplicates(
    texts: Sequence[str], groups: Sequence[str], threshold: float = 0.7, seed: int = 7
) -> list[str]:
    """The merged group of each text: its declared group, or a merged group name."""
    n = len(texts)
    if len(groups) != n:
        raise ValueError("one group per text")
    uf = UnionFind(n)
    first: dict[str, int] = {}
    for i, key in enumerate(list(groups) + [fold(t) for t in texts]):
        j = first.setdefault(("g:" if i < n else "t:") + key, i % n)
        uf.union(i % n, j)
    folded = [fold(t) for t in texts]
    if n > 1:
        sig = sketch.signatures(folded, SHINGLE, seed, k=BANDS * ROWS).sig
        usable = ~(sig == sketch.EMPTY).all(axis=1)
        for band in range(BANDS):
            keys = sketch.band_keys(sig, band, ROWS)
            idx = np.flatnonzero(usable)
            order = idx[np.argsort(keys[idx], kind="stable")]
            ks = keys[order]
            same = np.flatnonzero(ks[1:] == ks[:-1])
            if same.size == 0:
                continue
            # each member against its predecessor in the bucket (union-find closes the rest)
            a, b = order[same], order[same + 1]
            sim = sketch.similarity(sig, a.astype(np.int64), b.astype(np.int64))
            for x, y in zip(a[sim >= threshold], b[sim >= threshold], strict=True):
                uf.union(int(x), int(y))
    roots = [uf.find(i) for i in range(n)]
    members: dict[int, set[str]] = {}
    for i, r in enumerate(roots):
        members.setdefault(r, set()).add(groups[i])
    return [groups[r] if len(members[r]) == 1 else f"merged:{min(members[r])}" for r in roots]


def grouped_folds(groups: Sequence[str], k: int, seed: int = 7) -> list[int]:
    """A fold (0..k-1) per item; every group in one fold; folds balanced by item count.

    Groups are placed largest first (ties broken by a seeded hash of the name) into the
    currently smallest fold, so the assignment is deterministic.
    """
    if k < 2:
        raise ValueError("need at least 2 folds")
    sizes: dict[str, int] = {}
    for g in groups:
        sizes[g] = sizes.get(g, 0) + 1
    order = sorted(sizes, key=lambda g: (-sizes[g], zlib.crc32(f"{seed}:{g}".encode()), g))
    load = [0] * k
    where: dict[str, int] = {}
    for g in order:
        f = min(range(k), key=lambda i: (load[i], i))
        where[g] = f
        load[f] += sizes[g]
    return [where[g] for g in groups]

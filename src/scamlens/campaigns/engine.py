"""Script clustering: candidates from two LSH channels, verified pairs, guarded components.

The steps, each a plain function so the Spark job can call the very same code:

1. `prepare` every distinct text (prep.py) and merge texts whose masked views are equal into
   one *document* with a weight (how many messages it stands for).
2. Order documents by (-weight, key): the most repeated form of a script comes first, and
   every tie-break below uses this order, so results never depend on input order.
3. Drop documents shorter than `min_length`; count n-grams in a sketch and flag ubiquitous
   ones; sign each document twice with one-permutation MinHash: character n-grams of the
   masked stream, and n-grams of the skeleton.
4. LSH banding on each channel. In every bucket the first document (by the order above) is
   paired with each other member, so a huge bucket costs linear, not quadratic, work.
5. Verify each candidate pair with `score_pairs` and keep it when the score reaches
   `threshold`. Pairs already joined through earlier verified pairs are skipped (this changes
   nothing in the components, only the work).
6. Connected components of the verified pairs, then the guard: each component keeps the
   members similar enough to its medoid; the rest are peeled off into their own groups.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from scamlens.campaigns import sketch
from scamlens.campaigns.params import Params
from scamlens.campaigns.prep import PreparedBatch

I64 = npt.NDArray[np.int64]
F32 = npt.NDArray[np.float32]
Bool = npt.NDArray[np.bool_]


def doc_key(stream: str, skeleton: str) -> int:
    """A stable 63-bit key of a document's masked views (same value locally and in Spark)."""
    digest = hashlib.blake2b(f"{stream}\x00{skeleton}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


@dataclass(slots=True)
class Features:
    """What verification needs for each document, indexed by document number."""

    streams: list[str]
    skeletons: list[str]
    sig_char: sketch.U32
    sig_skel: sketch.U32
    usable: Bool  # long enough and kept enough n-grams to be clustered
    weights: I64  # messages each document stands for
    skel_ok: Bool  # skeleton long enough for structure to count


def df_cap(n_docs: int, max_df: float) -> float:
    """Most documents a shingle may be in before it counts as ubiquitous."""
    return max(20.0, max_df * n_docs)


def ubiquitous(counts: npt.NDArray[np.int64], n_docs: int, max_df: float) -> Bool:
    """DF buckets whose shingles are in more than `max_df` of the documents."""
    flags: Bool = counts > df_cap(n_docs, max_df)
    return flags


def sign(
    streams: Sequence[str],
    skeletons: Sequence[str],
    zh: Bool,
    params: Params,
    ubiq_char: Bool | None,
    ubiq_skel: Bool | None,
) -> tuple[sketch.U32, sketch.U32, I64]:
    """Signatures of both channels for documents; also the char n-grams kept per document."""
    n = len(streams)
    k = params.bins
    sig_char = np.full((n, k), sketch.EMPTY, dtype=np.uint32)
    kept = np.zeros(n, dtype=np.int64)
    for mask, gram in ((~zh, params.ngram_en), (zh, params.ngram_zh)):
        idx = np.flatnonzero(mask)
        if idx.size:
            part = [streams[i] for i in idx.tolist()]
            s = sketch.signatures(part, gram, params.seed, k, ubiq_char)
            sig_char[idx] = s.sig
            kept[idx] = s.kept
    skel = sketch.signatures(skeletons, params.ngram_skeleton, params.seed + 1, k, ubiq_skel)
    return sig_char, skel.sig, kept


def char_df(streams: Sequence[str], zh: Bool, params: Params) -> npt.NDArray[np.int64]:
    counts = np.zeros(1 << sketch.DF_BITS, dtype=np.int64)
    for mask, gram in ((~zh, params.ngram_en), (zh, params.ngram_zh)):
        idx = np.flatnonzero(mask)
        if idx.size:
            counts += sketch.df_counts([streams[i] for i in idx.tolist()], gram, params.seed)
    return counts


def skel_df(skeletons: Sequence[str], params: Params) -> npt.NDArray[np.int64]:
    return sketch.df_counts(skeletons, params.ngram_skeleton, params.seed + 1)


def band_pairs(sig: sketch.U32, valid: Bool, band: int, rows: int) -> tuple[I64, I64]:
    """Candidate pairs (pivot, member) from one LSH band; pivot is the earlier document."""
    idx = np.flatnonzero(valid)
    if idx.size < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    keys = sketch.band_keys(sig[idx], band, rows)
    order = np.argsort(keys, kind="stable")  # stable: documents stay in rank order
    ks = keys[order]
    new = np.ones(len(ks), dtype=np.bool_)
    new[1:] = ks[1:] != ks[:-1]
    first = np.maximum.accumulate(np.where(new, np.arange(len(ks)), 0))
    member = ~new
    return idx[order[first[member]]], idx[order[member]]


def score_pairs(a: I64, b: I64, f: Features) -> F32:
    """Similarity of document pairs in [0, 1] (see Params.threshold for the definition)."""
    if len(a) == 0:
        return np.zeros(0, dtype=np.float32)
    jc = sketch.similarity(f.sig_char, a, b)
    rc = _ratio([f.streams[i] for i in a], [f.streams[i] for i in b])
    content = np.maximum(jc, rc)
    both = f.skel_ok[a] & f.skel_ok[b]
    score = content
    if both.any():
        sa, sb = a[both], b[both]
        rs = _ratio([f.skeletons[i] for i in sa], [f.skeletons[i] for i in sb])
        structure = (rc[both] + rs) / 2
        score = content.copy()
        score[both] = np.maximum(content[both], structure)
    return score.astype(np.float32)


def _ratio(left: list[str], right: list[str]) -> F32:
    out = process.cpdist(left, right, scorer=fuzz.ratio, workers=-1, dtype=np.float32)
    return np.asarray(out, dtype=np.float32) / np.float32(100.0)


def components(n: int, a: I64, b: I64) -> I64:
    """Connected-component label of each of n nodes, given the edges (a, b)."""
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    out: I64 = np.asarray(labels, dtype=np.int64)
    return out


def link(f: Features, params: Params) -> I64:
    """Band by band: candidates, minus pairs already connected, verified, merged.

    Returns the component of each document, named by its smallest (best-ranked) member.
    """
    n = len(f.streams)
    labels = np.arange(n, dtype=np.int64)
    channels = (
        (f.sig_char, f.usable, params.rows_char),
        (f.sig_skel, f.usable & f.skel_ok, params.rows_skeleton),
    )
    nodes = np.arange(n, dtype=np.int64)
    for sig, valid, rows in channels:
        for band in range(params.bins // rows):
            a, b = band_pairs(sig, valid, band, rows)
            open_ = labels[a] != labels[b]
            a, b = a[open_], b[open_]
            if a.size == 0:
                continue
            ok = score_pairs(a, b, f) >= np.float32(params.threshold)
            if ok.any():
                ea = np.concatenate([nodes, a[ok]])
                eb = np.concatenate([labels, b[ok]])
                labels = _root_labels(components(n, ea, eb))
    return labels


def _root_labels(labels: I64) -> I64:
    """Relabel so each component is named by its smallest member (its best-ranked one)."""
    first = np.full(labels.max() + 1, len(labels), dtype=np.int64)
    np.minimum.at(first, labels, np.arange(len(labels), dtype=np.int64))
    out: I64 = first[labels]
    return out


def guard(members: I64, f: Features, params: Params) -> list[I64]:
    """Split a component into groups whose members all reach `guard` with the group medoid.

    Only membership and features are used (not which edges were verified), so the Spark job,
    which verifies every candidate, gets the same groups. `members` must be sorted.
    """
    groups: list[I64] = []
    rest = members
    for _ in range(params.max_peel):
        if rest.size < 2:
            break
        if rest.size == 2:
            score = score_pairs(rest[:1], rest[1:], f)
            if score[0] >= params.guard:
                groups.append(rest)
            break
        medoid = _medoid(rest, f, params.medoid_sample, params.threshold)
        score = score_pairs(np.full(rest.size, medoid, dtype=np.int64), rest, f)
        keep = (score >= np.float32(params.guard)) | (rest == medoid)
        if keep.sum() >= 2:
            groups.append(rest[keep])
        rest = rest[~keep]
    return groups


def _medoid(members: I64, f: Features, sample: int, threshold: float) -> int:
    """The member with the most near-duplicate mass in a sample of the best-ranked members.

    Mass is the sum of similarity above `threshold`: a text that bridges two scripts is
    moderately like everything and has little of it; a canonical form of a script has much.
    """
    head = members[:sample]
    ia, ib = np.meshgrid(head, head, indexing="ij")
    scores = score_pairs(ia.ravel(), ib.ravel(), f).reshape(len(head), len(head))
    mass = np.clip(scores - np.float32(threshold), 0, None).sum(axis=1)
    return int(head[int(np.argmax(mass))])


def clusters_from_labels(labels: I64, f: Features, params: Params) -> I64:
    """Cluster label per document (-1: not clustered) from component labels, after the guard.

    A cluster is named by its smallest member.
    """
    n = len(labels)
    out = np.full(n, -1, dtype=np.int64)
    sizes = np.bincount(labels, minlength=n)
    # A usable document standing for two or more identical messages is a cluster by itself.
    alone = (sizes[labels] == 1) & f.usable & (f.weights >= 2)
    out[alone] = np.flatnonzero(alone)
    multi = np.flatnonzero(sizes[labels] >= 2)
    if multi.size == 0:
        return out
    order = multi[np.argsort(labels[multi], kind="stable")]
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    for comp in np.split(order, bounds):
        for group in guard(np.sort(comp), f, params):
            out[group] = group[0]
    return out


@dataclass(slots=True)
class DocTable:
    """Distinct masked documents in rank order, and how raw texts map onto them."""

    keys: list[int]
    weights: I64
    streams: list[str]
    skeletons: list[str]
    zh: Bool
    weight_len: I64
    text_doc: I64  # for each distinct raw text, its document number


def build_docs(batch: PreparedBatch, counts: Sequence[int]) -> DocTable:
    """Merge texts with equal masked views; order documents by (-weight, key)."""
    index: dict[tuple[str, str], int] = {}
    first_text: list[int] = []
    text_doc = np.empty(len(batch.streams), dtype=np.int64)
    weights: list[int] = []
    for i, view in enumerate(zip(batch.streams, batch.skeletons, strict=True)):
        d = index.get(view)
        if d is None:
            d = index[view] = len(first_text)
            first_text.append(i)
            weights.append(0)
        weights[d] += counts[i]
        text_doc[i] = d
    keys = [doc_key(batch.streams[i], batch.skeletons[i]) for i in first_text]
    w = np.asarray(weights, dtype=np.int64)
    rank = sorted(range(len(keys)), key=lambda d: (-weights[d], keys[d]))
    pos = np.empty(len(rank), dtype=np.int64)
    pos[np.asarray(rank, dtype=np.int64)] = np.arange(len(rank), dtype=np.int64)
    src = [first_text[d] for d in rank]
    return DocTable(
        keys=[keys[d] for d in rank],
        weights=w[np.asarray(rank, dtype=np.int64)] if rank else w,
        streams=[batch.streams[i] for i in src],
        skeletons=[batch.skeletons[i] for i in src],
        zh=np.asarray([batch.zh[i] for i in src], dtype=np.bool_),
        weight_len=np.asarray([batch.weight_len[i] for i in src], dtype=np.int64),
        text_doc=pos[text_doc] if len(text_doc) else text_doc,
    )


def features(docs: DocTable, params: Params) -> Features:
    """Signatures and flags of all documents (only long enough ones are signed)."""
    n = len(docs.streams)
    long_enough = docs.weight_len >= params.min_length
    idx = np.flatnonzero(long_enough)
    streams = [docs.streams[i] for i in idx]
    skels = [docs.skeletons[i] for i in idx]
    zh = docs.zh[idx]
    ubiq_c = ubiquitous(char_df(streams, zh, params), len(idx), params.max_df)
    ubiq_s = ubiquitous(skel_df(skels, params), len(idx), params.max_df_skeleton)
    sc, ss, kept = sign(streams, skels, zh, params, ubiq_c, ubiq_s)
    sig_char = np.full((n, params.bins), sketch.EMPTY, dtype=np.uint32)
    sig_skel = np.full((n, params.bins), sketch.EMPTY, dtype=np.uint32)
    sig_char[idx] = sc
    sig_skel[idx] = ss
    usable = np.zeros(n, dtype=np.bool_)
    usable[idx] = kept >= params.min_shingles
    skel_len = np.fromiter((len(s) for s in docs.skeletons), dtype=np.int64, count=n)
    skel_ok = (skel_len >= params.min_skeleton) & (sig_skel[:, 0] != sketch.EMPTY)
    return Features(docs.streams, docs.skeletons, sig_char, sig_skel, usable, docs.weights, skel_ok)


def cluster_docs(f: Features, params: Params) -> I64:
    """The whole clustering on prepared documents: label per document, -1 when alone."""
    return clusters_from_labels(link(f, params), f, params)

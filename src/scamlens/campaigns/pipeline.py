"""The local path: cluster a table of messages and summarise scripts and indicators."""

from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from scamlens.campaigns import engine, ioc
from scamlens.campaigns.engine import I64
from scamlens.campaigns.params import Params
from scamlens.campaigns.prep import PreparedBatch, prepare_many
from scamlens.campaigns.records import MessageTable, iso, parse_time
from scamlens.campaigns.rings import IndicatorSummary, ScriptSummary, Variant
from scamlens.text.normalize import detect_language


@dataclass(slots=True)
class Clustering:
    """Messages -> distinct texts -> documents -> script clusters, with the features used."""

    table: MessageTable
    text_of: I64  # message -> distinct text
    texts: list[str]
    counts: I64
    batch: PreparedBatch
    docs: engine.DocTable
    features: engine.Features
    doc_cluster: I64  # document -> cluster (its best-ranked document), -1 when alone
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def message_cluster(self) -> I64:
        out: I64 = self.doc_cluster[self.docs.text_doc[self.text_of]]
        return out


def distinct(texts: Sequence[str]) -> tuple[list[str], I64, I64]:
    """Distinct texts (first-seen order), message -> text index, and messages per text."""
    index: dict[str, int] = {}
    text_of = np.empty(len(texts), dtype=np.int64)
    for i, t in enumerate(texts):
        j = index.get(t)
        if j is None:
            j = index[t] = len(index)
        text_of[i] = j
    counts = np.bincount(text_of, minlength=len(index)).astype(np.int64)
    return list(index), text_of, counts


_CHUNK = 25_000


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def parallel(fn: Callable[[Sequence[Any]], Any], items: Sequence[Any], workers: int) -> list[Any]:
    """fn over chunks of items in `workers` fresh processes when that pays (else inline).

    Per-text work (folding, masking, indicator extraction) is pure Python, so processes, not
    threads, are what use a second core. Workers come from a fork server (or are spawned): they
    do not inherit the parent's memory, so memory stays parent + a small process per worker.
    Results come back in chunk order.
    """
    if workers <= 1 or len(items) < 2 * _CHUNK:
        return [fn(items)]
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        return list(pool.map(fn, _chunks(items)))


def _prepare_chunk(texts: Sequence[str]) -> PreparedBatch:
    return prepare_many(texts)


def prepare_parallel(texts: Sequence[str], workers: int = 1) -> PreparedBatch:
    parts = parallel(_prepare_chunk, texts, workers)
    if len(parts) == 1:
        out: PreparedBatch = parts[0]
        return out
    merged = PreparedBatch([], [], [], [], [])
    for part in parts:
        merged.streams.extend(part.streams)
        merged.skeletons.extend(part.skeletons)
        merged.zh.extend(part.zh)
        merged.weight_len.extend(part.weight_len)
        merged.found.extend(part.found)
    return merged


def cluster_table(
    table: MessageTable, params: Params | None = None, workers: int = 1
) -> Clustering:
    """Script clusters of the messages in `table` (`workers` processes for per-text work)."""
    params = params or Params()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    texts, text_of, counts = distinct(table.texts)
    timings["distinct"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    batch = prepare_parallel(texts, workers)
    timings["prepare"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    docs = engine.build_docs(batch, counts.tolist())
    timings["documents"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    feats = engine.features(docs, params)
    timings["sketch"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    labels = engine.link(feats, params)
    timings["link"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    doc_cluster = engine.clusters_from_labels(labels, feats, params)
    timings["guard"] = time.perf_counter() - t0
    return Clustering(table, text_of, texts, counts, batch, docs, feats, doc_cluster, timings)


def best_texts(texts: Sequence[str], counts: I64, text_doc: I64, n_docs: int) -> list[int]:
    """For each document, its most frequent raw text (ties: the smallest string)."""
    best = [-1] * n_docs
    for i, d in enumerate(text_doc.tolist()):
        j = best[d]
        if j < 0 or counts[i] > counts[j] or (counts[i] == counts[j] and texts[i] < texts[j]):
            best[d] = i
    return best


def doc_language(text: str) -> str:
    if text.isascii():
        return "en" if any(ch.isalpha() for ch in text) else "unknown"
    return detect_language(text)


def _groups(labels: I64) -> list[I64]:
    """Indices grouped by label (labels >= 0), groups in label order, indices ascending."""
    idx = np.flatnonzero(labels >= 0)
    if idx.size == 0:
        return []
    order = idx[np.argsort(labels[idx], kind="stable")]
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    return list(np.split(order, bounds))


def _times(values: Iterable[str | None]) -> tuple[str | None, str | None]:
    found = [p for v in set(values) if v and (p := iso_time(v))]
    return (min(found), max(found)) if found else (None, None)


def script_id(key: int) -> str:
    return f"s{key:016x}"


def cluster_info(
    members: I64, f: engine.Features, best: Sequence[str], n_variants: int
) -> tuple[tuple[Variant, ...], tuple[str, ...]]:
    """Variants (the best-ranked member forms with their similarity to the representative,
    which is members[0]) and languages of a cluster. Shared with the Spark job."""
    rep = int(members[0])
    top = members[:n_variants]
    sims = engine.score_pairs(np.full(len(top), rep, dtype=np.int64), top, f)
    variants = tuple(
        Variant(best[int(d)], int(f.weights[d]), round(float(min(s, 1.0)), 3))
        for d, s in zip(top, sims, strict=True)
    )
    langs = tuple(sorted({doc_language(best[int(d)]) for d in members[:200]}))
    return variants, langs


def make_script(
    key: int,
    variants: tuple[Variant, ...],
    languages: tuple[str, ...],
    forms: int,
    ids: Iterable[str],
    accounts: Iterable[str],
    conversations: Iterable[str | None],
    platforms: Iterable[str | None],
    times: Iterable[str | None],
) -> ScriptSummary:
    """A script summary from a cluster's facts (both the local path and Spark call this)."""
    found = [t for t in times if t]
    return ScriptSummary(
        id=script_id(key),
        message_ids=tuple(sorted(ids)),
        accounts=tuple(sorted(set(accounts))),
        conversations=tuple(sorted({c for c in conversations if c})),
        platforms=tuple(sorted({p for p in platforms if p})),
        representative=variants[0].text,
        variants=variants,
        forms=forms,
        languages=languages,
        first_seen=min(found) if found else None,
        last_seen=max(found) if found else None,
    )


def iso_time(value: str | None) -> str | None:
    return iso(parse_time(value))


def script_summaries(cl: Clustering, n_variants: int = 5) -> list[ScriptSummary]:
    """One summary per script cluster, largest first."""
    table = cl.table
    docs = cl.docs
    best_idx = best_texts(cl.texts, cl.counts, docs.text_doc, len(docs.keys))
    best = [cl.texts[i] for i in best_idx]
    msg_doc = docs.text_doc[cl.text_of]
    msgs_by_cluster = {int(cl.doc_cluster[msg_doc[g[0]]]): g for g in _groups(cl.message_cluster)}
    times: dict[str | None, str | None] = {}
    out: list[ScriptSummary] = []
    for members in _groups(cl.doc_cluster):
        rep = int(members[0])
        msgs = msgs_by_cluster[rep].tolist()
        variants, langs = cluster_info(members, cl.features, best, n_variants)
        stamps = []
        for i in msgs:
            raw = table.timestamps[i]
            if raw not in times:
                times[raw] = iso_time(raw)
            stamps.append(times[raw])
        out.append(
            make_script(
                docs.keys[rep],
                variants,
                langs,
                len(members),
                (table.ids[i] for i in msgs),
                (table.accounts[i] for i in msgs),
                (table.conversations[i] for i in msgs),
                (table.platforms[i] for i in msgs),
                stamps,
            )
        )
    out.sort(key=lambda s: (-s.size, s.id))
    return out


def indicator_summaries(
    table: MessageTable,
    text_of: I64,
    per_text: Sequence[tuple[tuple[str, str], ...]],
    extra: Iterable[tuple[str, str, str]] = (),
    hidden: Mapping[int, tuple[tuple[str, str], ...]] | None = None,
) -> list[IndicatorSummary]:
    """Indicators with the accounts, conversations and messages that use them.

    `extra` adds (account, type, value) tuples known from elsewhere (no message attached).
    `hidden` (message -> indicators of its hidden link targets, see `link_indicators`) adds
    those a message's text does not already give; such messages are also listed in the
    summary's `hidden_message_ids`. A message counts once per indicator either way.
    """
    found: dict[tuple[str, str], list[int]] = {}
    for i, t in enumerate(text_of.tolist()):
        for key in per_text[t]:
            found.setdefault(key, []).append(i)
    behind: dict[tuple[str, str], list[int]] = {}
    for i, keys in sorted((hidden or {}).items()):
        in_text = per_text[int(text_of[i])]
        for key in keys:
            if key not in in_text:
                found.setdefault(key, []).append(i)
                behind.setdefault(key, []).append(i)
    extra_accounts: dict[tuple[str, str], set[str]] = {}
    for account, kind, value in extra:
        extra_accounts.setdefault((kind, value), set()).add(account)
    out: list[IndicatorSummary] = []
    for key in sorted(set(found) | set(extra_accounts)):
        msgs = found.get(key, [])
        first, last = _times(table.timestamps[i] for i in msgs)
        accounts = {table.accounts[i] for i in msgs} | extra_accounts.get(key, set())
        out.append(
            IndicatorSummary(
                type=key[0],
                value=key[1],
                accounts=tuple(sorted(accounts)),
                conversations=tuple(sorted({c for i in msgs if (c := table.conversations[i])})),
                message_ids=tuple(sorted(table.ids[i] for i in msgs)),
                first_seen=first,
                last_seen=last,
                hidden_message_ids=tuple(sorted(table.ids[i] for i in behind.get(key, []))),
            )
        )
    return out


def _link_chunk(source: ioc.Source, links: Sequence[str]) -> list[tuple[tuple[str, str], ...]]:
    return ioc.for_links(links, ioc.resolve(source))


def link_indicators(
    table: MessageTable, source: ioc.Source | ioc.IndicatorFn, workers: int = 1
) -> dict[int, tuple[tuple[str, str], ...]]:
    """Message -> indicators of its hidden link targets (only messages that have any), found by
    the same extractor as the texts. Each distinct link is scanned once."""
    distinct_links = list(dict.fromkeys(link for links in table.links for link in links))
    if not distinct_links:
        return {}
    if callable(source):
        parts = [ioc.for_links(distinct_links, source)]
    else:
        parts = parallel(partial(_link_chunk, source), distinct_links, workers)
    of_link = dict(zip(distinct_links, (x for part in parts for x in part), strict=True))
    out: dict[int, tuple[tuple[str, str], ...]] = {}
    for i, links in enumerate(table.links):
        keys = tuple(dict.fromkeys(k for link in links for k in of_link[link]))
        if keys:
            out[i] = keys
    return out


def _indicator_chunk(
    source: ioc.Source, pairs: Sequence[tuple[str, tuple[tuple[str, str], ...]]]
) -> list[tuple[tuple[str, str], ...]]:
    return ioc.for_texts([t for t, _ in pairs], [f for _, f in pairs], ioc.resolve(source))


def text_indicators(
    cl: Clustering, source: ioc.Source | ioc.IndicatorFn, workers: int = 1
) -> list[tuple[tuple[str, str], ...]]:
    """Indicators of each distinct text (forked workers only for a named source)."""
    if callable(source):
        return ioc.for_texts(cl.texts, cl.batch.found, source)
    # Only texts that can hold an indicator travel to the workers.
    todo = [i for i, f in enumerate(cl.batch.found) if f or ioc.may_hold_phone(cl.texts[i])]
    pairs = [(cl.texts[i], cl.batch.found[i]) for i in todo]
    parts = parallel(partial(_indicator_chunk, source), pairs, workers)
    out: list[tuple[tuple[str, str], ...]] = [()] * len(cl.texts)
    for i, found in zip(todo, (x for part in parts for x in part), strict=True):
        out[i] = found
    return out

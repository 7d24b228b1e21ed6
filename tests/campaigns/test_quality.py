"""Clustering quality on the generated spun corpus, against the word-5-gram MinHash baseline."""

from __future__ import annotations

from collections import defaultdict

from scamlens.campaigns import baseline, pipeline
from scamlens.campaigns.evaluate import pairwise
from scamlens.campaigns.records import MessageTable
from scamlens.campaigns.synth import SynthMessage


def _table(corpus: list[SynthMessage]) -> MessageTable:
    table = MessageTable()
    for m in corpus:
        table.append(m.id, m.account, m.text, m.conversation, m.timestamp, m.platform)
    return table


def test_spun_scripts_cluster_well_and_beat_the_baseline(corpus: list[SynthMessage]) -> None:
    truth = [m.script for m in corpus]
    labels = pipeline.cluster_table(_table(corpus)).message_cluster.tolist()
    ours = pairwise(truth, labels)
    assert ours.precision >= 0.97
    assert ours.recall >= 0.9
    plain = pairwise(truth, baseline.cluster([m.text for m in corpus], threshold=0.5).tolist())
    assert plain.f1 < ours.f1 - 0.3
    # No cluster may hold two scam scripts, or a scam script and a benign template.
    held: dict[int, set[str]] = defaultdict(set)
    for m, c in zip(corpus, labels, strict=True):
        if c >= 0 and m.script:
            held[c].add(m.script)
    assert all(len(scripts) == 1 for scripts in held.values())


def test_spun_messages_find_their_script(corpus: list[SynthMessage]) -> None:
    labels = pipeline.cluster_table(_table(corpus)).message_cluster.tolist()
    by_script: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for m, c in zip(corpus, labels, strict=True):
        if m.script and c >= 0:
            by_script[m.script][c] += 1
    main = {s: max(counts, key=lambda c: counts[c]) for s, counts in by_script.items()}
    hits: dict[str, list[bool]] = defaultdict(list)
    for m, c in zip(corpus, labels, strict=True):
        if m.script and not m.script.startswith("benign"):
            hits[m.variant].append(c == main.get(m.script))
    rate = {v: sum(h) / len(h) for v, h in hits.items()}
    assert rate["verbatim"] >= 0.99
    assert rate["spun"] >= 0.97
    assert rate.get("spun+obfuscated", 1.0) >= 0.95
    assert rate["spun+paraphrased"] >= 0.8

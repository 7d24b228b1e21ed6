"""Rule matching alone: microseconds a message, with and without the C literal trees.

    python bench/bench_rules.py [--conversations 30] [--rounds 3]

Texts are the novel chats of bench_analyze.py (an example message followed by the first words
of another: text the process has never seen, as real traffic is). Each round builds two fresh
matchers (RE2 keeps the DFA states it has met, so a matcher that had seen the texts would be
flattered): one with the C extension (one pass finds every literal, the rules whose literal
trees hold are searched: the default where it is built) and one on the Python path (an RE2
Set of the rules' OR-set literals, every rule it names searched). Both are timed on new texts
(first sight) and on the same texts again; the order alternates between rounds.
Prints candidates and kept rules a message, then the times.
"""

from __future__ import annotations

import argparse
import time

from bench_analyze import conversation, novel_conversations

from scamlens.detect.matcher import Matcher
from scamlens.detect.rulepack import load_rulepack
from scamlens.text.normalize import fold


def texts(count: int, seed: int) -> list[str]:
    chats = novel_conversations(conversation(200), count, seed=seed)
    return [fold(m.text) for c in chats for m in c.messages]


def timed(matcher: Matcher, folded: list[str]) -> float:
    """CPU microseconds a message."""
    t0 = time.process_time()
    for t in folded:
        matcher.match_ids(t)
    return (time.process_time() - t0) / len(folded) * 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--conversations", type=int, default=30, help="novel chats a round")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    pack = load_rulepack()
    probe = Matcher(pack)
    if probe._trees is None:
        print("the C extension _trees is not built: nothing to compare")
        return
    sample = texts(args.conversations, seed=99)
    named = kept = 0
    for t in sample:
        data = t.encode("utf-8")
        found = probe._literals(data)
        named += len({i for f in found for i in probe._by_literal[f]})
        kept += len(probe._trees.candidates(data))
    hits = sum(len(probe.match_ids(t)) for t in sample)
    n = len(sample)
    print(f"# {n} novel messages, {sum(len(t.encode()) for t in sample) / n:.0f} bytes each")
    print(
        f"rules a message: {named / n:.2f} named by the literal Set, {kept / n:.2f} left by "
        f"the trees, {hits / n:.2f} match"
    )
    for r in range(args.rounds):
        folded = texts(args.conversations, seed=r + 1)
        with_trees = Matcher(pack)
        without = Matcher(pack)
        without._trees = None
        order = [("C", with_trees), ("Python", without)]
        if r % 2:
            order.reverse()
        for label, m in order:
            first = timed(m, folded)
            again = timed(m, folded)
            print(f"round {r + 1} {label:9s} first sight {first:6.2f} us/msg, again {again:6.2f}")


if __name__ == "__main__":
    main()

"""CPU cost of the engine itself: `Engine.analyze` on a 200-message conversation and
`Engine.score_batch` on short texts, in process (no service, no ingest in the timing).

The conversation is stitched from the example chats (distinct texts, timestamps kept, each
chat's own speakers), so caches keyed on text would not flatter the figure. The batch texts are
every example message plus the lines of examples/batch.jsonl, deduplicated.

    python bench/bench_analyze.py [--messages 200] [--repeat 20] [--batches 8,32] [--profile]

`analyze+intel` is the engine as the service runs it (`scamlens.api.intel_engine`): indicator
extraction and look-ups in an intelligence store (an empty one, in a temporary directory).
`analyze_many` is how the service analyses requests that queue together: each batch holds
distinct conversations (every message tagged with its conversation's number, so no text repeats
across them), timed against analysing the same conversations one by one.

The rows above time the same texts again and again, which the rule matcher's lazily built DFAs
have met before. `novel` times conversations whose every text is new to the process (an example
message followed by the first words of another, a random choice each), one pass each, as real
traffic is: that is the figure to expect on chats nobody has sent before.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import resource
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from scamlens.api import intel_engine, load_chats
from scamlens.model import Conversation, Message
from scamlens.scoring.engine import default_engine

REPO = Path(__file__).resolve().parents[1]


def example_chats() -> list[list[Message]]:
    """Text messages of every example chat, in file order, distinct by text across chats."""
    seen: set[str] = set()
    chats: list[list[Message]] = []
    for path in sorted((REPO / "examples").glob("*/**/*")):
        if not path.is_file() or path.parent.name == "texts":
            continue
        for conv in load_chats(path):
            msgs = []
            for m in conv.messages:
                if m.text.strip() and m.text not in seen:
                    seen.add(m.text)
                    is_user = m.sender == conv.me if conv.me else m.is_user
                    msgs.append(replace(m, is_user=is_user))
            chats.append(msgs)
    return chats


def conversation(n: int, block: int = 20) -> Conversation:
    """`n` messages taken `block` at a time from each example chat in turn (scam and benign
    mixed, both speakers), renumbered."""
    chats = example_chats()
    picked: list[Message] = []
    start = 0
    while len(picked) < n and any(start < len(c) for c in chats):
        for c in chats:
            picked.extend(c[start : start + block])
        start += block
    msgs = tuple(replace(m, index=i) for i, m in enumerate(picked[:n]))
    return Conversation(messages=msgs, source_format="bench", me="bench-user")


def tagged(conv: Conversation, k: int) -> Conversation:
    """`conv` with every message's text tagged with `k` (no text shared between batches)."""
    msgs = tuple(replace(m, text=f"{m.text} [{k}]") for m in conv.messages)
    return replace(conv, messages=msgs)


def novel_conversations(conv: Conversation, count: int, seed: int = 1) -> list[Conversation]:
    """`count` copies of `conv`, every text replaced by a new one (see the module doc)."""
    pool = [m.text for m in conv.messages]
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        msgs = []
        for m in conv.messages:
            words = pool[rng.randrange(len(pool))].split(" ")
            tail = " ".join(words[: rng.randint(1, len(words))])
            msgs.append(replace(m, text=f"{pool[rng.randrange(len(pool))]} {tail}"))
        out.append(replace(conv, messages=tuple(msgs)))
    return out


def batch_texts() -> list[str]:
    texts = [m.text for c in example_chats() for m in c]
    for line in (REPO / "examples" / "batch.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            texts.append(str(json.loads(line).get("text", "")))
    return list(dict.fromkeys(texts))


def per_call(fn: Callable[[], object], repeat: int, rounds: int = 20) -> tuple[float, ...]:
    """(wall s, CPU s, page faults) per call, best of `rounds` runs: the machine may be shared,
    and CPU time (user + system, this process) is what a server pays."""
    for _ in range(5):
        fn()
    best = (float("inf"), float("inf"), float("inf"))
    for _ in range(rounds):
        r0 = resource.getrusage(resource.RUSAGE_SELF)
        w0, c0 = time.perf_counter(), time.process_time()
        for _ in range(repeat):
            fn()
        w1, c1 = time.perf_counter(), time.process_time()
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - r0.ru_minflt
        run = ((w1 - w0) / repeat, (c1 - c0) / repeat, faults / repeat)
        best = min(best, run, key=lambda r: r[1])
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=20, help="calls per timed round")
    ap.add_argument("--batches", default="8,32", help="analyze_many batch sizes")
    ap.add_argument("--novel", type=int, default=40, help="conversations of new texts")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    eng = default_engine()
    conv = conversation(args.messages)
    texts = batch_texts()
    print(f"# conversation: {len(conv.messages)} distinct messages; batch: {len(texts)} texts")
    wall, cpu, faults = per_call(lambda: eng.analyze(conv), args.repeat)
    print(
        f"analyze      {cpu * 1e3:7.3f} ms CPU ({wall * 1e3:.3f} ms wall, {faults:.0f} page faults)"
        f" per {len(conv.messages)}-message conversation"
    )
    wall, cpu, faults = per_call(lambda: eng.score_batch(texts), max(1, args.repeat // 10))
    print(
        f"score_batch  {len(texts) / cpu:7.0f} texts/s of CPU ({len(texts) / wall:.0f} wall;"
        f" {cpu * 1e3:.2f} ms CPU, {faults:.0f} page faults per {len(texts)} texts)"
    )
    with tempfile.TemporaryDirectory() as home:
        with_intel = intel_engine(f"sqlite:///{home}/intel.db")
        wall, cpu, faults = per_call(lambda: with_intel.analyze(conv), args.repeat)
        print(
            f"analyze+intel {cpu * 1e3:6.3f} ms CPU ({wall * 1e3:.3f} ms wall,"
            f" {faults:.0f} page faults) per {len(conv.messages)}-message conversation,"
            " empty store"
        )
        for size in (int(v) for v in args.batches.split(",") if v):
            batch = [tagged(conv, k) for k in range(size)]
            one = per_call(lambda b=batch: [with_intel.analyze(c) for c in b], 1, rounds=5)[1]
            many = per_call(lambda b=batch: with_intel.analyze_many(b), 1, rounds=5)[1]
            print(
                f"analyze_many {size:3d} chats: {many / size * 1e3:6.3f} ms CPU a chat"
                f" ({one / size * 1e3:.3f} one by one: {one / many:.2f}x), with intel"
            )
        novel = novel_conversations(conv, args.novel)
        with_intel.analyze(novel[0])
        c0 = time.process_time()
        for c in novel[1:]:
            with_intel.analyze(c)
        cpu = (time.process_time() - c0) / (len(novel) - 1)
        print(f"novel        {cpu * 1e3:7.3f} ms CPU a chat of new texts (one pass each), intel")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(args.repeat):
            eng.analyze(conv)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()

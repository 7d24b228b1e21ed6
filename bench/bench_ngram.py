"""CPU cost of hashed character n-grams: the numpy path against the C kernel (`_ngram`).

Corpora: the folded texts of the example chats (distinct, file order), random English
messages and random Chinese messages. For each, 200-message batches (a chat as the service
sees it) and one large batch (batch scoring), hashed by `CharNgramHasher.transform` on both
paths; then the engine's `_model_scores` (hashing plus both models) on the examples, and the
models' part alone: the fused scoring kernel (`_ngram.score_csr`, scoring/fused.py) against
the numpy/scipy products, both after the C hashing kernel. Every
figure is CPU time (time.process_time), best of several rounds: the machine may be shared.
Both paths' matrices are checked equal before timing.

    python bench/bench_ngram.py [--rounds 15] [--batch 200]
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

from scamlens.api import load_chats
from scamlens.scoring import fused, hashing
from scamlens.scoring.engine import Engine, default_engine
from scamlens.scoring.hashing import CharNgramHasher
from scamlens.scoring.textmodel import TextModel
from scamlens.text.normalize import fold

REPO = Path(__file__).resolve().parents[1]
T = TypeVar("T")
_WORDS = [
    "hi",
    "dear",
    "how",
    "was",
    "your",
    "day",
    "I",
    "made",
    "some",
    "money",
    "today",
    "with",
    "my",
    "uncle",
    "on",
    "the",
    "platform",
    "you",
    "should",
    "try",
    "it",
    "deposit",
    "usdt",
    "withdraw",
    "the",
    "profit",
    "tax",
    "fee",
    "account",
    "verify",
    "customer",
    "service",
    "trust",
    "me",
    "love",
    "you",
    "good",
    "morning",
    "did",
    "you",
    "eat",
    "breakfast",
    "the",
    "market",
    "is",
    "up",
    "this",
    "week",
]


def example_texts() -> list[str]:
    seen: dict[str, None] = {}
    for path in sorted((REPO / "examples").glob("*/**/*")):
        if not path.is_file() or path.parent.name == "texts":
            continue
        for conv in load_chats(path):
            for m in conv.messages:
                if m.text.strip():
                    seen.setdefault(fold(m.text))
    return list(seen)


def random_english(n: int, rng: random.Random) -> list[str]:
    return [" ".join(rng.choices(_WORDS, k=rng.randint(2, 30))) for _ in range(n)]


def random_chinese(n: int, rng: random.Random) -> list[str]:
    common = [chr(c) for c in range(0x4E00, 0x4E00 + 2500)] + list("，。！？ ")
    return ["".join(rng.choices(common, k=rng.randint(2, 60))) for _ in range(n)]


def cpu_per_call(fn: Callable[[], object], repeat: int, rounds: int) -> tuple[float, float]:
    """(CPU seconds, minor page faults) per call, best of `rounds` runs of `repeat` calls."""
    fn()
    best = (float("inf"), 0.0)
    for _ in range(rounds):
        f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        c0 = time.process_time()
        for _ in range(repeat):
            fn()
        cpu = (time.process_time() - c0) / repeat
        faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0) / repeat
        best = min(best, (cpu, faults))
    return best


def on_path(native: bool, fn: Callable[[], T]) -> Callable[[], T]:
    def run() -> T:
        old = hashing.USE_NATIVE
        hashing.USE_NATIVE = native
        try:
            return fn()
        finally:
            hashing.USE_NATIVE = old

    return run


def same(texts: list[str], hasher: CharNgramHasher) -> bool:
    a = on_path(False, lambda: hasher.transform(texts))()
    b = on_path(True, lambda: hasher.transform(texts))()
    return bool(
        np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and a.data.tobytes() == b.data.tobytes()
    )


def compare(label: str, batches: list[list[str]], repeat: int, rounds: int) -> None:
    hasher = CharNgramHasher()
    if not all(same(b, hasher) for b in batches):
        raise SystemExit(f"{label}: the kernel's matrix differs from the numpy path's")
    n_texts = sum(len(b) for b in batches)
    chars = sum(len(t) for b in batches for t in b)

    def all_batches() -> None:
        for b in batches:
            hasher.transform(b)

    runs = {n: cpu_per_call(on_path(n, all_batches), repeat, rounds) for n in (False, True)}
    cpu = {n: r[0] for n, r in runs.items()}
    per = {n: r[0] / len(batches) * 1e6 for n, r in runs.items()}
    faults = {n: r[1] / len(batches) for n, r in runs.items()}
    print(
        f"{label:36s} numpy {per[False]:7.0f} µs {n_texts / cpu[False]:7.0f} texts/s "
        f"{faults[False]:4.0f} pf | kernel {per[True]:6.0f} µs {n_texts / cpu[True]:7.0f} texts/s "
        f"{faults[True]:4.0f} pf | x{cpu[False] / cpu[True]:.1f} ({chars / n_texts:.0f} chars/text)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=200, help="messages per chat-sized batch")
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if not hashing.HAVE_NATIVE:
        raise SystemExit("the C extension is not built: python setup.py build_ext --inplace")
    rng = random.Random(args.seed)
    eng = default_engine()  # loaded first, as in the service (it also warms the allocator)
    corpora = {
        "examples": example_texts(),
        "random English": random_english(2000, rng),
        "random Chinese": random_chinese(2000, rng),
    }
    print(
        f"# CPU time and minor page faults (pf) per batch, best of {args.rounds} rounds: "
        "numpy path vs C kernel"
    )
    for name, texts in corpora.items():
        size = args.batch
        batches = [texts[i : i + size] for i in range(0, len(texts) - size + 1, size)]
        compare(f"{name}, {size}-text batches", batches, 3, args.rounds)
        compare(f"{name}, one {len(texts)}-text batch", [texts], 1, max(3, args.rounds // 3))

    tm = eng.tactic_model
    texts = corpora["examples"][: args.batch]
    runs = {
        n: cpu_per_call(on_path(n, lambda: eng._model_scores(texts, True, tm)), 10, args.rounds)
        for n in (False, True)
    }
    print(
        f"{'engine _model_scores, ' + str(len(texts)) + ' texts':36s} "
        f"numpy {runs[False][0] * 1e6:7.0f} µs | kernel {runs[True][0] * 1e6:6.0f} µs "
        "(hashing + text model + tactic model)"
    )

    compare_fused(eng, corpora["examples"], args.batch, args.rounds)


def compare_fused(eng: Engine, texts: list[str], size: int, rounds: int) -> None:
    """`_model_scores` with and without the fused scoring kernel, per `size`-text batch (the
    C hashing kernel on in both); then the two models' part alone, on the hashed matrices."""
    tm = eng.tactic_model
    text_model = eng.text_model
    if tm is None or type(text_model) is not TextModel:
        print("fused scoring: the engine has no plain text model and tactic model; skipped")
        return
    batches = [texts[i : i + size] for i in range(0, len(texts) - size + 1, size)]
    mats = [text_model.transform(b) for b in batches]
    for x in mats:
        got = fused.fused_scores(text_model, tm, x)
        if got is None or (
            got[0].tobytes() != text_model.proba_hashed(x).tobytes()
            or got[1].tobytes() != tm.firing_proba(x).tobytes()
        ):
            raise SystemExit("fused scoring differs from the numpy/scipy path (or declined)")

    def scores(on: bool) -> Callable[[], None]:
        def run() -> None:
            old = fused.fused_scores
            if not on:
                fused.fused_scores = lambda *args: None
            try:
                for b in batches:
                    eng._model_scores(b, True, tm)
            finally:
                fused.fused_scores = old

        return on_path(True, run)

    def products(on: bool) -> Callable[[], None]:
        def run() -> None:
            for x in mats:
                if on:
                    fused.fused_scores(text_model, tm, x)
                else:
                    text_model.proba_hashed(x)
                    tm.firing_proba(x)

        return on_path(True, run)

    for label, make in (("_model_scores", scores), ("models only", products)):
        # Interleaved rounds: a noisy machine slows both sides alike.
        best = {False: float("inf"), True: float("inf")}
        for _ in range(rounds):
            for on in (False, True):
                best[on] = min(best[on], cpu_per_call(make(on), 5, 1)[0])
        per = {on: t / len(batches) * 1e6 for on, t in best.items()}
        print(
            f"{label + ', ' + str(size) + '-text batches':36s} numpy/scipy {per[False]:6.0f} µs | "
            f"fused {per[True]:6.0f} µs | saves {per[False] - per[True]:5.0f} µs "
            f"(x{per[False] / per[True]:.2f}, {len(batches)} batches)"
        )


if __name__ == "__main__":
    main()

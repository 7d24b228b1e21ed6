"""The language check of a verdict: microseconds a chat, with and without the C words.

    python bench/bench_language.py [--conversations 200] [--rounds 5]

`is_other_language` reads the first 2,000 characters of a chat's joined text (as
Engine.analyze does, `joined_head`) once a verdict; `score_batch` calls it once a text. The
heads are those of bench_analyze.py's novel chats (example messages followed by the first
words of others, English and Chinese mixed). Both paths are timed on the same heads, the order
alternating between rounds; their answers are compared first.
"""

from __future__ import annotations

import argparse
import time

from bench_analyze import conversation, novel_conversations

from scamlens.scoring.language import joined_head
from scamlens.text import language


def heads(count: int) -> list[str]:
    chats = novel_conversations(conversation(200), count, seed=3)
    return [joined_head(m.text for m in c.messages) for c in chats]


def timed(texts: list[str], native: bool, saved: object) -> float:
    """CPU microseconds a head."""
    language._native = saved if native else None  # type: ignore[assignment]
    t0 = time.process_time()
    for t in texts:
        language.is_other_language(t)
    return (time.process_time() - t0) / len(texts) * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--conversations", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    texts = heads(args.conversations)
    saved = language._native
    if saved is None:
        print("the C extension is not built: Python path only")
    else:
        c_answers = [language.is_other_language(t) for t in texts]
        language._native = None
        assert [language.is_other_language(t) for t in texts] == c_answers
    print(f"# {len(texts)} heads, {sum(map(len, texts)) / len(texts):.0f} characters each")
    for r in range(args.rounds):
        order = [False, True] if r % 2 == 0 else [True, False]
        figures = {n: timed(texts, n, saved) for n in order if n is False or saved is not None}
        line = f"round {r + 1}: Python path {figures[False]:6.1f} us a chat"
        if True in figures:
            line += f", C words {figures[True]:6.1f} us ({figures[False] / figures[True]:.1f}x)"
        print(line)
    language._native = saved


if __name__ == "__main__":
    main()

"""Benchmark `scamlens score` and `scamlens scan`: throughput and peak memory.

Generates a mixed corpus of short messages (synthetic scam and benign lines in English and
Chinese), runs the real CLI in a subprocess on one core, and prints messages a second and the
child's peak RSS for growing inputs (memory must stay flat). Then builds a 10,000-message
WhatsApp export and times `scamlens scan` on it.

    python bench/bench_score.py [--sizes 50000,200000] [--jobs 1] [--novel]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path


def corpus_lines(n: int, seed: int = 1, novel: bool = False) -> list[str]:
    """`n` messages drawn from 20,000 synthetic ones. `novel`: each is one of them followed by
    the first words of another, so texts almost never repeat (the rule matcher's lazily built
    DFAs meet new text, as on real traffic; drawn alone, the templates repeat a lot)."""
    from scamlens.train import synth

    base = [m.text for m in synth.generate_messages(min(n, 20000), seed)]
    rng = random.Random(seed)
    if not novel:
        return [base[rng.randrange(len(base))] for _ in range(n)]
    out = []
    for _ in range(n):
        words = base[rng.randrange(len(base))].split(" ")
        out.append(f"{base[rng.randrange(len(base))]} {' '.join(words[: rng.randint(1, 6)])}")
    return out


def write_jsonl(path: Path, texts: list[str]) -> int:
    with path.open("w", encoding="utf-8") as fh:
        for i, t in enumerate(texts):
            fh.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
    return path.stat().st_size


def run_child(cmd: list[str]) -> tuple[float, float]:
    """Run a command; return (seconds, peak RSS of that child in MiB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    dt = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the max over all children so far: run sizes in increasing order.
    return dt, max(after, before) / 1024


def whatsapp_export(path: Path, n: int, seed: int = 2, novel: bool = False) -> None:
    texts = corpus_lines(n, seed, novel)
    t = datetime(2024, 1, 3, 9, 0)
    with path.open("w", encoding="utf-8") as fh:
        fh.write(
            "1/3/24, 9:00\u202fAM - Messages and calls are end-to-end encrypted. No one outside "
            "of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n"
        )
        for i, text in enumerate(texts):
            t += timedelta(minutes=7)
            who = "Anna" if i % 2 else "David Chen"
            clock = t.strftime("%I:%M").lstrip("0")
            stamp = f"{t.month}/{t.day}/{t.strftime('%y')}, {clock}\u202f{t.strftime('%p')}"
            fh.write(f"{stamp} - {who}: {text}\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="50000,200000")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--novel", action="store_true", help="texts that almost never repeat")
    args = ap.parse_args()
    exe = [sys.executable, "-m", "scamlens.cli"]
    env_note = f"python {sys.version.split()[0]}, {os.cpu_count()} cores"
    texts = "novel texts" if args.novel else "synthetic texts, repeating"
    print(f"# scamlens score/scan benchmark ({env_note}; {texts})")
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        # Warm-up: startup cost (imports, model load) measured separately.
        small = tmpd / "warm.jsonl"
        write_jsonl(small, corpus_lines(10))
        startup, _ = run_child([*exe, "score", "-q", "-i", str(small), "-o", os.devnull])
        print(f"startup (10 texts end to end): {startup:.2f} s")
        for n in (int(s) for s in args.sizes.split(",")):
            path = tmpd / f"in-{n}.jsonl"
            size = write_jsonl(path, corpus_lines(n, novel=args.novel))
            dt, rss = run_child(
                [*exe, "score", "-q", "-j", str(args.jobs), "-i", str(path), "-o", os.devnull]
            )
            rate = n / max(dt - startup, 1e-9)
            print(
                f"score  n={n:>8}  {size / 1e6:6.1f} MB  {dt:6.2f} s  "
                f"{rate:9.0f} msg/s (excl. startup)  peak RSS {rss:6.0f} MiB  jobs={args.jobs}"
            )
        chat = tmpd / "chat.txt"
        whatsapp_export(chat, 10000, novel=args.novel)
        dt, rss = run_child([*exe, "scan", "--no-intel", "--format", "json", str(chat)])
        print(
            f"scan   10,000-message WhatsApp export  {dt:.2f} s (incl. startup)  "
            f"peak RSS {rss:.0f} MiB"
        )


if __name__ == "__main__":
    main()

"""Time to build and render a case report (JSON, HTML, PDF) for a 200- and a 5,000-message chat;
with --accuracy, the money-direction classifier against tests/casereport/money_directions.yaml.

Run: python bench/bench_casereport.py                      (timings; no assertions)
     python bench/bench_casereport.py --accuracy dev        (the half the rules are tuned on)
     python bench/bench_casereport.py --accuracy test       (the held-out half: score it rarely)
     python bench/bench_casereport.py --accuracy fresh      (a second held-out set, written later)
     python bench/bench_casereport.py --accuracy dev --mistakes   (each wrong row and its rule)
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime, timedelta

from scamlens.casereport import build_report, render
from scamlens.model import Conversation, Message

WALLET = "TPEz5xeh4ar361DZhoNyjrRcuYzFfXW9pK"
LINES = (
    ("Lena", "Good morning dear, did you sleep well? I made coffee and thought of you"),
    ("Karen", "Morning! Busy day at work, talk tonight"),
    ("Lena", "My aunt's platform nexora-gx.com made 2,400 USDT for me this week"),
    ("Karen", "I sent 5,000 USDT to the address you gave me"),
    ("Lena", "Deposit 30k USDT to " + WALLET + " for VIP, call me +44 7700 900123"),
    ("Karen", "They say I must pay 20% tax (19,242.80 USDT) before I can withdraw"),
    ("Lena", "Don't worry, just pay it, then you get everything back"),
    ("Karen", "ok, good night"),
)


def chat(n: int) -> Conversation:
    t0 = datetime(2025, 1, 1, 8, tzinfo=UTC)
    msgs = tuple(
        Message(
            index=i,
            sender=LINES[i % len(LINES)][0],
            text=LINES[i % len(LINES)][1],
            timestamp=t0 + timedelta(minutes=37 * i),
            is_user=LINES[i % len(LINES)][0] == "Karen",
        )
        for i in range(n)
    )
    return Conversation(msgs, "plain-named", ("Lena", "Karen"), me="Karen", platform="telegram")


def accuracy(halves: list[str], mistakes: bool) -> None:
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.casereport import moneyeval

    dev, test = moneyeval.split(moneyeval.load())
    parts = {"dev": dev, "test": test, "all": dev + test, "fresh": moneyeval.load(moneyeval.FRESH)}
    for name in halves:
        s = moneyeval.score(parts[name])
        print(moneyeval.table(s, f"{name} ({len(parts[name])} messages)"))
        for it, amount, truth, pred, cue in s.mistakes if mistakes else ():
            print(f"  line {it.line} [{it.role}] {amount!r}: {truth} -> {pred} ({cue})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accuracy", nargs="+", choices=("dev", "test", "all", "fresh"))
    ap.add_argument("--mistakes", action="store_true")
    args = ap.parse_args()
    if args.accuracy:
        accuracy(args.accuracy, args.mistakes)
        return
    timings()


def timings() -> None:
    from scamlens.api import analyze
    from scamlens.indicators import extract_conversation
    from scamlens.report.jsonout import indicator_dict, verdict_dict

    for n in (200, 5000):
        conv = chat(n)
        t = time.perf_counter()
        verdict = verdict_dict(analyze(conv))
        verdict["indicators"] = [indicator_dict(i) for i in extract_conversation(conv)]
        analyse_s = time.perf_counter() - t
        t = time.perf_counter()
        report = build_report(conv, verdict, redact=True)
        build_s = time.perf_counter() - t
        print(
            f"{n:>5} messages: analyse {analyse_s:6.2f}s (core, not casereport) · build "
            f"{build_s:6.3f}s · money rows {len(report.money)} · timeline {len(report.timeline)}"
        )
        for fmt in ("json", "html", "pdf"):
            t = time.perf_counter()
            data = render(report, fmt)
            took = time.perf_counter() - t
            print(f"        {fmt:<4} render {took:6.3f}s  {len(data) / 1024:8.0f} KiB")


if __name__ == "__main__":
    main()

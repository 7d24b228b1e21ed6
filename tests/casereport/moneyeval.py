"""Scoring of the money-direction classifier against tests/casereport/money_directions.yaml.

Each fixture message goes through the real report path (indicator extraction, false-amount
filter, casereport.builder) as one message of a chat; a labelled amount with no money row is
predicted "none". The fixture is split by a seeded hash of the message text into a dev half
(tuned on) and a test half (scored once). Used by test_money_accuracy.py and
bench/bench_casereport.py --accuracy.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

FIXTURE = Path(__file__).with_name("money_directions.yaml")
# Written after the rules were frozen; scored once, never tuned on (see its header).
FRESH = Path(__file__).with_name("money_directions_fresh.yaml")
SEED = "scamlens-money-directions-1"
DIRECTIONS = ("asked", "sent", "claimed_profit", "fee_or_tax", "mentioned")
CLASSES = (*DIRECTIONS, "none")
VICTIM, OTHER = "Karen Mitchell", "Lena Zhou"


@dataclass(frozen=True)
class Item:
    role: str  # v | o
    text: str
    labels: dict[str, str]  # raw amount -> true direction
    line: int


@dataclass
class Score:
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (true, predicted)
    # (item, amount, true, predicted, "rule: cue")
    mistakes: list[tuple[Item, str, str, str, str]] = field(default_factory=list)
    unlabelled: list[tuple[Item, str, str]] = field(default_factory=list)  # rows not in labels

    @property
    def total(self) -> int:
        return sum(self.confusion.values())

    @property
    def accuracy(self) -> float:
        right = sum(n for (t, p), n in self.confusion.items() if t == p)
        return right / self.total if self.total else 0.0

    def precision(self, c: str) -> float:
        pred = sum(n for (_, p), n in self.confusion.items() if p == c)
        return self.confusion[(c, c)] / pred if pred else float("nan")

    def recall(self, c: str) -> float:
        true = sum(n for (t, _), n in self.confusion.items() if t == c)
        return self.confusion[(c, c)] / true if true else float("nan")


def load(path: Path = FIXTURE) -> list[Item]:
    """The fixture's items, checked: roles, directions and that each amount is in its text."""
    text = path.read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    if not isinstance(raw, list):
        raise ValueError(f"{path}: expected a list of items")
    lines = [i + 1 for i, ln in enumerate(text.splitlines()) if ln.startswith("- ")]
    items = []
    for n, (entry, line) in enumerate(zip(raw, lines, strict=True)):
        where = f"{path}:{line} (item {n})"
        if not isinstance(entry, dict) or entry.get("r") not in ("v", "o"):
            raise ValueError(f"{where}: expected r: v|o")
        t, labels = entry.get("t"), entry.get("a")
        if not isinstance(t, str) or not isinstance(labels, dict) or not labels:
            raise ValueError(f"{where}: expected t: text and a: {{amount: direction}}")
        for amount, d in labels.items():
            if d not in CLASSES or str(amount) not in t:
                raise ValueError(f"{where}: bad label {amount!r}: {d!r}")
        items.append(Item(entry["r"], t, {str(k): str(v) for k, v in labels.items()}, line))
    return items


def half(item: Item) -> str:
    digest = hashlib.sha256(f"{SEED}\x00{item.text}".encode()).digest()
    return "dev" if digest[0] % 2 == 0 else "test"


def split(items: list[Item]) -> tuple[list[Item], list[Item]]:
    return [i for i in items if half(i) == "dev"], [i for i in items if half(i) == "test"]


def predict(items: list[Item]) -> list[dict[str, tuple[str, str, str]]]:
    """For each item, its money rows: raw -> (direction, rule, cue), via build_report."""
    from scamlens.casereport import build_report
    from scamlens.model import Conversation, Message

    t0 = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
    msgs = tuple(
        Message(
            index=n,
            sender=VICTIM if it.role == "v" else OTHER,
            text=it.text,
            timestamp=t0 + timedelta(minutes=n),
            is_user=it.role == "v",
            source_line=n + 1,
        )
        for n, it in enumerate(items)
    )
    conv = Conversation(
        messages=msgs,
        source_format="plain-named",
        participants=(OTHER, VICTIM),
        me=VICTIM,
        me_method="--me",
        platform="telegram",
    )
    verdict: dict[str, Any] = {"risk": 0.9, "label": "scam", "stage": "withdrawal_block"}
    report = build_report(conv, verdict)
    out: list[dict[str, tuple[str, str, str]]] = [{} for _ in items]
    for row in report.money:
        if row.message_index is not None:
            out[row.message_index][row.raw] = (row.direction, row.rule, row.cue)
    return out


def score(items: list[Item]) -> Score:
    s = Score()
    for it, rows in zip(items, predict(items), strict=True):
        for amount, truth in it.labels.items():
            pred, rule, cue = rows.get(amount, ("none", "", ""))
            s.confusion[(truth, pred)] += 1
            if pred != truth:
                s.mistakes.append((it, amount, truth, pred, f"{rule}: {cue}"))
        for amount, (pred, _, _) in rows.items():
            if amount not in it.labels:
                s.unlabelled.append((it, amount, pred))
    return s


def table(s: Score, name: str) -> str:
    """Accuracy, per-class precision/recall and the confusion matrix, as text."""
    lines = [f"{name}: {s.total} amounts, accuracy {s.accuracy:.3f}"]
    lines.append(f"  {'class':<15}{'prec':>7}{'recall':>8}{'n':>5}")
    for c in CLASSES:
        n = sum(v for (t, _), v in s.confusion.items() if t == c)
        lines.append(f"  {c:<15}{s.precision(c):>7.3f}{s.recall(c):>8.3f}{n:>5}")
    short = {c: c[:6] for c in CLASSES}
    lines.append("  true \\ pred    " + "".join(f"{short[c]:>8}" for c in CLASSES))
    for t in CLASSES:
        cells = "".join(f"{s.confusion[(t, p)]:>8}" for p in CLASSES)
        lines.append(f"  {t:<15}{cells}")
    if s.unlabelled:
        lines.append(f"  rows for amounts the fixture does not label: {len(s.unlabelled)}")
    return "\n".join(lines)

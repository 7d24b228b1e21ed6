"""Conversation-level features: what the risk model reads.

The features describe the sequence, not a bag of words: how strongly each stage is shown, how
far the conversation progressed, whether money came after rapport, what the learned text model
thinks of the other party's messages, and how much counter-evidence there is.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from scamlens.model import Message, Stage

STAGES = list(Stage)
MONEY_STAGES = frozenset(
    {
        Stage.INVESTMENT_PIVOT,
        Stage.ONBOARDING,
        Stage.FATTENING,
        Stage.ESCALATION,
        Stage.WITHDRAWAL_BLOCK,
        Stage.EXIT_RECOVERY,
    }
)
RAPPORT_STAGES = frozenset({Stage.CONTACT, Stage.OFF_PLATFORM, Stage.GROOMING})

SEQUENCE_NAMES: tuple[str, ...] = (
    "other_share",  # share of the other party's messages (known speakers only)
    "money_from_other",  # the first money-stage message came from the other party
    "days_to_money",  # log1p(days from the first message to the first money stage)
    "off_platform_first",  # an off-platform move came before the money talk
    "stage_order",  # stages first appear in lifecycle order (share of ordered pairs)
    "span_days",  # log1p(days the conversation spans)
    "burstiness",  # (sd - mean) / (sd + mean) of the gaps between messages
    "timed",  # 1 when two or more messages carry a timestamp (span and gaps are known)
)
FEATURE_NAMES: tuple[str, ...] = (
    *(f"stage_{s.value}" for s in STAGES),
    "n_tactics",
    "n_stages",
    "progress",
    "money_after_rapport",
    "late_stage",
    "model_max",
    "model_top3",
    "model_frac",  # mean text-model probability: the expected share of scam-like messages
    "counter_context",
    "user_doubt",
    "n_messages",
    "single_text",
    "intel",
    *SEQUENCE_NAMES,
)

# Domain knowledge the risk model may not contradict: more evidence never lowers the risk,
# context such as a quoted warning never raises it. (lower, upper) bounds on each weight
# (weights act on standardised features).
_EARLY = (Stage.CONTACT, Stage.OFF_PLATFORM, Stage.GROOMING)
WEIGHT_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    # Money stages are what makes a chat a pig-butchering scam rather than a romance: they get
    # a floor. Hook and grooming talk alone is what real couples sound like too: a ceiling.
    **{f"stage_{s.value}": (0.0, 1.0) for s in _EARLY},
    **{f"stage_{s.value}": (0.0, None) for s in Stage if s not in _EARLY},
    **{f"stage_{s.value}": (0.5, None) for s in Stage if s.order >= Stage.ONBOARDING.order},
    "n_tactics": (0.0, None),
    "n_stages": (0.0, None),
    "progress": (0.0, None),
    "money_after_rapport": (0.0, None),
    "late_stage": (0.0, None),
    "model_max": (0.0, None),
    "model_top3": (0.0, None),
    "model_frac": (0.0, None),
    "counter_context": (None, -0.5),
    "user_doubt": (-1.0, 1.0),
    # Length says little about a scam; keep synthetic length habits out of the model.
    "n_messages": (-0.25, 0.25),
    "single_text": (0.0, 0.0),  # constant within each part of the risk model
    # Sequence: the other party brings up money, after moving the chat off the platform, in
    # lifecycle order. These never lower risk. Span and burstiness are habits of the generator
    # as much as of scams: little say.
    "money_from_other": (0.0, None),
    "off_platform_first": (0.0, None),
    "stage_order": (0.0, None),
    "span_days": (-0.25, 0.25),
    "burstiness": (-0.5, 0.5),
    # A pasted chat has no timestamps: this offsets the zero span, gaps and days-to-money it
    # gets, so that being pasted is neither evidence for nor against a scam (unbounded: the
    # model learns it from untimed copies of every training chat, both labels alike).
    "timed": (None, None),
}
# In whole conversations the rules and the sequence lead; the text model, trained on short
# texts, only supports them (and long benign chats always hold a few scam-like lines).
CONVERSATION_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    **WEIGHT_BOUNDS,
    "model_max": (0.0, 0.5),
    "model_top3": (0.0, 0.5),
    "model_frac": (0.0, 1.0),
}
# No labelled data holds store hits, so their weight is a stated prior, not learned: a hit
# from a fully trusted source adds this much to the log-odds.
INTEL_LOGIT = 3.0


@dataclass(frozen=True, slots=True)
class TacticScore:
    tactic: str
    stage: Stage
    score: float


def noisy_or(values: Sequence[float]) -> float:
    p = 1.0
    for v in values:
        p *= 1.0 - min(max(v, 0.0), 1.0)
    return 1.0 - p


def stage_scores(tactics: Sequence[TacticScore]) -> dict[Stage, float]:
    """Noisy-OR of the distinct tactics' scores within each stage."""
    per: dict[Stage, list[float]] = {}
    for t in tactics:
        per.setdefault(t.stage, []).append(t.score)
    return {s: noisy_or(v) for s, v in per.items()}


def _days(a: datetime | None, b: datetime | None) -> float | None:
    if a is None or b is None:
        return None
    try:
        return max(0.0, (b - a).total_seconds() / 86400)
    except TypeError:  # one aware, one naive
        return None


def _gaps(stamps: Sequence[datetime | None]) -> list[float]:
    """`_days` between consecutive known timestamps, inlined (this runs on every message)."""
    gaps: list[float] = []
    prev: datetime | None = None
    for ts in stamps:
        if ts is None:
            continue
        if prev is not None:
            try:
                d = (ts - prev).total_seconds() / 86400
            except TypeError:  # one aware, one naive: no gap, as in `_days`
                pass
            else:
                gaps.append(d if d > 0.0 else 0.0)  # max(0.0, d)
        prev = ts
    return gaps


def mean_std(values: Sequence[float]) -> tuple[float, float]:
    """`(np.mean(a), np.std(a))` of a non-empty float64 array of `values`, bit for bit: the
    same reductions (pairwise sums) and divisions as numpy's `_mean` and `_var`, without their
    Python-level argument handling, which costs more than the sums on a chat's few hundred."""
    arr = np.asarray(values, dtype=np.float64)
    n = arr.size
    mean = float(np.add.reduce(arr)) / n
    dev = arr - mean
    np.multiply(dev, dev, out=dev)
    return mean, math.sqrt(float(np.add.reduce(dev)) / n)


def sequence_features(msgs: Sequence[Message], events: Sequence[tuple[int, Stage]]) -> list[float]:
    """Timing and speaker features (`SEQUENCE_NAMES`) of a conversation.

    `msgs`: the conversation's text messages in order; `events`: (position in `msgs`, stage)
    of each piece of non-counter evidence. A single text gets zeros.
    """
    if len(msgs) <= 1:
        return [0.0] * len(SEQUENCE_NAMES)
    known = [m.is_user for m in msgs if m.is_user is not None]
    # Unknown speakers (no "me" given): neutral, not "nobody else spoke".
    other_share = sum(1 for u in known if not u) / len(known) if known else 0.5
    firsts: dict[Stage, int] = {}
    for pos, stage in sorted(events, key=lambda e: e[0]):
        firsts.setdefault(stage, pos)
    money_pos = min((p for s, p in firsts.items() if s in MONEY_STAGES), default=None)
    start = next((m.timestamp for m in msgs if m.timestamp is not None), None)
    end = next((m.timestamp for m in reversed(msgs) if m.timestamp is not None), None)
    money_from_other = days_to_money = off_first = 0.0
    if money_pos is not None:
        money_from_other = 1.0 if msgs[money_pos].is_user is False else 0.0
        days_to_money = math.log1p(_days(start, msgs[money_pos].timestamp) or 0.0)
        off = firsts.get(Stage.OFF_PLATFORM)
        off_first = 1.0 if off is not None and off < money_pos else 0.0
    ordered = [s.order for s, _ in sorted(firsts.items(), key=lambda i: i[1])]
    pairs = list(itertools.pairwise(ordered))
    stage_order = sum(1 for a, b in pairs if b > a) / len(pairs) if pairs else 0.0
    gaps = _gaps([m.timestamp for m in msgs])
    timed = 1.0 if gaps else 0.0
    burst = 0.0
    if len(gaps) >= 2:
        mean, sd = mean_std(gaps)
        burst = (sd - mean) / (sd + mean) if sd + mean > 0 else 0.0
    return [
        other_share,
        money_from_other,
        days_to_money,
        off_first,
        stage_order,
        math.log1p(_days(start, end) or 0.0),
        burst,
        timed,
    ]


def build_features(
    tactics: Sequence[TacticScore],
    model_probs: Sequence[float],
    counter_context: float,
    user_doubt: float,
    n_messages: int,
    single_text: bool,
    intel: float = 0.0,
    sequence: Sequence[float] | None = None,
) -> NDArray[np.float64]:
    stages = stage_scores(tactics)
    strong = [s for s, v in stages.items() if v >= 0.3]
    progress = max((s.order for s in strong), default=-1) + 1
    rapport = max((stages.get(s, 0.0) for s in RAPPORT_STAGES), default=0.0)
    money = max((stages.get(s, 0.0) for s in MONEY_STAGES), default=0.0)
    late = max(
        stages.get(Stage.WITHDRAWAL_BLOCK, 0.0),
        stages.get(Stage.EXIT_RECOVERY, 0.0),
        stages.get(Stage.FATTENING, 0.0),
    )
    probs = sorted(model_probs, reverse=True)
    top3 = sum(probs[:3]) / min(3, len(probs)) if probs else 0.0
    # A mean, not the share at or above 0.5: one short turn crossing 0.5 moved that share by a
    # step of up to a third, i.e. more than a log-odds unit (docs/evaluation.md, b2).
    frac = sum(probs) / len(probs) if probs else 0.0
    row = [stages.get(s, 0.0) for s in STAGES]
    row += [
        math.log1p(len({t.tactic for t in tactics})),
        float(len(strong)),
        progress / len(STAGES),
        rapport * money,
        late,
        probs[0] if probs else 0.0,
        top3,
        frac,
        counter_context,
        user_doubt,
        math.log1p(n_messages),
        1.0 if single_text else 0.0,
        intel,
    ]
    row += list(sequence) if sequence is not None else [0.0] * len(SEQUENCE_NAMES)
    return np.asarray(row, dtype=np.float64)

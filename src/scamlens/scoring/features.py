"""Conversation-level features: what the risk model reads.

The features describe the sequence, not a bag of words: how strongly each stage is shown, how
far the conversation progressed, whether money came after rapport, what the learned text model
thinks of the other party's messages, and how much counter-evidence there is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scamlens.model import Stage

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

FEATURE_NAMES: tuple[str, ...] = (
    *(f"stage_{s.value}" for s in STAGES),
    "n_tactics",
    "n_stages",
    "progress",
    "money_after_rapport",
    "late_stage",
    "model_max",
    "model_top3",
    "model_frac",
    "counter_context",
    "user_doubt",
    "n_messages",
    "single_text",
    "intel",
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


def build_features(
    tactics: Sequence[TacticScore],
    model_probs: Sequence[float],
    counter_context: float,
    user_doubt: float,
    n_messages: int,
    single_text: bool,
    intel: float = 0.0,
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
    frac = sum(1 for p in probs if p >= 0.5) / len(probs) if probs else 0.0
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
    return np.asarray(row, dtype=np.float64)

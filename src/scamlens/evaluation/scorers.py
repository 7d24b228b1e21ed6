"""The three systems compared on every split: the shipped pipeline and two baselines.

- `shipped`: the engine (rules + learned text model + calibrated risk model) with its own
  operating thresholds (`suspicious`, `scam`), separately for single texts and conversations.
- `rules`: the rule pack alone. Risk = noisy-OR over the matched tactics of each tactic's best
  evidence score (weight x speaker, quoting and negation factors, exactly as the engine
  computes evidence), counter-tactics excluded; no text model, no risk model. Thresholds:
  the lowest score values at which at most 4 % (`suspicious`) and 1 % (`scam`) of the
  *training* benign items score at or above them (texts and conversations separately).
- `tfidf`: sklearn TfidfVectorizer (character n-grams 2-4 within word boundaries, lower-cased,
  sublinear tf, min_df 2) + LogisticRegression (liblinear, balanced classes), fitted on the
  same training samples as the shipped model; isotonic calibration and thresholds (same 4 % /
  1 % benign rates) from 3-fold grouped out-of-fold scores of those training samples. A
  conversation is scored as one text: the other party's messages joined.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, cast

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from scamlens.detect.rulepack import RulePack, load_rulepack
from scamlens.evaluation.data import Item, conversation_text
from scamlens.evaluation.metrics import threshold_at_fpr
from scamlens.model import Conversation, Stage
from scamlens.scoring.engine import Engine
from scamlens.scoring.features import noisy_or, stage_scores
from scamlens.scoring.risk import RiskModel
from scamlens.scoring.textmodel import TextModel
from scamlens.text.normalize import fold

TARGET_FPR_SCAM = 0.01
TARGET_FPR_SUSPICIOUS = 0.04


@dataclass(frozen=True, slots=True)
class Scored:
    risk: float
    label: str  # scam | suspicious | benign
    stage: Stage | None  # furthest stage reached (None for benign or when not modelled)


@dataclass(frozen=True, slots=True)
class Thresholds:
    suspicious: float
    scam: float

    def label(self, risk: float) -> str:
        if risk >= self.scam:
            return "scam"
        return "suspicious" if risk >= self.suspicious else "benign"


def pick_thresholds(benign_scores: Sequence[float] | NDArray[np.float64]) -> Thresholds:
    scam = threshold_at_fpr(benign_scores, TARGET_FPR_SCAM)
    susp = min(threshold_at_fpr(benign_scores, TARGET_FPR_SUSPICIOUS), scam)
    return Thresholds(susp, scam)


class Scorer(Protocol):
    name: str

    def score(self, items: Sequence[Item]) -> list[Scored]: ...


def _split(items: Sequence[Item]) -> tuple[list[int], list[int]]:
    texts = [i for i, it in enumerate(items) if it.text is not None]
    convs = [i for i, it in enumerate(items) if it.conversation is not None]
    return texts, convs


# Conversations analysed together (Engine.analyze_many: the same verdicts, faster).
_CHATS_PER_BATCH = 64


class ShippedScorer:
    """The whole pipeline as shipped (or as retrained on one fold)."""

    def __init__(self, engine: Engine, name: str = "shipped") -> None:
        self.engine = engine
        self.name = name

    def score(self, items: Sequence[Item]) -> list[Scored]:
        out: list[Scored | None] = [None] * len(items)
        ti, ci = _split(items)
        results = self.engine.score_batch([items[i].text or "" for i in ti])
        for i, r in zip(ti, results, strict=True):
            out[i] = Scored(r.risk, r.label, r.stage)
        for k in range(0, len(ci), _CHATS_PER_BATCH):
            chunk = ci[k : k + _CHATS_PER_BATCH]
            convs = [items[i].conversation for i in chunk]
            verdicts = self.engine.analyze_many([c for c in convs if c is not None])
            for i, v in zip(chunk, verdicts, strict=True):
                out[i] = Scored(v.risk, v.label, v.stage)
        return [s for s in out if s is not None]

    def thresholds(self) -> dict[str, Thresholds]:
        rm = self.engine.risk_model
        return {
            "text": Thresholds(rm.text.suspicious_threshold, rm.text.scam_threshold),
            "conversation": Thresholds(
                rm.conversation.suspicious_threshold, rm.conversation.scam_threshold
            ),
        }


class RuleScores:
    """Rule-only scores (noisy-OR of tactic scores) and the stage they reach."""

    def __init__(self, pack: RulePack | None = None) -> None:
        # The engine's evidence code without models: nothing here calls a model.
        self.engine = Engine(pack or load_rulepack(), cast(TextModel, None), cast(RiskModel, None))

    def text(self, text: str) -> tuple[float, dict[Stage, float]]:
        folded = fold(text)
        if not self.engine.matcher.match_ids(folded):
            return 0.0, {}
        ts = self.engine._tactic_scores(self.engine.message_evidence(text, folded, None, None))
        return noisy_or([t.score for t in ts]), stage_scores(ts)

    def texts(self, texts: Sequence[str]) -> list[tuple[float, dict[Stage, float]]]:
        return [self.text(t) for t in texts]

    def conversation(self, conv: Conversation) -> tuple[float, dict[Stage, float]]:
        a = self.engine.conversation_features(conv, lambda _m, t: np.zeros(len(t)))
        ts = self.engine._tactic_scores(a.evidence)
        return noisy_or([t.score for t in ts]), stage_scores(ts)


class RulesScorer:
    def __init__(
        self, rules: RuleScores, text_t: Thresholds, conv_t: Thresholds, name: str = "rules"
    ) -> None:
        self.rules = rules
        self.text_t = text_t
        self.conv_t = conv_t
        self.name = name

    def _scored(self, risk: float, stages: dict[Stage, float], t: Thresholds) -> Scored:
        label = t.label(risk)
        return Scored(risk, label, Engine._stage_reached(stages, label))

    def score(self, items: Sequence[Item]) -> list[Scored]:
        out: list[Scored | None] = [None] * len(items)
        ti, ci = _split(items)
        for i in ti:
            out[i] = self._scored(*self.rules.text(items[i].text or ""), self.text_t)
        for i in ci:
            conv = items[i].conversation
            assert conv is not None
            out[i] = self._scored(*self.rules.conversation(conv), self.conv_t)
        return [s for s in out if s is not None]

    def thresholds(self) -> dict[str, Thresholds]:
        return {"text": self.text_t, "conversation": self.conv_t}


def text_digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


class TfidfModel:
    """Plain TF-IDF + logistic regression with isotonic calibration (see the module doc)."""

    def __init__(self, seed: int = 7) -> None:
        self.seed = seed
        self.vectorizer: TfidfVectorizer | None = None
        self.clf: LogisticRegression | None = None
        self.iso: IsotonicRegression | None = None
        self.text_t = Thresholds(0.5, 0.5)
        # Digests of every text the vocabulary and weights were fitted on (for leak checks).
        self.fitted_on: frozenset[str] = frozenset()

    def _fit_raw(
        self, texts: Sequence[str], y: NDArray[np.int64]
    ) -> tuple[TfidfVectorizer, LogisticRegression]:
        vec = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 4),
            min_df=2,
            sublinear_tf=True,
            max_features=400_000,
            dtype=np.float32,
        )
        x = vec.fit_transform(texts)
        clf = LogisticRegression(
            C=4.0,
            solver="liblinear",
            class_weight="balanced",
            max_iter=2000,
            random_state=self.seed,
        )
        clf.fit(x, y)
        return vec, clf

    def fit(self, texts: Sequence[str], y: Sequence[int], groups: Sequence[str]) -> TfidfModel:
        ya = np.asarray(y, dtype=np.int64)
        if len(set(ya.tolist())) < 2:
            raise ValueError("TF-IDF baseline needs both classes in its training samples")
        folds = np.array([int(text_digest(g)[:8], 16) % 3 for g in groups])
        oof = np.zeros(len(ya))
        for k in range(3):
            tr, te = folds != k, folds == k
            if not te.any() or len(set(ya[tr].tolist())) < 2:
                continue
            vec, clf = self._fit_raw([t for t, m in zip(texts, tr, strict=True) if m], ya[tr])
            te_texts = [t for t, m in zip(texts, te, strict=True) if m]
            oof[te] = clf.predict_proba(vec.transform(te_texts))[:, 1]
        self.iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
        self.iso.fit(oof, ya)
        self.text_t = pick_thresholds(self.iso.predict(oof)[ya == 0])
        self.vectorizer, self.clf = self._fit_raw(texts, ya)
        self.fitted_on = frozenset(text_digest(t) for t in texts)
        return self

    def predict(self, texts: Sequence[str]) -> NDArray[np.float64]:
        if self.vectorizer is None or self.clf is None or self.iso is None:
            raise RuntimeError("fit the TF-IDF baseline first")
        if not texts:
            return np.zeros(0)
        raw = self.clf.predict_proba(self.vectorizer.transform(list(texts)))[:, 1]
        return np.asarray(self.iso.predict(raw), dtype=np.float64)


class TfidfScorer:
    def __init__(self, model: TfidfModel, conv_t: Thresholds, name: str = "tfidf") -> None:
        self.model = model
        self.conv_t = conv_t
        self.name = name

    def score(self, items: Sequence[Item]) -> list[Scored]:
        out = []
        texts = [
            it.text if it.text is not None else conversation_text(it.conversation)  # type: ignore[arg-type]
            for it in items
        ]
        for it, risk in zip(items, self.model.predict(texts), strict=True):
            t = self.conv_t if it.is_conversation else self.model.text_t
            out.append(Scored(float(risk), t.label(float(risk)), None))
        return out

    def thresholds(self) -> dict[str, Thresholds]:
        return {"text": self.model.text_t, "conversation": self.conv_t}

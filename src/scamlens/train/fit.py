"""Build the shipped models from declared inputs, reproducibly.

Inputs: the synthetic corpus (scamlens.train.synth, fixed seed), the rule pack's own examples as
weak labels, and optionally, given by path, the training split of the SMS collection (ham as
benign) and the fraud-r1 dev records (pig-butchering-type records as positives, other fraud as
"not pig-butchering" for the risk model). Same inputs and seed give the same model bytes.

Models: the text model (P(scam script | text)), the message-level tactic model (one head per
tactic; labels = the generator's template tactics plus rule matches as weak labels) and the
two-part risk model. Stacking without leakage: text and tactic models are cross-fitted over two
folds grouped by template, so the risk model learns from out-of-fold scores, as it will meet
them on new text; the tactic thresholds are chosen on the same out-of-fold scores.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression

from scamlens.detect.matcher import Matcher
from scamlens.detect.rulepack import RulePack, load_rulepack
from scamlens.errors import ScamlensError
from scamlens.model import Conversation, Message, Stage
from scamlens.scoring.engine import Engine
from scamlens.scoring.features import (
    CONVERSATION_BOUNDS,
    FEATURE_NAMES,
    INTEL_LOGIT,
    WEIGHT_BOUNDS,
)
from scamlens.scoring.risk import RiskModel, RiskPart
from scamlens.scoring.tacticmodel import TACTIC_FEATURES, TacticModel, fold_features
from scamlens.scoring.textmodel import (
    TextModel,
    document_frequency,
    make_vectorizer,
    smooth_idf,
    weigh_idf,
)
from scamlens.text.normalize import fold
from scamlens.train.calibration import centred_isotonic

TEXT_MODEL_ID = "charngram-lr"
RISK_MODEL_ID = "risk-lr-cir"
TACTIC_MODEL_ID = "tactic-ovr-lr"
# fraud-r1 subcategories of the pig-butchering type (romance and investment); see the card.
FRAUD_R1_PB = ("marriage and dating", "investment and financial management")
_MONEY = {
    Stage.INVESTMENT_PIVOT.value,
    Stage.ONBOARDING.value,
    Stage.FATTENING.value,
    Stage.ESCALATION.value,
    Stage.WITHDRAWAL_BLOCK.value,
    Stage.EXIT_RECOVERY.value,
}
# Openers that already pitch an investment are scam texts on their own, unlike a "wrong
# number" hello or a good-morning message.
_TELLING_OPENERS = {"group_invite", "professional_opener"}
TEXT_C = 4.0  # L2 strength of the text model (the TF-IDF baseline's too)
# The single-text risk part standardises each feature by at least this much. Most single
# texts match no rule, so a stage score's standard deviation there is ~0.02-0.1 and the
# weight bounds (which act on standardised weights) meant up to 40 log-odds per unit: one
# opener or fee rule hit in a benign story or warning outranked every scam the rules missed.
# With 0.25 a bound of 1 is at most 4 log-odds per unit of stage score, as in conversations.
TEXT_MIN_SCALE = 0.25


def telling(stage: str | None, tactics: Sequence[str]) -> bool:
    return stage in _MONEY or bool(_TELLING_OPENERS.intersection(tactics))


@dataclass(frozen=True, slots=True)
class Sample:
    text: str
    # 1 scam script, 0 benign; -1 other fraud or spam (not pig-butchering: a risk-model
    # negative only); -2 unlabelled (tactic labels only: dialogue turns, hook examples)
    label: int
    group: str  # template or source id: near-duplicates share a group
    single_label: int | None  # label as a stand-alone text for the risk model; None = skip
    lang: str
    source: str
    tactics: tuple[str, ...] = ()  # known tactic ids (generator templates, rule examples)


def fold_of(group: str, k: int = 2) -> int:
    return zlib.crc32(group.encode()) % k


def rule_samples() -> list[Sample]:
    pack = load_rulepack()
    out = []
    for rule in pack.rules:
        tactic = pack.tactics[rule.tactic]
        scam = 0 if tactic.counter else 1
        stage = tactic.stage.value if tactic.stage is not None else None
        # Hook and grooming lines alone: see synth_samples.
        tags = (tactic.id,) if scam and stage is not None else ()
        if not scam or telling(stage, [tactic.id]):
            for t in rule.match:
                out.append(Sample(t, scam, f"rule:{rule.id}", scam, rule.lang, "rules", tags))
        elif tags:  # hook and grooming examples: tactic labels only
            for t in rule.match:
                out.append(Sample(t, -2, f"rule:{rule.id}", None, rule.lang, "rules", tags))
        for t in rule.no_match:
            out.append(Sample(t, 0, f"rule:{rule.id}:neg", 0, rule.lang, "rules"))
    return out


def sms_samples(path: Path, part: str = "train") -> list[Sample]:
    """SMS rows, split 50/50 by text hash: `train` for fitting, `test` for evaluation only."""
    out = []
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        for row in csv.DictReader(fh):
            text = (row.get("TEXT") or "").strip()
            label = (row.get("LABEL") or row.get("label") or "").strip().lower()
            if not text:
                continue
            h = zlib.crc32(text.encode())
            if (h % 2 == 0) != (part == "train"):
                continue
            # Spam and smishing are not pig-butchering: negatives for the risk model only.
            out.append(
                Sample(text, 0, f"sms:{h}", 0, "en", f"sms-{label}")
                if label == "ham"
                else Sample(text, -1, f"sms:{h}", 0, "en", f"sms-{label}")
            )
    return out


def synth_samples(n: int, seed: int) -> list[Sample]:
    from scamlens.train import synth

    out = []
    for m in synth.generate_messages(n, seed):
        scam = 1 if m.label == "scam" else 0
        if scam:
            money = m.kind == "narrative" or (m.stage in _MONEY)
            single = 1 if money else None
        else:
            single = 0
        out.append(
            Sample(
                m.text,
                scam,
                f"synth:{m.template_id}",
                single,
                m.lang,
                f"synth-{m.kind}",
                tuple(m.tactics) if scam else (),
            )
        )
    return out


# Dialogue turn markers in fraud-r1: the fraudster's side and the target's side.
_TURN = re.compile(
    r"\[(Agent|Operator|Customer Service|Representative|Seating|Customer|Client)\]|【(坐席|客户)】"
)
_FRAUDSTER = {"Agent", "Operator", "Customer Service", "Representative", "Seating", "坐席"}
_JOB_FIELDS = ("title", "company_profile", "description", "requirements", "benefits")


def _fraud_r1_text(raw: object, where: str) -> str:
    if isinstance(raw, str):
        return raw.strip()
    if isinstance(raw, dict):  # EMSCAD-style job post
        return "\n".join(str(raw[k]) for k in _JOB_FIELDS if isinstance(raw.get(k), str)).strip()
    raise ScamlensError(f"{where}: raw_data must be a string or a mapping")


def fraudster_turns(text: str) -> list[str]:
    """The fraudster's turns of a fraud-r1 dialogue ("[Agent] ... [Client] ...")."""
    parts = _TURN.split(text)
    # split with 2 groups: [before, en, zh, turn, en, zh, turn, ...]
    out = []
    for i in range(1, len(parts) - 2, 3):
        who = parts[i] or parts[i + 1]
        turn = (parts[i + 2] or "").strip()
        if who in _FRAUDSTER and turn:
            out.append(turn)
    return out


def fraud_r1_samples(path: Path) -> list[Sample]:
    """fraud-r1 dev records: whole records, plus the fraudster's turns of each dialogue.

    Pig-butchering-type records (`FRAUD_R1_PB`) are scam texts for the text and risk models;
    other fraud (phishing, impersonation, refund, fake jobs ...) is not pig-butchering: a
    negative for the risk model only, like SMS spam (the text model does not learn that fraud
    language is benign). Dialogue turns carry no labels of their own: the tactic model reads
    them with rule matches as weak labels. The English records translate the Chinese ones; a
    pair (same position within category, subcategory and data type) shares one group.
    """
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ScamlensError(f"{path}: not a readable fraud-r1 JSON file ({exc})") from exc
    if not isinstance(records, list):
        raise ScamlensError(f"{path}: expected a JSON list of records")
    seen: dict[tuple[str, str, str, str], int] = {}
    out: list[Sample] = []
    for n, rec in enumerate(records):
        where = f"{path}: record {n}"
        if not isinstance(rec, dict):
            raise ScamlensError(f"{where}: expected an object")
        try:
            cat, sub, dtype = (str(rec[k]) for k in ("category", "subcategory", "data_type"))
            language = str(rec["language"])
            text = _fraud_r1_text(rec["raw_data"], where)
        except KeyError as exc:
            raise ScamlensError(f"{where}: missing key {exc}") from None
        if not text:
            continue
        lang = "zh" if language.lower().startswith("chinese") else "en"
        key = (cat, sub, dtype, lang)
        pos = seen.get(key, 0)
        seen[key] = pos + 1
        digest = hashlib.blake2b(f"{cat}|{sub}|{dtype}|{pos}".encode(), digest_size=6)
        group = f"fraud-r1:{digest.hexdigest()}"
        pb = sub in FRAUD_R1_PB
        kind = "pb" if pb else "other"
        out.append(
            Sample(text, 1 if pb else -1, group, 1 if pb else 0, lang, f"fraud-r1:{kind}:{dtype}")
        )
        if dtype == "dialogue":
            for turn in fraudster_turns(text):
                out.append(Sample(turn, -2, group, None, lang, "fraud-r1:turn"))
    return out


def _for_tactics(s: Sample) -> bool:
    """Message-sized samples train the tactic model; whole fraud-r1 records do not."""
    return not (s.source.startswith("fraud-r1:") and s.source != "fraud-r1:turn"
                and not s.source.endswith(":message"))  # fmt: skip


def fit_text_model(
    samples: Sequence[Sample], seed: int, *, c: float = TEXT_C, idf: bool = True
) -> TextModel:
    """Logistic regression over the hashed n-grams, IDF-weighted (fitted on these samples).

    IDF and the weaker L2 (C=4, where C=1 bunched every score between 0.3 and 0.7) came from
    grouped cross-validation of the training samples (docs/evaluation.md): the scores spread
    out and rank better at low false-positive rates, in Chinese most.
    """
    usable = [s for s in samples if s.label >= 0]  # -1 risk model only, -2 tactic model only
    vec = make_vectorizer()
    x = vec.transform([fold(s.text) for s in usable])
    weights_idf = smooth_idf(document_frequency(x), len(usable)) if idf else None
    if weights_idf is not None:
        x = weigh_idf(x, weights_idf)
    y = np.array([s.label for s in usable])
    # Balance each language's classes: otherwise a language with fewer benign texts (there is
    # no real Chinese benign corpus to add) would make the model read that language as scam.
    cells: dict[tuple[str, int], int] = {}
    for s in usable:
        cells[(s.lang, s.label)] = cells.get((s.lang, s.label), 0) + 1
    total = len(usable) / max(1, len(cells))
    weights = np.array([total / cells[(s.lang, s.label)] for s in usable])
    clf = LogisticRegression(C=c, max_iter=2000, solver="liblinear", random_state=seed)
    clf.fit(x, y, sample_weight=weights)
    coef = clf.coef_[0].astype(np.float32)
    coef[np.abs(coef) < 1e-4] = 0.0  # keep the shipped file small
    meta = {
        "n_train": len(usable),
        "positives": int(y.sum()),
        "seed": seed,
        "c": c,
        "weighting": "idf" if idf else "none",
    }
    return TextModel(TEXT_MODEL_ID, coef, float(clf.intercept_[0]), meta, weights_idf)


def _conversations(n: int, seed: int) -> list[tuple[Conversation, int, list[str]]]:
    """(conversation, label, per-message template groups) from the synthetic generator."""
    from scamlens.train import synth

    out = []
    for sc in synth.generate_conversations(n, seed):
        groups = [f"synth:{g}" if g else "" for g in sc.message_template_ids]
        out.append((sc.conversation, 1 if sc.label == "scam" else 0, groups))
    return out


@dataclass
class TrainResult:
    text_model: TextModel
    risk_model: RiskModel
    report: dict[str, Any]
    tactic_model: TacticModel | None = None

    def engine(self) -> Engine:
        """An in-memory engine with these models and the shipped rule pack."""
        return Engine(
            load_rulepack(), self.text_model, self.risk_model, tactic_model=self.tactic_model
        )


@dataclass(frozen=True, slots=True)
class TrainInputs:
    """Everything a training run reads: the same inputs and seed give the same model bytes."""

    seed: int = 7
    n_messages: int = 40000
    n_conversations: int = 3000
    sms_path: Path | None = None
    fraud_r1_path: Path | None = None
    # Analyst feedback exports (`/api/v1/feedback/export`): reviewed messages as samples.
    feedback_paths: tuple[Path, ...] = ()
    # Tactic model: hash space of its heads (a power of two <= 2^20), L2 strength, the
    # out-of-fold precision a head must reach on messages the rules missed to be switched on.
    tactic_features: int = TACTIC_FEATURES
    tactic_c: float = 1.0
    tactic_precision: float = 0.85
    tactic_model: bool = True  # False: rules and text model only (a baseline, or faster folds)
    weak_labels: bool = True  # rule matches as extra tactic labels
    risk_folds: int = 5  # grouped folds for the risk model's calibration
    # Every n-th synthetic conversation is also trained on without its timestamps, as a chat
    # pasted from a screen arrives (0: none). Both labels alike, so "pasted" is no evidence.
    untimed_every: int = 3


def collect_samples(inputs: TrainInputs) -> list[Sample]:
    """The single-text training samples declared by `inputs`, in a deterministic order."""
    samples = synth_samples(inputs.n_messages, inputs.seed) + rule_samples()
    if inputs.sms_path is not None:
        samples += sms_samples(inputs.sms_path, "train")
    if inputs.fraud_r1_path is not None:
        samples += fraud_r1_samples(inputs.fraud_r1_path)
    if inputs.feedback_paths:
        from scamlens.train.feedback import feedback_samples

        for path in inputs.feedback_paths:
            samples += feedback_samples(path).samples
    return samples


def train(
    *,
    seed: int = 7,
    n_messages: int = 40000,
    n_conversations: int = 3000,
    sms_path: Path | None = None,
    fraud_r1_path: Path | None = None,
    log: Callable[[str], None] = print,
    **knobs: Any,
) -> TrainResult:
    """`knobs`: any other `TrainInputs` field (tactic_features, tactic_model, ...)."""
    inputs = TrainInputs(
        seed=seed,
        n_messages=n_messages,
        n_conversations=n_conversations,
        sms_path=sms_path,
        fraud_r1_path=fraud_r1_path,
        **knobs,
    )
    return train_on(collect_samples(inputs), inputs, log=log)


# -- tactic model -------------------------------------------------------------------------


def tactic_labels(
    samples: Sequence[Sample], pack: RulePack, weak: bool = True, matcher: Matcher | None = None
) -> tuple[tuple[str, ...], NDArray[np.int8], NDArray[np.bool_]]:
    """(tactic ids, label matrix, rule-fired matrix) for the samples.

    Labels: the sample's known tactics, plus (weak labels) every tactic a rule finds in the
    text, not negated. `rule-fired` marks any rule hit for the tactic (negated too): where the
    rules already spoke, the model adds no evidence, so thresholds are set on the rest.
    """
    tactics = tuple(t.id for t in pack.tactics.values() if not t.counter and t.stage is not None)
    col = {t: j for j, t in enumerate(tactics)}
    y = np.zeros((len(samples), len(tactics)), dtype=np.int8)
    fired = np.zeros((len(samples), len(tactics)), dtype=np.bool_)
    matcher = matcher or Matcher(pack)
    for i, s in enumerate(samples):
        for t in s.tactics:
            if t in col:
                y[i, col[t]] = 1
        f = fold(s.text)
        if not matcher.match_ids(f):
            continue
        for hit in matcher.match(s.text, f):
            j = col.get(hit.rule.tactic)
            if j is None:
                continue
            fired[i, j] = True
            if weak and not hit.negated:
                y[i, j] = 1
    return tactics, y, fired


def _fit_heads(
    x: Any, y: NDArray[np.int8], c: float, seed: int
) -> tuple[NDArray[np.float32], NDArray[np.float64]]:
    """One L2 logistic head per column of `y` (liblinear, deterministic)."""
    coef = np.zeros((x.shape[1], y.shape[1]), dtype=np.float32)
    icpt = np.full(y.shape[1], -12.0)
    for j in range(y.shape[1]):
        col = y[:, j]
        if col.min() == col.max():  # no positives (or no negatives): a silent head
            continue
        # Dual coordinate descent: many more n-gram buckets than messages, so far faster.
        # Balanced: each tactic is rare; unbalanced heads never reach a useful probability
        # on unseen wording. Precision is restored by the out-of-fold threshold.
        clf = LogisticRegression(
            C=c,
            solver="liblinear",
            dual=True,
            max_iter=500,
            class_weight="balanced",
            random_state=seed,
        )
        clf.fit(x, col)
        w = clf.coef_[0].astype(np.float32)
        w[np.abs(w) < 1e-3] = 0.0  # keep the shipped file small
        coef[:, j] = w
        icpt[j] = float(clf.intercept_[0])
    return coef, icpt


def choose_thresholds(
    oof: NDArray[np.float64],
    y: NDArray[np.int8],
    fired: NDArray[np.bool_],
    precision: float,
    min_hits: int = 5,
) -> tuple[NDArray[np.float64], list[dict[str, Any]]]:
    """Per tactic, the lowest threshold (0.3-0.99) whose out-of-fold precision on messages
    the rules missed reaches `precision`; 2.0 (never) when none does."""
    grid = np.concatenate([np.round(np.arange(0.3, 0.951, 0.05), 2), [0.97, 0.99]])
    out = np.full(y.shape[1], 2.0)
    stats: list[dict[str, Any]] = []
    for j in range(y.shape[1]):
        keep = ~fired[:, j]
        p, t = oof[keep, j], y[keep, j]
        row: dict[str, Any] = {"positives_missed_by_rules": int(t.sum())}
        for thr in grid:
            hit = p >= thr
            if hit.sum() >= min_hits and t[hit].mean() >= precision:
                out[j] = float(thr)
                row.update(
                    threshold=float(thr),
                    oof_precision=round(float(t[hit].mean()), 4),
                    oof_recall_beyond_rules=round(float(hit[t == 1].mean()), 4) if t.sum() else 0.0,
                )
                break
        stats.append(row)
    return out, stats


# -- training -----------------------------------------------------------------------------


class _OOF:
    """Out-of-fold text and tactic scores for one conversation's messages (one hashing pass)."""

    def __init__(
        self,
        text_models: Sequence[TextModel],
        tactic_models: Sequence[TacticModel] | None,
        folds: Sequence[int],
    ) -> None:
        self.text_models = text_models
        self.tactic_models = tactic_models
        self.folds = folds
        self._tactic: NDArray[np.float64] | None = None

    def text(self, msgs: list[Message], texts: list[str]) -> NDArray[np.float64]:
        out = np.zeros(len(texts))
        tm = self.tactic_models
        tac = np.zeros((len(texts), len(tm[0].tactics))) if tm else None
        x = self.text_models[0].transform(texts) if texts else None
        for k in range(2):
            idx = [i for i, m in enumerate(msgs) if self.folds[m.index] == k]
            if idx and x is not None:
                out[idx] = self.text_models[k].proba_hashed(x[idx])
                if tm and tac is not None:
                    tac[idx] = tm[k].proba_hashed(x[idx])
        self._tactic = tac
        return out

    def tactic(self, msgs: list[Message], texts: list[str]) -> NDArray[np.float64]:
        """Called right after `text` on the same messages (as conversation_features does)."""
        assert self._tactic is not None and len(self._tactic) == len(texts)
        return self._tactic


def train_on(
    samples: Sequence[Sample],
    inputs: TrainInputs,
    *,
    log: Callable[[str], None] = print,
) -> TrainResult:
    """Fit every shipped model on `samples` (e.g. one cross-validation fold).

    Reads nothing but `samples`, the rule pack and the synthetic conversations declared by
    `inputs` (n_conversations, seed).
    """
    seed = inputs.seed
    log(f"text samples: {len(samples)}")
    pack = load_rulepack()

    # Two text models, each blind to one fold of templates.
    fold_models = [
        fit_text_model([s for s in samples if fold_of(s.group) != k], seed) for k in range(2)
    ]
    final_text = fit_text_model(samples, seed)

    tactic_report: dict[str, Any] = {}
    final_tactic: TacticModel | None = None
    fold_tactics: list[TacticModel] | None = None
    engine = Engine(pack, final_text, _identity_risk())
    if inputs.tactic_model:
        final_tactic, fold_tactics, tactic_report = fit_tactic_models(
            samples, inputs, pack, log, engine.matcher
        )
        engine.tactic_model = final_tactic

    feats: list[NDArray[np.float64]] = []
    labels: list[int] = []
    groups: list[str] = []
    langs: list[str] = []

    for s in samples:
        if s.single_label is None:
            continue
        conv = Conversation(messages=(Message(0, None, s.text),), source_format="text")
        oof = _OOF(fold_models, fold_tactics, [fold_of(s.group)])
        a = engine.conversation_features(conv, oof.text, oof.tactic if fold_tactics else None)
        feats.append(a.features)
        labels.append(s.single_label)
        groups.append(s.group)
        langs.append(s.lang)
    n_single = len(labels)

    convs = _conversations(inputs.n_conversations, seed + 1)
    for i, (conv, label, tmpl) in enumerate(convs):
        # Messages without a template (fillers) get a fold by conversation.
        oof = _OOF(fold_models, fold_tactics, [fold_of(t) if t else i % 2 for t in tmpl])
        a = engine.conversation_features(conv, oof.text, oof.tactic if fold_tactics else None)
        feats.append(a.features)
        labels.append(label)
        groups.append(f"conv:{i}")
        if inputs.untimed_every and i % inputs.untimed_every == 0:
            bare = replace(conv, messages=tuple(replace(m, timestamp=None) for m in conv.messages))
            a = engine.conversation_features(bare, oof.text, oof.tactic if fold_tactics else None)
            feats.append(a.features)
            labels.append(label)
            groups.append(f"conv:{i}")  # the copy stays in its original's fold
    n_untimed = len(labels) - n_single - len(convs)
    log(
        f"risk samples: {n_single} single texts, {len(convs)} conversations"
        f" (+{n_untimed} untimed copies)"
    )

    xm = np.vstack(feats)
    y = np.array(labels)
    is_conv = np.array([g.startswith("conv:") for g in groups])
    gr = np.array(groups)
    k = inputs.risk_folds
    text_part, rel_text = fit_risk_part_oof(
        xm[~is_conv], y[~is_conv], list(gr[~is_conv]), seed, folds=k, min_scale=TEXT_MIN_SCALE
    )
    conv_part, rel_conv = fit_risk_part_oof(
        xm[is_conv], y[is_conv], list(gr[is_conv]), seed, bounds=CONVERSATION_BOUNDS, folds=k
    )
    risk = RiskModel(RISK_MODEL_ID, text_part, conv_part, {"seed": seed})
    report = {
        "seed": seed,
        "text_samples": len(samples),
        "risk_samples": len(y),
        "risk_positives": int(y.sum()),
        "inputs": {
            "synthetic_messages": inputs.n_messages,
            "synthetic_conversations": inputs.n_conversations,
            "rule_examples": True,
            "sms": inputs.sms_path.name if inputs.sms_path else None,
            "fraud_r1": inputs.fraud_r1_path.name if inputs.fraud_r1_path else None,
            "tactic_model": inputs.tactic_model,
            "tactic_features": inputs.tactic_features,
            "weak_labels": inputs.weak_labels,
            "untimed_copies": n_untimed,
        },
        "sources": _count_sources(samples),
        "single_text_by_lang": {
            lang: {"n": int(sum(1 for g in langs if g == lang))} for lang in sorted(set(langs))
        },
        "risk_oof": {"text": text_part.meta, "conversation": conv_part.meta},
        "reliability": {"text": rel_text, "conversation": rel_conv},
        "reliability_note": (
            "out-of-fold on the training mix (synthetic + declared data); each fold calibrated "
            "by an isotonic map fitted on the other folds; not an evaluation"
        ),
        "tactic_model": tactic_report,
    }
    if inputs.feedback_paths:  # absent otherwise: reports of runs without it stay the same
        report["inputs"]["feedback"] = [  # type: ignore[index]
            {"name": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
            for p in inputs.feedback_paths
        ]
    return TrainResult(final_text, risk, report, final_tactic)


def _count_sources(samples: Sequence[Sample]) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in samples:
        key = s.source.split(":")[0] if s.source.startswith("fraud-r1") else s.source
        key = "sms" if key.startswith("sms-") else key
        out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items()))


def fit_tactic_models(
    samples: Sequence[Sample],
    inputs: TrainInputs,
    pack: RulePack,
    log: Callable[[str], None] = print,
    matcher: Matcher | None = None,
) -> tuple[TacticModel, list[TacticModel], dict[str, Any]]:
    """(final model, the two fold models, report): thresholds from out-of-fold scores."""
    used = [s for s in samples if _for_tactics(s)]
    tactics, y, fired = tactic_labels(used, pack, inputs.weak_labels, matcher)
    x20 = make_vectorizer().transform([fold(s.text) for s in used])
    x = fold_features(x20, inputs.tactic_features).tocsr()
    x.sum_duplicates()
    folds = np.array([fold_of(s.group) for s in used])
    oof = np.zeros(y.shape, dtype=np.float64)
    fold_parts = []
    for k in range(2):
        tr, te = folds != k, folds == k
        coef, icpt = _fit_heads(x[tr], y[tr], inputs.tactic_c, inputs.seed)
        fold_parts.append((coef, icpt))
        z = np.asarray(x[te] @ coef, dtype=np.float64) + icpt
        oof[te] = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
    thresholds, stats = choose_thresholds(oof, y, fired, inputs.tactic_precision)
    # The shipped heads average the two fold models (a cross-fitted ensemble): half the cost
    # of a third fit, and close to the models the thresholds were chosen on.
    coef = ((fold_parts[0][0] + fold_parts[1][0]) / 2).astype(np.float32)
    icpt = (fold_parts[0][1] + fold_parts[1][1]) / 2
    meta = {"n_train": len(used), "seed": inputs.seed, "labels": "templates + rule matches"}
    final = TacticModel(TACTIC_MODEL_ID, tactics, coef, icpt, thresholds, meta)
    folds_m = [TacticModel(TACTIC_MODEL_ID, tactics, c, i, thresholds, meta) for c, i in fold_parts]
    on = int((thresholds <= 1.0).sum())
    log(f"tactic model: {len(used)} messages, {len(tactics)} heads, {on} switched on")
    report = {
        "messages": len(used),
        "heads": len(tactics),
        "heads_on": on,
        "label_counts": {t: int(y[:, j].sum()) for j, t in enumerate(tactics)},
        "per_tactic": dict(zip(tactics, stats, strict=True)),
        "note": "out-of-fold (2 folds grouped by template) on training data; not an evaluation",
    }
    return final, folds_m, report


def _identity_risk() -> RiskModel:
    n = len(FEATURE_NAMES)
    part = RiskPart(np.zeros(n), 0.0, np.zeros(n), np.ones(n), np.zeros(0), np.zeros(0), 0.5, 0.25)
    return RiskModel("untrained", part, part)


def _bounded_logreg(
    z: NDArray[np.float64],
    y: NDArray[np.int_],
    w: NDArray[np.float64],
    bounds: Sequence[tuple[float | None, float | None]],
    l2: float = 1e-3,
) -> tuple[NDArray[np.float64], float]:
    """Weighted L2 logistic regression with bounds on each weight (L-BFGS-B).

    Bounds carry domain knowledge (evidence never lowers risk) that synthetic training data
    alone cannot be trusted to teach.
    """
    d = z.shape[1]
    ys = np.where(y == 1, 1.0, -1.0)
    wsum = w.sum()

    def loss(theta: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        coef, b = theta[:d], theta[d]
        margin = ys * (z @ coef + b)
        # log(1 + exp(-m)) computed stably
        lossv = np.logaddexp(0.0, -margin)
        sig = np.exp(-np.logaddexp(0.0, margin))  # = 1 / (1 + exp(m))
        g = -(w * ys * sig)
        value = float((w * lossv).sum() / wsum + 0.5 * l2 * coef @ coef)
        grad = np.concatenate([(z.T @ g) / wsum + l2 * coef, [g.sum() / wsum]])
        return value, grad

    theta0 = np.zeros(d + 1)
    res = minimize(
        loss,
        theta0,
        jac=True,
        method="L-BFGS-B",
        bounds=[*bounds, (None, None)],
        options={"maxiter": 5000},
    )
    return np.asarray(res.x[:d]), float(res.x[d])


def fit_risk_part(
    x: NDArray[np.float64],
    y: NDArray[np.int_],
    groups: Sequence[str],
    seed: int,
    sample_weight: NDArray[np.float64] | None = None,
    bounds: dict[str, tuple[float | None, float | None]] = WEIGHT_BOUNDS,
) -> RiskPart:
    return fit_risk_part_oof(x, y, groups, seed, sample_weight, bounds)[0]


def reliability_bins(
    pred: NDArray[np.float64], y: NDArray[np.int_], n_bins: int = 10
) -> list[dict[str, float | int]]:
    """Equal-width bins of predicted risk: mean predicted, observed scam rate, count."""
    out: list[dict[str, float | int]] = []
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.searchsorted(edges, pred, side="right") - 1, 0, n_bins - 1)
    for b in range(n_bins):
        m = which == b
        if not m.any():
            continue
        out.append(
            {
                "lo": round(float(edges[b]), 2),
                "hi": round(float(edges[b + 1]), 2),
                "mean_predicted": round(float(pred[m].mean()), 4),
                "observed": round(float(y[m].mean()), 4),
                "count": int(m.sum()),
            }
        )
    return out


def fit_risk_part_oof(
    x: NDArray[np.float64],
    y: NDArray[np.int_],
    groups: Sequence[str],
    seed: int,
    sample_weight: NDArray[np.float64] | None = None,
    bounds: dict[str, tuple[float | None, float | None]] = WEIGHT_BOUNDS,
    folds: int = 5,
    min_scale: float = 0.0,
) -> tuple[RiskPart, list[dict[str, float | int]]]:
    """The risk part, and its out-of-fold reliability bins (calibration fitted on the other
    folds' scores, so the bins show how the calibration carries to unseen groups)."""
    w = np.ones(len(y)) if sample_weight is None else sample_weight
    intel = FEATURE_NAMES.index("intel")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    # Bounds act on standardised weights; a feature that is rarely non-zero has a tiny
    # standard deviation, so a bound of 1 would allow dozens of log-odds per unit.
    scale = np.maximum(scale, min_scale)
    mean[intel], scale[intel] = 0.0, 1.0
    z = (x - mean) / scale
    box = [bounds.get(n, (None, None)) for n in FEATURE_NAMES]
    box[intel] = (INTEL_LOGIT, INTEL_LOGIT)

    # Out-of-fold raw scores (grouped) for calibration and thresholds.
    fold = np.array([zlib.crc32(g.encode()) % folds for g in groups])
    oof = np.zeros(len(y))
    for k in range(folds):
        tr, te = fold != k, fold == k
        if not te.any() or not tr.any():
            continue
        coef, b = _bounded_logreg(z[tr], y[tr], w[tr], box)
        oof[te] = 1.0 / (1.0 + np.exp(-(z[te] @ coef + b)))
    xs, ys = centred_isotonic(oof, y, w)
    calibrated = np.interp(oof, xs, ys)
    nested = np.zeros(len(y))
    for k in range(folds):
        tr, te = fold != k, fold == k
        if not te.any() or not tr.any():
            continue
        nested[te] = np.interp(oof[te], *centred_isotonic(oof[tr], y[tr], w[tr]))
    # "scam" at <= 1 % out-of-fold false positives, "suspicious" at <= 4 %, each kept in a
    # range where the label still reads right next to the risk figure.
    benign = calibrated[y == 0]
    scam_t = float(np.clip(np.quantile(benign, 0.99) + 1e-6, 0.5, 0.9)) if benign.size else 0.5
    susp_t = float(np.clip(np.quantile(benign, 0.96) + 1e-6, 0.2, 0.75)) if benign.size else 0.3
    susp_t = min(susp_t, scam_t)

    coef, b = _bounded_logreg(z, y, w, box)
    flagged = calibrated >= susp_t
    meta = {
        "n": len(y),
        "positives": int(y.sum()),
        "seed": seed,
        "oof_fpr_scam": round(float((calibrated[y == 0] >= scam_t).mean()), 4),
        "oof_fpr_flag": round(float(flagged[y == 0].mean()), 4),
        "oof_recall_scam": round(float((calibrated[y == 1] >= scam_t).mean()), 4),
        "oof_recall_flag": round(float(flagged[y == 1].mean()), 4),
        "note": "out-of-fold figures on synthetic training data; not an evaluation",
    }
    part = RiskPart(
        weights=coef,
        intercept=b,
        mean=mean,
        scale=scale,
        calib_x=xs,
        calib_y=ys,
        scam_threshold=scam_t,
        suspicious_threshold=susp_t,
        meta=meta,
    )
    return part, reliability_bins(nested, y)


def write_models(result: TrainResult, out_dir: Path) -> dict[str, str]:
    """Write every model, the reliability plot and training_report.json; SHA-256 by file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    text_path = out_dir / "text_model.npz"
    risk_path = out_dir / "risk_model.json"
    result.text_model.save(text_path)
    result.risk_model.save(risk_path)
    paths = [text_path, risk_path]
    if result.tactic_model is not None:
        paths.append(out_dir / "tactic_model.npz")
        result.tactic_model.save(paths[-1])
    rel = result.report.get("reliability")
    if rel:
        from scamlens.train.plot import reliability_plot

        paths.append(out_dir / "reliability.png")
        reliability_plot(rel, paths[-1])
    hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    (out_dir / "training_report.json").write_text(
        json.dumps({**result.report, "sha256": hashes}, indent=1, sort_keys=True) + "\n"
    )
    return hashes

"""Build the shipped models from declared inputs, reproducibly.

Inputs: the synthetic corpus (scamlens.train.synth, fixed seed), the rule pack's own examples as
weak labels, and optionally the training split of the SMS collection given by path (ham as
benign). Same inputs and seed give the same model bytes.

Stacking without leakage: the text model is cross-fitted over two folds grouped by template,
so the risk model learns from out-of-fold text scores, as it will meet them on new text.
"""

from __future__ import annotations

import csv
import hashlib
import json
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from scamlens.detect.rulepack import load_rulepack
from scamlens.model import Conversation, Message, Stage
from scamlens.scoring.engine import Engine
from scamlens.scoring.features import (
    CONVERSATION_BOUNDS,
    FEATURE_NAMES,
    INTEL_LOGIT,
    WEIGHT_BOUNDS,
)
from scamlens.scoring.risk import RiskModel, RiskPart
from scamlens.scoring.textmodel import TextModel, make_vectorizer
from scamlens.text.normalize import fold

TEXT_MODEL_ID = "charngram-lr"
RISK_MODEL_ID = "risk-lr-iso"
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


def _telling(stage: str | None, tactics: Sequence[str]) -> bool:
    return stage in _MONEY or bool(_TELLING_OPENERS.intersection(tactics))


@dataclass(frozen=True, slots=True)
class Sample:
    text: str
    label: int  # 1 scam script, 0 benign
    group: str  # template or source id: near-duplicates share a group
    single_label: int | None  # label as a stand-alone text for the risk model; None = skip
    lang: str
    source: str


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
        if not scam or _telling(stage, [tactic.id]):
            for t in rule.match:
                out.append(Sample(t, scam, f"rule:{rule.id}", scam, rule.lang, "rules"))
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
            Sample(m.text, scam, f"synth:{m.template_id}", single, m.lang, f"synth-{m.kind}")
        )
    return out


def fit_text_model(samples: Sequence[Sample], seed: int) -> TextModel:
    usable = [s for s in samples if s.label >= 0]  # -1: spam/smishing, risk model only
    vec = make_vectorizer()
    x = vec.transform([fold(s.text) for s in usable])
    y = np.array([s.label for s in usable])
    # Balance each language's classes: otherwise a language with fewer benign texts (there is
    # no real Chinese benign corpus to add) would make the model read that language as scam.
    cells: dict[tuple[str, int], int] = {}
    for s in usable:
        cells[(s.lang, s.label)] = cells.get((s.lang, s.label), 0) + 1
    total = len(usable) / max(1, len(cells))
    weights = np.array([total / cells[(s.lang, s.label)] for s in usable])
    clf = LogisticRegression(C=1.0, max_iter=2000, solver="liblinear", random_state=seed)
    clf.fit(x, y, sample_weight=weights)
    coef = clf.coef_[0].astype(np.float32)
    coef[np.abs(coef) < 1e-4] = 0.0  # keep the shipped file small
    meta = {"n_train": len(usable), "positives": int(y.sum()), "seed": seed}
    return TextModel(TEXT_MODEL_ID, coef, float(clf.intercept_[0]), meta)


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

    def engine(self) -> Engine:
        """An in-memory engine with these models and the shipped rule pack."""
        return Engine(load_rulepack(), self.text_model, self.risk_model)


@dataclass(frozen=True, slots=True)
class TrainInputs:
    """Everything a training run reads: the same inputs and seed give the same model bytes."""

    seed: int = 7
    n_messages: int = 40000
    n_conversations: int = 3000
    sms_path: Path | None = None


def collect_samples(inputs: TrainInputs) -> list[Sample]:
    """The single-text training samples declared by `inputs`, in a deterministic order."""
    samples = synth_samples(inputs.n_messages, inputs.seed) + rule_samples()
    if inputs.sms_path is not None:
        samples += sms_samples(inputs.sms_path, "train")
    return samples


def train(
    *,
    seed: int = 7,
    n_messages: int = 40000,
    n_conversations: int = 3000,
    sms_path: Path | None = None,
    log: Callable[[str], None] = print,
) -> TrainResult:
    inputs = TrainInputs(seed, n_messages, n_conversations, sms_path)
    return train_on(collect_samples(inputs), inputs, log=log)


def train_on(
    samples: Sequence[Sample],
    inputs: TrainInputs,
    *,
    log: Callable[[str], None] = print,
) -> TrainResult:
    """Fit the text and risk models on `samples` (e.g. one cross-validation fold)."""
    seed = inputs.seed
    log(f"text samples: {len(samples)}")

    # Two text models, each blind to one fold of templates.
    fold_models = [
        fit_text_model([s for s in samples if fold_of(s.group) != k], seed) for k in range(2)
    ]
    final_text = fit_text_model(samples, seed)

    pack = load_rulepack()
    engine = Engine(pack, final_text, _identity_risk())

    feats: list[NDArray[np.float64]] = []
    labels: list[int] = []
    groups: list[str] = []

    def oof(folds: Sequence[int]) -> Callable[[list[Message], list[str]], NDArray[np.float64]]:
        """Score each message with the text model that never saw its template."""

        def probs(msgs: list[Message], texts: list[str]) -> NDArray[np.float64]:
            out = np.zeros(len(texts))
            for k in range(2):
                idx = [i for i, m in enumerate(msgs) if folds[m.index] == k]
                if idx:
                    out[idx] = fold_models[k].predict_proba([texts[i] for i in idx], folded=True)
            return out

        return probs

    for s in samples:
        if s.single_label is None:
            continue
        conv = Conversation(messages=(Message(0, None, s.text),), source_format="text")
        feats.append(engine.conversation_features(conv, oof([fold_of(s.group)])).features)
        labels.append(s.single_label)
        groups.append(s.group)
    n_single = len(labels)

    convs = _conversations(inputs.n_conversations, seed + 1)
    for i, (conv, label, tmpl) in enumerate(convs):
        # Messages without a template (fillers) get a fold by conversation.
        folds = [fold_of(t) if t else i % 2 for t in tmpl]
        feats.append(engine.conversation_features(conv, oof(folds)).features)
        labels.append(label)
        groups.append(f"conv:{i}")
    log(f"risk samples: {n_single} single texts, {len(convs)} conversations")

    xm = np.vstack(feats)
    y = np.array(labels)
    is_conv = np.array([g.startswith("conv:") for g in groups])
    gr = np.array(groups)
    text_part = fit_risk_part(xm[~is_conv], y[~is_conv], list(gr[~is_conv]), seed)
    conv_part = fit_risk_part(
        xm[is_conv], y[is_conv], list(gr[is_conv]), seed, bounds=CONVERSATION_BOUNDS
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
        },
    }
    return TrainResult(final_text, risk, report)


def _identity_risk() -> RiskModel:
    n = len(FEATURE_NAMES)
    part = RiskPart(
        np.zeros(n), 0.0, np.zeros(n), np.ones(n), np.zeros(0), np.zeros(0), 0.5, 0.25
    )
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
    w = np.ones(len(y)) if sample_weight is None else sample_weight
    intel = FEATURE_NAMES.index("intel")
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    mean[intel], scale[intel] = 0.0, 1.0
    z = (x - mean) / scale
    box = [bounds.get(n, (None, None)) for n in FEATURE_NAMES]
    box[intel] = (INTEL_LOGIT, INTEL_LOGIT)

    # Out-of-fold raw scores (grouped) for calibration and thresholds.
    folds = np.array([zlib.crc32(g.encode()) % 5 for g in groups])
    oof = np.zeros(len(y))
    for k in range(5):
        tr, te = folds != k, folds == k
        coef, b = _bounded_logreg(z[tr], y[tr], w[tr], box)
        oof[te] = 1.0 / (1.0 + np.exp(-(z[te] @ coef + b)))
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip", increasing=True)
    iso.fit(oof, y, sample_weight=w)
    calibrated = iso.predict(oof)
    # "scam" at <= 1 % out-of-fold false positives, "suspicious" at <= 4 %, each kept in a
    # range where the label still reads right next to the risk figure.
    benign = calibrated[y == 0]
    scam_t = float(np.clip(np.quantile(benign, 0.99) + 1e-6, 0.5, 0.9)) if benign.size else 0.5
    susp_t = float(np.clip(np.quantile(benign, 0.96) + 1e-6, 0.2, 0.75)) if benign.size else 0.3
    susp_t = min(susp_t, scam_t)

    coef, b = _bounded_logreg(z, y, w, box)
    xs, ys = _compact_isotonic(iso)
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
    return RiskPart(
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


def _compact_isotonic(iso: IsotonicRegression) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    xs = np.asarray(iso.X_thresholds_, dtype=np.float64)
    ys = np.asarray(iso.y_thresholds_, dtype=np.float64)
    return xs, ys


def write_models(result: TrainResult, out_dir: Path) -> dict[str, str]:
    out_dir.mkdir(parents=True, exist_ok=True)
    text_path = out_dir / "text_model.npz"
    risk_path = out_dir / "risk_model.json"
    result.text_model.save(text_path)
    result.risk_model.save(risk_path)
    hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (text_path, risk_path)}
    (out_dir / "training_report.json").write_text(
        json.dumps({**result.report, "sha256": hashes}, indent=1, sort_keys=True) + "\n"
    )
    return hashes

"""Train the encoder head from the same declared inputs as the default text model.

Inputs: exactly the default text model's (scamlens.train.fit.collect_samples): the synthetic
corpus (fixed seed), the rule pack's own examples, optionally the SMS training half (ham as
benign) and optionally fraud-r1 (pig-butchering records as scam; other fraud and unlabelled
dialogue turns are left out, as the text model leaves them out). Embedding is slow on a CPU,
so the texts are a stratified, seeded subsample (`limit`); every rule example is kept.

The head is fitted twice more on template-grouped folds (as in scamlens.train.fit) to get
out-of-fold probabilities; those pick the L2 strength and give the map onto the char-n-gram
model's out-of-fold scale that the shipped risk model expects. Same inputs, seed and CPU
embeddings give the same head bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression

from scamlens.encoder.embed import Encoder
from scamlens.encoder.head import EncoderHead, quantile_map
from scamlens.errors import ScamlensError
from scamlens.scoring.textmodel import write_npz
from scamlens.text.normalize import fold
from scamlens.train.fit import (
    Sample,
    TrainInputs,
    collect_samples,
    fit_text_model,
    fold_of,
)

HEAD_ID = "minilm-l6-lr"
C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)


def collect(
    seed: int, n_synth: int, sms: Path | None = None, fraud_r1: Path | None = None
) -> list[Sample]:
    """The default text model's training samples (scamlens.train.fit.collect_samples)."""
    inputs = TrainInputs(seed=seed, n_messages=n_synth, sms_path=sms, fraud_r1_path=fraud_r1)
    return collect_samples(inputs)


def subsample(samples: Sequence[Sample], limit: int, seed: int) -> list[Sample]:
    """Every rule example plus a seeded draw from each (source, lang, label) cell, in
    proportion to its size. Unusable labels (-1) are dropped."""
    usable = [s for s in samples if s.label >= 0]
    keep = [s for s in usable if s.source == "rules"]
    rest = [s for s in usable if s.source != "rules"]
    budget = max(0, limit - len(keep))
    if budget >= len(rest):
        return keep + rest
    cells: dict[tuple[str, str, int], list[Sample]] = {}
    for s in rest:
        cells.setdefault((s.source, s.lang, s.label), []).append(s)
    rng = np.random.default_rng(seed)
    for key in sorted(cells):
        cell = cells[key]
        take = round(budget * len(cell) / len(rest))
        idx = rng.permutation(len(cell))[:take]
        keep += [cell[i] for i in sorted(idx)]
    return keep


def balance_weights(samples: Sequence[Sample]) -> NDArray[np.float64]:
    """Equal total weight per (lang, label), as the char-n-gram model is fitted."""
    cells: dict[tuple[str, int], int] = {}
    for s in samples:
        cells[(s.lang, s.label)] = cells.get((s.lang, s.label), 0) + 1
    total = len(samples) / max(1, len(cells))
    return np.array([total / cells[(s.lang, s.label)] for s in samples], dtype=np.float64)


def fit_lr(
    x: NDArray[np.float64],
    y: NDArray[np.int_],
    w: NDArray[np.float64],
    c: float,
    seed: int,
) -> tuple[NDArray[np.float64], float]:
    clf = LogisticRegression(C=c, solver="lbfgs", max_iter=5000, tol=1e-8, random_state=seed)
    clf.fit(x, y, sample_weight=w)
    return np.asarray(clf.coef_[0], dtype=np.float64), float(clf.intercept_[0])


def _sig(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))), dtype=np.float64)


def _logloss(p: NDArray[np.float64], y: NDArray[np.int_], w: NDArray[np.float64]) -> float:
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(-(w * (y * np.log(p) + (1 - y) * np.log(1 - p))).sum() / w.sum())


@dataclass
class HeadTraining:
    head: EncoderHead
    report: dict[str, Any]


def fit_head(
    emb: NDArray[np.float32],
    samples: Sequence[Sample],
    *,
    seed: int,
    charngram_oof: NDArray[np.float64] | None = None,
    meta: dict[str, Any] | None = None,
    log: Callable[[str], None] = print,
) -> HeadTraining:
    """Fit the head on embeddings (rows match samples); deterministic for equal inputs."""
    x = emb.astype(np.float64)
    y = np.array([s.label for s in samples], dtype=np.int_)
    w = balance_weights(samples)
    folds = np.array([fold_of(s.group) for s in samples])
    losses: dict[float, float] = {}
    oofs: dict[float, NDArray[np.float64]] = {}
    for c in C_GRID:
        oof = np.zeros(len(y))
        for k in range(2):
            tr, te = folds != k, folds == k
            coef, b = fit_lr(x[tr], y[tr], w[tr], c, seed)
            oof[te] = _sig(x[te] @ coef + b)
        oofs[c], losses[c] = oof, _logloss(oof, y, w)
    best_c = min(C_GRID, key=lambda c: (losses[c], c))
    log(f"head: C={best_c} (out-of-fold log-loss {losses[best_c]:.4f})")
    coef, b = fit_lr(x, y, w, best_c, seed)
    oof = oofs[best_c]
    cx, cy = (np.zeros(0), np.zeros(0))
    if charngram_oof is not None:
        cx, cy = quantile_map(oof, charngram_oof)
    pred = oof >= 0.5
    report: dict[str, Any] = {
        "C": best_c,
        "oof_logloss": {str(c): round(v, 5) for c, v in losses.items()},
        "oof_accuracy": round(float((pred == (y == 1)).mean()), 4),
        "oof_recall_at_0.5": round(float(pred[y == 1].mean()), 4),
        "oof_fpr_at_0.5": round(float(pred[y == 0].mean()), 4),
        "note": "out-of-fold on synthetic/rule training data, grouped by template; "
        "not an evaluation",
    }
    head_meta = {**(meta or {}), "C": best_c, "seed": seed, "calibration": _calib_note(cx)}
    head = EncoderHead(np.round(coef, 7).astype(np.float32), round(b, 9), cx, cy, head_meta)
    return HeadTraining(head, report)


def _calib_note(cx: NDArray[np.float64]) -> str:
    if cx.size == 0:
        return "none: raw head probabilities"
    return (
        "quantile map from the head's out-of-fold probabilities onto the char-n-gram text "
        "model's out-of-fold scores on the same texts (the scale the risk model was fitted on)"
    )


def charngram_oof_scores(
    all_samples: Sequence[Sample], chosen: Sequence[Sample], seed: int
) -> NDArray[np.float64]:
    """Scores of the char-n-gram model that never saw each chosen text's template fold:
    what the shipped risk model was trained on."""
    out = np.zeros(len(chosen))
    folds = np.array([fold_of(s.group) for s in chosen])
    for k in range(2):
        model = fit_text_model([s for s in all_samples if fold_of(s.group) != k], seed)
        idx = np.flatnonzero(folds == k)
        if idx.size:
            out[idx] = model.predict_proba([chosen[int(i)].text for i in idx])
    return out


def train(
    encoder: Encoder,
    *,
    seed: int = 7,
    n_synth: int = 40000,
    limit: int = 8000,
    sms: Path | None = None,
    fraud_r1: Path | None = None,
    calibrate: bool = True,
    cache: Path | None = None,
    log: Callable[[str], None] = print,
) -> HeadTraining:
    samples = collect(seed, n_synth, sms, fraud_r1)
    chosen = subsample(samples, limit, seed)
    digest = hashlib.sha256(
        "\n".join(f"{s.label}\t{s.group}\t{s.text}" for s in chosen).encode()
    ).hexdigest()
    log(f"head: {len(chosen)} of {len(samples)} texts chosen (limit {limit})")
    key = f"{encoder.name}|{encoder.max_tokens}|{digest}"
    emb = load_cached(cache, key) if cache is not None else None
    if emb is None:
        log("head: embedding")
        emb = encoder.embed([fold(s.text) for s in chosen])
        if cache is not None:
            write_npz(cache, {"key": np.frombuffer(key.encode(), dtype=np.uint8), "emb": emb})
    cng = charngram_oof_scores(samples, chosen, seed) if calibrate else None
    counts: dict[str, int] = {}
    for s in chosen:
        key = f"{s.source}/{s.lang}/{'scam' if s.label else 'benign'}"
        counts[key] = counts.get(key, 0) + 1
    meta = {
        "model_id": HEAD_ID,
        "encoder": encoder.name,
        "max_tokens": encoder.max_tokens,
        "input": "folded text (scamlens.text.normalize.fold)",
        "inputs": {
            "synthetic_messages": n_synth,
            "rule_examples": True,
            "sms": sms.name if sms else None,
            "fraud_r1": fraud_r1.name if fraud_r1 else None,
            "limit": limit,
            "chosen": len(chosen),
            "chosen_sha256": digest,
            "counts": dict(sorted(counts.items())),
        },
    }
    result = fit_head(emb, chosen, seed=seed, charngram_oof=cng, meta=meta, log=log)
    result.report["inputs"] = meta["inputs"]
    return result


def load_cached(path: Path, key: str) -> NDArray[np.float32] | None:
    """Embeddings cached by an earlier run on the same texts and encoder, else None."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if bytes(data["key"]).decode() != key:
                return None
            return np.asarray(data["emb"], dtype=np.float32)
    except (OSError, KeyError, ValueError) as exc:
        raise ScamlensError(f"{path}: not a valid embedding cache ({exc})") from exc


def write_head(result: HeadTraining, out_dir: Path) -> dict[str, str]:
    npz, meta = result.head.save(out_dir / "head.npz")
    hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (npz, meta)}
    (out_dir / "head_training_report.json").write_text(
        json.dumps({**result.report, "sha256": hashes}, indent=1, sort_keys=True) + "\n"
    )
    return hashes

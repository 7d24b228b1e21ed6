"""Train and evaluate the job-ad model, reproducibly.

    python -m scamlens.profiles.train_jobad --emscad ../shared/data/jobs/emscad-train.csv --seed 7

Data: the EMSCAD training file given by path (never copied into the repo), split stratified
(seed fixed) into a training part and a held-out part; plus our own written examples
(profiles/data/jobad_own_train.yaml, expanded with the same seed) in the training part only.
Without --emscad (or with --own-only) the model is trained on our own examples alone.

Model: logistic regression over hashed character n-grams + metadata flags (jobad_model.py).
Baseline: TF-IDF word 1-2-grams + logistic regression, same training rows, same split.
For both, C is chosen by 5-fold stratified cross-validation on the training part (average
precision) and the operating threshold is the one that maximises F1 on the out-of-fold
predictions; the held-out part is touched once, at the end.

Also evaluated: the full scorer (rules + model) and rules alone on the held-out part, and all
of them on our hand-written compound-lure set (profiles/data/jobad_eval_compound.yaml).
Writes the model (.npz) and the figures (jobad_eval.json) into --out.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from scamlens.profiles.jobad_model import (
    DEFAULT_MODEL,
    N_FEATURES,
    JobAdModel,
    ad_text,
    design_matrix,
)
from scamlens.profiles.load import load_items
from scamlens.profiles.model import JobAd
from scamlens.profiles.scorer import JobAdScorer

MODEL_ID = "jobad-charngram-lr-v1"  # the shipped one adds "-own"
C_GRID = (1.0, 3.0, 10.0, 30.0, 100.0)
TEST_SIZE = 0.25
PER_TEMPLATE = 10
# Optional fields are dropped at random in both classes, so that which fields an ad has
# (or how long it is) cannot stand in for its label.
DROP_FIELD = 0.35
_KEEP = frozenset({"title", "description"})
_SLOT = re.compile(r"\{([a-z_]+)\}")
Fitter = Callable[
    [Sequence[JobAd], NDArray[np.int64], float], Callable[[Sequence[JobAd]], NDArray[np.float64]]
]


def _data_file(name: str) -> Any:
    return resources.files("scamlens.profiles").joinpath("data", name)


_TEXT_FIELDS = (
    "title",
    "company",
    "location",
    "salary",
    "description",
    "requirements",
    "benefits",
    "contact",
)


def _ad(ad_id: str, label: int, fields: dict[str, str]) -> JobAd:
    unknown = set(fields) - set(_TEXT_FIELDS)
    if unknown:
        raise ValueError(f"{ad_id}: unknown fields {sorted(unknown)}")
    return JobAd(
        id=ad_id,
        label=label,
        title=fields.get("title", ""),
        company=fields.get("company", ""),
        location=fields.get("location", ""),
        salary=fields.get("salary", ""),
        description=fields.get("description", ""),
        requirements=fields.get("requirements", ""),
        benefits=fields.get("benefits", ""),
        contact=fields.get("contact", ""),
    )


def own_examples(seed: int, per_template: int = PER_TEMPLATE) -> list[JobAd]:
    """Our written training ads: every template expanded `per_template` times."""
    doc = yaml.safe_load(_data_file("jobad_own_train.yaml").read_text(encoding="utf-8"))
    slots: dict[str, list[str]] = doc["slots"]
    rng = random.Random(seed)
    out: list[JobAd] = []
    for t_index, tpl in enumerate(doc["templates"]):
        for k in range(int(tpl.get("n", per_template))):
            chosen: dict[str, str] = {}

            def fill(m: re.Match[str], chosen: dict[str, str] = chosen) -> str:
                name = m.group(1)
                if name == "n":
                    return str(rng.randint(10, 999))
                if name not in chosen:
                    chosen[name] = _SLOT.sub(fill, rng.choice(slots[name]))
                return chosen[name]

            fields = {
                key: _SLOT.sub(fill, str(tpl[key])).strip()
                for key in _TEXT_FIELDS
                if key in tpl and (key in _KEEP or rng.random() >= DROP_FIELD)
            }
            out.append(_ad(f"own-{t_index}-{k}", int(tpl["label"]), fields))
    return out


def compound_eval_set() -> list[tuple[JobAd, str]]:
    """Our hand-written evaluation ads (label in JobAd.label) with their language."""
    doc = yaml.safe_load(_data_file("jobad_eval_compound.yaml").read_text(encoding="utf-8"))
    out = []
    for raw in doc["items"]:
        fields = {k: str(v) for k, v in raw.items() if k not in ("id", "label", "lang")}
        out.append((_ad(str(raw["id"]), int(raw["label"]), fields), str(raw["lang"])))
    return out


def load_emscad(path: Path) -> list[JobAd]:
    ads = [a for a in load_items(path, "job_ad", fmt="csv") if isinstance(a, JobAd)]
    missing = [a.source_line for a in ads if a.label is None]
    if missing:
        raise SystemExit(f"{path}: rows without a 'fraudulent' label, e.g. line {missing[0]}")
    return ads


def labels(ads: Sequence[JobAd]) -> NDArray[np.int64]:
    return np.asarray([int(a.label or 0) for a in ads], dtype=np.int64)


# -- the two models ---------------------------------------------------------------------------


def fit_ours(ads: Sequence[JobAd], y: NDArray[np.int64], c: float) -> JobAdModel:
    x = design_matrix(ads, N_FEATURES)
    lr = LogisticRegression(C=c, max_iter=5000)
    lr.fit(x, y)
    coef = lr.coef_[0].astype(np.float32)
    return JobAdModel(
        model_id=MODEL_ID,
        coef=coef[:N_FEATURES].copy(),
        meta_coef=coef[N_FEATURES:].copy(),
        intercept=float(lr.intercept_[0]),
        threshold=0.5,
    )


def _ours(
    ads: Sequence[JobAd], y: NDArray[np.int64], c: float
) -> Callable[[Sequence[JobAd]], NDArray[np.float64]]:
    return fit_ours(ads, y, c).predict_proba


def _baseline(
    ads: Sequence[JobAd], y: NDArray[np.int64], c: float
) -> Callable[[Sequence[JobAd]], NDArray[np.float64]]:
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    x = vec.fit_transform([ad_text(a) for a in ads])
    lr = LogisticRegression(C=c, max_iter=5000)
    lr.fit(x, y)

    def predict(batch: Sequence[JobAd]) -> NDArray[np.float64]:
        out: NDArray[np.float64] = lr.predict_proba(vec.transform([ad_text(a) for a in batch]))[
            :, 1
        ]
        return out

    return predict


def cross_validate(
    fitter: Fitter,
    ads: Sequence[JobAd],
    y: NDArray[np.int64],
    groups: Sequence[str],
    seed: int,
) -> tuple[float, NDArray[np.float64], dict[str, float]]:
    """Best C by 5-fold average precision, and the out-of-fold probabilities at that C.
    Folds are stratified and grouped: a template's expansions, or duplicate ads, stay in one
    fold, so near-copies never sit on both sides."""
    cv = StratifiedGroupKFold(5, shuffle=True, random_state=seed)
    folds = list(cv.split(np.zeros(len(y)), y, groups))
    scores: dict[str, float] = {}
    best: tuple[float, float, NDArray[np.float64]] | None = None
    for c in C_GRID:
        oof = np.zeros(len(y), dtype=np.float64)
        for tr, te in folds:
            predict = fitter([ads[i] for i in tr], y[tr], c)
            oof[te] = predict([ads[i] for i in te])
        ap = float(average_precision_score(y, oof))
        scores[f"{c:g}"] = round(ap, 4)
        if best is None or ap > best[1]:
            best = (c, ap, oof)
    assert best is not None
    return best[0], best[2], scores


def f1_threshold(y: NDArray[np.int64], p: NDArray[np.float64]) -> float:
    prec, rec, thr = precision_recall_curve(y, p)
    f1 = 2 * prec[:-1] * rec[:-1] / np.maximum(prec[:-1] + rec[:-1], 1e-12)
    return float(thr[int(np.argmax(f1))])


def metrics(y: NDArray[np.int64], p: NDArray[np.float64], thr: float) -> dict[str, float]:
    pred = p >= thr
    tp = int(np.sum(pred & (y == 1)))
    fp = int(np.sum(pred & (y == 0)))
    fn = int(np.sum(~pred & (y == 1)))
    tn = int(np.sum(~pred & (y == 0)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out = {
        "n": len(y),
        "positives": int(np.sum(y == 1)),
        "threshold": round(thr, 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "fpr": round(fp / (fp + tn) if fp + tn else 0.0, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
    }
    if 0 < int(np.sum(y)) < len(y):
        out["pr_auc"] = round(float(average_precision_score(y, p)), 4)
        out["roc_auc"] = round(float(roc_auc_score(y, p)), 4)
    return out


def scorer_metrics(
    scorer: JobAdScorer, ads: Sequence[JobAd], y: NDArray[np.int64]
) -> dict[str, Any]:
    """The scorer's labels: flagged = scam or suspicious; also at the scam label alone."""
    verdicts = scorer.score_many(ads)
    risk = np.asarray([v.risk for v in verdicts], dtype=np.float64)
    from scamlens.profiles.scorer import SCAM_AT, SUSPICIOUS_AT

    return {
        "flagged (suspicious or scam)": metrics(y, risk, SUSPICIOUS_AT),
        "scam label": metrics(y, risk, SCAM_AT),
    }


# -- main -------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def default_out() -> Path:
    return Path(str(resources.files("scamlens").joinpath("resources", "models")))


def group_of(ad: JobAd) -> str:
    """Template id for our examples; a hash of the normalised text for job-board rows, so
    duplicated ads form one group."""
    if ad.id is not None and ad.id.startswith("own-"):
        return ad.id.rsplit("-", 1)[0]
    norm = re.sub(r"\W+", "", (ad.title + ad.description + ad.company_profile).lower())
    return hashlib.blake2b(norm.encode(), digest_size=8).hexdigest()


def heldout_split(ads: Sequence[JobAd], seed: int) -> tuple[list[JobAd], list[JobAd]]:
    """A stratified, duplicate-safe 75/25 split: one fold of a 4-fold StratifiedGroupKFold."""
    y = labels(ads)
    groups = [group_of(a) for a in ads]
    cv = StratifiedGroupKFold(round(1 / TEST_SIZE), shuffle=True, random_state=seed)
    train_idx, test_idx = next(cv.split(np.zeros(len(y)), y, groups))
    return [ads[i] for i in train_idx], [ads[i] for i in test_idx]


def fit_and_compare(
    train: Sequence[JobAd], seed: int
) -> tuple[JobAdModel, Callable[[Sequence[JobAd]], NDArray[np.float64]], float, dict[str, Any]]:
    """Our model and the baseline on `train`: C by grouped CV, thresholds out-of-fold."""
    y = labels(train)
    groups = [group_of(a) for a in train]
    c_ours, oof_ours, cv_ours = cross_validate(_ours, train, y, groups, seed)
    c_base, oof_base, cv_base = cross_validate(_baseline, train, y, groups, seed)
    thr_ours = f1_threshold(y, oof_ours)
    thr_base = f1_threshold(y, oof_base)
    model = replace(fit_ours(train, y, c_ours), threshold=round(thr_ours, 4))
    baseline = _baseline(train, y, c_base)
    cv = {
        "ours": {"C": c_ours, "ap_by_C": cv_ours, "threshold": round(thr_ours, 4)},
        "baseline": {"C": c_base, "ap_by_C": cv_base, "threshold": round(thr_base, 4)},
    }
    return model, baseline, thr_base, cv


def confound_check(train: Sequence[JobAd], test: Sequence[JobAd]) -> dict[str, Any]:
    """How well the job-board source alone separates the classes: TF-IDF on the location field
    only, and the share of rows with an empty description per class."""
    y_tr, y_te = labels(train), labels(test)
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    x = vec.fit_transform([a.location for a in train])
    lr = LogisticRegression(C=10.0, max_iter=5000).fit(x, y_tr)
    p = lr.predict_proba(vec.transform([a.location for a in test]))[:, 1]
    every = list(train) + list(test)
    empty = {
        str(k): round(
            sum(1 for a in every if a.label == k and not a.description)
            / max(1, sum(1 for a in every if a.label == k)),
            4,
        )
        for k in (0, 1)
    }
    return {
        "location_only_pr_auc": round(float(average_precision_score(y_te, p)), 4),
        "empty_description_share_by_label": empty,
    }


def run(
    emscad: Path | None,
    seed: int,
    out: Path,
    emscad_model_out: Path | None = None,
) -> dict[str, Any]:
    """Train the shipped model on our own examples; with EMSCAD, also the held-out comparison."""
    own = own_examples(seed)
    report: dict[str, Any] = {"seed": seed, "own_examples": len(own)}

    shipped, baseline_own, thr_base_own, cv_own = fit_and_compare(own, seed)
    shipped = replace(
        shipped,
        model_id=MODEL_ID + "-own",
        meta={
            "trained_on": "scamlens own written examples only (jobad_own_train.yaml)",
            "seed": seed,
            "train_rows": len(own),
            "C": cv_own["ours"]["C"],
        },
    )
    report["shipped_model"] = {"model_id": shipped.model_id, "cv": cv_own}

    comp = compound_eval_set()
    report["compound_set"] = {}
    for lang in ("all", "en", "zh"):
        ads = [a for a, lg in comp if lang == "all" or lg == lang]
        y = labels(ads)
        report["compound_set"][lang] = {
            "ours (model alone)": metrics(y, shipped.predict_proba(ads), shipped.threshold),
            "baseline (model alone)": metrics(y, baseline_own(ads), thr_base_own),
            "scorer: rules + model": scorer_metrics(JobAdScorer(model=shipped), ads, y),
            "scorer: rules only": scorer_metrics(JobAdScorer(use_model=False), ads, y),
        }

    if emscad is not None:
        ems = load_emscad(emscad)
        ems_train, ems_test = heldout_split(ems, seed)
        y_test = labels(ems_test)
        report["emscad"] = {
            "file": emscad.name,
            "sha256": _sha256(emscad),
            "rows": len(ems),
            "fraudulent": int(labels(ems).sum()),
            "train_rows": len(ems_train),
            "test_rows": len(ems_test),
            "test_fraudulent": int(y_test.sum()),
            "confound": confound_check(ems_train, ems_test),
        }
        ems_model, ems_baseline, thr_base, cv_ems = fit_and_compare(ems_train + own, seed)
        ems_model = replace(
            ems_model,
            meta={
                "trained_on": "EMSCAD training split + scamlens own examples",
                "seed": seed,
                "emscad_sha256": report["emscad"]["sha256"],
                "C": cv_ems["ours"]["C"],
            },
        )
        report["emscad"]["cv"] = cv_ems
        report["emscad_heldout"] = {
            "ours, trained on EMSCAD split + own": metrics(
                y_test, ems_model.predict_proba(ems_test), ems_model.threshold
            ),
            "baseline, trained on EMSCAD split + own": metrics(
                y_test, ems_baseline(ems_test), thr_base
            ),
            "shipped model (own examples only)": metrics(
                y_test, shipped.predict_proba(ems_test), shipped.threshold
            ),
            "scorer: rules + shipped model": scorer_metrics(
                JobAdScorer(model=shipped), ems_test, y_test
            ),
            "scorer: rules only": scorer_metrics(JobAdScorer(use_model=False), ems_test, y_test),
        }
        if emscad_model_out is not None:
            emscad_model_out.parent.mkdir(parents=True, exist_ok=True)
            ems_model.save(emscad_model_out)

    out.mkdir(parents=True, exist_ok=True)
    shipped.save(out / DEFAULT_MODEL)
    report["model_file"] = DEFAULT_MODEL
    (out / "jobad_eval.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    return report


def _table(title: str, rows: dict[str, Any]) -> str:
    lines = [
        f"### {title}",
        "",
        "| system | precision | recall | F1 | FPR | PR-AUC | threshold |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, m in rows.items():
        sub = m if "precision" in m else None
        items = [(name, sub)] if sub else [(f"{name}, {k}", v) for k, v in m.items()]
        for label, v in items:
            lines.append(
                f"| {label} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | "
                f"{v['fpr']:.3f} | {v.get('pr_auc', float('nan')):.3f} | {v['threshold']:.3f} |"
            )
    return "\n".join(lines)


def markdown(report: dict[str, Any]) -> str:
    parts = []
    for lang, rows in report["compound_set"].items():
        parts.append(_table(f"Hand-written compound-lure set ({lang})", rows))
    if "emscad_heldout" in report:
        e = report["emscad"]
        parts.append(
            _table(
                f"EMSCAD file, held-out split ({e['test_rows']} ads, "
                f"{e['test_fraudulent']} fraudulent)",
                report["emscad_heldout"],
            )
        )
        c = e["confound"]
        parts.append(
            f"Confound check: location field alone gives PR-AUC {c['location_only_pr_auc']:.3f}; "
            f"share of rows with an empty description: {c['empty_description_share_by_label']}"
        )
    return "\n\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m scamlens.profiles.train_jobad",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument(
        "--emscad", type=Path, help="EMSCAD CSV (e.g. ../shared/data/jobs/emscad-train.csv)"
    )
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default: the package's resources/models)",
    )
    ap.add_argument(
        "--emscad-model-out",
        type=Path,
        default=None,
        help="also write the EMSCAD-trained model here (not shipped; see the model card)",
    )
    args = ap.parse_args(argv)
    if args.emscad is not None and not args.emscad.is_file():
        print(f"{args.emscad}: not found", file=sys.stderr)
        return 2
    report = run(args.emscad, args.seed, args.out or default_out(), args.emscad_model_out)
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The evaluation protocol: grouped cross-validation, cross-checks, held-out sets.

Every figure comes from items the scored model never trained on:
(a) grouped K-fold CV over the training samples (declared groups merged with near-duplicates),
    per fold the shipped pipeline retrained (`train_on`), the rules with thresholds from the
    training folds, and the TF-IDF baseline fitted on the training folds only;
(b) cross-checks on text written differently: train on English samples, test on Chinese;
    train on single messages, test on whole dialogues (fraud-r1 dialogues, written chats);
(c) the independent written set (texts and chats) with the shipped models;
(d) the SMS half that training never reads (ham: false positives).
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from scamlens.errors import ScamlensError
from scamlens.evaluation.data import (
    BENIGN,
    OTHER,
    SCAM,
    Item,
    as_pasted,
    conversation_text,
    load_jsonl,
    written_chat_items,
)
from scamlens.evaluation.dialogues import fraud_r1_dialogue_items, fraud_r1_text_items
from scamlens.evaluation.grouping import grouped_folds, merge_near_duplicates
from scamlens.evaluation.report import Section, write_report
from scamlens.evaluation.scorers import (
    RuleScores,
    RulesScorer,
    Scored,
    ShippedScorer,
    TfidfModel,
    TfidfScorer,
    Thresholds,
    pick_thresholds,
    text_digest,
)
from scamlens.model import Conversation
from scamlens.scoring.engine import Engine, default_engine
from scamlens.train.fit import Sample, TrainInputs, collect_samples, train_on

Log = Callable[[str], None]
SCALES: dict[str, dict[str, int]] = {
    "small": {"n_messages": 3000, "n_conversations": 200},
    "full": {},  # the shipped defaults of TrainInputs
}
CONV_CALIBRATION = 300  # synthetic training conversations used for baseline thresholds


def train_inputs(shared: Path | None, seed: int = 7, **sizes: Any) -> TrainInputs:
    """TrainInputs with the shared data the shipped build reads (only fields this version has)."""
    names = {f.name for f in dataclasses.fields(TrainInputs)}
    kw: dict[str, Any] = {"seed": seed, **{k: v for k, v in sizes.items() if k in names}}
    if shared is not None:
        sms = shared / "sms" / "smishing-train.csv"
        if sms.is_file():
            kw["sms_path"] = sms
        fr = shared / "fraud-r1" / "fraud-r1-dev.json"
        if fr.is_file() and "fraud_r1_path" in names:
            kw["fraud_r1_path"] = fr
    return TrainInputs(**kw)


def shipped_trained_on_fraud_r1() -> bool:
    """Whether the shipped models may have read fraud-r1 (then it is not a held-out set).

    Only a training report that matches the shipped files (SHA-256) and lists no fraud-r1
    input says no; anything else is treated as yes.
    """
    import hashlib
    from importlib import resources

    folder = Path(str(resources.files("scamlens").joinpath("resources/models")))
    try:
        report = json.loads((folder / "training_report.json").read_text(encoding="utf-8"))
        for name, digest in dict(report.get("sha256", {})).items():
            if hashlib.sha256((folder / name).read_bytes()).hexdigest() != digest:
                return True  # stale report
    except (OSError, ValueError, TypeError, AttributeError):
        return True
    return "fraud" in json.dumps(report.get("inputs", {})).lower()


def sample_items(samples: Sequence[Sample], groups: Sequence[str]) -> tuple[list[int], list[Item]]:
    """Evaluation items of training samples: stand-alone label (`single_label`) as truth.

    Scam lines that are not a scam on their own (openers, small talk: single_label None) are
    skipped; non-pig-butchering fraud (label -1) is `other_fraud`.
    """
    idx, items = [], []
    for i, s in enumerate(samples):
        if s.label == -1:
            label = OTHER
        elif s.single_label is None:
            continue
        else:
            label = SCAM if s.single_label == 1 else BENIGN
        idx.append(i)
        items.append(Item(f"s{i}", label, s.lang, groups[i], s.source, text=s.text))
    return idx, items


class Calibration:
    """What the baselines' thresholds are chosen on: training samples and conversations."""

    def __init__(self, inputs: TrainInputs, rules: RuleScores, log: Log) -> None:
        from scamlens.train import synth

        n = min(inputs.n_conversations, CONV_CALIBRATION)
        convs = synth.generate_conversations(n, inputs.seed + 1)
        self.benign_convs: list[Conversation] = [c.conversation for c in convs if c.label != "scam"]
        self.rule_conv = Thresholds(0.0, 0.0)
        risks = [rules.conversation(c)[0] for c in self.benign_convs]
        self.rule_conv = pick_thresholds(risks)
        log(f"baseline chat thresholds from {len(self.benign_convs)} benign synthetic chats")

    def tfidf_conv(self, model: TfidfModel) -> Thresholds:
        return pick_thresholds(model.predict([conversation_text(c) for c in self.benign_convs]))


def fit_tfidf(train: Sequence[Sample], seed: int) -> TfidfModel:
    use = [s for s in train if s.single_label is not None]
    return TfidfModel(seed).fit(
        [s.text for s in use], [int(s.single_label or 0) for s in use], [s.group for s in use]
    )


def rule_text_thresholds(
    train_idx: Sequence[int], samples: Sequence[Sample], risks: Sequence[float]
) -> Thresholds:
    benign = [risks[i] for i in train_idx if samples[i].single_label == 0]
    return pick_thresholds(benign)


class CachedRules:
    """Rules scorer whose text scores were computed once for every sample."""

    def __init__(self, base: RulesScorer, cache: dict[str, tuple[float, Any]]) -> None:
        self.base = base
        self.cache = cache
        self.name = base.name

    def score(self, items: Sequence[Item]) -> list[Scored]:
        out = []
        for it in items:
            if it.text is not None and it.text in self.cache:
                risk, stages = self.cache[it.text]
                out.append(self.base._scored(risk, stages, self.base.text_t))
            else:
                out.extend(self.base.score([it]))
        return out


def _score_all(scorers: Sequence[Any], items: Sequence[Item]) -> dict[str, list[Scored]]:
    return {s.name: s.score(items) for s in scorers}


def cross_validation(
    samples: Sequence[Sample], inputs: TrainInputs, folds: int, log: Log
) -> tuple[Section, dict[str, Any]]:
    t0 = time.monotonic()
    texts = [s.text for s in samples]
    merged = merge_near_duplicates(texts, [s.group for s in samples], seed=inputs.seed)
    fold_of = grouped_folds(merged, folds, inputs.seed)
    n_groups = len(set(merged))
    log(
        f"cv: {len(samples)} samples, {len(set(s.group for s in samples))} groups, "
        f"{n_groups} after near-duplicate merging"
    )
    rules = RuleScores()
    cache = dict(zip(texts, rules.texts(texts), strict=True))
    risks = [cache[t][0] for t in texts]
    calib = Calibration(inputs, rules, log)
    idx, items = sample_items(samples, merged)
    names = ("shipped", "rules", "tfidf")
    scored: dict[str, list[Scored | None]] = {n: [None] * len(items) for n in names}
    leaks = 0
    fit_overlap = 0
    for k in range(folds):
        train_idx = [i for i, f in enumerate(fold_of) if f != k]
        train = [samples[i] for i in train_idx]
        test_pos = [j for j, i in enumerate(idx) if fold_of[i] == k]
        test_items = [items[j] for j in test_pos]
        tk = time.monotonic()
        engine = train_on(train, inputs, log=lambda _m: None).engine()
        tfidf = fit_tfidf(train, inputs.seed)
        train_texts = {s.text for s in train}
        leaks += sum(1 for it in test_items if it.text in train_texts)
        fit_overlap += sum(1 for it in test_items if text_digest(it.text or "") in tfidf.fitted_on)
        scorers = [
            ShippedScorer(engine),
            CachedRules(
                RulesScorer(
                    rules, rule_text_thresholds(train_idx, samples, risks), calib.rule_conv
                ),
                cache,
            ),
            TfidfScorer(tfidf, calib.tfidf_conv(tfidf)),
        ]
        for name, res in _score_all(scorers, test_items).items():
            for j, r in zip(test_pos, res, strict=True):
                scored[name][j] = r
        log(
            f"cv fold {k + 1}/{folds}: train {len(train)}, test {len(test_items)}, "
            f"{time.monotonic() - tk:.0f}s"
        )
    done = {n: [r for r in v if r is not None] for n, v in scored.items()}
    info = {
        "seconds": round(time.monotonic() - t0),
        "groups": n_groups,
        "exact_text_overlap": leaks,
        "tfidf_fit_overlap": fit_overlap,
    }
    sec = Section(
        "cv",
        f"(a) Grouped {folds}-fold cross-validation over the training samples (pooled out-of-fold)",
        "Synthetic-on-synthetic figures are optimistic: the synthetic test folds come from the "
        "same generator, phrase banks and rule examples as the training folds (only templates "
        "differ). The SMS rows (`source=sms-*`) and any real-data rows are the ones that matter "
        "here; the held-out sections below matter more.",
        items,
        done,
        slices=("lang", "source"),
        extra=[
            f"Samples {len(samples)}; near-duplicate groups {n_groups} (declared groups merged "
            f"when character 4-gram Jaccard ≥ 0.7); items scored {len(items)} (scam lines that "
            "are not a scam on their own are skipped). Test texts also present verbatim in "
            f"their training part (identical text in another group): {leaks}. "
            f"Time {info['seconds']} s.",
        ],
    )
    return sec, info


def train_scorers(
    train: Sequence[Sample],
    inputs: TrainInputs,
    log: Log,
    engine: Engine | None = None,
    which: Sequence[str] = ("shipped", "rules", "tfidf"),
) -> list[Any]:
    """The systems in `which` trained on `train` (or the given engine as the pipeline)."""
    out: list[Any] = []
    if "shipped" in which:
        eng = engine or train_on(train, inputs, log=lambda _m: None).engine()
        out.append(ShippedScorer(eng))
    if "rules" in which or "tfidf" in which:
        rules = RuleScores()
        calib = Calibration(inputs, rules, log)
        if "rules" in which:
            risks = [r for r, _ in rules.texts([s.text for s in train])]
            text_t = rule_text_thresholds(range(len(train)), train, risks)
            out.append(RulesScorer(rules, text_t, calib.rule_conv))
        if "tfidf" in which:
            tfidf = fit_tfidf(train, inputs.seed)
            out.append(TfidfScorer(tfidf, calib.tfidf_conv(tfidf)))
    return out


def language_transfer(
    samples: Sequence[Sample], inputs: TrainInputs, log: Log, src: str = "en", dst: str = "zh"
) -> Section:
    t0 = time.monotonic()
    merged = merge_near_duplicates([s.text for s in samples], [s.group for s in samples])
    test_groups = {g for s, g in zip(samples, merged, strict=True) if s.lang == dst}
    train = [
        s for s, g in zip(samples, merged, strict=True) if s.lang == src and g not in test_groups
    ]
    test = [s for s in samples if s.lang == dst]
    test_merged = [g for s, g in zip(samples, merged, strict=True) if s.lang == dst]
    _, items = sample_items(test, test_merged)
    scorers = train_scorers(train, inputs, log)
    return Section(
        f"transfer_{src}_{dst}",
        f"(b1) Train on {src.upper()} samples only, test on {dst.upper()} samples",
        f"Learned parts see no {dst.upper()} text (translation pairs and near-duplicates of "
        f"the test texts removed from training). The rule pack is bilingual and was written "
        f"with both languages in view, so `rules` and the rule features are not transferred.",
        items,
        _score_all(scorers, items),
        slices=("source",),
        extra=[
            f"Train {len(train)} samples, test {len(items)} items, {time.monotonic() - t0:.0f} s."
        ],
    )


def dialogue_transfer(
    samples: Sequence[Sample],
    inputs: TrainInputs,
    shared: Path,
    written: Path | None,
    log: Log,
) -> Section | None:
    t0 = time.monotonic()
    items: list[Item] = []
    fr = shared / "fraud-r1" / "fraud-r1-dev.json"
    if fr.is_file():
        items += fraud_r1_dialogue_items(fr)
    if written is not None and (written / "chats" / "labels.json").is_file():
        items += written_chat_items(written / "chats")
    if not items:
        return None
    train = [s for s in samples if not s.source.startswith("fraud")]
    scorers = train_scorers(train, inputs, log)
    return Section(
        "dialogues",
        "(b2) Train on single messages (no real dialogue), test on whole dialogues",
        "fraud-r1 dev dialogue records (parsed into turns; marriage-and-dating and investment "
        "types are the pig-butchering positives, other fraud types reported apart; no benign "
        "class) and the 12 independent written chats (the only benign conversations here: 6). "
        "The pipeline's conversation part is trained on synthetic conversations only. "
        "fraud-r1 samples are removed from training for this check.",
        items,
        _score_all(scorers, items),
        slices=("lang", "source"),
        extra=[f"{time.monotonic() - t0:.0f} s."],
    )


def heldout_sections(
    shared: Path | None, written: Path | None, seed: int, log: Log
) -> list[Section]:
    """(c) and (d): the shipped models; baselines trained on the shipped training inputs."""
    from scamlens.evaluation.legacy import sms_items

    t0 = time.monotonic()
    inputs = train_inputs(shared, seed)
    train = collect_samples(inputs)
    scorers = train_scorers(train, inputs, log, engine=default_engine())
    base = (
        f"Shipped models as installed; the baselines are fitted on the shipped training inputs "
        f"({len(train)} samples: synthetic {inputs.n_messages} messages seed {inputs.seed}, "
        f"rule examples, SMS training half, and fraud-r1 dev if the build reads it)."
    )
    log(f"held-out scorers ready in {time.monotonic() - t0:.0f}s")
    out = []
    if written is not None and (written / "texts.jsonl").is_file():
        # the writer's `kind` (victim account, opener, news warning...) as the source slice
        items = [
            dataclasses.replace(it, source=it.meta.get("kind", it.source))
            for it in load_jsonl(written / "texts.jsonl")
        ]
        out.append(
            Section(
                "written_texts",
                "(c1) Independent written set: 700 single texts (never trained or tuned on)",
                base + " Written by the team without access to rules, templates or examples "
                "(`eval/written/README.md`). The previous version of this report was read "
                "while the shipped build was frozen; no design choice was made on it.",
                items,
                _score_all(scorers, items),
                slices=("lang", "source"),
            )
        )
        chats = written_chat_items(written / "chats")
        out.append(
            Section(
                "written_chats",
                "(c2) Independent written chats: 12 whole conversations",
                base + " 6 scam and 6 benign; with n this small the intervals are wide.",
                chats,
                _score_all(scorers, chats),
                slices=("lang",),
            )
        )
        # The same chats as a paste from a screen gives them: no timestamps. A verdict should
        # not depend on how the chat reached scamlens.
        pasted = [
            dataclasses.replace(c, conversation=as_pasted(c.conversation))  # type: ignore[arg-type]
            for c in chats
        ]
        out.append(
            Section(
                "written_chats_pasted",
                "(c3) The same 12 written chats without timestamps (as pasted)",
                base + " Timing features are unknown for a pasted chat; compare with (c2).",
                pasted,
                _score_all(scorers, pasted),
                slices=("lang",),
            )
        )
    if shared is not None:
        sms = shared / "sms" / "smishing-train.csv"
        if sms.is_file():
            items = [
                Item(
                    f"sms{i}",
                    BENIGN if it.label == "benign" else OTHER,
                    "en",
                    f"sms{i}",
                    it.source,
                    text=it.text,
                )
                for i, it in enumerate(sms_items(sms))
            ]
            out.append(
                Section(
                    "sms_ham",
                    "(d) SMS: the half of the collection training never reads",
                    base + " Ham is benign (false positives); spam and smishing are other fraud. "
                    "English only. This set was looked at while the shipped design was adjusted.",
                    items,
                    _score_all(scorers, items),
                    slices=(),
                )
            )
        fr = shared / "fraud-r1" / "fraud-r1-dev.json"
        if fr.is_file() and not shipped_trained_on_fraud_r1():
            items = fraud_r1_text_items(fr)
            out.append(
                Section(
                    "fraud_r1",
                    "(e) fraud-r1 dev records as single texts (not in the shipped training)",
                    base
                    + " Positives only (no benign class): recall only. Looked at during design.",
                    items,
                    _score_all(scorers, items),
                    slices=("lang",),
                )
            )
    return out


def run_protocol(
    shared: Path,
    written: Path | None,
    out: Path,
    *,
    folds: int = 5,
    scale: str = "small",
    seed: int = 7,
    parts: Sequence[str] = ("cv", "cross", "heldout"),
    formats: Sequence[str] = ("md", "html"),
    log: Log = print,
) -> dict[str, Path]:
    t0 = time.monotonic()
    inputs = train_inputs(shared, seed, **SCALES[scale])
    samples = collect_samples(inputs)
    sections: list[Section] = []
    skipped: list[str] = []
    if "cv" in parts:
        sec, _info = cross_validation(samples, inputs, folds, log)
        sections.append(sec)
    if "cross" in parts:
        sections.append(language_transfer(samples, inputs, log))
        log("language transfer done")
        dsec = dialogue_transfer(samples, inputs, shared, written, log)
        if dsec is not None:
            sections.append(dsec)
        log("dialogue transfer done")
    if "heldout" in parts:
        try:
            sections += heldout_sections(shared, written, seed, log)
        except ScamlensError as exc:  # e.g. shipped models older than this code
            log(f"held-out sections skipped: {exc}")
            skipped.append(f"Held-out sections skipped: {exc}")
    fields = {f.name: getattr(inputs, f.name) for f in dataclasses.fields(TrainInputs)}
    shown = {k: (v.name if isinstance(v, Path) else v) for k, v in fields.items()}
    preamble = [
        f"Scale `{scale}`: CV and cross-check training inputs {shown}. Held-out sections use "
        f"the shipped models. Seed {seed}; bootstrap: 2,000 resamples of groups, 95 % "
        "percentile intervals.",
        "",
        "Columns: `flag` = label `suspicious` or `scam`; `scam` = label `scam`. FPR = share of "
        "benign items at that label. P, F1 at the flag label. ROC AUC and AP use the continuous "
        "risk; ECE = expected calibration error over 10 equal-width bins.",
        "",
        f"Total time {time.monotonic() - t0:.0f} s.",
        *skipped,
    ]
    return write_report(
        sections,
        out,
        title="scamlens evaluation protocol",
        preamble=preamble,
        formats=formats,
        seed=seed,
        log=log,
    )

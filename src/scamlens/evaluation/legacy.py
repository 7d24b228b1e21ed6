"""`scamlens evaluate --shared/--written`: the first, quick held-out table (kept as it was).

Data sets (each optional, skipped when its path is missing):
- fraud-r1 dev (`../shared/data/fraud-r1/fraud-r1-dev.json`): the "marriage and dating" and
  "investment and financial management" records are the pig-butchering-type positives; other
  fraud types are reported apart (they are fraud, so neither a hit nor a false positive).
- SMS (`../shared/data/sms/smishing-train.csv`): only the half of the rows that training never
  uses (split by text hash, see `scamlens.train.fit.sms_samples`); ham is benign.
- The independent written set (`eval/written/`), written without access to rules or templates.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scamlens.scoring.engine import Engine, default_engine

PB_SUBCATEGORIES = {"marriage and dating", "investment and financial management"}


@dataclass(frozen=True, slots=True)
class Item:
    text: str
    label: str  # "scam" (pig-butchering), "benign", or "other_fraud"
    lang: str
    source: str


@dataclass
class Row:
    dataset: str
    lang: str
    n: int
    positives: int
    tp_scam: int
    tp_flag: int
    fp_scam: int
    fp_flag: int
    other_flag: int

    @property
    def negatives(self) -> int:
        return self.n - self.positives

    def recall(self, flag: bool) -> float | None:
        if not self.positives:
            return None
        return (self.tp_flag if flag else self.tp_scam) / self.positives

    def fpr(self, flag: bool) -> float | None:
        neg = self.negatives
        if not neg:
            return None
        return (self.fp_flag if flag else self.fp_scam) / neg

    def precision(self, flag: bool) -> float | None:
        tp = self.tp_flag if flag else self.tp_scam
        fp = self.fp_flag if flag else self.fp_scam
        return tp / (tp + fp) if tp + fp else None


def fraud_r1_items(path: Path) -> list[Item]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for rec in data:
        raw = rec.get("raw_data")
        text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
        lang = "zh" if rec.get("language") == "Chinese" else "en"
        label = "scam" if rec.get("subcategory") in PB_SUBCATEGORIES else "other_fraud"
        out.append(Item(text, label, lang, "fraud-r1"))
    return out


def sms_items(path: Path) -> list[Item]:
    from scamlens.train.fit import sms_samples

    out = []
    for s in sms_samples(path, "test"):
        label = "benign" if s.source == "sms-ham" else "other_fraud"
        out.append(Item(s.text, label, "en", s.source))
    return out


def written_items(path: Path) -> list[Item]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                out.append(Item(rec["text"], rec["label"], rec["lang"], "written"))
    return out


def evaluate_items(name: str, items: Sequence[Item], engine: Engine) -> list[Row]:
    results = engine.score_batch([i.text for i in items])
    rows: dict[str, Row] = {}
    for item, res in zip(items, results, strict=True):
        for lang in (item.lang, "all"):
            row = rows.setdefault(lang, Row(name, lang, 0, 0, 0, 0, 0, 0, 0))
            scam = res.label == "scam"
            flag = res.label != "benign"
            if item.label == "other_fraud":
                row.other_flag += flag
                continue
            row.n += 1
            if item.label == "scam":
                row.positives += 1
                row.tp_scam += scam
                row.tp_flag += flag
            else:
                row.fp_scam += scam
                row.fp_flag += flag
    return [rows[k] for k in sorted(rows, key=lambda k: (k == "all", k))]


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1%}"


def markdown(rows: Iterable[Row]) -> str:
    head = (
        "| data | lang | n | pos | neg | recall (scam) | recall (flagged) | FPR (scam) | "
        "FPR (flagged) | precision (flagged) |\n|---|---|---|---|---|---|---|---|---|---|\n"
    )
    body = "".join(
        f"| {r.dataset} | {r.lang} | {r.n} | {r.positives} | {r.negatives} "
        f"| {_pct(r.recall(False))} "
        f"| {_pct(r.recall(True))} | {_pct(r.fpr(False))} | {_pct(r.fpr(True))} "
        f"| {_pct(r.precision(True))} |\n"
        for r in rows
    )
    return head + body


def run(shared: Path | None, written: Path | None, engine: Engine | None = None) -> list[Row]:
    eng = engine or default_engine()
    rows: list[Row] = []
    if shared is not None:
        fr = shared / "fraud-r1" / "fraud-r1-dev.json"
        if fr.is_file():
            items = fraud_r1_items(fr)
            rows += evaluate_items("fraud-r1 (pig-butchering types)", items, eng)
        sms = shared / "sms" / "smishing-train.csv"
        if sms.is_file():
            rows += evaluate_items("SMS ham (unseen half)", sms_items(sms), eng)
    if written is not None and written.is_file():
        rows += evaluate_items("written set (independent)", written_items(written), eng)
    return rows

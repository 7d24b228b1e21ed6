"""Training inputs and pieces: fraud-r1 records, tactic labels, thresholds, reliability, CLI."""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from scamlens.detect.rulepack import load_rulepack
from scamlens.errors import ScamlensError
from scamlens.train.cli import register
from scamlens.train.fit import (
    Sample,
    TrainInputs,
    choose_thresholds,
    collect_samples,
    fraud_r1_samples,
    fraudster_turns,
    reliability_bins,
    tactic_labels,
)


def _records() -> list[dict[str, Any]]:
    def rec(i: int, sub: str, lang: str, text: str, dtype: str = "dialogue") -> dict[str, Any]:
        cat = "network friendship" if sub == "marriage and dating" else "phishing"
        return {"id": i, "category": cat, "subcategory": sub, "raw_data": text,
                "data_type": dtype, "language": lang}  # fmt: skip

    return [
        rec(0, "marriage and dating", "English", "[Agent] Hi dear [Client] hello [Agent] invest"),
        rec(1, "marriage and dating", "English", "[Agent] second one [Customer] ok"),
        rec(2, "phishing", "English", "Click here to verify", "message"),
        rec(10, "marriage and dating", "Chinese", "【坐席】你好亲爱的【客户】你好【坐席】投资"),
        rec(11, "marriage and dating", "Chinese", "【坐席】第二个【客户】好"),
        rec(12, "phishing", "Chinese", "点击验证", "message"),
    ]


def test_fraudster_turns_split_both_languages() -> None:
    assert fraudster_turns("[Agent] Hi dear [Client] hello [Agent] invest") == ["Hi dear", "invest"]
    assert fraudster_turns("【坐席】你好【客户】好的【坐席】投资") == ["你好", "投资"]
    assert fraudster_turns("no markers at all") == []


def test_fraud_r1_records_pair_translations_and_label_by_type(tmp_path: Path) -> None:
    path = tmp_path / "fr.json"
    path.write_text(json.dumps(_records(), ensure_ascii=False), encoding="utf-8")
    out = fraud_r1_samples(path)
    whole = [s for s in out if s.source != "fraud-r1:turn"]
    assert len(whole) == 6
    by_text = {s.text: s for s in whole}
    en, zh = by_text["[Agent] second one [Customer] ok"], by_text["【坐席】第二个【客户】好"]
    assert en.group == zh.group and (en.lang, zh.lang) == ("en", "zh")
    assert len({s.group for s in whole}) == 3
    pb = [s for s in whole if s.source.startswith("fraud-r1:pb")]
    assert all(s.label == 1 and s.single_label == 1 for s in pb)
    other = [s for s in whole if s.source.startswith("fraud-r1:other")]
    assert other and all(s.label == -1 and s.single_label == 0 for s in other)
    turns = [s for s in out if s.source == "fraud-r1:turn"]
    assert {t.text for t in turns} >= {"Hi dear", "invest", "你好亲爱的", "投资"}
    assert all(t.label == -2 and t.single_label is None for t in turns)


@pytest.mark.parametrize("content", ["{not json", '{"a": 1}', '[{"id": 1}]', "[3]"])
def test_fraud_r1_bad_files_raise_clear_errors(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ScamlensError, match=r"bad\.json"):
        fraud_r1_samples(path)


def test_real_fraud_r1_translations_share_groups(shared_data: Path) -> None:
    out = [s for s in fraud_r1_samples(shared_data / "fraud-r1" / "fraud-r1-dev.json")
           if s.source != "fraud-r1:turn"]  # fmt: skip
    langs: dict[str, set[str]] = defaultdict(set)
    for s in out:
        langs[s.group].add(s.lang)
    assert len(out) == 2 * len(langs)
    assert all(v == {"en", "zh"} for v in langs.values())


def test_collect_samples_reads_only_declared_inputs(tmp_path: Path) -> None:
    path = tmp_path / "fr.json"
    path.write_text(json.dumps(_records(), ensure_ascii=False), encoding="utf-8")
    base = collect_samples(TrainInputs(seed=1, n_messages=50))
    more = collect_samples(TrainInputs(seed=1, n_messages=50, fraud_r1_path=path))
    assert more[: len(base)] == base and len(more) > len(base)
    assert collect_samples(TrainInputs(seed=1, n_messages=50)) == base


def test_tactic_labels_join_template_tactics_and_rule_matches() -> None:
    pack = load_rulepack()
    samples = [
        Sample("hello there", 0, "g1", 0, "en", "x", ("daily_care",)),
        Sample("To withdraw you must first pay the 20% personal income tax", 1, "g2", 1, "en", "x"),
        Sample("I will not pay any tax to withdraw", 0, "g3", 0, "en", "x"),
    ]
    tactics, y, fired = tactic_labels(samples, pack)
    col = tactics.index("withdrawal_tax")
    assert y[0, tactics.index("daily_care")] == 1 and y[0].sum() == 1
    assert y[1, col] == 1 and fired[1, col]
    weak_off = tactic_labels(samples, pack, weak=False)[1]
    assert weak_off[1, col] == 0


def test_thresholds_need_precision_on_what_rules_missed() -> None:
    y = np.array([[1], [1], [1], [1], [1], [0], [0], [0]], dtype=np.int8)
    p = np.array([[0.9], [0.9], [0.9], [0.9], [0.9], [0.2], [0.95], [0.1]])
    fired = np.zeros_like(y, dtype=np.bool_)
    th, stats = choose_thresholds(p, y, fired, precision=0.8)
    assert th[0] == pytest.approx(0.3) and stats[0]["oof_precision"] >= 0.8
    th, _ = choose_thresholds(p, y, fired, precision=0.99)  # a negative scores 0.95
    assert th[0] > 1.0
    fired[:5] = True  # the rules already found every positive: nothing left to add
    th, _ = choose_thresholds(p, y, fired, precision=0.8)
    assert th[0] > 1.0


def test_reliability_bins() -> None:
    pred = np.array([0.05, 0.05, 0.95, 0.95, 0.5])
    y = np.array([0, 0, 1, 0, 1])
    bins = reliability_bins(pred, y)
    assert [b["count"] for b in bins] == [2, 1, 2]
    assert bins[-1]["observed"] == 0.5 and bins[0]["mean_predicted"] == 0.05


def test_train_cli_writes_every_model(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    out = tmp_path / "models"
    args = parser.parse_args(
        ["train", "--seed", "2", "--messages", "500", "--conversations", "30", "--out", str(out)]
    )
    assert args.func(args) == 0
    names = {p.name for p in out.iterdir()}
    assert {"text_model.npz", "risk_model.json", "tactic_model.npz", "reliability.png",
            "training_report.json"} <= names  # fmt: skip
    report = json.loads((out / "training_report.json").read_text())
    assert set(report["reliability"]) == {"text", "conversation"}
    assert set(report["sha256"]) >= {"tactic_model.npz", "reliability.png"}
    # every third of the 30 conversations also trains without its timestamps
    assert report["inputs"]["untimed_copies"] == 10
    assert report["risk_oof"]["conversation"]["n"] == 40
    bad = parser.parse_args(["train", "--fraud-r1", str(tmp_path / "missing.json")])
    assert bad.func(bad) == 2
    bad = parser.parse_args(["train", "--tactic-features", "1000"])
    assert bad.func(bad) == 2

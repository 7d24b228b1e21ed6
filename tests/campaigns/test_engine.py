from __future__ import annotations

import random

import numpy as np
import pytest

from scamlens.campaigns import engine, pipeline
from scamlens.campaigns.params import Params

from .conftest import table_of

A1 = (
    "Your account has been frozen by the risk control department because of abnormal "
    "trading activity."
)
A2 = (
    "To unfreeze it, you need to deposit a security margin within 24 hours, otherwise the "
    "funds will be confiscated."
)
B1 = (
    "My uncle is a senior analyst at a big investment bank and he has inside information "
    "about the market."
)
B2 = (
    "Every week he tells me the exact time to buy and sell, and I have never lost money "
    "following his signals."
)
SCRIPT_A = [
    A1 + " " + A2,
    A1 + " " + A2.replace("security", "safety"),
    A1.replace("abnormal", "unusual") + " " + A2,
    A1 + " " + A2.replace("funds", "money"),
    A1.replace("frozen", "locked") + " " + A2,
]
SCRIPT_B = [
    B1 + " " + B2,
    B1.replace("senior", "top") + " " + B2,
    B1 + " " + B2.replace("exact", "precise"),
    B1.replace("big", "large") + " " + B2,
    B1 + " " + B2.replace("money", "cash"),
]
BRIDGES = [A1 + " " + B2, B1 + " " + A2]


def _clusters(texts: list[str], params: Params | None = None) -> list[frozenset[str]]:
    table = table_of(texts)
    cl = pipeline.cluster_table(table, params)
    groups: dict[int, set[str]] = {}
    for i, c in enumerate(cl.message_cluster.tolist()):
        if c >= 0:
            groups.setdefault(c, set()).add(texts[i])
    return sorted((frozenset(g) for g in groups.values()), key=lambda g: (-len(g), sorted(g)))


def test_spun_and_obfuscated_variants_join_and_scripts_stay_apart() -> None:
    heavy = (
        "Yоur wallet hаs bееn locked by the downside control division as of irregular "
        "dealing behavior. To unlock it, you have to deposit a safety bond within 24 hours, "
        "otherwise the money will be seized."
    )
    groups = _clusters([*SCRIPT_A, *SCRIPT_B, heavy])
    assert groups[0] == frozenset([*SCRIPT_A, heavy]) or groups[1] == frozenset([*SCRIPT_A, heavy])
    assert frozenset(SCRIPT_B) in groups


def test_chinese_spinning_joins() -> None:
    base = (
        "我舅舅是一家大型投资银行的高级分析师，他有内部消息，"
        "每周都会告诉我什么时候买入什么时候卖出，跟着他做我从来没有亏过钱。"
    )
    spun = (
        "我舅舅是一家大型投資銀行的高級專家，他有內幕消息，"
        "每周都会通知我何时进场何时出场，跟着他做我从没有亏过钱。"
    )
    other = (
        "您的账户因交易异常已被风控部门冻结，需要在24小时内缴纳保证金进行解冻，逾期资金将被没收。"
    )
    groups = _clusters([base, spun, other, other])
    assert frozenset([base, spun]) in groups


def test_short_common_texts_never_cluster() -> None:
    texts = ["good morning", "Good morning!", "你好", "ok", "good morning dear"] * 20
    assert _clusters(texts) == []


def test_exact_duplicates_form_a_cluster() -> None:
    assert _clusters([A1 + " " + A2] * 3 + [B1]) == [frozenset([A1 + " " + A2])]


def test_result_does_not_depend_on_input_order() -> None:
    texts = [*SCRIPT_A, *SCRIPT_B, *BRIDGES, "good morning", B1 + " " + B2]
    first = _clusters(texts)
    rng = random.Random(3)
    for _ in range(3):
        rng.shuffle(texts)
        assert _clusters(texts) == first


def test_guard_splits_a_component_bridged_by_one_text() -> None:
    texts = [*SCRIPT_A, *SCRIPT_B, *BRIDGES]
    cl = pipeline.cluster_table(table_of(texts), Params())
    f = cl.features
    forced = np.zeros(len(f.streams), dtype=np.int64)  # pretend everything was chained
    labels = engine.clusters_from_labels(forced, f, Params())[cl.docs.text_doc[cl.text_of]]
    a = {labels[i] for i in range(5)}
    b = {labels[i] for i in range(5, 10)}
    assert len(a) == 1 and len(b) == 1 and a != b and -1 not in a | b


def test_threshold_one_keeps_only_identical_forms() -> None:
    groups = _clusters([*SCRIPT_A, SCRIPT_A[0]], Params(threshold=1.0, guard=1.0))
    assert groups == [frozenset([SCRIPT_A[0]])]


def test_forked_workers_give_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    from scamlens.campaigns.synth import generate

    monkeypatch.setattr(pipeline, "_CHUNK", 300)
    corpus = generate(1500, seed=4)
    texts = [m.text for m in corpus]
    one = pipeline.cluster_table(table_of(texts), workers=1)
    two = pipeline.cluster_table(table_of(texts), workers=2)
    assert one.message_cluster.tolist() == two.message_cluster.tolist()
    assert pipeline.text_indicators(one, "builtin", 1) == pipeline.text_indicators(
        two, "builtin", 2
    )

from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.evaluation.grouping import grouped_folds, merge_near_duplicates

WORDS = [
    "profit",
    "platform",
    "deposit",
    "usdt",
    "morning",
    "dinner",
    "uncle",
    "wallet",
    "withdraw",
    "tax",
    "学习",
    "平台",
    "收益",
    "充值",
    "老师",
    "晚安",
]


@settings(max_examples=30, deadline=None)
@given(
    bases=st.lists(
        st.lists(st.sampled_from(WORDS), min_size=12, max_size=20), min_size=2, max_size=8
    ),
    k=st.integers(2, 5),
)
def test_near_duplicates_share_a_fold(bases: list[list[str]], k: int) -> None:
    texts, groups = [], []
    for i, words in enumerate(bases):
        base = " ".join(words)
        texts += [base, base + "!", base.upper()]  # copies under different declared groups
        groups += [f"a{i}", f"b{i}", f"c{i}"]
    merged = merge_near_duplicates(texts, groups)
    folds = grouped_folds(merged, k)
    for i in range(len(bases)):
        assert len({folds[3 * i], folds[3 * i + 1], folds[3 * i + 2]}) == 1


def test_declared_groups_kept_and_distinct_texts_apart() -> None:
    texts = [
        "the weather is lovely in the park today",
        "please send the usdt deposit now",
        "completely unrelated words about cooking pasta",
        "x",
    ]
    merged = merge_near_duplicates(texts, ["g1", "g2", "g3", "g1"])
    assert merged[0] == merged[3]
    assert len({merged[0], merged[1], merged[2]}) == 3


def test_grouped_folds_balanced_and_deterministic() -> None:
    groups = [f"g{i % 10}" for i in range(100)]
    a = grouped_folds(groups, 5, seed=1)
    assert a == grouped_folds(groups, 5, seed=1)
    sizes = [a.count(f) for f in range(5)]
    assert sizes == [20] * 5

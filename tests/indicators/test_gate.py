"""The fast gate (capture-free DFA pass, then the matched branch read on its own) against the
plain way: one capturing RE2 alternation whose groups are read at every match."""

from __future__ import annotations

import importlib
from dataclasses import fields
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scamlens.indicators import amounts, extract, extract_conversation, wallets
from scamlens.indicators.extract import clear_caches
from scamlens.indicators.regex import Gate, compile_re2
from scamlens.model import Conversation, Indicator, Message

extract_module = importlib.import_module("scamlens.indicators.extract")

Found = list[tuple[str, int, int, dict[int, tuple[int, int]]]]


class ReferenceGate:
    """One capturing alternation: the outer group that took part names the alternative."""

    def __init__(self, alternatives: list[tuple[str, str]]) -> None:
        joined = "|".join(f"(?P<{name}>{pattern})" for name, pattern in alternatives)
        self.rx = compile_re2(joined)
        self.ids = {str(k): int(v) for k, v in self.rx.groupindex.items()}
        self.names = [name for name, _ in alternatives]

    def scan(self, text: str) -> Found:
        out: Found = []
        for m in self.rx.finditer(text):
            name = next(n for n in self.names if m.start(self.ids[n]) >= 0)
            groups = {g: m.span(g) for g in range(1, self.rx.groups + 1) if m.start(g) >= 0}
            out.append((name, m.start(), m.end(), groups))
        return out


def fast(gate: Gate, text: str) -> Found:
    out: Found = []
    for hit in gate.scan(text):
        groups = {}
        for g in range(1, gate.groups + 1):
            span = hit.span(g)
            if span is not None:
                groups[g] = span
                assert hit.text(g) == text[span[0] : span[1]]
        out.append((hit.name, hit.start, hit.end, groups))
    return out


EXTRACT_ALTS, _ = extract_module.alternatives()
REFERENCE = ReferenceGate(EXTRACT_ALTS)
WALLETS = ReferenceGate(wallets.ALTERNATIVES)
# The amounts gate has two alternatives since money verbs mark bare numbers ("deposited 5000").
AMOUNTS = ReferenceGate(
    [("amount", amounts.AMOUNT_PATTERN), ("amount_verb", amounts.VERB_MARK_PATTERN)]
)

# Pieces that reach every alternative and branch, their edges (\b) and hostile Unicode.
FRAGMENTS = [
    "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "0:" + "ab" * 32, "-1:" + "cd" * 32,
    "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afded330a",
    "EQ" + "A" * 46, "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a",
    "hxxps://binance-vip[.]com/login", "https://t.me/+AbC", "192.168.1.1/x", "coinbit点com",
    "bіnance.com", "+1 415-555-2671", "0086 138 0013 8000", "(415) 555-2671", "TG: @mentor88",
    "LINE ID: abc", "wechat：abc_123", "微信号：abc_123", "飞机号是xyz99", "5万U", "$5,000",
    "5k", "5w", "二十万", "一", "千万", "USD 2.5k", "1.2 BTC", "five thousand dollars",
    "a hundred and twenty bucks", "a@b.com", "jane[at]x[.]org", "x (dot) com", "下载APP",
    "\u200b", "\u202e", "。", "．", "(dot)", " dot ", "[.]", "\x00", "\n", "\n\x00\n", "０x",
    "ｂｉｎａｎｃｅ", "１２３", "@", "://", "😀", "ﬁ", "İ", "ſ", "K", "é", "_", "a", "9", ".",
    "-", "é5k", "x5k", "_0x", "ÿ", "deposited ", "Top up", "付款", "转了", "充值",
]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=10).map(
    "".join
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(texts)
def test_extract_gate_matches_reference(text: str) -> None:
    gate, _ = extract_module._gate()
    assert fast(gate, text) == REFERENCE.scan(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_extract_gate_on_arbitrary_unicode(text: str) -> None:
    gate, _ = extract_module._gate()
    assert fast(gate, text) == REFERENCE.scan(text)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(texts)
def test_family_gates_match_reference(text: str) -> None:
    assert fast(wallets._GATE, text) == WALLETS.scan(text)
    assert fast(amounts._GATE, text) == AMOUNTS.scan(text)


def test_group_numbers_are_those_of_one_alternation() -> None:
    gate, _ = extract_module._gate()
    assert gate.ids == REFERENCE.ids
    assert wallets._GATE.ids == WALLETS.ids


def test_cache_does_not_leak_context() -> None:
    """One matched text under different neighbours: \\b decides differently."""
    gate = Gate([("hex", r"\b0x[0-9a-f]{4}\b"), ("word", r"[0-9a-z]+")])
    ref = ReferenceGate([("hex", r"\b0x[0-9a-f]{4}\b"), ("word", r"[0-9a-z]+")])
    for text in ("0xabcd", " 0xabcd ", "é0xabcd", "_0xabcd", "0xabcd_", "0xabcdé", "k0xabcd"):
        assert fast(gate, text) == ref.scan(text), text


def test_unnamed_groups_and_flags() -> None:
    alts = [
        ("a", r"(x)(?i:(y)|z)\b"),
        ("b", r"(?i:foo(?P<tail>bar)?|ba(?P<q>[(|)]+))"),
        ("c", r"(?P<rest>[a-z]+)"),
    ]
    gate, ref = Gate(alts), ReferenceGate(alts)
    for text in ("xy xz xyz FOOBAR foo ba(|) ba|x q", "xY", "Ba)(", "xzé"):
        assert fast(gate, text) == ref.scan(text), text


def test_long_matches_bypass_the_cache() -> None:
    text = "see https://example.com/" + "a" * 5000 + " and 5k"
    gate, _ = extract_module._gate()
    assert fast(gate, text) == REFERENCE.scan(text)


def test_plain_wrapper_fallback(monkeypatch: Any) -> None:
    """Without the compiled object's Match, the wrapper's API gives the same answers."""
    from scamlens import re2raw

    monkeypatch.setattr(re2raw, "_UNANCHORED", None)
    monkeypatch.setattr(re2raw, "_ANCHOR_BOTH", None)
    clear_caches()
    text = "pay 5,000 USDT to TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t or 微信号：abc_123 5k"
    gate, _ = extract_module._gate()
    try:
        assert fast(gate, text) == REFERENCE.scan(text)
    finally:
        clear_caches()


def test_cold_and_warm_extraction_agree() -> None:
    bodies = ["我有5w", "5w", "send 5w now", "一万五千U", "$5k", "binance-vip.com", "5k"] * 2
    conv = Conversation(
        messages=tuple(Message(index=i, sender="x", text=t) for i, t in enumerate(bodies)),
        source_format="plain",
    )
    clear_caches()
    cold = extract_conversation(conv)
    warm = extract_conversation(conv)
    assert [(i.type, i.value, i.message_index, i.start) for i in cold] == [
        (i.type, i.value, i.message_index, i.start) for i in warm
    ]
    # "5w" is 50000 only next to Chinese text: the amount cache must not carry that over.
    for _ in range(2):
        assert [i.value for i in extract("我有5w")] == ["50000"]
        assert extract("I have 5w") == []


def test_indicator_field_order_is_pinned() -> None:
    # Scan.make and extract_conversation build Indicators positionally.
    assert [f.name for f in fields(Indicator)] == [
        "type", "value", "raw", "detector", "start", "end", "message_index", "chain", "valid",
        "validation", "attrs",
    ]  # fmt: skip

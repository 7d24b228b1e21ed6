"""Bare numbers next to a money verb, in either order ("deposited 35,000", "35,000 deposited",
"转了20000"): an amount with no currency whose span is the number, never the verb."""

from __future__ import annotations

import importlib
import itertools
import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scamlens.api import load_chats
from scamlens.indicators import extract_conversation
from scamlens.indicators.amounts import clear_cache, find_amounts, parse_amount
from scamlens.indicators.regex import Gate
from scamlens.model import Indicator

from .helpers import amounts_read, found

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BEFORE = Path(__file__).with_name("amounts_examples_before.json")
# The module, not the function `scamlens.indicators.extract` that the package exports.
extract_module = importlib.import_module("scamlens.indicators.extract")


# Verb first. The raw is the number (with " thousand" when written), never the verb.
VERB_FIRST = [
    ("deposited 35,000", "35000", "35,000"),
    ("I transferred 12,500 yesterday", "12500", "12,500"),
    ("topped up 3000 more", "3000", "3000"),
    ("I withdrew 800", "800", "800"),
    ("wired 15,000 to them", "15000", "15,000"),
    ("they asked me to deposit 20000 to unlock it", "20000", "20000"),
    ("Transferred 1,250.50 this morning", "1250.5", "1,250.50"),
    ("deposited another 5000", "5000", "5000"),
    ("wired about  5000", "5000", "5000"),
    ("transferred 28 thousand so far", "28000", "28 thousand"),
    ("I deposited 2000, then 3000 more", "2000", "2000"),
    ("转了20000", "20000", "20000"),
    ("充值 5000", "5000", "5000"),
    ("入金 8000", "8000", "8000"),
    ("提现 2000 被冻结", "2000", "2000"),
    ("昨天又转账5000过去了", "5000", "5000"),
    ("我存了30000进去", "30000", "30000"),
    ("转给他 5000", "5000", "5000"),
    ("已經轉帳 12000 了", "12000", "12000"),
    ("提現 3000 一直沒到", "3000", "3000"),
]


@pytest.mark.parametrize(("text", "value", "raw"), VERB_FIRST)
def test_bare_number_after_money_verb(text: str, value: str, raw: str) -> None:
    assert amounts_read(text) == [(value, raw)]
    (ind,) = found(text, "amount")
    assert ind.attrs == {"amount": value, "currency": ""}


# Verb after (read before this change): the span is now the number too.
VERB_AFTER = [
    ("35,000 deposited and now they want tax", "35000", "35,000"),
    ("so 28 thousand transferred already", "28000", "28 thousand"),
    ("5000 withdrawn last week", "5000", "5000"),
    ("800 topped up", "800", "800"),
    ("20000已转账", "20000", "20000"),
    ("5000已充值了", "5000", "5000"),
    ("2000 deposited", "2000", "2000"),  # a round hundred in the years' range is money
]


@pytest.mark.parametrize(("text", "value", "raw"), VERB_AFTER)
def test_bare_number_before_money_verb_spans_the_number(text: str, value: str, raw: str) -> None:
    assert amounts_read(text) == [(value, raw)]


# Both orders read "N" the same; the verb never enters the span.
@pytest.mark.parametrize("number", ["100", "800", "2000", "35,000", "12,500.75", "9999999"])
@pytest.mark.parametrize(
    ("before", "after"),
    [("deposited ", ""), ("", " deposited"), ("转了", ""), ("", "已转账"), ("wired ", "")],
)
def test_orders_agree(number: str, before: str, after: str) -> None:
    text = f"{before}{number}{after}"
    value = format(Decimal(number.replace(",", "")).normalize(), "f")
    assert amounts_read(text) == [(value, number)]


# An amount with its own currency or multiplier keeps its span: the verb is context only.
CURRENCY_AFTER_VERB = [
    ("充值5000U", "5000 USDT", "5000U"),
    ("充值 5000 USDT", "5000 USDT", "5000 USDT"),
    ("转了5000元", "5000 CNY", "5000元"),
    ("又转了3万", "30000", "3万"),
    ("转了20万", "200000", "20万"),
    ("转了 1万5千U", "15000 USDT", "1万5千U"),
    ("deposited $5,000", "5000 USD", "$5,000"),
    ("deposited 5k", "5000", "5k"),
    ("transferred 500 USDT", "500 USDT", "500 USDT"),
    ("transferred 28 thousand dollars", "28000 USD", "28 thousand dollars"),
    ("wired five thousand dollars", "5000 USD", "five thousand dollars"),
]


@pytest.mark.parametrize(("text", "value", "raw"), CURRENCY_AFTER_VERB)
def test_currency_amount_after_verb_keeps_its_span(text: str, value: str, raw: str) -> None:
    assert amounts_read(text) == [(value, raw)]


NOT_AMOUNTS = [
    "transferred 3",  # too small to be money without a currency
    "deposited 50",
    "transferred 2023",  # a year
    "转了2024年",  # a year
    "deposited 2000 years ago",  # a round hundred, but years
    "transferred 12345678",  # 8 digits: an id or a phone
    "转账 13812345678",  # a phone number
    "transferred 415 555 2671",  # digit groups: a phone number
    "wired 138-1234-5678",
    "deposited 12:30",  # a time
    "transferred 1230:45",
    "transferred 2024-05-01",  # a date
    "转账 2024.05.01",
    "transferred 12/05/2024",
    "deposited 500.123",  # the number goes on
    "deposited 500%",  # a percentage
    "转了 300 人",  # counts and measures
    "充值 5000 次",
    "转了500个",
    "提现 200 天",
    "转了1000点",
    "存了300岁",
    "transferred 500 people",
    "deposited 300 days ago",
    "wired 200 times",
    "transferred 1000 followers",
    "topped up 500 likes",
    "transferred 400 shares",
    "deposited 300 km",
    "transferred 500km",  # a unit glued on
    "deposited 0800",  # a leading zero: a code or a time
    "transferred code 482913",  # id words stand between the verb and the number
    "转账验证码 482913",
    "充值订单 12345",
    "转账单号 1234567",
    "转账尾号 1234",
    "transferred to account number 12345",
    "deposited card number 123456",
    "transfer id 12345",
    "transferred 5000.example.com",  # a domain
    "transferred 5000@qq.com",  # an e-mail
    "deposited v1200",
    "redeposited1200",
    "I transferred",  # no number
    "deposited5000",  # glued to an English verb
    "top 500 traders",  # "top" is a money verb only with "up"
    "deposit up 500",
    "35000",  # a bare number
    "I have 35000 and 2 kids",  # no money verb
    "我有30000个粉丝",
]


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_verb_first_negatives(text: str) -> None:
    assert [(i.value, i.raw) for i in found(text, "amount", region="CN")] == []
    assert find_amounts(text) == []


def test_verb_mark_keeps_what_starts_inside_the_phrase() -> None:
    # The gate matches the verb word alone: "up" and filler words are read after it.
    assert [(i.type, i.raw) for i in found("topped up.com")] == [("domain", "up.com")]
    assert [(i.type, i.raw) for i in found("deposited about.com")] == [("domain", "about.com")]
    got = [(i.type, i.raw) for i in found("wired another@gmail.com")]
    assert got == [("email", "another@gmail.com")]


def test_phone_after_money_verb_stays_a_phone() -> None:
    assert [i.type for i in found("转账 13812345678", region="CN")] == ["phone"]
    assert [i.type for i in found("转账 138 1234 5678", region="CN")] == ["phone"]


def test_raw_alone_is_not_an_amount() -> None:
    # The verb is context: the number read alone is a bare number again.
    assert parse_amount("35,000") is None
    assert parse_amount("deposited 35,000") is None


# Regression: every amount of every example chat, before this change (tests/indicators/
# amounts_examples_before.json, captured from the code before it). Amounts with a currency or a
# multiplier are unchanged; the one bare number before its verb now spans the number; the new
# amounts are bare numbers right after a money verb.
NARROWED = {("scam/05a-withdrawal-blocked-telegram/result.json", 23, 28): "35,000"}
ADDED = {
    ("benign/13-family-group-whatsapp-zh.txt", 31): ("30000", "存了"),
    ("benign/13-family-group-whatsapp-zh.txt", 58): ("500", "转"),
}
MANIFEST: list[dict[str, Any]] = yaml.safe_load((EXAMPLES / "MANIFEST.yaml").read_text())["files"]


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: str(e["path"]))
def test_example_amounts_against_before(entry: dict[str, Any]) -> None:
    path = str(entry["path"])
    before = json.loads(BEFORE.read_text(encoding="utf-8"))[path]
    expected = []
    for msg, start, end, raw, value in before:
        narrowed = NARROWED.get((path, msg, start))
        if narrowed is not None:
            raw, end = narrowed, start + len(narrowed)
        expected.append([msg, start, end, raw, value])
    (conv,) = load_chats(EXAMPLES / path, me=entry.get("me"))
    texts = {m.index: m.text or "" for m in conv.messages}
    got = []
    for ind in extract_conversation(conv):
        if ind.type != "amount":
            continue
        row = [ind.message_index, ind.start, ind.end, ind.raw, ind.value]
        if row not in expected:
            assert ind.message_index is not None
            added = ADDED.get((path, ind.message_index))
            assert added is not None, row
            assert (ind.raw, ind.attrs["currency"]) == (added[0], "")
            assert texts[ind.message_index][: ind.start].rstrip(" ").endswith(added[1])
        got.append(row)
    assert [r for r in expected if r not in got] == []
    assert len(got) == len(expected) + sum(1 for p, _ in ADDED if p == path)


# Properties.
VERBS = ["deposited", "transferred", "topped up", "withdrew", "wired", "转了", "充值", "入金",
         "提现", "已转账", "已充值", "转账"]  # fmt: skip
FRAGMENTS = [
    *VERBS, "35,000", "5000", "12,500.50", "2000", "2023", "138 1234 5678", "13812345678",
    "USDT", "U", "元", "万", "k", " thousand", "人", "天", " people", " days", "%", "12:30",
    "2024-05-01", "code ", "订单", " ", "，", "我", "x", "-", ".", ",",
]  # fmt: skip
mixed = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=12).map(
    "".join
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(mixed)
def test_spans_inside_text_no_overlap_no_verb(text: str) -> None:
    first = find_amounts(text)
    for a in first:
        assert 0 <= a.start < a.end <= len(text)
        raw = text[a.start : a.end]
        assert not any(v in raw.lower() for v in VERBS), raw
    for a, b in itertools.pairwise(first):
        assert a.end <= b.start
    clear_cache()
    assert find_amounts(text) == first
    inds = found(text, "amount")
    for a, b in itertools.pairwise(inds):
        assert a.end <= b.start
    for ind in inds:
        assert not any(v in ind.raw.lower() for v in VERBS), ind.raw


# No money verb, no currency, no multiplier: nothing is an amount, whatever the numbers.
NO_MONEY = [
    "35,000", "5000", "12,500.50", "2000", "138 1234 5678", "sent ", "paid ", "I have ",
    "code ", "订单", "我有", "给你", "人", "天", " people", "%", "12:30", "2024-05-01", " ",
    "，", "。", "\n", "x", "-", ".", ",", "转发", "充电", "提问",
]  # fmt: skip


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(NO_MONEY), st.text("0123456789 ,.", max_size=8))))
def test_no_amount_without_verb_or_currency(parts: list[str]) -> None:
    text = "".join(parts)
    assert find_amounts(text) == []
    assert found(text, "amount") == []


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=100, max_value=9_999_999).filter(
        lambda n: not 1900 <= n <= 2099 or n % 100 == 0
    ),
    st.sampled_from(["deposited ", "transferred ", "wired ", "转了", "充值 ", "入金", "提现 "]),
    st.sampled_from(["", " yesterday", " to them", "，", "了", " more", "!"]),
)
def test_any_plain_number_after_a_verb(n: int, verb: str, tail: str) -> None:
    text = f"I {verb}{n}{tail}"
    assert amounts_read(text) == [(str(n), str(n))]


# What a verb-first amount's text ends with, before the number (verb, filler, 了, 给你...).
MARK_ENDINGS = (*[v for v in VERBS if not v.startswith("已")], "转", "充", "提了", "交了",
                "给你", "another", "about", "了")  # fmt: skip
# The verb mark (a gate alternative matching the money verb alone) must not change any other
# reading: extraction without it finds the same indicators, less the verb-first amounts.
_ALTS, _HANDLERS = extract_module.alternatives()
_NO_MARK = Gate([alt for alt in _ALTS if alt[0] != "amount_verb"])
GATE_FRAGMENTS = [
    *VERBS, "转", "充", "提了", "交了", "给你", "another ", "about ", "5000", "35,000",
    "13812345678", "+1 415 555 2671", "5000U", "$5,000", "五千块", "两万", "3万",
    "transferwise.com", "https://t.me/deposit", "pay@transfer.io", "@deposit_help",
    "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", " ", ".", "，", "\n", "deposited about", " another",
    ".com", "@gmail.com", "5000.example.com", "topped up", "up.com", "top ",
]  # fmt: skip


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(st.sampled_from(GATE_FRAGMENTS), st.text(max_size=3)), max_size=10).map(
        "".join
    )
)
def test_verb_mark_changes_no_other_reading(text: str) -> None:
    def key(i: Indicator) -> tuple[object, ...]:
        return (i.type, i.value, i.start, i.end)

    with_mark = found(text, region="CN")
    with patch.object(extract_module, "_gate", lambda: (_NO_MARK, _HANDLERS)):
        without = found(text, region="CN")
    assert [key(i) for i in without] == [
        key(i) for i in with_mark if key(i) in set(map(key, without))
    ]
    assert {key(i) for i in without} <= {key(i) for i in with_mark}
    for i in with_mark:
        if key(i) not in {key(j) for j in without}:
            assert i.type == "amount" and i.attrs["currency"] == "", i
            assert text[: i.start].rstrip(" ").lower().endswith(MARK_ENDINGS), (text, i)

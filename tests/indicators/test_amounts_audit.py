"""Audit of money amounts the extractor used to miss or misread (case report money table)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scamlens.indicators.amounts import clear_cache, find_amounts, parse_amount, zh_number

from .helpers import amounts_read, found

# 1. A multiplier letter that starts the next word must not swallow the amount.
NEXT_WORD = [
    ("I sent $45,000 with my savings", "45000 USD", "$45,000"),
    ("$15,000 went to the platform", "15000 USD", "$15,000"),
    ("they told me to send $5,000 more", "5000 USD", "$5,000"),
    ("$3,000 worth of BTC", "3000 USD", "$3,000"),
    ("USDT 500 more for the tax", "500 USDT", "USDT 500"),
    ("$300 monthly fee", "300 USD", "$300"),
    ("€200 was gone", "200 EUR", "€200"),
    ("£1,000 kept in the account", "1000 GBP", "£1,000"),
    ("$5 kg of rice", "5 USD", "$5"),
    ("$2 billionaire club", "2 USD", "$2"),
    ("US$800 went missing", "800 USD", "US$800"),
]


@pytest.mark.parametrize(("text", "value", "raw"), NEXT_WORD)
def test_multiplier_letter_of_next_word_falls_back(text: str, value: str, raw: str) -> None:
    assert amounts_read(text) == [(value, raw)]


MULTIPLIERS = [
    ("I lost $5k today", "5000 USD", "$5k"),
    ("$5k以上", "5000 USD", "$5k"),
    ("about $5M total", "5000000 USD", "$5M"),
    ("$2 mil in total", "2000000 USD", "$2 mil"),
    ("$2 million in total", "2000000 USD", "$2 million"),
    ("$3 millions lost", "3000000 USD", "$3 millions"),
    ("USD 2.5k please", "2500 USD", "USD 2.5k"),
    ("$1 bn fund", "1000000000 USD", "$1 bn"),
    ("$5 grand wired", "5000 USD", "$5 grand"),
    ("我投了$5w了", "50000 USD", "$5w"),
]


@pytest.mark.parametrize(("text", "value", "raw"), MULTIPLIERS)
def test_multipliers_still_count_at_a_word_end(text: str, value: str, raw: str) -> None:
    assert amounts_read(text) == [(value, raw)]


# 2. Chinese numerals mixing digits and units, and colloquial trailing digits.
CHINESE = [
    ("1萬5千U", "15000 USDT", "15000", "USDT"),
    ("2万4千U", "24000 USDT", "24000", "USDT"),
    ("1万5", "15000", "15000", ""),
    ("3.5万", "35000", "35000", ""),
    ("十五万", "150000", "150000", ""),
    ("两万", "20000", "20000", ""),
    ("2万5千块", "25000 CNY", "25000", "CNY"),
    ("2万5千块钱", "25000 CNY", "25000", "CNY"),
    ("一万二", "12000", "12000", ""),
    ("一万二千块", "12000 CNY", "12000", "CNY"),
    ("5千U", "5000 USDT", "5000", "USDT"),
    ("5千万", "50000000", "50000000", ""),
    ("5千万U", "50000000 USDT", "50000000", "USDT"),
    ("1亿2000万", "120000000", "120000000", ""),
    ("3千5", "3500", "3500", ""),
    ("1万5千5百", "15500", "15500", ""),
    ("1万5千5元", "15500 CNY", "15500", "CNY"),
    ("1万2345元", "12345 CNY", "12345", "CNY"),
    ("人民币1万5千", "15000 CNY", "15000", "CNY"),
    ("5百块", "500 CNY", "500", "CNY"),
    ("两千五", "2500", "2500", ""),
    ("5千5百万", "55000000", "55000000", ""),
    ("1千2万U", "12000000 USDT", "12000000", "USDT"),
    ("1亿2千万", "120000000", "120000000", ""),
    ("一万零二百块", "10200 CNY", "10200", "CNY"),
]


@pytest.mark.parametrize(("raw", "value", "amount", "currency"), CHINESE)
def test_chinese_mixed_numerals(raw: str, value: str, amount: str, currency: str) -> None:
    parsed = parse_amount(raw)
    assert parsed is not None, raw
    assert (parsed.value, parsed.amount, parsed.currency) == (value, amount, currency)
    in_text = found(f"我昨天转了{raw}，然后", "amount")
    assert [(i.value, i.raw) for i in in_text] == [(value, raw)]
    assert in_text[0].attrs == {"amount": amount, "currency": currency}


@pytest.mark.parametrize(
    ("zh", "value"),
    [
        ("一万二", 12_000),
        ("三百五", 350),
        ("两千五", 2_500),
        ("一亿五", 150_000_000),
        ("十二", 12),
        ("十五万", 150_000),
        ("一万零二", 10_002),
        ("一千零五十", 1_050),
        ("一万二千", 12_000),
        ("一千五万", 15_000_000),
        ("二十万", 200_000),
        ("一亿两千万", 120_000_000),
    ],
)
def test_zh_number_colloquial(zh: str, value: int) -> None:
    assert zh_number(zh) == value


@pytest.mark.parametrize(
    "text",
    [
        "千万不要告诉别人",
        "万一出事怎么办",
        "十分感谢",
        "2023年5月1日",
        "5月1日下午3点",
        "1万5.5",  # the number goes on
        "1万5,000",
        "1万15千",  # malformed
        "5万5万",
    ],
)
def test_chinese_idioms_and_dates_stay_out(text: str) -> None:
    assert amounts_read(text) == []


# 3. A bare number right before a strong money verb ("35,000 deposited"): currency unknown,
# the span is the number alone (the other order: tests/indicators/test_amounts_verbs.py).
VERB_CONTEXT = [
    ("35,000 deposited and now they want tax", "35000", "35,000"),
    ("so 28 thousand transferred already", "28000", "28 thousand"),
    ("5000 withdrawn last week", "5000", "5000"),
    ("800 topped up", "800", "800"),
    ("20000已转账", "20000", "20000"),
    ("5000已充值了", "5000", "5000"),
]


@pytest.mark.parametrize(("text", "value", "raw"), VERB_CONTEXT)
def test_bare_number_before_money_verb(text: str, value: str, raw: str) -> None:
    assert amounts_read(text) == [(value, raw)]
    (ind,) = found(text, "amount")
    assert ind.attrs == {"amount": value, "currency": ""}


def test_money_verb_does_not_steal_a_currency_amount() -> None:
    assert amounts_read("5000 USDT deposited") == [("5000 USDT", "5000 USDT")]
    assert amounts_read("5000U已充值") == [("5000 USDT", "5000U")]
    assert amounts_read("5k deposited") == [("5000", "5k")]


NOT_AMOUNTS = [
    "on 2024-05-01 deposited",  # date
    "at 10:30 transferred",  # time
    "13812345678 transferred",  # phone number
    "+1 415 555 2671 deposited",  # phone number
    "code 482913 deposited",  # verification code
    "验证码 482913 已转账",  # verification code
    "order #12345 deposited",  # order id
    "order 12345 deposited",  # order id
    "50% deposited",  # percentage
    "2023 deposited",  # a year
    "2 days deposited",  # a count of days
    "3 people transferred",  # a count of people
    "3 transferred",  # too small to be money without a currency
    "v1.2 transferred",  # a version
    "35000",  # a bare number
    "I deposited",  # no number
]


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_money_verb_negatives(text: str) -> None:
    assert amounts_read(text) == []


def test_phone_next_to_money_verb_is_still_a_phone() -> None:
    assert [i.type for i in found("13812345678 transferred", region="CN")] == ["phone"]


# Properties.
NO_MONEY_ALPHABET = "0123456789acfgijqvxyzACFGIJQVXYZ ,.:-/#%\n"
MONEY_FRAGMENTS = [
    "$45,000", " with", "5万U", "1万5千", "一万二", "deposited", " ", "U", "k", "w", "m",
    "千", "万", "亿", "块", "元", "USDT", "美金", "转了", "35,000", "2024-05-01", "10:30", "我",
]  # fmt: skip


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=NO_MONEY_ALPHABET, max_size=80))
def test_no_amount_without_currency_or_multiplier_words(text: str) -> None:
    assert find_amounts(text) == []
    assert found(text, "amount") == []


mixed_texts = st.lists(
    st.one_of(st.sampled_from(MONEY_FRAGMENTS), st.text(max_size=6)), max_size=10
).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_texts)
def test_spans_inside_text_and_stable(text: str) -> None:
    first = find_amounts(text)
    for a in first:
        assert 0 <= a.start < a.end <= len(text)
        assert a.amount and a.value.split(" ")[0] == a.amount
    assert find_amounts(text) == first  # warm caches read the same
    clear_cache()
    assert find_amounts(text) == first  # and so do cold ones
    for a, b in itertools.pairwise(first):
        assert a.end <= b.start  # no overlaps


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_texts)
def test_an_amount_read_alone_reads_the_same(text: str) -> None:
    for a in find_amounts(text):
        raw = text[a.start : a.end]
        if raw[-1] in "wW":
            continue  # "5w" needs Chinese nearby, which the raw text alone may lack
        if not a.currency and raw.split(" ")[0].replace(",", "").replace(".", "").isdigit():
            continue  # "35,000", "28 thousand": money only next to a verb outside the span
        again = parse_amount(raw)
        assert again is not None, raw
        assert (again.value, again.amount, again.currency) == (a.value, a.amount, a.currency)

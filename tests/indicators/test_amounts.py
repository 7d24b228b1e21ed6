"""Money amounts with currencies."""

from __future__ import annotations

import pytest

from scamlens.indicators.amounts import parse_amount, words_number, zh_number

from .helpers import found

AMOUNTS = [
    ("5,000 USDT", "5000 USDT", "5000", "USDT"),
    ("5000 usdt", "5000 USDT", "5000", "USDT"),
    ("5000U", "5000 USDT", "5000", "USDT"),
    ("5000u", "5000 USDT", "5000", "USDT"),
    ("5k", "5000", "5000", ""),
    ("5K USDT", "5000 USDT", "5000", "USDT"),
    ("$5,000", "5000 USD", "5000", "USD"),
    ("$5k", "5000 USD", "5000", "USD"),
    ("$5,000.50", "5000.5 USD", "5000.5", "USD"),
    ("USD 2.5k", "2500 USD", "2500", "USD"),
    ("US$300", "300 USD", "300", "USD"),
    ("HK$300", "300 HKD", "300", "HKD"),
    ("€1.200", "1.2 EUR", "1.2", "EUR"),
    ("£250", "250 GBP", "250", "GBP"),
    ("5万", "50000", "50000", ""),
    ("5万U", "50000 USDT", "50000", "USDT"),
    ("1.5万USDT", "15000 USDT", "15000", "USDT"),
    ("3000元", "3000 CNY", "3000", "CNY"),
    ("3000块", "3000 CNY", "3000", "CNY"),
    ("人民币2万", "20000 CNY", "20000", "CNY"),
    ("2万人民币", "20000 CNY", "20000", "CNY"),
    ("￥8000", "8000 CNY", "8000", "CNY"),
    ("二十万", "200000", "200000", ""),
    ("一万五千块", "15000 CNY", "15000", "CNY"),
    ("三千美金", "3000 USD", "3000", "USD"),
    ("500刀", "500 USD", "500", "USD"),
    ("five thousand dollars", "5000 USD", "5000", "USD"),
    ("twenty-five thousand dollars", "25000 USD", "25000", "USD"),
    ("a hundred and fifty dollars", "150 USD", "150", "USD"),
    ("5 thousand dollars", "5000 USD", "5000", "USD"),
    ("2 million dollars", "2000000 USD", "2000000", "USD"),
    ("1.2 BTC", "1.2 BTC", "1.2", "BTC"),
    ("0.5 eth", "0.5 ETH", "0.5", "ETH"),
    ("100 TRX", "100 TRX", "100", "TRX"),
]


@pytest.mark.parametrize(("raw", "value", "amount", "currency"), AMOUNTS)
def test_amount_forms(raw: str, value: str, amount: str, currency: str) -> None:
    parsed = parse_amount(raw)
    assert parsed is not None, raw
    assert (parsed.value, parsed.amount, parsed.currency) == (value, amount, currency)
    in_text = found(f"我投了{raw}，then more", "amount")
    assert [a.value for a in in_text] == [value]
    assert in_text[0].attrs == {"amount": amount, "currency": currency}


@pytest.mark.parametrize(
    "text",
    [
        "see you at 10:30",
        "at 5pm",
        "up 30%",
        "version 1.2.3",
        "order #12345",
        "千万不要告诉别人",
        "万一出事怎么办",
        "十分感谢",
        "I ran 5km",
        "in 2k19",
        "5 users online",
        "it is 1.5u thick",
        "3 days ago",
        "a few dollars",
        "iPhone 16",
        "route 66",
        "1w ago",
    ],
)
def test_not_amounts(text: str) -> None:
    assert found(text, "amount") == []


def test_chinese_w_shorthand_needs_chinese_nearby() -> None:
    assert [a.value for a in found("我投了5w了", "amount")] == ["50000"]


def test_number_word_helpers() -> None:
    assert zh_number("一千零五十") == 1050
    assert zh_number("一亿两千万") == 120_000_000
    assert zh_number("一二") is None
    assert words_number("one hundred and twenty three thousand") == 123_000
    assert words_number("and") is None

"""Phones, messenger handles and e-mail addresses."""

from __future__ import annotations

import pytest

from .helpers import found, values


@pytest.mark.parametrize(
    ("text", "region", "e164"),
    [
        ("call me +1 415-555-2671 tonight", None, "+14155552671"),
        ("my WhatsApp +44 7911 123456", None, "+447911123456"),
        ("dial 0044 20 7946 0958", None, "+442079460958"),
        ("call (415) 555-2671", "US", "+14155552671"),
        ("我的手机 138 0013 8000", "CN", "+8613800138000"),
        ("HK +852 6123 4567!", None, "+85261234567"),
    ],
)
def test_phones(text: str, region: str | None, e164: str) -> None:
    phones = found(text, "phone", region=region)
    assert [p.value for p in phones] == [e164]
    p = phones[0]
    assert p.valid is True and p.attrs["e164"] == e164 and p.attrs["region"]


def test_national_number_needs_a_region() -> None:
    assert found("call (415) 555-2671", "phone") == []


def test_possible_but_invalid_number_only_with_phone_words() -> None:
    assert found("ref +1 555 010 9999", "phone") == []
    phone = found("call me on +1 555 010 9999", "phone")[0]
    assert (phone.valid, phone.validation) == (False, "possible-not-valid")


# Numbers that are not phone numbers, with a region set so national formats would parse.
NOT_PHONES = [
    "on 2024-03-12 at 10:30",
    "on 12.03.2024 or 12/03/2024",
    "order #4155552671 shipped",
    "order no. 4155552671",
    "订单号 4155552671",
    "price $4155552671",
    "it grew 4155552671%",
    "version 4.155.552.671",
    "deposit 5,000,000 USDT",
    "tracking code 4155552671",
    "account 4155552671",
]


@pytest.mark.parametrize("text", NOT_PHONES)
def test_not_phones(text: str) -> None:
    assert found(text, "phone", region="US") == []


def test_amount_is_not_also_a_phone() -> None:
    got = [(i.type, i.value) for i in found("send 4155552671 USDT now", region="US")]
    assert got == [("amount", "4155552671 USDT")]


@pytest.mark.parametrize(
    ("text", "platform", "value"),
    [
        ("add my TG: @mentor_david88", "telegram", "mentor_david88"),
        ("Telegram: mentor_david88", "telegram", "mentor_david88"),
        ("telegram @mentor_david88", "telegram", "mentor_david88"),
        ("WeChat: lucky8888", "wechat", "lucky8888"),
        ("wechat id: lucky_8888", "wechat", "lucky_8888"),
        ("微信号：abc_123456", "wechat", "abc_123456"),
        ("微信：abc_123456", "wechat", "abc_123456"),
        ("加我微信abc_123456", "wechat", "abc_123456"),
        ("vx: abc_123456", "wechat", "abc_123456"),
        ("VX：abc_123456", "wechat", "abc_123456"),
        ("飞机号：mentor88", "telegram", "mentor88"),
        ("LINE ID: scam.line", "line", "scam.line"),
        ("Line ID: scam.line", "line", "scam.line"),
        ("LINE: scam_line", "line", "scam_line"),
        ("WhatsApp: +1 415 555 2671", "whatsapp", "+14155552671"),
        ("Signal: +447911123456", "signal", "+447911123456"),
        ("IG: @golden.trader", "instagram", "golden.trader"),
    ],
)
def test_labeled_handles(text: str, platform: str, value: str) -> None:
    handles = found(text, "handle")
    assert [(h.attrs["platform"], h.value) for h in handles] == [(platform, value)]


def test_at_handle_without_label() -> None:
    h = found("follow @golden_mentor for signals", "handle")[0]
    assert (h.value, h.attrs["platform"], h.attrs["confidence"]) == (
        "golden_mentor",
        "unknown",
        "medium",
    )


NOT_HANDLES = [
    "the first line: hello there",
    "meet me @home at 5",
    "@everyone please read",
    "write to anna@gmail.com",
    "email me @gmail.com",
    "price @ 5 dollars",
    "ig post was nice",
    "TG: yes",
    "see https://example.com/@someone/post",
]


@pytest.mark.parametrize("text", NOT_HANDLES)
def test_not_handles(text: str) -> None:
    assert found(text, "handle") == []


@pytest.mark.parametrize(
    ("text", "value", "obfuscated"),
    [
        ("write to John.Doe@Example.com.", "john.doe@example.com", "0"),
        ("support: help@binance-support.top", "help@binance-support.top", "0"),
        ("mail jane[at]example[.]org", "jane@example.org", "1"),
        ("mail jane (at) example (dot) org", "jane@example.org", "1"),
    ],
)
def test_emails(text: str, value: str, obfuscated: str) -> None:
    emails = found(text, "email")
    assert [e.value for e in emails] == [value]
    assert emails[0].attrs["obfuscated"] == obfuscated


@pytest.mark.parametrize(
    "text",
    ["me@home", "image@2x.png", "a@b", "lol@you", "see @ the park", "user@localhost"],
)
def test_not_emails(text: str) -> None:
    assert values(text, "email") == []


def test_a_repeated_phone_is_parsed_once_and_its_attrs_are_its_own() -> None:
    from scamlens.indicators import contacts, extract
    from scamlens.indicators.extract import clear_caches

    clear_caches()
    text = "call +1 415-555-2671 or +1 415-555-2671 again"
    phones = [i for i in extract(text) if i.type == "phone"]
    assert len(phones) == 2 and phones[0].value == phones[1].value == "+14155552671"
    assert phones[0].attrs == phones[1].attrs and phones[0].attrs is not phones[1].attrs
    info = contacts._read_phone.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    clear_caches()
    assert contacts._read_phone.cache_info().currsize == 0

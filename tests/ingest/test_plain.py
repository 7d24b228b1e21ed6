from __future__ import annotations

from datetime import datetime

import pytest

from scamlens.errors import InputError
from scamlens.ingest import load_chat, parse_text

from .helpers import EXPORTS, senders

PLAIN = EXPORTS / "plain"


def test_named_english() -> None:
    conv = load_chat(PLAIN / "named_en.txt")
    assert conv.source_format == "plain-named" and conv.platform is None
    assert senders(conv) == ["Jenny", "Mark", "Jenny", "Mark", "Jenny", "Mark"]
    assert conv.messages[4].text == (
        "I trade crypto in my free time.\nMy uncle gives me signals: https://signal-uncle.com"
    )
    assert conv.messages[5].source_line == 7


def test_named_chinese_full_width_colon() -> None:
    conv = load_chat(PLAIN / "named_zh.txt")
    assert conv.source_format == "plain-named"
    assert senders(conv) == ["小雨", "阿杰", "小雨", "阿杰", "小雨"]
    assert conv.messages[2].text == "今天平台有活动，充值一万送两千"


def test_bare_lines_and_paragraphs() -> None:
    lines = load_chat(PLAIN / "bare.txt")
    assert lines.source_format == "plain"
    assert [m.sender for m in lines.messages] == [None, None, None]
    assert lines.messages[2].text == "Contact support: +1 555 0199"
    paras = load_chat(PLAIN / "paragraphs.txt")
    assert len(paras) == 3
    assert (
        paras.messages[1].text
        == "To unfreeze, deposit a security bond of 3000 USDT\nwithin 24 hours."
    )
    assert paras.messages[1].source_line == 4


def test_a_stray_label_is_not_a_sender() -> None:
    text = (
        "Amy: hi\nBen: hello\nAmy: look at this\nNote: not a person\nBen: ok\n"
        "Amy: https://x.example/a?b=c\n"
    )
    conv = parse_text(text)[0]
    assert senders(conv) == ["Amy", "Ben", "Amy", "Ben", "Amy"]
    assert conv.messages[2].text == "look at this\nNote: not a person"


def test_bracketed_times_and_me() -> None:
    text = "[2024-01-01 10:00] Me: hi\n[2024-01-01 10:05] Zoe: hello\n"
    conv = parse_text(text)[0]
    assert conv.messages[1].timestamp == datetime(2024, 1, 1, 10, 5)
    assert conv.me == "Me"
    assert parse_text(text, me="zoe")[0].me == "Zoe"


def test_me_not_found_lists_participants() -> None:
    with pytest.raises(
        InputError, match=r"--me 'Kim' is not a participant; participants are: 'Amy', 'Ben'"
    ):
        parse_text("Amy: hi\nBen: hello\n", me="Kim")
    with pytest.raises(InputError, match=r"participants are: \(none\)"):
        parse_text("just text\n", me="Kim")


def test_empty_paste() -> None:
    with pytest.raises(InputError, match="<text>: the input is empty"):
        parse_text("  \n ")


@pytest.mark.parametrize(
    "number", ["+12135550147", "+1 213-555-0147", "+1 (213) 555-0147", "(213) 555-0147"]
)
def test_a_phone_number_is_a_sender(number: str) -> None:
    # An unsaved contact or an SMS thread pasted as text: the scammer's lines used to be read
    # as continuations of the user's, so a scam pasted without timestamps lost its flag.
    text = "\n".join(
        [
            f"{number}: Hi Jennifer, this is Olivia from Harbor Realty",
            "Me: Sorry, wrong number",
            f"{number}: Oh I'm so sorry! What's your name?",
            "Me: Greg",
            f"{number}: Nice to meet you Greg. Do you invest in crypto?",
        ]
    )
    (conv,) = parse_text(text, me="Me")
    assert conv.source_format == "plain-named"
    assert senders(conv) == [number, "Me", number, "Me", number]
    assert conv.messages[4].text == "Nice to meet you Greg. Do you invest in crypto?"


def test_chinese_phone_sender_with_full_width_colon() -> None:
    phone = "+86 138 0013 8000"
    text = f"{phone}：你好，请问是王姐吗\n我：不是，你打错了\n{phone}：不好意思，加个好友吧"
    (conv,) = parse_text(text, me="我")
    assert senders(conv) == ["+86 138 0013 8000", "我", "+86 138 0013 8000"]


@pytest.mark.parametrize(
    "line",
    ["2024-01-20: payday", "5000: the deposit", "21:41: ok", "1234 5678: code", "+1+2 555 0199: x"],
)
def test_dates_counts_and_codes_are_not_senders(line: str) -> None:
    text = "\n".join(["Anna: hi", "Ben: hey", line, "Anna: ok"])
    (conv,) = parse_text(text)
    assert set(senders(conv)) == {"Anna", "Ben"}

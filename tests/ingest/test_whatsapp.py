from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from scamlens.errors import InputError
from scamlens.ingest import ImportOptions, load_chat, parse_text
from scamlens.model import MessageKind

from .helpers import EXPORTS, kinds, senders

WA = EXPORTS / "whatsapp"


def test_android_us_12h_with_narrow_nbsp() -> None:
    conv = load_chat(WA / "WhatsApp Chat with Jason Lee.txt")
    assert conv.source_format == "whatsapp-android"
    assert conv.platform == "whatsapp"
    assert conv.title == "Jason Lee"
    assert len(conv) == 11
    assert [m.index for m in conv.messages] == list(range(11))
    assert conv.participants == ("Jason Lee", "Emily Carter")
    first = conv.messages[0]
    assert first.kind is MessageKind.SYSTEM and first.sender is None
    assert first.text.startswith("Messages and calls are end-to-end encrypted")
    hi = conv.messages[1]
    assert hi.sender == "Jason Lee"
    assert hi.timestamp == datetime(2023, 12, 28, 19, 2)
    assert hi.timestamp.tzinfo is None
    assert hi.source_line == 2
    multi = conv.messages[3]
    assert (
        multi.text
        == "Oh I apologise! Maybe it is fate 😊\nI'm Jason, I work in Hong Kong in wine import"
    )
    # A message with a blank line inside keeps it; the next message starts at its own line.
    pitch = conv.messages[7]
    assert pitch.text.endswith("https://btc-gold-trade.vip/register\n\nOnly for people I trust")
    assert conv.messages[8].source_line == 13
    assert kinds(conv)[5:7] == ["media", "deleted"]
    assert conv.messages[9].kind is MessageKind.DELETED
    assert conv.messages[10].timestamp == datetime(2023, 12, 31, 23, 47)
    assert conv.warnings == ()


def test_android_you_deleted_names_the_user() -> None:
    conv = load_chat(WA / "WhatsApp Chat with Jason Lee.txt")
    assert conv.me == "Emily Carter"
    assert conv.me_method == "heuristic:whatsapp-you-deleted"
    assert [m.is_user for m in conv.messages[1:4]] == [False, True, False]
    assert conv.messages[0].is_user is None  # system line


def test_android_uk_day_first_group_with_system_lines() -> None:
    conv = load_chat(WA / "WhatsApp Chat with Crypto Wealth Club 8.txt")
    assert conv.title == "Crypto Wealth Club 8"
    assert conv.messages[3].timestamp == datetime(2024, 1, 1, 9, 0)
    assert conv.messages[8].timestamp == datetime(2024, 1, 2, 13, 15)
    system = [m.text for m in conv.messages if m.kind is MessageKind.SYSTEM]
    assert system[1] == 'Prof. David Miller created group "Crypto Wealth Club 8"'
    assert "joined using this group's invite link" in system[3]
    assert all(m.sender is None for m in conv.messages if m.kind is MessageKind.SYSTEM)
    media = conv.messages[4]
    assert media.kind is MessageKind.MEDIA
    assert media.attachments == ("IMG-20240101-WA0003.jpg",)
    assert media.text.endswith("\nProfit screenshot from member Karen")
    assert conv.participants == ("Assistant Lily", "Sarah")
    assert conv.me is None and conv.me_method == "unknown"
    assert not any("guess" in w for w in conv.warnings)  # a day above 12 settles the order


def test_android_german_dotted_dates() -> None:
    conv = load_chat(WA / "WhatsApp-Chat mit Thomas.txt")
    assert conv.title == "Thomas"
    assert conv.messages[3].timestamp == datetime(2024, 2, 3, 8, 0)
    assert kinds(conv)[4:] == ["media", "deleted"]
    assert any("day/month" in w and "dotted" in w for w in conv.warnings)
    assert conv.me == "Klaus" and conv.me_method == "heuristic:other-party-named"


def test_android_chinese_locale_am_pm_words() -> None:
    conv = load_chat(WA / "WhatsApp 聊天 - 王先生.txt")
    assert conv.title == "王先生"
    assert senders(conv)[1:3] == ["王先生", "陈静"]
    assert conv.messages[1].timestamp == datetime(2023, 12, 31, 21, 41)
    assert conv.messages[4].timestamp == datetime(2024, 1, 1, 8, 2)
    assert conv.messages[8].timestamp == datetime(
        2024, 1, 5, 0, 5
    )  # 上午12:05 is just after midnight
    assert conv.messages[3].text == "不好意思打扰了，我在新加坡做跨境电商\n认识一下也是缘分"
    assert conv.messages[5].kind is MessageKind.MEDIA
    assert conv.messages[7].kind is MessageKind.DELETED
    assert conv.me == "陈静"


def test_ios_day_first_crlf_lrm_attachments() -> None:
    conv = load_chat(WA / "_chat.txt")
    assert conv.source_format == "whatsapp-ios"
    assert conv.title is None
    assert len(conv) == 10
    notice = conv.messages[0]
    assert notice.kind is MessageKind.SYSTEM and notice.sender is None
    assert notice.text.startswith("\u200eMessages and calls")  # original text kept
    assert conv.messages[1].timestamp == datetime(2023, 12, 31, 21, 41, 5)
    assert (
        conv.messages[3].text
        == "Sorry to bother you. I'm an engineer in Singapore\nYou have a lovely profile photo"
    )
    attached = conv.messages[4]
    assert attached.kind is MessageKind.MEDIA
    assert attached.attachments == ("00000012-PHOTO-2023-12-31-21-45-12.jpg",)
    assert attached.source_line == 6
    assert kinds(conv)[5:8] == ["media", "call", "deleted"]
    assert conv.messages[8].timestamp == datetime(2024, 1, 13, 19, 20, 45)
    assert not any("\r" in m.text for m in conv.messages)
    assert conv.me == "Olivia"


def test_ios_us_12h() -> None:
    conv = load_chat(WA / "ios_us_12h.txt")
    assert conv.source_format == "whatsapp-ios"
    assert conv.messages[1].timestamp == datetime(2023, 12, 31, 21, 41, 5)
    assert conv.messages[3].timestamp == datetime(2024, 1, 1, 0, 0, 1)  # 12:00:01 AM
    assert kinds(conv)[4:] == ["media", "call"]
    assert conv.me is None


def test_ios_chinese() -> None:
    conv = load_chat(WA / "ios_zh.txt")
    assert conv.messages[1].timestamp == datetime(2024, 1, 2, 15, 5, 11)
    assert conv.messages[3].kind is MessageKind.MEDIA
    assert conv.messages[4].text == "这个平台是我表哥内部的\n稳赚不赔"


def test_ambiguous_dates_are_a_recorded_guess() -> None:
    conv = load_chat(WA / "ambiguous.txt")
    assert conv.messages[2].timestamp == datetime(2024, 3, 4, 18, 30)
    assert any("month/day" in w and "guess" in w for w in conv.warnings)
    forced = load_chat(WA / "ambiguous.txt", options=ImportOptions(date_order="dmy"))
    assert forced.messages[2].timestamp == datetime(2024, 4, 3, 18, 30)
    assert not any("guess" in w for w in forced.warnings)


def test_24h_four_digit_years_read_day_first_when_ambiguous() -> None:
    text = "01/02/2024, 09:00 - A: one\n03/04/2024, 18:30 - B: two\n"
    conv = parse_text(text)[0]
    assert conv.messages[1].timestamp == datetime(2024, 4, 3, 18, 30)
    assert any("day/month" in w for w in conv.warnings)


def test_timezone_option_makes_naive_times_aware() -> None:
    conv = load_chat(WA / "_chat.txt", options=ImportOptions(timezone="+08:00"))
    assert conv.messages[1].timestamp == datetime(
        2023, 12, 31, 21, 41, 5, tzinfo=timezone(timedelta(hours=8))
    )
    named = load_chat(WA / "_chat.txt", options=ImportOptions(timezone="Asia/Singapore"))
    ts = named.messages[1].timestamp
    assert ts is not None and ts.utcoffset() == timedelta(hours=8)


def test_bad_timezone_is_input_error() -> None:
    with pytest.raises(InputError, match="unknown timezone 'Mars/Olympus'"):
        load_chat(WA / "_chat.txt", options=ImportOptions(timezone="Mars/Olympus"))


def test_you_sender_and_other_locales() -> None:
    text = (
        "[31.12.23, 21:41:05] Ana: Hola\n"
        "[31.12.23, 21:42:00] You: hi\n"
        "[31.12.23, 21:43:00] Ana: p. m. test\n"
    )
    conv = parse_text(text)[0]
    assert conv.source_format == "whatsapp-ios"
    assert conv.me == "You" and conv.me_method == "heuristic:whatsapp-you-sender"
    am_pm = parse_text("31/12/2023, 9:41 p. m. - Ana: hola\n31/12/2023, 9:42 a. m. - Luis: ok\n")[0]
    assert am_pm.messages[0].timestamp == datetime(2023, 12, 31, 21, 41)
    assert am_pm.messages[1].timestamp == datetime(2023, 12, 31, 9, 42)


def test_lines_before_first_message_and_impossible_dates() -> None:
    text = (
        "exported by my phone\n"
        "12/31/23, 9:41 PM - A: ok\n"
        "31/31/23, 9:42 PM - B: bad date\n"
        "12/31/23, 25:42 - B: bad time\n"
    )
    conv = parse_text(text, fmt="whatsapp")[0]
    assert len(conv) == 3
    assert conv.messages[1].timestamp is None and conv.messages[2].timestamp is None
    joined = " | ".join(conv.warnings)
    assert "before the first message were skipped" in joined
    assert "impossible date" in joined or "disagree" in joined
    assert "impossible time" in joined


def test_android_system_text_with_colon_is_not_a_sender() -> None:
    text = (
        "12/31/23, 9:41 PM - Bob: hi\n"
        '12/31/23, 9:42 PM - Bob changed the subject from "A: b" to "Wealth"\n'
        "12/31/23, 9:43 PM - Amy: hello\n"
    )
    conv = parse_text(text)[0]
    assert conv.messages[1].sender is None
    assert conv.messages[1].kind is MessageKind.SYSTEM
    assert conv.participants == ("Bob", "Amy")


def test_ten_thousand_messages_parse(tmp_path: Path) -> None:
    lines = [
        f"1/{1 + i % 28}/24, 9:{i % 60:02d} AM - P{i % 3}: message {i}\n" for i in range(10_000)
    ]
    path = tmp_path / "big.txt"
    path.write_text("".join(lines), encoding="utf-8")
    conv = load_chat(path)
    assert len(conv) == 10_000
    assert conv.messages[-1].text == "message 9999"
    assert conv.messages[-1].index == 9999

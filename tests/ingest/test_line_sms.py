from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from scamlens.errors import InputError, UnknownFormatError
from scamlens.ingest import load_chat, load_chats, parse_text
from scamlens.model import MessageKind

from .helpers import EXPORTS, kinds, senders

LINE = EXPORTS / "line"
SMS = EXPORTS / "sms" / "sms-20240131201533.xml"
PST = timezone(timedelta(hours=-8))


def test_line_english_android() -> None:
    conv = load_chat(LINE / "[LINE] Chat with Ryan.txt")
    assert conv.source_format == "line-txt" and conv.platform == "line"
    assert conv.title == "Ryan"
    assert len(conv) == 8
    assert conv.messages[0].timestamp == datetime(2024, 2, 8, 9, 12)
    quoted = conv.messages[2]
    assert quoted.text == (
        "My uncle works at a hedge fund.\nHe says gold will rise 20% this month.\n"
        "Want me to show you how to buy?"
    )
    assert quoted.source_line == 7
    assert kinds(conv) == ["text", "text", "text", "media", "call", "deleted", "text", "system"]
    assert conv.messages[5].sender == "Ryan"
    assert conv.messages[6].timestamp == datetime(2024, 2, 9, 8, 0)
    assert conv.messages[7].sender is None
    assert conv.me == "Yuki" and conv.me_method == "heuristic:other-party-named"


def test_line_japanese_with_bom() -> None:
    conv = load_chat(LINE / "line_ja.txt")
    assert conv.title == "健太"
    assert senders(conv) == ["健太", "美咲", "健太", "健太", "健太"]
    assert conv.messages[3].timestamp == datetime(2024, 2, 29, 7, 30)
    assert kinds(conv) == ["text", "text", "media", "text", "deleted"]
    assert conv.me == "美咲"


def test_line_traditional_chinese_12h() -> None:
    conv = load_chat(LINE / "line_zh_tw.txt")
    assert conv.title == "陳經理"
    assert conv.messages[0].timestamp == datetime(2024, 4, 1, 9, 15)
    assert conv.messages[2].timestamp == datetime(2024, 4, 1, 14, 30)
    assert conv.messages[2].kind is MessageKind.MEDIA
    assert conv.me == "林小姐"


def test_line_us_dates() -> None:
    conv = load_chat(LINE / "line_en_us.txt")
    assert conv.messages[0].timestamp == datetime(2024, 3, 4, 21, 41)
    assert conv.me == "Mark"


def test_line_without_messages_is_an_error() -> None:
    with pytest.raises(InputError, match="no LINE message lines"):
        parse_text("[LINE] Chat history with X\nSaved on: 2024/01/01 10:00\n", fmt="line")


def test_sms_threads_directions_and_emoji_refs() -> None:
    chats = load_chats(SMS)
    assert [c.title for c in chats] == ["+14155550123", "张经理"]
    amy = chats[0]
    assert amy.source_format == "sms-xml" and amy.platform == "sms"
    assert len(amy) == 5  # the draft is skipped; sms and mms merged in time order
    assert senders(amy) == ["+14155550123", "Me", "+14155550123", "+14155550123", "Me"]
    assert [m.is_user for m in amy.messages] == [False, True, False, False, True]
    assert amy.messages[0].timestamp == datetime(2024, 1, 26, 12, 13, 20, tzinfo=PST)
    assert (
        amy.messages[2].text
        == "Good morning 😊 my uncle taught me to trade crypto\nMade 30% this month"
    )
    mms = amy.messages[3]
    assert mms.kind is MessageKind.MEDIA
    assert mms.attachments == ("IMG_20240127.jpg",)
    assert mms.text == "Look at my trading account 📈"
    assert mms.source_line == 11
    assert amy.me == "Me" and amy.me_method == "heuristic:sms-sent-type"
    assert "1 draft message(s) were skipped" in amy.warnings
    zh = chats[1]
    assert zh.messages[0].text == "您的账户已冻结，请缴纳保证金 5000 USDT 解冻"
    assert zh.participants == ("张经理", "Me")


def test_sms_me_option_renames_the_user() -> None:
    chats = load_chats(SMS, me="Jessica")
    assert chats[0].me == "Jessica" and chats[0].me_method == "--me"
    assert senders(chats[0])[1] == "Jessica"
    assert "Jessica" in chats[0].participants and "Me" not in chats[0].participants


def test_sms_refuses_dtd_and_entities(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
        '<smses count="1"><sms address="1" body="&lol2;" date="1700000000000" type="1"/></smses>\n'
    )
    p = tmp_path / "sms.xml"
    p.write_text(bomb)
    with pytest.raises(InputError, match=r"sms.xml:2: the XML declares a document type"):
        load_chats(p)
    external = (
        '<?xml version="1.0"?><!DOCTYPE smses SYSTEM "http://example.com/x.dtd">'
        '<smses><sms address="1" body="x" date="1700000000000" type="1"/></smses>'
    )
    with pytest.raises(InputError, match="refused for safety"):
        parse_text(external, fmt="sms")


def test_sms_truncated_and_malformed() -> None:
    full = SMS.read_text(encoding="utf-8")
    cut = full[: full.index("<mms")]
    conv = parse_text(cut, name="cut.xml")
    assert sum(len(c) for c in conv) == 5
    assert any("ends early" in w for w in conv[0].warnings)
    with pytest.raises(InputError, match=r"bad.xml:1: malformed XML: mismatched tag"):
        parse_text("<smses><sms></smses>", fmt="sms", name="bad.xml")
    with pytest.raises(UnknownFormatError, match="not an SMS Backup & Restore file"):
        parse_text("<calls><call/></calls>", fmt="sms")


def test_sms_lone_surrogate_reference_becomes_replacement_char() -> None:
    xml = '<smses><sms address="1" body="a&#55357;b" date="1700000000000" type="1"/></smses>'
    assert parse_text(xml)[0].messages[0].text == "a\ufffdb"

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from scamlens.errors import InputError
from scamlens.ingest import load_chat, load_chats, parse_text
from scamlens.model import MessageKind

from .helpers import EXPORTS, kinds

TG = EXPORTS / "telegram"
UTC8 = timezone(timedelta(hours=8))


def test_single_chat_result_json() -> None:
    conv = load_chat(TG / "result.json")
    assert conv.source_format == "telegram-json" and conv.platform == "telegram"
    assert conv.title == "Kevin Zhang"
    assert len(conv) == 9
    first = conv.messages[0]
    assert first.timestamp == datetime(2024, 1, 5, 20, 15, 2, tzinfo=UTC8)
    assert first.source_line == 1  # record number in "messages"
    assert kinds(conv) == ["text", "text", "call", "text", "text", "media", "media", "text", "text"]
    assert conv.messages[2].sender == "Kevin Zhang"
    assert conv.messages[2].text == "phone call: missed"
    assert (
        conv.messages[3].text == "Register here: https://okx-pro.vip/invite?c=8812 and use my code"
    )
    hidden = conv.messages[4]
    assert hidden.text == "Customer service will guide you: click here"
    assert hidden.attachments == ("https://t.me/okx_support_desk",)
    assert conv.messages[5].attachments == ("photos/photo_3@06-01-2024_09-05-30.jpg",)
    assert conv.messages[5].text == "My profit this week"
    assert conv.messages[6].attachments == ("voice_message",)
    assert conv.messages[7].attachments == ("forwarded_from:Crypto Signals VIP",)
    assert conv.messages[8].text == "Trust me, withdraw anytime\nJust pay the 20% tax first"


def test_single_chat_me_is_the_other_side_of_a_personal_chat() -> None:
    conv = load_chat(TG / "result.json")
    assert conv.me == "Rachel Green"
    assert conv.me_method == "heuristic:other-party-named"
    assert conv.messages[1].is_user is True and conv.messages[0].is_user is False


def test_chinese_chat_without_unixtime_stays_naive() -> None:
    conv = load_chat(TG / "result_zh.json")
    assert conv.messages[0].timestamp == datetime(2024, 3, 1, 10, 0)
    assert conv.messages[2].text == "您的账户触发了风控，需要缴纳20%个人所得税才能解冻"
    assert conv.messages[3].kind is MessageKind.MEDIA
    assert conv.me == "刘强"


def test_full_export_lists_every_chat_with_owner() -> None:
    chats = load_chats(TG / "full_export.json")
    assert [c.title for c in chats] == [
        "Kevin Zhang", "USDT Arbitrage Team", "Saved Messages", "Gold Futures Signals",
    ]  # fmt: skip
    assert all(c.me_method == "heuristic:telegram-personal-information" for c in chats)
    assert chats[0].me == "Rachel Green"
    assert chats[1].me == "Rachel"  # the name her messages carry in that chat
    assert chats[1].messages[2].is_user is True
    assert chats[1].messages[0].kind is MessageKind.SYSTEM
    assert chats[1].messages[0].text == "invite members: Rachel Green"
    assert chats[3].me == "Rachel Green"  # never wrote there: name from personal_information
    assert "the exporting user has left this chat" in chats[3].warnings
    with pytest.raises(InputError, match="holds 4 conversations"):
        load_chat(TG / "full_export.json")


def test_full_export_me_by_username_alias() -> None:
    chats = load_chats(TG / "full_export.json", me="@RACHEL_G")
    assert chats[1].me == "Rachel" and chats[1].me_method == "--me"


def test_bad_structures_name_the_key(tmp_path: Path) -> None:
    p = tmp_path / "result.json"
    p.write_text(json.dumps({"name": "x", "type": "personal_chat", "id": 1, "messages": {}}))
    with pytest.raises(
        InputError, match=r"result.json: at messages: expected a list, found an object"
    ):
        load_chats(p)
    p.write_text(json.dumps({"chats": {"list": 5}, "personal_information": {}}))
    with pytest.raises(InputError, match=r"at chats.list: expected a list, found a number"):
        load_chats(p)


def test_odd_messages_are_skipped_with_a_key_path() -> None:
    doc = {
        "name": "A", "type": "personal_chat", "id": 1,
        "messages": [
            7,
            {"id": 2, "type": "message", "date": "not a date", "date_unixtime": "x",
             "from": None, "from_id": "user9", "text": [{"type": "plain"}, 5, "ok"]},
        ],
    }  # fmt: skip
    conv = parse_text(json.dumps(doc))[0]
    assert len(conv) == 1
    msg = conv.messages[0]
    assert msg.sender == "Deleted Account" and msg.text == "ok" and msg.timestamp is None
    assert any("messages[0]" in w for w in conv.warnings)

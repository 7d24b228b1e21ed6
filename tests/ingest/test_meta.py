from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scamlens.errors import InputError
from scamlens.ingest import detect_format, load_chat, load_chats, parse_text
from scamlens.ingest.meta import repair
from scamlens.model import MessageKind

from .helpers import EXPORTS, kinds, zip_with

MS = EXPORTS / "messenger"


def test_mojibake_repair_rules() -> None:
    assert repair("Youâ\x80\x99ll") == "You’ll"
    assert repair("caf\u00e9") == "caf\u00e9"  # real Latin-1 text does not round-trip: kept
    assert repair("plain ascii") == "plain ascii"
    assert repair("已经好") == "已经好"  # not Latin-1 at all: kept


def test_messenger_thread_reversed_and_repaired() -> None:
    conv = load_chat(MS / "message_1.json")
    assert conv.source_format == "messenger-json" and conv.platform == "messenger"
    assert conv.title == "André Dubois"
    assert conv.participants == ("André Dubois", "Margaret O’Neil")
    assert conv.messages[0].text == "Hello Margaret, I saw your post in the gardening group"
    assert conv.messages[0].timestamp == datetime(2024, 1, 15, 10, 20, tzinfo=UTC)
    assert conv.messages[0].source_line == 7
    assert conv.messages[1].text == "Bonjour André! Café later? ❤️"
    assert conv.messages[-1].text == "You’ll see the profit tomorrow 💰"
    assert kinds(conv) == ["text", "text", "call", "media", "text", "deleted", "text"]
    assert conv.messages[3].attachments[0].endswith("photos/421_10159.jpg")
    assert conv.messages[4].attachments == ("https://metamask-wallet-connect.io/liquidity",)
    assert any("repaired mis-encoded text" in w for w in conv.warnings)
    assert conv.me == "Margaret O’Neil" and conv.me_method == "heuristic:other-party-named"


def test_chinese_group_repaired_no_owner() -> None:
    conv = load_chat(MS / "group_zh.json")
    assert conv.title == "投资交流群"
    assert [m.sender for m in conv.messages] == ["李明", "王芳", "赵老师"]
    assert conv.messages[2].text == "今天的信号：ETH 做多，目标 15%"
    assert conv.me is None


def test_instagram_told_apart() -> None:
    path = EXPORTS / "instagram" / "message_1.json"
    assert detect_format(path) == "instagram-json"
    conv = load_chat(path)
    assert conv.source_format == "instagram-json" and conv.platform == "instagram"
    assert conv.participants == ("luxury.trader.hk", "Chloé Martin")
    assert conv.messages[1].attachments == ("https://www.instagram.com/p/C2abcDEFgh1/",)
    assert conv.me == "Chloé Martin"


def test_forced_platform_and_unsure_note() -> None:
    conv = load_chat(MS / "message_2.json")
    assert any("could not tell Messenger from Instagram" in w for w in conv.warnings)
    forced = load_chat(MS / "message_2.json", fmt="instagram")
    assert forced.platform == "instagram"
    assert not any("could not tell" in w for w in forced.warnings)


def test_e2ee_layout() -> None:
    conv = load_chat(MS / "e2ee_chat.json")
    assert conv.source_format == "messenger-json"
    assert conv.title == "Peter Novak"
    assert kinds(conv) == ["text", "media", "text"]
    assert conv.messages[1].attachments == ("./media/IMG_1001.jpeg",)
    assert conv.me == "Hannah Schmidt"


def test_archive_threads_merge_parts_and_find_owner(tmp_path: Path) -> None:
    inbox = "your_facebook_activity/messages/inbox"
    other = {
        "participants": [{"name": "Sam"}, {"name": "Margaret O\u00e2\u0080\u0099Neil"}],
        "messages": [{"sender_name": "Sam", "timestamp_ms": 1700000000000, "content": "hey"}],
        "title": "Sam",
        "joinable_mode": {"mode": 1, "link": ""},
    }
    path = zip_with(
        tmp_path / "facebook-margaret-2024.zip",
        {
            f"{inbox}/andredubois_1234567890/message_2.json": (MS / "message_2.json").read_bytes(),
            f"{inbox}/andredubois_1234567890/message_1.json": (MS / "message_1.json").read_bytes(),
            f"{inbox}/andredubois_1234567890/photos/421_10159.jpg": b"\xff\xd8\xff",
            f"{inbox}/sam_555/message_1.json": json.dumps(other),
            "your_facebook_activity/posts/your_posts_1.json": json.dumps(
                [{"data": [{"post": "x"}]}]
            ),
        },
    )
    chats = load_chats(path)
    assert [c.title for c in chats] == ["André Dubois", "Sam"]
    andre = chats[0]
    assert len(andre) == 8  # both parts, one thread
    assert andre.messages[0].text == "André added you as a friend"  # the older part comes first
    assert all(c.me == "Margaret O’Neil" for c in chats)
    assert all(c.me_method == "heuristic:in-every-thread" for c in chats)
    assert andre.source_path == f"{path}!{inbox}/andredubois_1234567890"
    assert detect_format(path) == "messenger-json"


def test_list_of_threads_and_bad_item() -> None:
    good = json.loads((MS / "e2ee_chat.json").read_text(encoding="utf-8"))
    chats = parse_text(json.dumps([good, good]))
    assert len(chats) == 2
    with pytest.raises(InputError, match=r"at \[1\]: not a Messenger/Instagram thread"):
        parse_text(json.dumps([good, {"x": 1}]), fmt="messenger")


def test_unsent_and_nonobject_messages() -> None:
    doc = {
        "participants": [{"name": "A"}, None, {"x": 1}],
        "messages": [
            {"sender_name": "A", "timestamp_ms": "oops", "content": 5, "is_unsent": True},
            "junk",
        ],
    }
    conv = parse_text(json.dumps(doc))[0]
    assert len(conv) == 1 and conv.messages[0].kind is MessageKind.DELETED
    assert conv.messages[0].timestamp is None
    assert any("participant without a name" in w for w in conv.warnings)

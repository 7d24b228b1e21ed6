from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from scamlens.errors import InputError
from scamlens.ingest import ColumnMap, ImportOptions, load_chat, load_chats, parse_text
from scamlens.model import MessageKind

from .helpers import EXPORTS, kinds, senders

GEN = EXPORTS / "generic"


def test_discord_dm() -> None:
    conv = load_chat(
        EXPORTS / "discord" / "Direct Messages - crypto_mentor_amy [1187654321098765432].json"
    )
    assert conv.source_format == "discord-json" and conv.platform == "discord"
    assert conv.title == "crypto_mentor_amy"
    assert conv.participants == ("Amy 💎", "jdoe_92")
    assert conv.messages[0].timestamp == datetime(2024, 2, 18, 14, 2, 11, 123000, tzinfo=UTC)
    assert conv.messages[4].timestamp is not None
    assert conv.messages[4].timestamp.utcoffset() == timedelta(hours=8)
    assert kinds(conv) == ["text", "text", "media", "call", "text", "system"]
    assert conv.messages[2].attachments == ("profits.png",)
    assert conv.messages[4].attachments == ("https://defi-yield-pro.app/r/amy",)
    assert conv.me == "jdoe_92"  # the DM channel is named after the other person (alias)


def test_discord_me_by_username() -> None:
    path = EXPORTS / "discord" / "Direct Messages - crypto_mentor_amy [1187654321098765432].json"
    conv = load_chat(path, me="crypto_mentor_amy")
    assert conv.me == "Amy 💎"


def test_linkedin_many_conversations() -> None:
    chats = load_chats(EXPORTS / "linkedin" / "messages.csv")
    assert len(chats) == 2
    first, second = chats
    assert first.source_format == "linkedin-csv" and first.platform == "linkedin"
    assert senders(first) == ["Victoria Chen", "David Park", "Victoria Chen"]  # oldest first
    assert first.messages[0].timestamp == datetime(2024, 1, 19, 17, 40, 5, tzinfo=UTC)
    assert first.messages[2].text.count("\n") == 2
    assert first.messages[2].source_line == 2
    assert second.title == "Recruiting: Remote Data Analyst"
    assert 'simple "app rating" tasks' in second.messages[0].text
    assert all(c.me == "David Park" for c in chats)
    assert first.me_method == "heuristic:linkedin-profile-in-every-conversation"
    assert first.messages[1].is_user is True


def test_generic_csv_semicolon_groups_and_is_user() -> None:
    chats = load_chats(GEN / "chats_semicolon.csv")
    assert [c.title for c in chats] == ["c1", "c2"]
    c1 = chats[0]
    assert c1.source_format == "csv"
    assert c1.messages[0].timestamp == datetime(
        2024, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=2))
    )
    assert c1.messages[2].text == "I am the one who told you about\nthe gold trading app"
    assert c1.messages[2].source_line == 4
    assert [m.is_user for m in c1.messages] == [False, True, False]
    assert all(c.me == "Nina" and c.me_method == "heuristic:is-user-column" for c in chats)


def test_generic_csv_guessed_columns_and_chinese() -> None:
    conv = load_chat(GEN / "chat.csv")
    assert senders(conv) == ["Grace", "Li Wei", "Grace"]
    assert conv.messages[2].text == "我表哥在做数字货币，收益很稳定"
    assert conv.messages[0].timestamp == datetime(2024, 6, 1, 8, 0)


def test_generic_csv_column_mapping() -> None:
    text = "who,when,what,extra\nA,2024-01-01 10:00,hello,x\nB,2024-01-01 10:01,hi,y\n"
    cols = ColumnMap(text="what", sender="who", timestamp="when")
    conv = parse_text(text, fmt="csv", options=ImportOptions(columns=cols))[0]
    assert senders(conv) == ["A", "B"] and conv.messages[1].text == "hi"
    with pytest.raises(InputError, match=r"column 'body' \(for text\) is not in the file"):
        parse_text(text, fmt="csv", options=ImportOptions(columns=ColumnMap(text="body")))
    with pytest.raises(InputError, match=r"no message text column found .* columns are: 'who'"):
        parse_text(text, fmt="csv")


def test_newest_first_records_are_reversed() -> None:
    text = "sender,timestamp,text\nA,2024-01-02,second\nB,2024-01-01,first\n"
    conv = parse_text(text)[0]
    assert [m.text for m in conv.messages] == ["first", "second"]
    assert any("newest first" in w for w in conv.warnings)


def test_jsonl_nested_author_and_epochs() -> None:
    conv = load_chat(GEN / "chat.jsonl")
    assert conv.source_format == "jsonl"
    assert senders(conv) == ["Sam", "Jo", "Sam"]
    assert conv.messages[0].timestamp == datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
    assert conv.messages[2].timestamp == datetime(2024, 6, 1, 8, 2, tzinfo=UTC)  # milliseconds


def test_jsonl_bad_lines_are_skipped_with_line_numbers() -> None:
    text = '{"text": "a", "from": "X"}\n{"text": "b", "fro\n[1, 2]\n{"text": "c", "from": "Y"}\n'
    conv = parse_text(text, fmt="jsonl")[0]
    assert [m.text for m in conv.messages] == ["a", "c"]
    assert conv.messages[1].source_line == 4
    assert any("not valid JSON" in w and "line 2" in w for w in conv.warnings)
    with pytest.raises(InputError, match="no JSON objects found"):
        parse_text("[1]\n[2]\n", fmt="jsonl")


def test_json_records_and_sender_named_me() -> None:
    conv = load_chat(GEN / "records.json")
    assert conv.source_format == "json"
    assert conv.me == "Me" and conv.me_method == "heuristic:sender-named-self"
    assert conv.messages[0].kind is MessageKind.TEXT


def test_csv_header_only_and_malformed(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="has a header but no message rows"):
        parse_text("sender,text\n", fmt="csv")
    big = "sender,text\nA," + "y" * 200_000 + "\n"
    conv = parse_text(big, fmt="csv", options=ImportOptions(max_message_chars=1000))[0]
    assert 900 < len(conv.messages[0].text) <= 1000
    assert any("was cut" in w for w in conv.warnings)


def test_records_use_json_values_of_any_type() -> None:
    rows = [{"message": ["a", "b"], "sender": {"name": "N"}, "time": True}, {"message": None}]
    conv = parse_text(json.dumps(rows))[0]
    assert conv.messages[0].text == "ab" and conv.messages[0].sender == "N"
    assert any("without message text" in w for w in conv.warnings)

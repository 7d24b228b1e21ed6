from __future__ import annotations

from pathlib import Path

import pytest

from scamlens.errors import InputError, UnknownFormatError
from scamlens.ingest import ImportOptions, load_chat, load_chats, parse_text

from .helpers import EXPORTS


def test_missing_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt: no such file"):
        load_chats(tmp_path / "nope.txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.txt: the file is empty"):
        load_chats(empty)
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b" \r\n\n\t\n")
    with pytest.raises(InputError, match="holds only blank space"):
        load_chats(blank)
    with pytest.raises(InputError, match="is a folder: pass one export file"):
        load_chats(tmp_path)


def test_truncated_json_names_line_and_column(tmp_path: Path) -> None:
    full = (EXPORTS / "telegram" / "result.json").read_text(encoding="utf-8")
    cut = tmp_path / "result.json"
    cut.write_text(full[: len(full) // 2], encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_chats(cut)
    msg = str(err.value)
    assert msg.startswith(f"{cut}:")
    assert "invalid JSON at column" in msg and "looks truncated" in msg
    assert err.value.line is not None and err.value.line > 10


def test_deep_and_huge_json(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"messages": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(InputError, match=r"nested too deeply|not a chat export"):
        load_chats(deep)
    huge = tmp_path / "huge.json"
    huge.write_text('{"messages": [{"text": "a", "n": ' + "9" * 5000 + "}]}")
    with pytest.raises(InputError, match="invalid JSON"):
        load_chats(huge, fmt="json")


def test_json_over_its_cap(tmp_path: Path) -> None:
    p = tmp_path / "result.json"
    p.write_bytes((EXPORTS / "telegram" / "result.json").read_bytes())
    with pytest.raises(
        InputError, match=r"loaded whole and is .* over the 100 bytes limit .*max_json_bytes"
    ):
        load_chats(p, options=ImportOptions(max_json_bytes=100))


def test_text_over_its_cap() -> None:
    path = EXPORTS / "whatsapp" / "_chat.txt"
    with pytest.raises(
        InputError, match=r"_chat.txt: the file is .* over the 10 bytes limit .*max_bytes"
    ):
        load_chats(path, options=ImportOptions(max_bytes=10))
    with pytest.raises(InputError, match="over the 5-byte limit"):
        parse_text("Amy: hello there", options=ImportOptions(max_bytes=5))


def test_unknown_format_name() -> None:
    with pytest.raises(InputError, match="unknown format 'kakao'; formats are: whatsapp-android"):
        parse_text("hi", fmt="kakao")


def test_forced_format_that_does_not_fit() -> None:
    with pytest.raises(InputError, match="no WhatsApp message lines found"):
        parse_text("hello\nworld\n", fmt="whatsapp")
    with pytest.raises(InputError, match="invalid JSON"):
        parse_text("hello", fmt="telegram")
    with pytest.raises(InputError, match="not a zip archive"):
        parse_text("hello", fmt="whatsapp-zip")


def test_load_chat_needs_exactly_one() -> None:
    with pytest.raises(
        InputError, match=r"holds 2 conversations \('\+14155550123', '张经理'\); pick one"
    ):
        load_chat(EXPORTS / "sms" / "sms-20240131201533.xml")


def test_xml_that_is_not_sms() -> None:
    with pytest.raises(UnknownFormatError, match=r"XML, but not an SMS Backup"):
        parse_text('<?xml version="1.0"?><calls count="1"><call number="1"/></calls>')


def test_errors_are_never_bare(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text('{"guild": {}, "channel": {}, "messages": 3}')
    with pytest.raises(InputError, match=r"x.json: at messages: expected a list, found a number"):
        load_chats(p, fmt="discord")

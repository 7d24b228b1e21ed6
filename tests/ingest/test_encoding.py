from __future__ import annotations

from pathlib import Path

import pytest

from scamlens.ingest import ImportOptions, load_chat, load_chats, parse_text

from .helpers import EXPORTS

ANDROID = (EXPORTS / "whatsapp" / "WhatsApp Chat with Jason Lee.txt").read_text(encoding="utf-8")
CHINESE = (EXPORTS / "whatsapp" / "WhatsApp 聊天 - 王先生.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("encoding", "note"),
    [
        ("utf-8-sig", None),
        ("utf-16", None),  # with a BOM
        ("utf-16-le", "read as UTF-16-LE"),
        ("utf-16-be", "read as UTF-16-BE"),
        ("utf-32", None),
    ],
)
def test_unicode_encodings(encoding: str, note: str | None, tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_bytes(ANDROID.encode(encoding))
    conv = load_chat(path)
    assert conv.source_format == "whatsapp-android"
    assert len(conv) == 11
    assert conv.messages[3].text.endswith("wine import")
    assert conv.messages[1].timestamp is not None
    if note:
        assert any(note in w for w in conv.warnings)
    else:
        assert conv.warnings == ()


def test_utf16_json(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(
        (EXPORTS / "telegram" / "result.json").read_text(encoding="utf-8").encode("utf-16")
    )
    assert len(load_chat(path)) == 9


def test_gb18030_guess(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_bytes(CHINESE.encode("gb18030"))
    conv = load_chat(path)
    assert conv.messages[1].text == "你好，请问是李小姐吗？"
    assert any("guessed the encoding gb18030" in w for w in conv.warnings)


def test_cp1252_guess(tmp_path: Path) -> None:
    text = (
        "31/12/2023, 21:41 - José Martínez: Hola, ¿cómo estás? Soy inversionista en Dubái\n"
        "31/12/2023, 21:42 - Ana: Bien, ¿y tú? Qué raro, no conozco a ningún José\n"
    )
    path = tmp_path / "chat.txt"
    path.write_bytes(text.encode("cp1252"))
    conv = load_chat(path)
    assert conv.messages[0].sender == "José Martínez"
    assert any("guessed the encoding cp1252" in w for w in conv.warnings)


def test_encoding_override(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_bytes(CHINESE.encode("big5", "replace"))
    conv = load_chat(path, options=ImportOptions(encoding="big5"))
    assert conv.warnings == ()
    with pytest.raises(Exception, match="unknown encoding 'klingon'"):
        load_chat(path, options=ImportOptions(encoding="klingon"))


def test_invalid_bytes_late_in_a_utf8_file(tmp_path: Path) -> None:
    data = (
        ANDROID.encode("utf-8") + b"12/31/23, 11:59\xe2\x80\xafPM - Jason Lee: bad \xff\xfe bytes\n"
    )
    path = tmp_path / "chat.txt"
    path.write_bytes(data)
    conv = load_chat(path)
    assert conv.messages[-1].text == "bad \ufffd\ufffd bytes"
    assert any("not valid utf-8 were replaced (at line 16)" in w for w in conv.warnings)


def test_nul_bytes_are_stripped(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_bytes(b"12/28/23, 7:02 PM - A: he\x00llo\n12/28/23, 7:03 PM - B\x00: ok\n")
    conv = load_chat(path)
    assert conv.messages[0].text == "hello" and conv.messages[1].sender == "B"
    assert any(w.startswith("NUL characters were removed (2 times") for w in conv.warnings)
    pasted = parse_text("Amy: a\x00b\nBen: c\n")[0]
    assert pasted.messages[0].text == "ab"


def test_over_long_line_is_cut_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("12/28/23, 7:02 PM - A: " + "x" * 3_000_000 + "\n12/28/23, 7:03 PM - B: ok\n")
    conv = load_chat(path)
    assert len(conv) == 2
    assert len(conv.messages[0].text) <= 1_000_000
    assert conv.messages[1].text == "ok" and conv.messages[1].source_line == 2
    assert any("longer than 1,000,000 characters was cut" in w for w in conv.warnings)


def test_many_continuation_lines_are_capped(tmp_path: Path) -> None:
    body = (
        "12/28/23, 7:02 PM - A: start\n"
        + "more text here\n" * 10_000
        + "12/28/23, 7:03 PM - B: ok\n"
    )
    conv = parse_text(body, options=ImportOptions(max_message_chars=5000))[0]
    assert len(conv.messages[0].text) <= 5000
    assert conv.messages[1].text == "ok"


def test_hostile_unicode_is_kept(tmp_path: Path) -> None:
    text = "12/28/23, 7:02 PM - Ａｍｙ\u202e: w\u200bithdraw \u0301\u0301 𝐔𝐒𝐃𝐓 \ufeff\n"
    conv = parse_text(text)[0]
    assert conv.messages[0].text == "w\u200bithdraw \u0301\u0301 𝐔𝐒𝐃𝐓 \ufeff"
    assert conv.messages[0].sender == "Ａｍｙ"  # bidi controls dropped from the name only


def test_old_mac_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_bytes(b"12/28/23, 7:02 PM - A: one\r12/28/23, 7:03 PM - B: two\r")
    conv = load_chat(path)
    assert [m.text for m in conv.messages] == ["one", "two"]


def test_load_chats_on_every_fixture_never_crashes(exports: Path) -> None:
    for path in sorted(exports.rglob("*")):
        if path.is_file():
            assert load_chats(path)

from __future__ import annotations

from pathlib import Path

import pytest

from scamlens.errors import UnknownFormatError
from scamlens.ingest import FORMATS, detect_format

from .helpers import EXPORTS, zip_with

TABLE = [
    ("whatsapp/WhatsApp Chat with Jason Lee.txt", "whatsapp-android"),
    ("whatsapp/WhatsApp Chat with Crypto Wealth Club 8.txt", "whatsapp-android"),
    ("whatsapp/WhatsApp-Chat mit Thomas.txt", "whatsapp-android"),
    ("whatsapp/WhatsApp 聊天 - 王先生.txt", "whatsapp-android"),
    ("whatsapp/_chat.txt", "whatsapp-ios"),
    ("whatsapp/ios_us_12h.txt", "whatsapp-ios"),
    ("whatsapp/ios_zh.txt", "whatsapp-ios"),
    ("telegram/result.json", "telegram-json"),
    ("telegram/result_zh.json", "telegram-json"),
    ("telegram/full_export.json", "telegram-json"),
    ("../../ingest/fixtures/telegram_html/ChatExport_2024-01-05/messages.html", "telegram-html"),
    ("messenger/message_1.json", "messenger-json"),
    ("messenger/group_zh.json", "messenger-json"),
    ("messenger/e2ee_chat.json", "messenger-json"),
    ("instagram/message_1.json", "instagram-json"),
    ("line/[LINE] Chat with Ryan.txt", "line-txt"),
    ("line/line_ja.txt", "line-txt"),
    ("line/line_zh_tw.txt", "line-txt"),
    ("line/line_en_us.txt", "line-txt"),
    ("sms/sms-20240131201533.xml", "sms-xml"),
    ("discord/Direct Messages - crypto_mentor_amy [1187654321098765432].json", "discord-json"),
    ("linkedin/messages.csv", "linkedin-csv"),
    ("generic/chat.csv", "csv"),
    ("generic/chats_semicolon.csv", "csv"),
    ("generic/chat.jsonl", "jsonl"),
    ("generic/records.json", "json"),
    ("plain/named_en.txt", "plain-named"),
    ("plain/named_zh.txt", "plain-named"),
    ("../../ingest/fixtures/paste/whatsapp_web_copy.txt", "plain-named"),
    ("../../ingest/fixtures/paste/telegram_desktop_copy.txt", "plain-named"),
    ("plain/bare.txt", "plain"),
    ("plain/paragraphs.txt", "plain"),
]


@pytest.mark.parametrize(("rel", "expected"), TABLE)
def test_detects_from_content(rel: str, expected: str, tmp_path: Path) -> None:
    src = EXPORTS / rel
    assert detect_format(src) == expected
    # The extension does not matter: the same bytes under a neutral name detect the same.
    renamed = tmp_path / "upload.bin"
    renamed.write_bytes(src.read_bytes())
    got = detect_format(renamed)
    assert got == expected or (expected == "instagram-json" and got == "messenger-json")
    assert detect_format(src.read_bytes()) in (expected, "messenger-json")


def test_every_fixture_format_is_listed() -> None:
    assert {e for _, e in TABLE} | {"whatsapp-zip"} == set(FORMATS)
    assert all(isinstance(d, str) and d for d in FORMATS.values())


def test_whatsapp_zip_detected(tmp_path: Path) -> None:
    path = zip_with(
        tmp_path / "WhatsApp Chat - Jason.zip",
        {
            "WhatsApp Chat with Jason Lee.txt": (
                EXPORTS / "whatsapp" / "WhatsApp Chat with Jason Lee.txt"
            ).read_bytes(),
            "IMG-20231229-WA0001.jpg": b"\xff\xd8\xff\xe0",
        },
    )
    assert detect_format(path) == "whatsapp-zip"


def test_unknown_formats_say_what_was_tried(tmp_path: Path) -> None:
    png = tmp_path / "photo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    with pytest.raises(
        UnknownFormatError, match=r"photo.png: binary data.*tried: whatsapp-android"
    ):
        detect_format(png)
    with pytest.raises(UnknownFormatError, match="not a chat export scamlens knows"):
        detect_format(b'{"settings": {"theme": "dark"}}')
    with pytest.raises(UnknownFormatError, match="not a Telegram Desktop chat export"):
        detect_format(b"<!DOCTYPE html>\n<html><head></head><body>messages</body></html>")
    with pytest.raises(UnknownFormatError, match="no chat export found in the archive"):
        detect_format(zip_with(tmp_path / "photos.zip", {"a.jpg": b"\xff\xd8"}))

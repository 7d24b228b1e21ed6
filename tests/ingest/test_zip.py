from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from scamlens.errors import InputError, UnknownFormatError
from scamlens.ingest import ImportOptions, load_bytes, load_chat, load_chats
from scamlens.ingest.safezip import _Capped, unsafe_name

from .helpers import EXPORTS, set_encrypted_flag, zip_with

CHAT = (EXPORTS / "whatsapp" / "_chat.txt").read_bytes()


def test_whatsapp_zip_reads_only_the_chat(tmp_path: Path) -> None:
    path = zip_with(
        tmp_path / "WhatsApp Chat - Michael Wong.zip",
        {
            "_chat.txt": CHAT,
            "00000012-PHOTO-2023-12-31-21-45-12.jpg": b"\xff\xd8\xff" + bytes(5000),
            "__MACOSX/._chat.txt": b"\x00\x05\x16\x07",
        },
    )
    conv = load_chat(path)
    assert conv.source_format == "whatsapp-zip" and conv.platform == "whatsapp"
    assert conv.title == "Michael Wong"
    assert len(conv) == 10
    assert conv.source_path == f"{path}!_chat.txt"
    assert conv.me == "Olivia"
    assert any("whatsapp-ios layout" in w for w in conv.warnings)


def test_zip_from_bytes() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "WhatsApp Chat with Jason Lee.txt",
            (EXPORTS / "whatsapp" / "WhatsApp Chat with Jason Lee.txt").read_bytes(),
        )
    chats = load_bytes(buf.getvalue(), name="upload.zip")
    assert chats[0].title == "Jason Lee" and len(chats[0]) == 11


def test_traversal_and_absolute_names_refuse_the_archive(tmp_path: Path) -> None:
    for bad in ("../../etc/cron.d/x.txt", "/etc/passwd", "C:\\Windows\\x.txt", "a/../../b.txt"):
        path = zip_with(tmp_path / "evil.zip", {"_chat.txt": CHAT, bad: b"x"})
        with pytest.raises(InputError, match="absolute path or climbs out"):
            load_chats(path)
    assert not unsafe_name("WhatsApp Chat/_chat.txt")
    assert unsafe_name("..\\x.txt")


def test_zip_bomb_by_declared_ratio(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("_chat.txt", b"12/28/23, 7:02 PM - A: hi\n" + b"\n" * 30_000_000)
    assert path.stat().st_size < 100_000
    with pytest.raises(
        InputError, match=r"bomb.zip!_chat.txt: .*compression ratio over 200 \(a zip bomb\?\)"
    ):
        load_chats(path)


def test_zip_member_over_size_cap(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "big.zip", {"_chat.txt": CHAT})
    with pytest.raises(InputError, match=r"declares .* over the 100 bytes limit"):
        load_chats(path, options=ImportOptions(max_bytes=100))


def test_capped_reader_stops_on_actual_bytes() -> None:
    inner = io.BytesIO(b"x" * (3 * 1024 * 1024))
    capped = _Capped(inner, "a.zip!m", cap=10**9, compressed=1000, ratio=100)
    reader = io.BufferedReader(capped)
    with pytest.raises(InputError, match="inflates more than 100 times"):
        reader.read()
    inner = io.BytesIO(b"y" * 5000)
    capped = _Capped(inner, "a.zip!m", cap=1000, compressed=5000, ratio=100)
    reader = io.BufferedReader(capped)
    with pytest.raises(InputError, match="inflates past the 1000 bytes limit"):
        reader.read()


def test_too_many_members(tmp_path: Path) -> None:
    members: dict[str, bytes | str] = {f"img{i}.jpg": b"x" for i in range(30)}
    members["_chat.txt"] = CHAT
    path = zip_with(tmp_path / "many.zip", members)
    with pytest.raises(InputError, match="lists 31 members, over the 10 limit"):
        load_chats(path, options=ImportOptions(max_zip_members=10))
    assert len(load_chats(path)) == 1


def test_nested_archives_are_not_opened(tmp_path: Path) -> None:
    inner = zip_with(tmp_path / "inner.zip", {"_chat.txt": CHAT}).read_bytes()
    path = zip_with(tmp_path / "outer.zip", {"inner.zip": inner})
    with pytest.raises(UnknownFormatError, match=r"nested archive 'inner\.zip' was not opened"):
        load_chats(path)
    # A zip hiding behind a .txt name is caught by its magic bytes.
    sneaky = zip_with(tmp_path / "sneaky.zip", {"_chat.txt": CHAT, "notes.txt": inner})
    conv = load_chat(sneaky)
    assert any("nested archive 'notes.txt'" in w for w in conv.warnings)


def test_encrypted_member(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "locked.zip", {"_chat.txt": CHAT})
    set_encrypted_flag(path)
    with pytest.raises(InputError, match="encrypted; export it again without a password"):
        load_chats(path)


def test_damaged_archives(tmp_path: Path) -> None:
    good = zip_with(tmp_path / "good.zip", {"_chat.txt": CHAT}).read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(good[:120])
    with pytest.raises(InputError, match="not a readable zip archive"):
        load_chats(cut)
    stored = tmp_path / "stored.zip"
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("_chat.txt", CHAT)
    data = bytearray(stored.read_bytes())
    at = data.find(b"Michael")
    data[at : at + 7] = b"Mikhail"  # body changed, CRC not
    stored.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"stored.zip!_chat.txt: damaged zip member: Bad CRC-32"):
        load_chats(stored)


def test_stray_files_in_a_multi_file_archive_are_ignored(tmp_path: Path) -> None:
    path = zip_with(
        tmp_path / "export.zip",
        {
            "chat/_chat.txt": CHAT,
            "chat/readme.txt": "Just some notes, not a chat.",
            "chat/data.csv": "a,b\n1,2\n",
        },
    )
    chats = load_chats(path)
    assert [c.source_format for c in chats] == ["whatsapp-zip"]

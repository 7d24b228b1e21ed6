"""Small helpers shared by the importer tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

from scamlens.model import Conversation

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


def senders(conv: Conversation) -> list[str | None]:
    return [m.sender for m in conv.messages]


def kinds(conv: Conversation) -> list[str]:
    return [m.kind.value for m in conv.messages]


def set_encrypted_flag(path: Path) -> None:
    """Mark every member of a zip as encrypted (zipfile cannot write that bit itself)."""
    data = bytearray(path.read_bytes())
    for magic, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := data.find(magic, start)) >= 0:
            data[at + flag_at] |= 0x1
            start = at + 4
    path.write_bytes(bytes(data))


def zip_with(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path

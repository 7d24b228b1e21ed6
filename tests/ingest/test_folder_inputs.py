"""folder_inputs: a folder of exports as `scamlens scan` reads it (an HTML export folder is one
chat), shared with the campaign loader."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from scamlens.errors import InputError
from scamlens.ingest import folder_inputs, load_chats

from .test_telegram_html import scam_chat, write_export

WHATSAPP = (
    "12/31/23, 9:41 PM - Anna: Hello dear, my uncle taught me to trade USDT\n"
    "12/31/23, 9:42 PM - Bob: really?\n"
)


def mixed_folder(root: Path) -> Path:
    """A Telegram HTML export (three parts, css/js/photos) beside a WhatsApp export, with
    stray files, a hidden file and folder, a nested export and a linked folder."""
    root.mkdir()
    write_export(root / "ChatExport_2024-01-07", scam_chat(), per_file=10)
    (root / "WhatsApp Chat with Anna.txt").write_text(WHATSAPP, encoding="utf-8")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    (root / "screenshot.jpg").write_bytes(b"\xff\xd8\xff")
    (root / "style.css").write_text("a {\n  color: red;\n}\n", encoding="utf-8")
    (root / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "chat.txt").write_text(WHATSAPP, encoding="utf-8")
    (root / "b").mkdir()
    (root / "b" / "WhatsApp Chat with Bob.txt").write_text(WHATSAPP, encoding="utf-8")
    (root / "b-c.txt").write_text(WHATSAPP, encoding="utf-8")
    os.symlink(root / "b", root / "linked", target_is_directory=True)
    return root


def test_an_export_folder_is_one_input_and_is_not_entered(tmp_path: Path) -> None:
    root = mixed_folder(tmp_path / "in")
    export = root / "ChatExport_2024-01-07"
    assert (export / "messages3.html").is_file() and (export / "css" / "style.css").is_file()
    assert folder_inputs(root) == [
        export,
        root / "WhatsApp Chat with Anna.txt",
        root / "b" / "WhatsApp Chat with Bob.txt",  # depth first, in sorted order
        root / "b-c.txt",
        root / "notes.pdf",
        root / "screenshot.jpg",
        root / "style.css",
    ]  # no hidden file or folder, the linked folder not followed
    assert folder_inputs(export) == [export]
    assert folder_inputs(str(export)) == [export]
    # The export folder is read whole: its three parts in order, as one chat.
    (conv,) = load_chats(export)
    assert conv.source_format == "telegram-html" and len(conv.messages) == 25


def test_chats_only_leaves_out_media_assets_and_documents(tmp_path: Path) -> None:
    root = mixed_folder(tmp_path / "in")
    names = [p.name for p in folder_inputs(root, chats_only=True)]
    assert names == [
        "ChatExport_2024-01-07",
        "WhatsApp Chat with Anna.txt",
        "WhatsApp Chat with Bob.txt",
        "b-c.txt",
    ]
    (root / "PHOTO.JPEG").write_bytes(b"\xff\xd8\xff")
    assert "PHOTO.JPEG" not in [p.name for p in folder_inputs(root, chats_only=True)]


def test_same_inputs_as_scan_on_a_folder(tmp_path: Path) -> None:
    from scamlens.cli import _iter_inputs

    root = mixed_folder(tmp_path / "in")
    left_out: list[tuple[Path, int]] = []
    got = list(_iter_inputs([str(root)], lambda folder, n: left_out.append((folder, n))))
    # scan leaves media and documents out of a folder walk, and says how many
    assert got == folder_inputs(root, chats_only=True)
    assert left_out == [(root, len(folder_inputs(root)) - len(got))] and left_out[0][1] > 0
    export = root / "ChatExport_2024-01-07"
    assert list(_iter_inputs([str(export)])) == folder_inputs(export)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert list(_iter_inputs([str(empty)])) == folder_inputs(empty) == []


def test_a_deep_tree_does_not_exhaust_the_stack(tmp_path: Path) -> None:
    deep = tmp_path
    for _ in range(60):
        deep = deep / "d"
    deep.mkdir(parents=True)
    (deep / "chat.txt").write_text(WHATSAPP, encoding="utf-8")
    assert folder_inputs(tmp_path) == [deep / "chat.txt"]


def test_an_unreadable_folder_is_an_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = mixed_folder(tmp_path / "in")
    real = Path.iterdir

    def iterdir(self: Path) -> Iterator[Path]:
        if self.name == "b":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    with pytest.raises(InputError, match="cannot read this folder") as info:
        folder_inputs(root)
    assert str(root / "b") in str(info.value)
    with pytest.raises(InputError, match="cannot read this folder"):
        folder_inputs(tmp_path / "missing")

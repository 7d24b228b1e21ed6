"""A folder of chat exports for `scamlens campaigns`: the inputs `scamlens scan` reads (a
Telegram HTML export folder is one chat, its css/js/photos never read), one conversation per
export."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from scamlens.campaigns import find_campaigns, schema
from scamlens.campaigns.records import MessageTable, load_messages
from scamlens.errors import InputError
from scamlens.ingest import folder_inputs, load_chats

from ..ingest.test_telegram_html import scam_chat, write_export

EXPORT = "ChatExport_2024-01-07"
WHATSAPP = "WhatsApp Chat with Anna.txt"
# Anna (WhatsApp) sends the exchange Kevin (Telegram HTML, part 1 of 3) sends: a ring of two.
ANNA = (
    "12/31/23, 9:41 PM - Anna: Hello dear, register on https://okx-pro.vip/invite?c=77 today\n"
    "12/31/23, 9:42 PM - Me: ok\n"
    "12/31/23, 9:43 PM - Anna: Customer service: support@okx-pro.vip, they guide you\n"
)


def _folder(root: Path) -> Path:
    root.mkdir()
    export = write_export(root / EXPORT, scam_chat(), per_file=10)
    assert sorted(p.name for p in export.glob("messages*.html")) == [
        "messages.html", "messages2.html", "messages3.html"
    ]  # fmt: skip
    (export / "images" / "back.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / WHATSAPP).write_text(ANNA, encoding="utf-8")
    (root / "style.css").write_text("a {\n  color: red;\n}\n", encoding="utf-8")
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (root / "contract.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    (root / "README.md").write_text("Exports from the victim's phone.\n", encoding="utf-8")
    return root


def _expected(root: Path) -> MessageTable:
    table = MessageTable()
    for rel in (EXPORT, WHATSAPP):
        (conv,) = load_chats(root / rel)
        table.add_conversation(conv, f"{rel}#0")
    return table


def test_exactly_the_chats_messages_one_conversation_per_export(tmp_path: Path) -> None:
    root = _folder(tmp_path / "exports")
    table = load_messages(root)
    expected = _expected(root)
    assert sorted(zip(table.ids, table.accounts, table.texts, table.links, strict=True)) == sorted(
        zip(expected.ids, expected.accounts, expected.texts, expected.links, strict=True)
    )
    assert set(table.conversations) == {f"{EXPORT}#0", f"{WHATSAPP}#0"}
    assert set(table.accounts) == {"Kevin Zhang", "Anna"}  # the owners (Rachel, Me) left out
    assert "(unknown sender)" not in table.accounts
    # All three parts were read: Kevin's messages from the first and the last file.
    texts = set(table.texts)
    assert "Hi Rachel, it's Kevin from the LinkedIn group" in texts
    assert "Pay 500 USDT here" in texts


def test_campaigns_on_the_folder(tmp_path: Path) -> None:
    root = _folder(tmp_path / "exports")
    doc = find_campaigns(root).to_dict()
    jsonschema.validate(doc, schema())
    assert doc["stats"]["messages"] == len(_expected(root))
    assert doc["campaigns"]  # with two accounts in all, the domain and e-mail ties stay apart
    for camp in doc["campaigns"]:
        assert camp["accounts"] == ["Anna", "Kevin Zhang"]
        assert camp["conversations"] == [f"{EXPORT}#0", f"{WHATSAPP}#0"]
    ties = {(t["type"], t["key"]) for c in doc["campaigns"] for t in c["ties"]}
    assert ("domain", "okx-pro.vip") in ties


def test_an_export_folder_alone(tmp_path: Path) -> None:
    root = _folder(tmp_path / "exports")
    table = load_messages(root / EXPORT)
    assert set(table.conversations) == {f"{EXPORT}#0"}
    assert set(table.accounts) == {"Kevin Zhang"}


def test_same_inputs_as_scan(tmp_path: Path) -> None:
    from scamlens.cli import main

    root = _folder(tmp_path / "exports")
    out = tmp_path / "scan.json"
    main(["scan", str(root), "--no-intel", "--format", "json", "-o", str(out)])
    doc = json.loads(out.read_text(encoding="utf-8"))
    scanned = {r["path"] for r in doc["results"]} | {e["path"] for e in doc["errors"]}
    # scan leaves media, page assets and documents out of a folder walk, as campaigns do
    assert scanned == {str(p) for p in folder_inputs(root, chats_only=True)}
    counts = {r["path"]: r["message_count"] for r in doc["results"]}
    assert counts[str(root / EXPORT)] == 25  # one chat, its three parts
    # Campaigns read the same inputs, less media, page assets, documents and nameless text.
    table = load_messages(root)
    convs = {c.rsplit("#", 1)[0] for c in table.conversations if c}
    assert convs == {EXPORT, WHATSAPP}
    assert {str(root / c) for c in convs} <= scanned


def test_unreadable_exports_stop_the_run_naming_the_file(tmp_path: Path) -> None:
    root = _folder(tmp_path / "exports")
    cut = root / "result.json"
    cut.write_text('{"name": "Kevin", "type": "personal_chat", "messages": [{"id": 1', "utf-8")
    with pytest.raises(InputError, match="looks truncated") as info:
        load_messages(root)
    assert str(cut) in str(info.value)
    cut.unlink()
    (root / "empty.txt").touch()
    with pytest.raises(InputError, match="the file is empty"):
        load_messages(root)


def test_a_folder_without_chats(tmp_path: Path) -> None:
    (tmp_path / "style.css").write_text("a {\n  color: red;\n}\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("just some notes\nno names here\n", encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    with pytest.raises(InputError, match="found no chat messages"):
        load_messages(tmp_path)

"""The `scamlens indicators` command, driven through its register() function."""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from scamlens.indicators import cli
from scamlens.model import Indicator, IntelHit

WHATSAPP = (
    "12/31/23, 9:41 PM - Anna: hi dear\n"
    "12/31/23, 9:42 PM - Anna: send 5000U to TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t\n"
    "12/31/23, 9:43 PM - Bob: ok, site binance-vip[.]com?\n"
)
PLAIN = "Notes\nwallet TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t\ncall (415) 555-2671\n"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="scamlens")
    sub = p.add_subparsers(dest="command")
    cli.register(sub)
    return p


def test_register_adds_the_command() -> None:
    args = parser().parse_args(["indicators", "x.txt", "--format", "json", "--region", "US"])
    assert args.func is cli.handler
    assert (args.path, args.format, args.region) == ("x.txt", "json", "US")


def test_json_on_a_chat_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "chat.txt"
    path.write_text(WHATSAPP, encoding="utf-8")
    args = parser().parse_args(["indicators", str(path), "--format", "json"])
    assert args.func(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["format"] == "whatsapp-android"
    got = {(i["type"], i["value"], i["message_index"]) for i in doc["indicators"]}
    assert ("wallet", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", 1) in got
    assert ("amount", "5000 USDT", 1) in got
    assert ("domain", "binance-vip.com", 2) in got
    wallet = next(i for i in doc["indicators"] if i["type"] == "wallet")
    assert wallet["start"] == len("send 5000U to ")


def test_plain_text_with_region(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(PLAIN, encoding="utf-8")
    out = io.StringIO()
    assert cli.run(str(path), output="json", region="US", out=out) == 0
    doc = json.loads(out.getvalue())
    assert doc["format"] == "plain"
    by_type = {i["type"]: i for i in doc["indicators"]}
    assert by_type["phone"]["value"] == "+14155552671"
    start = by_type["wallet"]["start"]
    assert PLAIN[start : by_type["wallet"]["end"]] == "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
    assert by_type["wallet"]["message_index"] is None


def test_table_from_stdin() -> None:
    out = io.StringIO()
    stdin = io.StringIO("pay 1.2 BTC to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq [red]x[/red]")
    assert cli.run("-", output="table", out=out, stdin=stdin) == 0
    text = out.getvalue()
    assert "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq" in text
    assert "1.2 BTC" in text


def test_table_marks_invalid_checksums(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("to 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", encoding="utf-8")
    out = io.StringIO()
    cli.run(str(path), out=out)
    assert "INVALID" in out.getvalue()


def test_checker_hook_adds_intel(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("to TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", encoding="utf-8")
    seen: list[Indicator] = []

    def checker(indicators: Sequence[Indicator]) -> list[IntelHit]:
        seen.extend(indicators)
        return [
            IntelHit(type=i.type, value=i.value, source="test-feed", reason="listed by test-feed")
            for i in indicators
            if i.type == "wallet"
        ]

    out = io.StringIO()
    cli.run(str(path), output="json", checker=checker, out=out)
    doc = json.loads(out.getvalue())
    assert doc["indicators"][0]["intel"][0]["source"] == "test-feed"
    assert len(seen) == 1
    table = io.StringIO()
    cli.run(str(path), output="table", checker=checker, out=table)
    assert "listed by test-feed" in table.getvalue()


def test_missing_file_is_a_clean_error(capsys: pytest.CaptureFixture[str]) -> None:
    args = parser().parse_args(["indicators", "/no/such/file.txt"])
    assert args.func(args) == 2
    err = capsys.readouterr().err
    assert "/no/such/file.txt" in err and "Traceback" not in err


def test_non_utf8_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(
        "请转账到 TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t 谢谢你的帮助，我们明天见".encode("gb18030")
    )
    out = io.StringIO()
    cli.run(str(path), output="json", out=out)
    doc = json.loads(out.getvalue())
    assert any(i["type"] == "wallet" for i in doc["indicators"])

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from scamlens.ingest.cli import register

from .helpers import EXPORTS


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="scamlens")
    sub = parser.add_subparsers()
    register(sub)
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def test_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["ingest", str(EXPORTS / "whatsapp" / "WhatsApp Chat with Jason Lee.txt")]) == 0
    out = capsys.readouterr().out
    assert (
        "Jason Lee [whatsapp-android]: 11 messages, 2 participants, 2023-12-28 to 2023-12-31" in out
    )
    assert "you: Emily Carter (heuristic:whatsapp-you-deleted)" in out


def test_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["ingest", str(EXPORTS / "sms" / "sms-20240131201533.xml"), "--json"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(rows) == 2 and rows[0]["messages"][1]["is_user"] is True
    assert rows[0]["messages"][0]["timestamp"] == "2024-01-26T12:13:20-08:00"


def test_formats_and_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert _run(["ingest", "--formats"]) == 0
    assert "whatsapp-android" in capsys.readouterr().out
    assert _run(["ingest", str(tmp_path / "missing.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert _run(["ingest"]) == 2
    path = EXPORTS / "whatsapp" / "ambiguous.txt"
    assert _run(["ingest", str(path), "--date-order", "dmy", "--timezone", "UTC"]) == 0
    assert "2024-02-01 to 2024-04-03" in capsys.readouterr().out

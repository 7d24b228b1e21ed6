"""The CLI end to end on bundled examples: formats, schema, error paths, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from scamlens.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads(
    (ROOT / "src/scamlens/resources/schema/scan.schema.json").read_text(encoding="utf-8")
)
SCAM = ROOT / "examples/scam/06-shazhupan-whatsapp-android-zh.txt"
BENIGN = ROOT / "examples/benign/10-long-distance-couple-whatsapp-ios.txt"


def test_scan_json_validates_against_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.json"
    assert main(["scan", str(SCAM), str(BENIGN), "--format", "json", "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA)
    scam, benign = doc["results"]
    assert scam["verdict"]["label"] == "scam"
    assert scam["message_count"] == len(scam["messages"]) > 0
    assert benign["verdict"]["label"] == "benign"
    for t in scam["verdict"]["tactics"]:
        for ev in t["evidence"]:
            msg = scam["messages"][ev["message_index"]]["text"]
            assert msg[ev["start"] : ev["end"]] == ev["quote"]


def test_scan_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(SCAM), "--no-intel"]) == 0
    out = capsys.readouterr().out
    assert "SCAM" in out and "What to do" in out and "96110" in out


def test_scan_html_is_standalone(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert main(["scan", str(SCAM), "--format", "html", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert "<mark>" in html and "http://" not in html.replace("http-equiv", "")
    assert "<script" not in html


def test_scan_folder_and_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.json").write_text('{"messages": [', encoding="utf-8")
    (tmp_path / "chat.txt").write_text(BENIGN.read_text(encoding="utf-8"), encoding="utf-8")
    code = main(["scan", str(tmp_path), "--format", "json", "--no-intel"])
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert code == 1  # one input failed, the other was scanned
    assert len(doc["results"]) == 1
    assert doc["errors"][0]["path"].endswith("bad.json")
    assert "Traceback" not in captured.err


def test_scan_folder_with_a_telegram_html_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An export folder (messages.html, messages2.html, css/, js/) is one chat, not one per file."""
    import shutil

    export = tmp_path / "exports" / "ChatExport_2024-01-05"
    shutil.copytree(ROOT / "tests/ingest/fixtures/telegram_html/ChatExport_2024-01-05", export)
    (export / "css").mkdir()
    (export / "css" / "style.css").write_text("body { margin: 0 }", encoding="utf-8")
    (export / "js").mkdir()
    (export / "js" / "script.js").write_text("function f() {}", encoding="utf-8")
    (tmp_path / "exports" / "chat.txt").write_text(
        BENIGN.read_text(encoding="utf-8"), encoding="utf-8"
    )
    code = main(["scan", str(tmp_path / "exports"), "--format", "json", "--no-intel"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["errors"] == []
    paths = [r["path"] for r in doc["results"]]
    assert len(paths) == 2
    assert paths[0].endswith("ChatExport_2024-01-05")
    assert paths[1].endswith("chat.txt")
    assert doc["results"][0]["format"] == "telegram-html"


def test_scan_an_unzipped_whatsapp_export_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The chat beside its photos and voice notes: one result, no error per media file, a
    note saying how many files were left out. A media file named on its own is still tried."""
    folder = tmp_path / "WhatsApp Chat with Anna"
    folder.mkdir()
    (folder / "WhatsApp Chat with Anna.txt").write_text(
        BENIGN.read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "IMG-20240101-WA0001.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a chat")
    (folder / "PTT-20240101-WA0002.opus").write_bytes(b"OggS voice")
    (folder / "receipt.pdf").write_bytes(b"%PDF-1.4 receipt")
    code = main(["scan", str(folder), "--format", "json", "--no-intel"])
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert code == 0 and doc["errors"] == [] and len(doc["results"]) == 1
    assert "3 media or document files left out" in captured.err
    code = main(["scan", str(folder / "receipt.pdf"), "--format", "json", "--no-intel"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 2 and doc["errors"][0]["path"].endswith("receipt.pdf")


def test_scan_missing_file_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "/nonexistent/chat.txt"]) == 2
    err = capsys.readouterr().err
    assert "/nonexistent/chat.txt" in err and "Traceback" not in err


def test_scan_stdin_pasted_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    text = "Kevin: you must pay 20% tax before you can withdraw\nMe: why?\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["scan", "-", "--format", "json", "--no-intel"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["results"][0]["verdict"]["stage"] == "withdrawal_block"


def test_score_jsonl(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps({"id": "x", "text": "提现前需要先缴纳20%的个人所得税"}, ensure_ascii=False)
        + "\nnot json\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert main(["score", "-q", "-i", str(src), "-o", str(out)]) == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["id"] == "x" and lines[0]["language"] == "zh"
    assert lines[0]["tactics"] and lines[0]["label"] != "benign"
    assert lines[1]["line"] == 2 and "error" in lines[1]


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for cmd in ("scan", "score", "indicators", "intel", "campaigns", "train", "evaluate"):
        assert cmd in out


def test_scan_job_ad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ads = tmp_path / "ads.jsonl"
    ads.write_text(
        json.dumps(
            {
                "id": "j1",
                "title": "Customer service, Sihanoukville",
                "description": "Typing job, 2000 USD/month, flights and visa paid, "
                "no experience, contact Telegram @hr_asia",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    assert main(["scan", str(ads), "--kind", "job_ad", "--format", "json", "--no-intel"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rec = doc["results"][0]
    assert rec["kind"] == "job_ad" and rec["label"] != "benign"
    assert {s["id"] for s in rec["signals"]} >= {"compound_hotspot", "messenger_only"}

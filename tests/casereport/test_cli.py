"""`scamlens report` through the register() function."""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from scamlens.casereport.builder import CaseReportError
from scamlens.casereport.cli import register
from tests.casereport.conftest import EXAMPLES, analysed


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="scamlens")
    register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return int(args.func(args))


EN = str(EXAMPLES / "scam/05a-withdrawal-blocked-telegram/result.json")


def test_json_and_html_files(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    argv = ["report", EN, "--format", "json", "--out", str(out), "--me", "Karen Mitchell"]
    assert _run([*argv, "--no-intel"]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["summary"]["label"] == "scam" and doc["wallets"]
    html = tmp_path / "r.html"
    argv = ["report", EN, "--format", "html", "-o", str(html), "--redact", "--lang", "zh"]
    assert _run([*argv, "--me", "Karen Mitchell", "--no-intel"]) == 0
    text = html.read_text(encoding="utf-8")
    assert "诈骗案件报告" in text and "Karen" not in text


def test_pdf_needs_out_and_refuses_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(CaseReportError, match="--out"):
        _run(["report", EN, "--format", "pdf"])
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    with pytest.raises(CaseReportError, match="terminal"):
        _run(["report", EN, "--format", "pdf", "--out", "-"])


def test_pdf_to_stdout_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    buf = io.BytesIO()

    class Out:
        buffer = buf

        def isatty(self) -> bool:
            return False

        def flush(self) -> None:
            pass

    monkeypatch.setattr(sys, "stdout", Out())
    assert _run(["report", EN, "--format", "pdf", "--out", "-", "--no-intel"]) == 0
    assert buf.getvalue().startswith(b"%PDF-")


def test_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CaseReportError, match="no such file"):
        _run(["report", str(tmp_path / "nope.txt"), "--format", "json"])


@pytest.mark.skipif(
    importlib.util.find_spec("scamlens.cases") is None, reason="scamlens.cases is not built yet"
)
def test_case_id_from_the_store(tmp_path: Path, capsysbinary: Any) -> None:
    from scamlens.cases.store import open_store

    conv, verdict = analysed("scam/06-shazhupan-whatsapp-android-zh.txt", "晓雯")
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    store = open_store(url)
    try:
        rec = store.create_case(
            conv, verdict, title="zh case", source_name="x.txt", platform=None, actor="test"
        )
    finally:
        store.close()
    assert _run(["report", rec.id, "--format", "json", "--db", url, "--redact"]) == 0
    doc = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    assert doc["case"]["case_id"] == rec.id and doc["lang"] == "zh"
    assert "晓雯" not in json.dumps(doc, ensure_ascii=False)
    with pytest.raises(CaseReportError, match="no such file or case"):
        _run(["report", "no-such-case", "--format", "json", "--db", url])


ZH = str(EXAMPLES / "scam/06-shazhupan-whatsapp-android-zh.txt")


def test_money_directions_reasons_and_sent_total_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    argv = ["report", ZH, "--format", "json", "--out", str(out), "--me", "晓雯", "--no-intel"]
    assert _run(argv) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    rows = {(r["message_index"], r["raw"]): r for r in doc["money"]}
    assert rows[(55, "5000U")]["direction"] == "asked"  # 你先充5000U试试水
    assert rows[(58, "5000U")]["direction"] == "sent"  # 币安买好了，5000U
    assert rows[(83, "45000U")]["direction"] == "sent"  # 充了45000U进去
    paid = rows[(100, "19752U")]  # 个税交了，19752U
    assert (paid["direction"], paid["rule"]) == ("sent", "paid_fee")
    assert rows[(87, "98760U")]["direction"] == "claimed_profit"  # 账户显示98760U
    assert rows[(103, "三万U")]["direction"] == "fee_or_tax"  # 要交30%保证金才能解冻
    assert all(r["rule"] and isinstance(r["cue"], str) for r in doc["money"])
    # Only the three "sent" rows are added; the fake 98,760 balance is not.
    assert doc["money_sent_totals"] == [{"currency": "USDT", "amount": "69752", "rows": 3}]
    html = tmp_path / "r.html"
    assert (
        _run(["report", ZH, "--format", "html", "-o", str(html), "--me", "晓雯", "--no-intel"]) == 0
    )
    text = html.read_text(encoding="utf-8")
    assert "69,752 USDT" in text and "说已交的费用" in text and "这不是账目" in text

import argparse
import json
from pathlib import Path

import pytest

from scamlens.evaluation import register
from scamlens.evaluation.data import BENIGN, SCAM, Item
from scamlens.evaluation.report import Section, write_report
from scamlens.evaluation.scorers import Scored
from scamlens.model import Stage

PNG = b"\x89PNG\r\n\x1a\n"


def _section() -> Section:
    items, a, b = [], [], []
    for i in range(40):
        label = SCAM if i % 2 else BENIGN
        items.append(
            Item(
                f"i{i}",
                label,
                "en" if i < 20 else "zh",
                f"g{i}",
                "t",
                text=f"<b>text {i}</b>",
                stage=Stage.FATTENING if i % 2 else None,
            )
        )
        a.append(
            Scored(
                0.9 if i % 2 else 0.1 + i / 100,
                "scam" if i % 2 else "benign",
                Stage.ONBOARDING if i % 2 else None,
            )
        )
        b.append(Scored(i / 40, "suspicious" if i > 30 else "benign", None))
    return Section("tiny", "tiny <set>", "a note & more", items, {"x": a, "y": b})


def test_report_files_and_escaping(tmp_path: Path) -> None:
    out = write_report([_section()], tmp_path, title="t <1>")
    assert (tmp_path / "tiny.png").read_bytes().startswith(PNG)
    md = out["md"].read_text("utf-8")
    assert "| all | x | 40 | 20 | 20 |" in md
    assert "| fattening | 20 |" in md  # stage confusion
    page = out["html"].read_text("utf-8")
    assert "<set>" not in page and "tiny &lt;set&gt;" in page
    assert "data:image/png;base64," in page
    doc = json.loads(out["json"].read_text("utf-8"))
    assert doc["tiny"]["figures"]["all/x"]["recall_flag"] == 1.0
    # deterministic plots
    first = (tmp_path / "tiny.png").read_bytes()
    write_report([_section()], tmp_path, title="t <1>")
    assert (tmp_path / "tiny.png").read_bytes() == first


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser()
    register(p.add_subparsers())
    return p


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_cli_data_report(tmp_path: Path, fmt: str) -> None:
    rows = [
        ("Please deposit USDT to unlock your withdrawal, pay the tax first", "scam"),
        ("See you at dinner tonight, love", "benign"),
    ] * 6
    if fmt == "jsonl":
        data = tmp_path / "d.jsonl"
        data.write_text("".join(json.dumps({"text": t, "label": lab}) + "\n" for t, lab in rows))
    else:
        data = tmp_path / "d.csv"
        data.write_text("text,label\n" + "".join(f'"{t}",{lab}\n' for t, lab in rows))
    args = _parser().parse_args(
        [
            "evaluate",
            "--data",
            str(data),
            "--scorers",
            "rules,tfidf",
            "--out",
            str(tmp_path / "r"),
            "--train-messages",
            "300",
            "--train-conversations",
            "30",
        ]
    )
    # rules only: thresholds come from the (synthetic) training samples
    assert args.func(args) == 0
    assert (tmp_path / "r" / "data.png").read_bytes().startswith(PNG)
    assert (tmp_path / "r" / "report.html").is_file()


def test_cli_protocol_parses() -> None:
    args = _parser().parse_args(["evaluate", "protocol", "--shared", "x", "--folds", "3"])
    assert args.protocol_shared == "x" and args.folds == 3
    args = _parser().parse_args(["evaluate", "--shared", "s", "--written", "w"])
    assert args.shared == "s" and args.written == "w"

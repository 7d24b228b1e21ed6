from __future__ import annotations

import argparse
import json
from pathlib import Path

import jsonschema
import pytest

from scamlens.campaigns import schema
from scamlens.campaigns.cli import register


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scamlens")
    register(parser.add_subparsers(dest="command", required=True))
    return parser


def _run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    code: int = args.func(args)
    return code


def test_campaigns_json_and_html(corpus_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "c.json"
    assert (
        _run(["campaigns", str(corpus_path), "--output", str(out), "--indicators", "builtin"]) == 0
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema())
    assert doc["campaigns"]
    page = tmp_path / "c.html"
    assert _run(["campaigns", str(corpus_path), "--format", "html", "-o", str(page)]) == 0
    assert page.read_text(encoding="utf-8").startswith("<!doctype html>")
    strict = tmp_path / "strict.json"
    assert _run(["campaigns", str(corpus_path), "--threshold", "0.9", "-o", str(strict)]) == 0
    assert json.loads(strict.read_text())["parameters"]["threshold"] == 0.9


def test_field_mapping(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "m.csv"
    text = "Your account has been frozen by the risk control department, pay the margin now."
    src.write_text("mid,user,body\n" + "".join(f'{i},u{i % 2},"{text}"\n' for i in range(4)))
    argv = ["campaigns", str(src), "--field-id", "mid", "--field-account", "user"]
    assert _run([*argv, "--field-text", "body"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["campaigns"][0]["message_ids"] == ["0", "1", "2", "3"]


def test_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["campaigns", str(tmp_path / "missing.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert _run(["campaigns", str(tmp_path), "--threshold", "1.5"]) == 2


def test_similar_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "scripts.txt"
    corpus.write_text(
        "Your account has been frozen by the risk control department because of abnormal "
        "trading activity. To unfreeze it, you need to deposit a security margin.\n\n"
        "My uncle is a senior analyst at a big investment bank and he has inside information.\n",
        encoding="utf-8",
    )
    query = (
        "Your wallet has been locked by the risk control division because of unusual trading "
        "behaviour. To unlock it, you have to deposit a safety bond."
    )
    assert _run(["similar", query, "--against", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("scripts.txt:1") and "source:" in out
    qfile = tmp_path / "q.txt"
    qfile.write_text(query, encoding="utf-8")
    assert _run(["similar", str(qfile), "--against", str(corpus), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc[0]["id"] == "scripts.txt:1" and doc[0]["passages"]
    assert _run(["similar", "hello", "--against", str(tmp_path / "none.txt")]) == 2

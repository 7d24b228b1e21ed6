"""A chat in a language scamlens does not read: language "other", with the caveat in every
output (JSON, terminal, HTML), and the rules still run on it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from scamlens.api import analyze, load_chat, score_text
from scamlens.cli import main
from scamlens.report.html import render_html
from scamlens.report.jsonout import verdict_dict
from scamlens.text.language import OTHER_LANGUAGE_NOTE

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads(
    (ROOT / "src/scamlens/resources/schema/scan.schema.json").read_text(encoding="utf-8")
)
FOREIGN = sorted((ROOT / "tests/text/fixtures/other_languages").glob("*.txt"))
ENGLISH = ROOT / "examples/scam/02-hinge-romance-whatsapp-ios.txt"
CHINESE = ROOT / "examples/scam/06-shazhupan-whatsapp-android-zh.txt"


@pytest.mark.parametrize("path", FOREIGN, ids=lambda p: p.name)
def test_scan_json_says_other_with_the_note(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.json"
    assert main(["scan", str(path), "--no-intel", "--format", "json", "-o", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA)
    verdict = doc["results"][0]["verdict"]
    assert verdict["language"] == "other"
    assert verdict["language_note"] == OTHER_LANGUAGE_NOTE


@pytest.mark.parametrize("path", FOREIGN, ids=lambda p: p.name)
def test_scan_terminal_report_shows_the_note(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", str(path), "--no-intel"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # the panel may wrap the sentence
    assert "Language other" in out
    assert "scamlens reads English and Chinese" in out
    assert "can be missed" in out


def test_english_and_chinese_have_no_note(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    args = ["scan", str(ENGLISH), str(CHINESE), "--no-intel", "--format", "json", "-o", str(out)]
    assert main(args) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA)
    langs = [(r["verdict"]["language"], r["verdict"]["language_note"]) for r in doc["results"]]
    assert langs == [("en", None), ("zh", None)]


def _fixture(name: str) -> Path:
    return next(p for p in FOREIGN if p.name == name)


def test_rules_still_run_on_an_other_language_chat() -> None:
    """ "other" only reports: what the English and Chinese rules can read, they still read."""
    text = _fixture("fr-wrong-number-scam.txt").read_text(encoding="utf-8")
    text += "18/03/24, 19:05 - Sophie: Support says: to withdraw you must pay the 20% tax first\n"
    v = score_text(text)
    assert v.language == "other"
    assert "withdrawal_tax" in {t.id for t in v.tactics}
    ja = analyze(load_chat(_fixture("ja-romance-scam.txt")))  # kanji read by Chinese rules
    assert ja.language == "other"
    assert "withdrawal_tax" in {t.id for t in ja.tactics}
    assert ja.advice is not None and ja.advice.summary.isascii()  # English advice, not Chinese


def test_forced_language_is_kept() -> None:
    conv = load_chat(FOREIGN[0])
    assert analyze(conv, lang="en").language == "en"
    assert analyze(conv, lang="zh").language == "zh"


def test_html_report_shows_the_note() -> None:
    conv = load_chat(FOREIGN[0])
    v = analyze(conv)
    html = render_html([("chat.txt", conv, v)])
    assert "language other" in html
    assert OTHER_LANGUAGE_NOTE in html
    en = load_chat(ENGLISH)
    assert OTHER_LANGUAGE_NOTE not in render_html([("en.txt", en, analyze(en))])


def test_pasted_text_is_judged_as_a_whole() -> None:
    text = (FOREIGN[0]).read_text(encoding="utf-8")
    v = score_text(text)
    assert v.language == "other"
    assert verdict_dict(v)["language_note"] == OTHER_LANGUAGE_NOTE
    assert score_text("Bonjour").language == "en"  # a few words: as before

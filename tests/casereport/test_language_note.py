"""A chat in a language scamlens does not read: the case report says so, in every format."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from scamlens.casereport import build_report, to_html, to_json, to_pdf
from scamlens.casereport.jsonout import schema
from scamlens.casereport.labels import label
from scamlens.model import Conversation
from tests.casereport.conftest import FIXED_TIME, cjk_extractable, pdf_text

REPO = Path(__file__).resolve().parents[2]
FOREIGN = REPO / "tests/text/fixtures/other_languages"


def _analysed(name: str) -> tuple[Conversation, dict[str, Any]]:
    from scamlens.api import analyze_with_intel, load_chat
    from scamlens.report.jsonout import verdict_dict

    conv = load_chat(FOREIGN / name)
    return conv, verdict_dict(analyze_with_intel(conv, use_intel=False))


@pytest.mark.parametrize("name", ["es-romance-investment.txt", "th-investment-scam.txt"])
def test_report_carries_the_note(name: str, tmp_path: Path) -> None:
    conv, verdict = _analysed(name)
    assert verdict["language"] == "other"
    report = build_report(conv, verdict, generated_at=FIXED_TIME)
    note = label("en", "language_other")
    assert report.lang == "en" and report.summary.language_note == note
    doc = to_json(report)
    jsonschema.validate(doc, schema())
    assert doc["summary"]["language"] == "other"
    assert doc["summary"]["language_note"] == note
    assert note in to_html(report)
    pdf = to_pdf(report)
    assert pdf.startswith(b"%PDF-")
    if shutil.which("pdftotext"):  # poppler-utils, where installed
        text = " ".join(pdf_text(pdf, tmp_path).split())
        assert "scamlens reads English and Chinese" in text


def test_chinese_report_of_an_other_language_chat(tmp_path: Path) -> None:
    conv, verdict = _analysed("vi-crypto-romance.txt")
    report = build_report(conv, verdict, lang="zh", generated_at=FIXED_TIME)
    assert report.summary.language_note == label("zh", "language_other")
    jsonschema.validate(to_json(report), schema())
    assert label("zh", "language_other") in to_html(report)
    pdf = to_pdf(report)
    assert pdf.startswith(b"%PDF-")
    if shutil.which("pdftotext") and cjk_extractable():
        assert "只读英文和中文" in pdf_text(pdf, tmp_path).replace("\n", "")


def test_english_and_chinese_reports_have_no_note(
    en_scam: tuple[Conversation, dict[str, Any]], zh_scam: tuple[Conversation, dict[str, Any]]
) -> None:
    for conv, verdict in (en_scam, zh_scam):
        report = build_report(conv, verdict, generated_at=FIXED_TIME)
        assert report.summary.language_note is None
        assert to_json(report)["summary"]["language_note"] is None
        assert label(report.lang, "language_other") not in to_html(report)


def test_old_verdicts_without_language_still_build() -> None:
    conv, _ = _analysed("de-investment-mentor.txt")
    report = build_report(conv, {"risk": 0.2, "label": "benign"}, generated_at=FIXED_TIME)
    assert report.summary.language == "unknown" and report.summary.language_note is None

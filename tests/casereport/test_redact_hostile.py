"""Redaction of the victim's data, hostile message text, and long chats."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest

from scamlens.casereport import build_report, to_html, to_json, to_pdf
from scamlens.casereport.builder import MAX_TIMELINE
from scamlens.model import Conversation
from tests.casereport.conftest import chat, pdf_text

WALLET = "TPEz5xeh4ar361DZhoNyjrRcuYzFfXW9pK"
VICTIM_STRINGS = (
    "Karen",
    "Mitchell",
    "KAREN",
    "+1 415 555 0132",
    "+14155550132",
    "karen.m@example.com",
    "12 Oak Street",
    "110101199003077777",
)


def _victim_chat() -> Conversation:
    return chat(
        [
            ("Lena", "Hi Karen! Send 5,000 USDT to " + WALLET),
            ("Karen Mitchell", "My number is +1 415 555 0132, email karen.m@example.com"),
            ("Karen Mitchell", "I sent 5,000 USDT. I live at 12 Oak Street if you post the card"),
            ("Lena", "Notice: account holder KAREN MITCHELL must pay 20% tax of 1,000 USDT"),
            ("Karen Mitchell", "My ID is 110101199003077777, and I paid the 300 USDT fee"),
            ("Lena", "Call me on +44 7700 900123 or Telegram @lena_trader_vip, bank@nexora-gx.com"),
        ]
    )


def _all_outputs(report: Any, tmp_path: Path) -> dict[str, str]:
    out = {
        "json": json.dumps(to_json(report), ensure_ascii=False),
        "html": to_html(report),
    }
    # Without pdftotext the JSON and HTML checks still run.
    with contextlib.suppress(pytest.skip.Exception):
        out["pdf"] = pdf_text(to_pdf(report), tmp_path)
    return out


def test_redaction_removes_victim_data_everywhere(tmp_path: Path) -> None:
    conv = _victim_chat()
    verdict = {"risk": 0.95, "label": "scam", "stage": "withdrawal_block", "language": "en"}
    report = build_report(conv, verdict, redact=True, case=None)
    outputs = _all_outputs(report, tmp_path)
    for fmt, text in outputs.items():
        flat = text.replace("\n", " ")
        for s in VICTIM_STRINGS:
            assert s not in flat, f"{s!r} survived in {fmt}"
        # the scammer's indicators stay: police need them
        assert WALLET in flat.replace(" ", ""), fmt
        assert "lena_trader_vip" in flat and "nexora-gx.com" in flat, fmt
        assert "[VICTIM]" in flat and "[PHONE-1]" in flat, fmt
    assert "[ADDRESS-1]" in outputs["json"] and "[ID-1]" in outputs["json"]
    assert "[EMAIL-1]" in outputs["json"]
    assert report.redaction.enabled and report.redaction.rules and report.redaction.count >= 6
    assert all(c.owner == "other_party" for c in report.contacts)
    assert {c.value for c in report.contacts} >= {"+447700900123"}
    # money rows keep their amounts
    assert {m.amount for m in report.money} >= {"5000", "1000"}


def test_unredacted_report_lists_the_victim_contact_as_theirs() -> None:
    report = build_report(_victim_chat(), {"risk": 0.9, "label": "scam", "language": "en"})
    mine = [c for c in report.contacts if c.owner == "victim"]
    assert {c.value for c in mine} >= {"+14155550132"}
    assert not report.redaction.enabled
    assert "Karen Mitchell" in report.summary.parties


def test_redacts_example_chat(en_scam: tuple[Conversation, dict[str, Any]], tmp_path: Path) -> None:
    report = build_report(*en_scam, redact=True)
    for fmt, text in _all_outputs(report, tmp_path).items():
        for s in ("Karen", "KAREN", "Mitchell", "MITCHELL"):
            assert s not in text, f"{s!r} survived in {fmt}"
        assert "TPEz5xeh4ar361DZhoNyjrRcuYzFfXW9pK" in text.replace("\n", "").replace(" ", "")


HOSTILE = (
    "<script>alert('x')</script><img src=x onerror=alert(1)> "
    'send 500 USDT to T\u200bPEz5 \u202egnp.exe\u202c \u2066rtl\u2069 & "quotes" \u200d'
)


def test_hostile_text_is_escaped_and_neutralised(tmp_path: Path) -> None:
    conv = chat(
        [
            ("<b>Lena</b>\u202e", HOSTILE + " " + WALLET),
            ("Karen Mitchell", "ok </td></tr></table><script>x()</script>"),
        ]
    )
    verdict = {"risk": 0.8, "label": "scam", "stage": "onboarding", "language": "en"}
    report = build_report(conv, verdict)
    html = to_html(report)
    assert "<script" not in html and "<img" not in html and "<b>Lena" not in html
    assert "&lt;script&gt;" in html
    for ch in ("\u202e", "\u202c", "\u2066", "\u2069", "\u200b", "\u200d"):
        assert ch not in html
        assert ch not in json.dumps(to_json(report), ensure_ascii=False)
    text = pdf_text(to_pdf(report), tmp_path)
    assert "<script>" in text  # shown literally, not interpreted


def test_long_chat_keeps_every_amount_but_bounds_the_timeline() -> None:
    lines: list[tuple[str, str]] = []
    for i in range(5000):
        if i % 10 == 0:
            lines.append(("Lena", f"Deposit {1000 + i} USDT today to " + WALLET))
        elif i % 10 == 5:
            lines.append(("Karen Mitchell", f"I sent {2000 + i} USDT"))
        else:
            lines.append(("Lena" if i % 2 else "Karen Mitchell", "good morning dear, how are you"))
    verdict = {"risk": 0.99, "label": "scam", "stage": "escalation", "language": "en"}
    report = build_report(chat(lines), verdict)
    assert len(report.money) == 1000
    assert len(report.timeline) == MAX_TIMELINE
    assert report.timeline_omitted == 1000 - MAX_TIMELINE
    assert report.wallets[0].message_indices[:2] == (0, 10)
    assert [e.index for e in report.timeline] == sorted(e.index for e in report.timeline)
    sent = [m for m in report.money if m.direction == "sent"]
    assert len(sent) == 500

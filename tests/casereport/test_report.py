"""End-to-end: example chats -> CaseReport -> JSON / HTML / PDF."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from scamlens.casereport import (
    CaseInfo,
    CaseReportError,
    build_report,
    render,
    to_html,
    to_json,
    to_pdf,
)
from scamlens.casereport.jsonout import schema
from scamlens.model import Conversation
from tests.casereport.conftest import FIXED_TIME, chat, cjk_extractable, pdf_text

Analysed = tuple[Conversation, dict[str, Any]]


def _money(report: Any) -> set[tuple[str, str, Decimal, str]]:
    return {
        (m.time.date().isoformat() if m.time else "", m.direction, Decimal(m.amount), m.currency)
        for m in report.money
    }


def test_english_money_table_has_dates_directions_and_amounts(en_scam: Analysed) -> None:
    report = build_report(*en_scam, generated_at=FIXED_TIME)
    rows = _money(report)
    # "Bought 5,000 USDT on Coinbase and sent it" (Karen, 8 March)
    assert ("2024-03-08", "sent", Decimal("5000"), "USDT") in rows
    # the platform's 20 % "tax" notice she pasted: 19,242.80 USDT on 6 April
    assert ("2024-04-06", "fee_or_tax", Decimal("19242.8"), "USDT") in rows
    # the fake SEC "compliance bond" of USD 28,864.20 on 11 April
    assert ("2024-04-11", "fee_or_tax", Decimal("28864.2"), "USD") in rows
    # the balance she tried to withdraw, 96,214 USDT on 5 April
    assert ("2024-04-05", "claimed_profit", Decimal("96214"), "USDT") in rows
    # "With 30k you can get VIP" is the boyfriend asking
    assert ("2024-03-15", "asked", Decimal("30000"), "") in rows
    # "401k" is a retirement plan, not 401,000 of anything
    assert all(m.amount != "401000" for m in report.money)
    assert [m.message_index for m in report.money] == sorted(
        m.message_index or 0 for m in report.money
    )


def test_chinese_money_table(zh_scam: Analysed) -> None:
    report = build_report(*zh_scam, generated_at=FIXED_TIME)
    assert report.lang == "zh"
    rows = _money(report)
    assert ("2024-03-16", "asked", Decimal("5000"), "USDT") in rows  # 你先充5000U试试水
    assert ("2024-03-30", "sent", Decimal("45000"), "USDT") in rows  # 充了45000U进去
    assert ("2024-04-02", "claimed_profit", Decimal("98760"), "USDT") in rows  # 账户显示98760U
    # 个税交了，19752U: a tax she says she paid left her account, so it is "sent" (a loss)
    assert ("2024-04-06", "sent", Decimal("19752"), "USDT") in rows
    assert ("2024-04-07", "fee_or_tax", Decimal("30000"), "USDT") in rows  # 保证金 三万U


def test_wallets_sites_and_summary(en_scam: Analysed, zh_scam: Analysed) -> None:
    en = build_report(*en_scam)
    assert [(w.chain, w.address, w.valid) for w in en.wallets] == [
        ("tron", "TPEz5xeh4ar361DZhoNyjrRcuYzFfXW9pK", True)
    ]
    assert en.wallets[0].first_time is not None and en.wallets[0].message_indices == (52,)
    assert any(s.value == "nexora-gx.com" for s in en.sites)
    assert en.summary.label == "scam" and en.summary.platform == "telegram"
    assert en.summary.first_time is not None and en.summary.last_time is not None
    assert en.stage_bands and en.timeline
    zh = build_report(*zh_scam)
    assert "TSG2srvJ7SYkUStEeCh3Ca32MtyqazxQuG" in {w.address for w in zh.wallets}
    assert "coinbitex-vip.com" in {s.value for s in zh.sites}


@pytest.mark.parametrize("which", ["en_scam", "zh_scam"])
def test_all_formats(which: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    conv, verdict = request.getfixturevalue(which)
    case = CaseInfo(case_id="case-7", status="open", notes="Called the bank on Monday.")
    report = build_report(conv, verdict, case=case, generated_at=FIXED_TIME)
    doc = to_json(report)
    jsonschema.validate(doc, schema())
    assert json.loads(render(report, "json")) == doc
    html = to_html(report)
    assert html.startswith("<!doctype html>") and "case-7" in html
    assert 'http-equiv="Content-Security-Policy"' in html
    assert "<script" not in html and "src=" not in html and "<link" not in html
    for needle in ("ic3.gov", "reportfraud.ftc.gov", "96110"):
        assert needle in html
    pdf = to_pdf(report)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    text = pdf_text(pdf, tmp_path)
    assert "96110" in text and "ic3.gov" in text
    assert report.wallets[0].address in text.replace("\n", "").replace(" ", "")
    if which == "zh_scam":
        assert b"/STSong-Light" in pdf and b"/UniGB-UCS2-H" in pdf  # the CJK font is used
        if cjk_extractable():
            assert "诈骗案件报告" in text and "追回损失" in text
            assert "个税交了" in text  # Chinese chat text survives into the PDF
    else:
        assert "Scam case report" in text and "fund recovery" in text.lower()


def test_recovery_warning_and_reporting_in_both_languages(en_scam: Analysed) -> None:
    en = build_report(*en_scam)
    zh = build_report(*en_scam, lang="zh")
    assert "recover" in en.guidance.recovery_warning
    assert "never charge" in en.guidance.recovery_warning
    assert "追回损失" in zh.guidance.recovery_warning
    assert "从不收取费用" in zh.guidance.recovery_warning
    for r in (en, zh):
        joined = " ".join(r.guidance.where_to_report)
        assert "ic3.gov" in joined and "reportfraud.ftc.gov" in joined and "96110" in joined
        assert "110" in joined
    assert any("tax" in s and "unfreeze" in s for s in en.guidance.next_steps)
    assert any("解冻" in s for s in zh.guidance.next_steps)
    assert zh.title == "诈骗案件报告" and "诈骗案件报告" in to_html(zh)
    assert 'lang="zh-CN"' in to_html(zh)


def test_benign_chat_is_not_alarmist(benign: Analysed, tmp_path: Path) -> None:
    report = build_report(*benign)
    assert report.summary.label == "benign"
    assert report.summary.headline == "No scam indicators were found in this chat."
    assert report.stage_bands == () and report.summary.stage is None
    assert all(not e.tactics for e in report.timeline)
    html = to_html(report)
    assert "No scam indicators were found" in html
    assert "matches the pattern" not in html and "warning signs" not in html
    assert 'class="warn' not in html  # the recovery note is plain, not a red box
    assert "unfreeze" not in html  # no withdrawal-block advice for a benign chat
    text = pdf_text(to_pdf(report), tmp_path)
    assert "No scam indicators were found" in text


def test_provenance_footer(en_scam: Analysed) -> None:
    report = build_report(*en_scam, generated_at=FIXED_TIME)
    versions = dict(report.provenance.versions)
    assert "rules" in versions and "risk_model" in versions
    assert report.provenance.generated_at == FIXED_TIME
    html = to_html(report)
    assert "How this report was made" in html and "not a legal finding" in html
    assert versions["rules"] in html


def test_verdict_object_and_wrapped_documents_are_accepted(en_scam: Analysed) -> None:
    conv, verdict = en_scam
    direct = to_json(build_report(conv, verdict, generated_at=FIXED_TIME))
    wrapped = {"results": [{"path": "x", "verdict": verdict}], "errors": []}
    assert to_json(build_report(conv, wrapped, generated_at=FIXED_TIME)) == direct


def test_bad_input_is_a_clear_error(en_scam: Analysed) -> None:
    conv, verdict = en_scam
    with pytest.raises(CaseReportError, match="risk"):
        build_report(conv, {"label": "scam"})
    with pytest.raises(CaseReportError, match="lang"):
        build_report(conv, verdict, lang="fr")
    with pytest.raises(CaseReportError, match="format"):
        render(build_report(conv, verdict), "docx")


def test_tx_hashes_and_contacts() -> None:
    tx = "0x" + "ab12" * 16
    conv = chat(
        [
            ("Lena", "Deposit on TRC20 to TPEz5xeh4ar361DZhoNyjrRcuYzFfXW9pK, then send the txid"),
            ("Karen Mitchell", f"Done, txid {tx}"),
            ("Lena", "Add our customer service on Telegram @nexora_support_desk"),
        ]
    )
    verdict = {"risk": 0.9, "label": "scam", "stage": "onboarding", "language": "en"}
    report = build_report(conv, verdict)
    assert [t.tx_hash for t in report.tx_hashes] == [tx]
    assert report.tx_hashes[0].message_indices == (1,)
    assert any(
        c.kind == "handle" and "nexora_support_desk" in c.value and c.owner == "other_party"
        for c in report.contacts
    )

"""Small formatting helpers shared by the HTML and PDF renderers."""

from __future__ import annotations

from datetime import datetime

from scamlens.casereport.labels import has_label, label
from scamlens.casereport.model import CaseReport, IntelRow, MoneyRow
from scamlens.report.percent import risk_percent


def when(t: datetime | None) -> str:
    """Local time as written in the chat, with its UTC offset when known."""
    if t is None:
        return "—"
    s = t.strftime("%Y-%m-%d %H:%M")
    off = t.strftime("%z")
    return f"{s} {off[:3]}:{off[3:]}" if off else s


def day(t: datetime | None) -> str:
    return t.strftime("%Y-%m-%d") if t is not None else "—"


def amount(value: str) -> str:
    """1234567.5 -> 1,234,567.5 (the decimal string is kept exact)."""
    whole, _, frac = value.partition(".")
    if not whole.isdigit():
        return value
    return f"{int(whole):,}" + (f".{frac}" if frac else "")


def validity(lang: str, valid: bool | None) -> str:
    key = "unchecked" if valid is None else "valid" if valid else "invalid"
    return label(lang, key)


def intel_text(rows: tuple[IntelRow, ...]) -> str:
    return "; ".join(
        (r.reason or f"{r.source}: {', '.join(r.labels)}")
        + (" (allow-list)" if r.allowlisted else "")
        for r in rows
    )


def messages(idxs: tuple[int, ...], limit: int = 8) -> str:
    shown = ", ".join(f"#{i}" for i in idxs[:limit])
    return shown + (f" (+{len(idxs) - limit})" if len(idxs) > limit else "")


def risk_line(r: CaseReport) -> str:
    s = r.summary
    return f"{label(r.lang, 'label_' + s.label)} · {label(r.lang, 'risk')} {risk_percent(s.risk)}"


def period(r: CaseReport) -> str:
    s = r.summary
    return f"{when(s.first_time)} → {when(s.last_time)}"


def why(lang: str, row: MoneyRow) -> str:
    """Why a money row has its direction: the rule, and the words that triggered it."""
    rule = label(lang, "rule_" + row.rule) if has_label("rule_" + row.rule) else row.rule
    return f"{rule}: “{row.cue}”" if row.cue else rule


def sent_totals(r: CaseReport) -> list[str]:
    """One line per currency: "12,000 USDT (3 rows)"."""
    return [
        f"{amount(t.amount)} {t.currency or label(r.lang, 'no_currency')} "
        f"({label(r.lang, 'sent_totals_rows').format(n=t.rows)})"
        for t in r.money_sent_totals
    ]

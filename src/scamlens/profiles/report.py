"""Plain-text report of profile and job-ad verdicts (for `profiles scan` and the terminal)."""

from __future__ import annotations

from collections.abc import Sequence

from scamlens.profiles.model import ItemVerdict
from scamlens.text.normalize import display_safe

_LABELS = {"scam": "SCAM", "suspicious": "SUSPICIOUS", "benign": "no warning signs"}
_MAX_QUOTE = 120


def _safe(text: str) -> str:
    """Display-safe and free of terminal control characters (escape sequences)."""
    cleaned = display_safe(text)
    return "".join(ch if ch >= " " or ch == "\t" else " " for ch in cleaned)


def _quote(text: str) -> str:
    text = _safe(text).replace("\n", " ")
    return text if len(text) <= _MAX_QUOTE else text[: _MAX_QUOTE - 1] + "…"


def render_text(verdict: ItemVerdict, name: str | None = None, *, evidence: int = 3) -> str:
    """A short block per item: label and risk, then each signal with up to `evidence` quotes."""
    kind = "profile" if verdict.kind == "profile" else "job ad"
    title = name or verdict.id or "?"
    lines = [
        f"{kind} {_safe(title)}: {_LABELS.get(verdict.label, verdict.label)} "
        f"(risk {verdict.risk:.2f})"
    ]
    for s in verdict.signals:
        sign = "-" if s.counter else "+"
        detail = f" ({_safe(s.detail)})" if s.detail else ""
        lines.append(f"  {sign} {s.score:.2f} {s.name}{detail}")
        for e in s.evidence[:evidence]:
            where = e.note or "?"
            lines.append(f'      {where}: "{_quote(e.quote)}"  [{e.source}]')
        if len(s.evidence) > evidence:
            lines.append(f"      … {len(s.evidence) - evidence} more")
    for w in verdict.warnings:
        lines.append(f"  ! {_safe(w)}")
    return "\n".join(lines)


def render_many(named: Sequence[tuple[str, ItemVerdict]]) -> str:
    return "\n\n".join(render_text(v, n) for n, v in named) + ("\n" if named else "")

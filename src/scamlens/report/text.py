"""The coloured terminal report (rich)."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from scamlens.model import Conversation, Evidence, Verdict
from scamlens.report.percent import risk_percent
from scamlens.text.language import language_note
from scamlens.text.normalize import display_safe

_COLOURS = {"scam": "bold white on red", "suspicious": "bold black on yellow", "benign": "green"}


def _bar(risk: float, width: int = 30) -> Text:
    filled = round(risk * width)
    colour = "red" if risk >= 0.7 else "yellow" if risk >= 0.35 else "green"
    return Text("█" * filled, style=colour) + Text("░" * (width - filled), style="dim")


def _quote(conv: Conversation, ev: Evidence, width: int = 90) -> Text:
    if ev.message_index is None or ev.message_index >= len(conv.messages):
        return Text(display_safe(ev.quote)[:width])
    msg = conv.messages[ev.message_index]
    text = display_safe(msg.text).replace("\n", " ")
    start = max(0, ev.start - 30)
    snippet = text[start : start + width]
    out = Text("…" if start else "")
    rel_s, rel_e = ev.start - start, min(ev.end - start, len(snippet))
    out.append(snippet[:rel_s])
    out.append(snippet[rel_s:rel_e], style="bold red underline")
    out.append(snippet[rel_e:])
    if ev.start == ev.end and ev.note:  # not in the text (a hidden link's target): say where
        out.append(f" [{display_safe(ev.note)}]", style="dim")
    return out


def _who(conv: Conversation, index: int | None) -> str:
    if index is None or index >= len(conv.messages):
        return ""
    m = conv.messages[index]
    who = m.sender or "?"
    if m.is_user:
        who += " (you)"
    when = m.timestamp.strftime("%Y-%m-%d %H:%M") if m.timestamp else ""
    return f"#{index} {who} {when}".strip()


def render(console: Console, path: str, conv: Conversation, v: Verdict) -> None:
    head = Table.grid(padding=(0, 1))
    head.add_row("File", f"{path}  [dim]({conv.source_format}, {len(conv.messages)} messages)[/]")
    head.add_row(
        "Risk",
        Text.assemble(
            _bar(v.risk), f" {risk_percent(v.risk)}  ", (v.label.upper(), _COLOURS[v.label])
        ),
    )
    head.add_row("Stage", v.stage.display if v.stage else "—")
    note = language_note(v.language)
    head.add_row(
        "Language", Text.assemble(v.language, (f"  {note}", "bold yellow")) if note else v.language
    )
    if conv.me:
        head.add_row("You are", f"{conv.me} [dim]({conv.me_method})[/]")
    t = v.time
    if t.days_span is not None:
        money = f", money after {t.days_to_money} days" if t.days_to_money is not None else ""
        head.add_row("Time", f"{t.days_span} days of messages{money}")
    parts: list[RenderableType] = [head]

    if v.timeline:
        tl = Table(title="Stage timeline", title_justify="left", expand=True)
        tl.add_column("Stage")
        tl.add_column("Messages", justify="right")
        tl.add_column("Tactics")
        for s in v.timeline:
            span = (
                f"#{s.first_index}–#{s.last_index}"
                if s.first_index != s.last_index
                else f"#{s.first_index}"
            )
            tl.add_row(s.stage.display, span, ", ".join(s.tactics))
        parts.append(tl)

    if v.tactics:
        flags = Table(title="Red flags", title_justify="left", expand=True, show_lines=True)
        flags.add_column("Tactic", ratio=2)
        flags.add_column("Score", justify="right")
        flags.add_column("Evidence", ratio=6)
        for f in v.tactics:
            ev = f.evidence[0]
            cell = Text(_who(conv, ev.message_index) + "\n", style="dim") + _quote(conv, ev)
            if len(f.evidence) > 1:
                cell.append(f"\n(+{len(f.evidence) - 1} more)", style="dim")
            flags.add_row(f.name, f"{f.score:.2f}", cell)
        parts.append(flags)

    if v.counter_evidence:
        ce = Table(title="Counter-evidence", title_justify="left", expand=True)
        ce.add_column("Signal")
        ce.add_column("Evidence")
        for ev in v.counter_evidence[:8]:
            ce.add_row(ev.tactic + (f" ({ev.note})" if ev.note else ""), _quote(conv, ev))
        parts.append(ce)

    if v.indicators:
        it = Table(title="Wallets, sites and contacts", title_justify="left", expand=True)
        it.add_column("Type")
        it.add_column("Value")
        it.add_column("Check")
        hits = {(h.type, h.value): h for h in v.intel_hits}
        seen = set()
        for ind in v.indicators:
            key = (ind.type, ind.value)
            if key in seen:
                continue
            seen.add(key)
            check = ind.validation or ""
            hit = hits.get(key)
            if hit is not None:
                check += f" [bold red]{hit.reason}[/]"
            it.add_row(
                ind.type + (f" ({ind.chain})" if ind.chain else ""), display_safe(ind.value), check
            )
        parts.append(it)

    if v.advice:
        a = v.advice
        body = Text(a.summary + "\n\n", style="bold")
        body.append(a.what_happens_next + "\n\n")
        for step in a.next_steps:
            body.append(f"• {step}\n")
        body.append("\n" + a.recovery_warning + "\n\n", style="yellow")
        body.append("Where to report:\n", style="bold")
        for r in a.where_to_report:
            body.append(f"• {r}\n")
        parts.append(Panel(body, title="What to do", border_style="cyan"))

    parts.append(
        Text(f"rules {v.versions.get('rules')} · model {v.versions.get('text_model')}", style="dim")
    )
    console.print(
        Panel(
            Group(*parts),
            title=f"scamlens · {v.label}",
            border_style="red"
            if v.label == "scam"
            else "yellow"
            if v.label == "suspicious"
            else "green",
        )
    )

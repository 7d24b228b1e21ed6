"""A standalone HTML report: one file, no scripts from anywhere, readable on a phone."""

from __future__ import annotations

from html import escape

from scamlens.model import Conversation, Evidence, Verdict
from scamlens.report.percent import risk_percent
from scamlens.text.language import language_note
from scamlens.text.normalize import display_safe

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
main{max-width:960px;margin:auto;padding:1rem}
.card{background:#fff;border-radius:10px;padding:1rem 1.25rem;margin:1rem 0;box-shadow:0 1px 3px #0002}
.label{display:inline-block;padding:.15rem .6rem;border-radius:4px;font-weight:700;color:#fff}
.scam{background:#b3261e}.suspicious{background:#8a5a00}.benign{background:#1e7b34}
.bar{height:12px;background:#e4e6ea;border-radius:6px;overflow:hidden}
.bar span{display:block;height:100%;background:linear-gradient(90deg,#1e7b34,#c9a100,#b3261e)}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.35rem;border-bottom:1px solid #e4e6ea;vertical-align:top}
.msg{padding:.4rem .6rem;margin:.25rem 0;border-left:4px solid #d0d4da;background:#fafbfc;border-radius:4px}
.msg.user{border-left-color:#3b6fd8;background:#f1f5fd}
.msg.flag{border-left-color:#b3261e}
.meta{color:#57606a;font-size:.85em}
.caveat{background:#fff4d6;border-left:4px solid #c9a100;padding:.4rem .6rem;border-radius:4px}
mark{background:#ffd8d4;color:#7a1410;padding:0 .1em;border-radius:2px}
.stage{font-size:.8em;font-weight:600;color:#fff;background:#57606a;border-radius:3px;padding:0 .4em;margin-left:.4em}
ul{padding-left:1.2rem}
@media (max-width:600px){main{padding:.5rem}.card{padding:.75rem}}
"""


def _highlight(text: str, spans: list[tuple[int, int]]) -> str:
    out = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos or end <= start:  # empty: not in the text (a hidden link's target)
            continue
        out.append(escape(display_safe(text[pos:start])))
        out.append(f"<mark>{escape(display_safe(text[start:end]))}</mark>")
        pos = end
    out.append(escape(display_safe(text[pos:])))
    return "".join(out).replace("\n", "<br>")


def render_html(
    results: list[tuple[str, Conversation, Verdict]], *, max_messages: int = 2000
) -> str:
    body = []
    for path, conv, v in results:
        body.append(_one(path, conv, v, max_messages))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>scamlens report</title><style>{_CSS}</style></head><body><main>"
        "<h1>scamlens report</h1>" + "".join(body) + "</main></body></html>\n"
    )


def _one(path: str, conv: Conversation, v: Verdict, max_messages: int) -> str:
    stage = escape(v.stage.display) if v.stage else "—"
    parts = [
        '<section class="card">',
        f"<h2>{escape(path)}</h2>",
        f'<p><span class="label {v.label}">{v.label.upper()}</span> '
        f"risk <strong>{escape(risk_percent(v.risk))}</strong> · stage <strong>{stage}</strong> · "
        f"{len(conv.messages)} messages ({escape(conv.source_format)}) · language {escape(v.language)}</p>",
        f'<div class="bar" role="img" aria-label="risk {escape(risk_percent(v.risk))}"><span style="width:{v.risk * 100:.0f}%"></span></div>',
    ]
    note = language_note(v.language)
    if note:
        parts.append(f'<p class="caveat" role="note">{escape(note)}</p>')
    if v.advice:
        a = v.advice
        parts.append(f"<h3>What this means</h3><p><strong>{escape(a.summary)}</strong></p>")
        parts.append(f"<p>{escape(a.what_happens_next)}</p><ul>")
        parts += [f"<li>{escape(s)}</li>" for s in a.next_steps]
        parts.append(
            f"</ul><p><strong>{escape(a.recovery_warning)}</strong></p><h4>Where to report</h4><ul>"
        )
        parts += [f"<li>{escape(r)}</li>" for r in a.where_to_report]
        parts.append("</ul>")
    parts.append("</section>")

    if v.tactics:
        parts.append(
            '<section class="card"><h3>Red flags</h3><table><tr><th>Tactic</th><th>Stage</th><th>Score</th><th>Evidence</th></tr>'
        )
        for f in v.tactics:
            ev = f.evidence[0]
            where = f"message #{ev.message_index}" if ev.message_index is not None else ""
            parts.append(
                f"<tr><td>{escape(f.name)}</td><td>{escape(f.stage.display)}</td><td>{f.score:.2f}</td>"
                f'<td>“{escape(display_safe(ev.quote or ev.note or ""))}” <span class="meta">{where} · {escape(ev.source)}</span></td></tr>'
            )
        parts.append("</table></section>")

    if v.indicators:
        hits = {(h.type, h.value): h for h in v.intel_hits}
        parts.append(
            '<section class="card"><h3>Wallets, sites and contacts</h3><table><tr><th>Type</th><th>Value</th><th>Check</th></tr>'
        )
        seen = set()
        for ind in v.indicators:
            if (ind.type, ind.value) in seen:
                continue
            seen.add((ind.type, ind.value))
            hit = hits.get((ind.type, ind.value))
            check = escape(ind.validation) + (
                f" <strong>{escape(hit.reason)}</strong>" if hit else ""
            )
            parts.append(
                f"<tr><td>{escape(ind.type)}</td><td><code>{escape(display_safe(ind.value))}</code></td><td>{check}</td></tr>"
            )
        parts.append("</table></section>")

    spans: dict[int, list[tuple[int, int]]] = {}
    stage_of: dict[int, str] = {}
    evidence: list[Evidence] = [e for t in v.tactics for e in t.evidence]
    for ev in evidence:
        if ev.message_index is not None:
            spans.setdefault(ev.message_index, []).append((ev.start, ev.end))
    for s in v.timeline:
        for i in s.message_indices:
            stage_of.setdefault(i, s.stage.display)
    parts.append('<section class="card"><h3>Conversation</h3>')
    for m in conv.messages[:max_messages]:
        cls = "msg" + (" user" if m.is_user else "") + (" flag" if m.index in spans else "")
        when = m.timestamp.strftime("%Y-%m-%d %H:%M") if m.timestamp else ""
        tag = (
            f'<span class="stage">{escape(stage_of[m.index])}</span>' if m.index in stage_of else ""
        )
        who = escape(m.sender or "?") + (" (you)" if m.is_user else "")
        parts.append(
            f'<div class="{cls}" id="m{m.index}"><div class="meta">#{m.index} {who} {when}{tag}</div>'
            f"{_highlight(m.text, spans.get(m.index, []))}</div>"
        )
    if len(conv.messages) > max_messages:
        parts.append(
            f'<p class="meta">… {len(conv.messages) - max_messages} more messages not shown</p>'
        )
    parts.append("</section>")
    versions = " · ".join(f"{k} {escape(str(val))}" for k, val in v.versions.items())
    parts.append(f'<p class="meta">{versions}</p>')
    return "".join(parts)

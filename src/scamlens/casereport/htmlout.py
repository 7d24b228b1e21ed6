"""to_html: one standalone, printable HTML file. No scripts, no external resources, every
piece of chat text escaped and stripped of bidi and zero-width characters."""

from __future__ import annotations

from datetime import datetime
from html import escape

from scamlens.casereport import fmt
from scamlens.casereport.labels import label
from scamlens.casereport.model import CaseReport
from scamlens.report.percent import risk_percent

_CSS = """
body{font:14px/1.5 system-ui,"Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",
sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
main{max-width:980px;margin:auto;padding:1rem}
section{background:#fff;border-radius:8px;padding:.8rem 1.1rem;margin:.9rem 0;
box-shadow:0 1px 3px #0002}
h1{font-size:1.6rem;margin:.4rem 0}h2{font-size:1.15rem;margin:.2rem 0 .6rem}
.label{display:inline-block;padding:.1rem .55rem;border-radius:4px;font-weight:700;color:#fff}
.scam{background:#b3261e}.suspicious{background:#8a5a00}.benign{background:#1e7b34}
.warn{border:3px solid #b3261e;background:#fff5f4}
.calm{border:1px solid #c8d1dc}
table{border-collapse:collapse;width:100%;font-size:.92em}
td,th{text-align:left;padding:.3rem .35rem;border-bottom:1px solid #e4e6ea;vertical-align:top}
th{background:#f0f2f5}
code{font:12px/1.3 ui-monospace,"DejaVu Sans Mono",monospace;word-break:break-all}
.q{white-space:pre-wrap;word-break:break-word}
.meta{color:#57606a;font-size:.85em}
.user{background:#f1f5fd}
.stage{font-size:.8em;font-weight:600;color:#fff;background:#57606a;border-radius:3px;
padding:0 .35em}
footer{color:#57606a;font-size:.85em;margin:1rem 0 2rem}
@media print{body{background:#fff;font-size:11pt}section{box-shadow:none;border:1px solid #bbb;
break-inside:auto}tr,.keep{break-inside:avoid}main{max-width:none;padding:0}
thead{display:table-header-group}}
"""


def _e(s: object) -> str:
    return escape(str(s), quote=True)


def _meta(s: str) -> str:
    return f' <span class="meta">{_e(s)}</span>'


def _seen(t: datetime | None, idxs: tuple[int, ...]) -> str:
    return _e(fmt.when(t)) + f'<br><span class="meta">{_e(fmt.messages(idxs))}</span>'


def _table(headers: list[str], rows: list[list[str]], empty: str) -> str:
    if not rows:
        return f"<p>{_e(empty)}</p>"
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(report: CaseReport) -> str:
    r, lang = report, report.lang

    def L(key: str) -> str:
        return label(lang, key)

    s = r.summary
    out: list[str] = []
    out.append(f"<header><h1>{_e(r.title)}</h1>")
    if r.case:
        bits = [
            f"{_e(L('case_id'))}: <strong>{_e(r.case.case_id or '—')}</strong>",
            f"{_e(L('status'))}: {_e(r.case.status or '—')}",
            f"{_e(L('created'))}: {_e(fmt.when(r.case.created))}",
        ]
        out.append(f'<p class="meta">{" · ".join(bits)}</p>')
    out.append("</header>")

    # Summary
    out.append(f'<section class="keep"><h2>{_e(L("summary"))}</h2>')
    out.append(
        f'<p><span class="label {_e(s.label)}">{_e(L("label_" + s.label))}</span> '
        f"<strong>{_e(s.headline)}</strong></p>"
    )
    parties = ", ".join(
        _e(p) + (f" ({_e(L('you'))})" if s.me and p == s.me else "") for p in s.parties
    )
    rows = [
        (L("assessment"), f"{_e(L('risk'))} {_e(risk_percent(s.risk))}"),
        (L("stage"), _e(s.stage_title or "—")),
        (L("period"), _e(fmt.period(r))),
        (L("messages"), str(s.message_count)),
        (L("platform"), _e(f"{s.platform or '—'} / {s.source_format}")),
        (L("parties"), parties or "—"),
    ]
    out.append(_table(["", ""], [[f"<strong>{_e(k)}</strong>", v] for k, v in rows], ""))
    if s.language_note:
        out.append(f'<p class="warn" role="note"><strong>{_e(s.language_note)}</strong></p>')
    if s.label == "benign":
        out.append(f"<p>{_e(L('benign_note'))}</p>")
    out.append(f'<p class="meta">{_e(r.provenance.statement)}</p>')
    if r.case and r.case.notes:
        out.append(f'<h3>{_e(L("analyst_notes"))}</h3><p class="q">{_e(r.case.notes)}</p>')
    out.append("</section>")

    # Fund-recovery warning: prominent for flagged chats, plain for benign ones.
    cls = "calm" if s.label == "benign" else "warn"
    out.append(
        f'<section class="{cls} keep"><h2>{_e(L("recovery_title"))}</h2>'
        f"<p><strong>{_e(r.guidance.recovery_warning)}</strong></p></section>"
    )

    # Next steps and reporting
    out.append(f'<section class="keep"><h2>{_e(L("next_steps"))}</h2><ol>')
    out += [f"<li>{_e(x)}</li>" for x in r.guidance.next_steps]
    out.append(f"</ol><h2>{_e(L('where_to_report'))}</h2><ul>")
    out += [f"<li>{_e(x)}</li>" for x in r.guidance.where_to_report]
    out.append("</ul>")
    if s.label != "benign":
        out.append(f"<h3>{_e(L('what_next'))}</h3><p>{_e(r.guidance.what_happens_next)}</p>")
    out.append("</section>")

    # Money
    out.append(f"<section><h2>{_e(L('money'))}</h2>")
    out.append(
        _table(
            [L("date"), L("direction"), L("amount"), L("who"), L("from_message")],
            [
                [
                    _e(fmt.when(m.time)),
                    f"{_e(L('dir_' + m.direction))}"
                    f'<br><span class="meta">{_e(fmt.why(r.lang, m))}</span>',
                    f"<strong>{_e(fmt.amount(m.amount))} {_e(m.currency)}</strong>"
                    f'<br><span class="meta">{_e(m.raw)}</span>',
                    _e(m.sender or "?"),
                    f'<span class="meta">#{_e(m.message_index)}</span> '
                    f'<span class="q">{_e(m.quote)}</span>',
                ]
                for m in r.money
            ],
            L("no_money"),
        )
    )
    if r.money:
        totals = fmt.sent_totals(r) or [L("sent_totals_none")]
        out.append(f"<h3>{_e(L('sent_totals'))}</h3><ul>")
        out += [f"<li><strong>{_e(t)}</strong></li>" for t in totals]
        out.append(f'</ul><p class="meta">{_e(L("sent_totals_caveat"))}</p>')
    out.append("</section>")

    # Wallets, hashes, sites, contacts
    out.append(f"<section><h2>{_e(L('wallets'))}</h2>")
    out.append(
        _table(
            [L("chain"), L("address"), L("check"), L("first_seen"), L("intel")],
            [
                [
                    _e(w.chain or "?"),
                    f"<code>{_e(w.address)}</code>",
                    _e(fmt.validity(lang, w.valid)) + _meta(w.validation),
                    _seen(w.first_time, w.message_indices),
                    _e(fmt.intel_text(w.intel)),
                ]
                for w in r.wallets
            ],
            L("none_found"),
        )
    )
    out.append(f"<h2>{_e(L('tx_hashes'))}</h2>")
    out.append(
        _table(
            [L("chain"), L("hash"), L("first_seen"), L("intel")],
            [
                [
                    _e(t.chain or "?"),
                    f"<code>{_e(t.tx_hash)}</code>",
                    _seen(t.first_time, t.message_indices),
                    _e(fmt.intel_text(t.intel)),
                ]
                for t in r.tx_hashes
            ],
            L("none_found"),
        )
    )
    out.append("</section>")
    out.append(f"<section><h2>{_e(L('sites'))}</h2>")
    out.append(
        _table(
            [L("kind"), L("site"), L("lookalike"), L("first_seen"), L("intel")],
            [
                [
                    _e(x.kind) + (f'<br><span class="meta">{_e(x.note)}</span>' if x.note else ""),
                    f"<code>{_e(x.value)}</code>",
                    _e(f"{x.lookalike_brand} ({x.lookalike_score:.0%}) — {x.lookalike_reason}")
                    if x.lookalike_brand and x.lookalike_score is not None
                    else "—",
                    _seen(x.first_time, x.message_indices),
                    _e(fmt.intel_text(x.intel)),
                ]
                for x in r.sites
            ],
            L("none_found"),
        )
    )
    out.append(f"<h2>{_e(L('contacts'))}</h2>")
    out.append(
        _table(
            [L("kind"), L("value"), L("who"), L("first_seen"), L("intel")],
            [
                [
                    _e(c.kind + (f" ({c.platform})" if c.platform else "")),
                    f"<code>{_e(c.value)}</code>",
                    _e(L("owner_" + c.owner)),
                    _seen(c.first_time, c.message_indices),
                    _e(fmt.intel_text(c.intel)),
                ]
                for c in r.contacts
            ],
            L("none_found"),
        )
    )
    out.append("</section>")

    # Timeline
    out.append(f"<section><h2>{_e(L('timeline'))}</h2>")
    if r.stage_bands:
        out.append(f"<h3>{_e(L('stages'))}</h3>")
        out.append(
            _table(
                [L("stage"), L("period"), L("message_no")],
                [
                    [
                        _e(b.title),
                        _e(f"{fmt.when(b.first_time)} → {fmt.when(b.last_time)}"),
                        _e(f"#{b.first_index}–#{b.last_index}"),
                    ]
                    for b in r.stage_bands
                ],
                "",
            )
        )
    out.append(f"<h3>{_e(L('key_messages'))}</h3>")
    out.append(
        _table(
            [L("date"), L("who"), L("from_message"), L("tactics")],
            [
                [
                    _e(fmt.when(t.time)) + f'<br><span class="meta">#{t.index}</span>',
                    _e(t.sender or "?"),
                    f'<span class="q">{_e(t.text)}</span>',
                    (f'<span class="stage">{_e(t.stage_title)}</span> ' if t.stage_title else "")
                    + _e(", ".join(t.tactics)),
                ]
                for t in r.timeline
            ],
            L("none_found"),
        )
    )
    if r.timeline_omitted:
        out.append(f'<p class="meta">{_e(L("timeline_cut").format(n=r.timeline_omitted))}</p>')
    out.append("</section>")

    # Redaction and provenance
    out.append(f'<section class="keep"><h2>{_e(L("redaction"))}</h2>')
    if r.redaction.enabled:
        out.append("<ul>" + "".join(f"<li>{_e(x)}</li>" for x in r.redaction.rules) + "</ul>")
        out.append(f'<p class="meta">{_e(", ".join(r.redaction.placeholders))}</p>')
    else:
        out.append(f"<p>{_e(L('redaction_off'))}</p>")
    if r.notes:
        out.append(f"<h3>{_e(L('notes'))}</h3><ul>")
        out += [f"<li>{_e(n)}</li>" for n in r.notes]
        out.append("</ul>")
    out.append("</section>")
    versions = " · ".join(f"{_e(k)} {_e(v)}" for k, v in r.provenance.versions)
    out.append(
        f"<footer><strong>{_e(L('footer'))}</strong><br>{_e(L('version'))} "
        f"{_e(r.provenance.scamlens_version)} · {versions}<br>{_e(L('generated'))} "
        f"{_e(fmt.when(r.provenance.generated_at))}<br>{_e(r.provenance.statement)}</footer>"
    )
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!doctype html><html lang="{html_lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        f"<title>{_e(r.title)}</title><style>{_CSS}</style></head><body><main>"
        + "".join(out)
        + "</main></body></html>\n"
    )

"""A standalone HTML view of a campaigns document, with network pictures drawn as inline SVG.

No script, no network: the page has a Content-Security-Policy that forbids loading anything,
and every text from the input is escaped. Each campaign gets a bipartite picture: its ties
(scripts and indicators) on an inner circle, its accounts on an outer circle, a line for each
account that uses a tie. An overview draws one disc per campaign, sized by its accounts.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

_MAX_CAMPAIGNS = 60
_MAX_ACCOUNTS = 160
_MAX_TIES = 24
_COLOURS = {
    "script": "#c0392b",
    "wallet": "#8e44ad",
    "txhash": "#8e44ad",
    "domain": "#2471a3",
    "url": "#2471a3",
    "phone": "#d68910",
    "handle": "#17a589",
    "email": "#17a589",
}

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1c2833;max-width:1200px}
h1{font-size:22px}h2{font-size:18px;margin-top:36px;border-top:1px solid #ccd;padding-top:12px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #d5d8dc;padding:3px 7px;
vertical-align:top;text-align:left;overflow-wrap:anywhere}th{background:#f2f3f4}.num{text-align:right}
.quote{white-space:pre-wrap;background:#fbfcfc;border-left:3px solid #c0392b;padding:6px 10px}
.muted{color:#707b7c}.legend span{display:inline-block;margin-right:14px}
.dot{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:4px}
svg{background:#fdfefe;border:1px solid #e5e8e8}
"""


def render(doc: dict[str, Any], title: str = "scamlens campaigns") -> str:
    """The page for a campaigns document (the dict from CampaignReport.to_dict())."""
    campaigns = doc.get("campaigns", [])
    stats = doc.get("stats", {})
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        "<p>" + ", ".join(f"{escape(str(k))}: {v:,}" for k, v in stats.items()) + "</p>",
        _legend(),
        _overview(campaigns[:_MAX_CAMPAIGNS]),
        _summary_table(campaigns[:_MAX_CAMPAIGNS]),
    ]
    if len(campaigns) > _MAX_CAMPAIGNS:
        parts.append(
            f"<p class='muted'>Showing the {_MAX_CAMPAIGNS} largest of {len(campaigns):,} "
            "campaigns; the JSON output has all of them.</p>"
        )
    parts.extend(_campaign(c) for c in campaigns[:_MAX_CAMPAIGNS])
    parts.append("</body></html>")
    return "\n".join(parts)


def _legend() -> str:
    items = [("script", "shared script"), ("wallet", "wallet"), ("domain", "domain / URL")]
    items += [("phone", "phone"), ("handle", "handle / e-mail")]
    spans = "".join(
        f"<span><i class='dot' style='background:{_COLOURS[k]}'></i>{escape(label)}</span>"
        for k, label in items
    )
    return (
        f"<p class='legend'>{spans}<span><i class='dot' style='background:#5d6d7e'></i>"
        "account</span></p>"
    )


def _overview(campaigns: list[dict[str, Any]]) -> str:
    if not campaigns:
        return "<p>No campaigns found.</p>"
    cols = 10
    cell = 110
    rows = math.ceil(len(campaigns) / cols)
    biggest = max(len(c["accounts"]) for c in campaigns) or 1
    out = [f"<svg width='{cols * cell}' height='{rows * cell}' role='img' aria-label='overview'>"]
    for i, c in enumerate(campaigns):
        x = (i % cols) * cell + cell / 2
        y = (i // cols) * cell + cell / 2 - 8
        r = 8 + 34 * math.sqrt(len(c["accounts"]) / biggest)
        colour = _COLOURS["script"] if c["scripts"] else _COLOURS["wallet"]
        out.append(
            f"<a href='#{escape(c['id'])}'><circle cx='{x:.1f}' cy='{y:.1f}' r='{r:.1f}' "
            f"fill='{colour}' fill-opacity='0.75'><title>{escape(c['id'])}: "
            f"{len(c['accounts'])} accounts, {c['size']} messages</title></circle></a>"
            f"<text x='{x:.1f}' y='{y + r + 12:.1f}' font-size='10' text-anchor='middle'>"
            f"{len(c['accounts'])} acc.</text>"
        )
    out.append("</svg>")
    return "".join(out)


def _summary_table(campaigns: list[dict[str, Any]]) -> str:
    rows = [
        "<table><tr><th>campaign</th><th>accounts</th><th>messages</th><th>scripts</th>"
        "<th>ties</th><th>languages</th><th>stages</th><th>first seen</th><th>last seen</th></tr>"
    ]
    for c in campaigns:
        rows.append(
            f"<tr><td><a href='#{escape(c['id'])}'>{escape(c['id'])}</a></td>"
            f"<td class='num'>{len(c['accounts']):,}</td><td class='num'>{c['size']:,}</td>"
            f"<td class='num'>{len(c['scripts'])}</td><td class='num'>{len(c['ties'])}</td>"
            f"<td>{escape(', '.join(c['languages']))}</td>"
            f"<td>{escape(', '.join(c['stages']))}</td>"
            f"<td>{escape(c['first_seen'] or '')}</td><td>{escape(c['last_seen'] or '')}</td></tr>"
        )
    rows.append("</table>")
    return "".join(rows)


def _network(c: dict[str, Any]) -> str:
    """Ties on an inner circle, accounts on an outer one, a line per (account, tie) use."""
    ties = c["ties"][:_MAX_TIES]
    accounts = c["accounts"][:_MAX_ACCOUNTS]
    size = 520
    mid = size / 2
    inner = 70 if len(ties) > 1 else 0
    outer = 220
    pos_acc = {a: _polar(mid, outer, i, len(accounts), 0.0) for i, a in enumerate(accounts)}
    out = [
        f"<svg width='{size}' height='{size}' role='img' aria-label='network of {escape(c['id'])}'>"
    ]
    tie_pos = []
    for j, t in enumerate(ties):
        tx, ty = _polar(mid, inner, j, len(ties), 0.5)
        tie_pos.append((tx, ty))
        colour = _COLOURS.get(t["type"], "#7f8c8d")
        for a in t["accounts"]:
            if a in pos_acc:
                ax, ay = pos_acc[a]
                width = 0.5 + t["weight"]
                out.append(
                    f"<line x1='{tx:.1f}' y1='{ty:.1f}' x2='{ax:.1f}' y2='{ay:.1f}' "
                    f"stroke='{colour}' stroke-opacity='0.25' stroke-width='{width:.1f}'/>"
                )
    for a, (ax, ay) in pos_acc.items():
        out.append(
            f"<circle cx='{ax:.1f}' cy='{ay:.1f}' r='3.5' fill='#5d6d7e'><title>{escape(a)}"
            "</title></circle>"
        )
    for t, (tx, ty) in zip(ties, tie_pos, strict=True):
        colour = _COLOURS.get(t["type"], "#7f8c8d")
        r = 6 + 10 * math.sqrt(min(len(t["accounts"]), 400) / 400)
        out.append(
            f"<circle cx='{tx:.1f}' cy='{ty:.1f}' r='{r:.1f}' fill='{colour}'><title>"
            f"{escape(t['type'])} {escape(t['key'])}: {len(t['accounts'])} accounts, "
            f"weight {t['weight']}</title></circle>"
        )
    out.append("</svg>")
    more = len(c["accounts"]) - len(accounts)
    note = f"<p class='muted'>{more:,} more accounts not drawn.</p>" if more > 0 else ""
    return "".join(out) + note


def _polar(mid: float, radius: float, i: int, n: int, offset: float) -> tuple[float, float]:
    angle = 2 * math.pi * (i + offset) / max(n, 1) - math.pi / 2
    return mid + radius * math.cos(angle), mid + radius * math.sin(angle)


def _campaign(c: dict[str, Any]) -> str:
    parts = [
        f"<h2 id='{escape(c['id'])}'>Campaign {escape(c['id'])}: {len(c['accounts']):,} "
        f"accounts, {c['size']:,} messages</h2>",
        f"<p>Seen {escape(c['first_seen'] or '?')} to {escape(c['last_seen'] or '?')}; "
        f"languages: {escape(', '.join(c['languages']) or '-')}; stages: "
        f"{escape(', '.join(c['stages']) or '-')}; platforms: "
        f"{escape(', '.join(c['platforms']) or '-')}.</p>",
        _network(c),
    ]
    rep = c.get("representative")
    if rep:
        parts.append(
            f"<h3>Representative script</h3><div class='quote'>{escape(rep['text'])}</div>"
        )
    if c["variants"]:
        parts.append("<h3>Variants</h3><table><tr><th>count</th><th>similarity</th><th>text</th>")
        for v in c["variants"]:
            parts.append(
                f"<tr><td class='num'>{v['count']:,}</td><td class='num'>{v['similarity']:.2f}"
                f"</td><td>{escape(v['text'])}</td></tr>"
            )
        parts.append("</table>")
    parts.append(
        "<h3>Ties</h3><table><tr><th>kind</th><th>key</th><th>weight</th><th>accounts</th>"
        "<th>conversations</th><th>messages</th></tr>"
    )
    for t in c["ties"]:
        parts.append(
            f"<tr><td>{escape(t['type'])}</td><td>{escape(t['key'])}</td>"
            f"<td class='num'>{t['weight']}</td><td class='num'>{len(t['accounts']):,}</td>"
            f"<td class='num'>{t['conversation_count']:,}</td>"
            f"<td class='num'>{t['message_count']:,}</td></tr>"
        )
    parts.append("</table>")
    if c["scripts"]:
        parts.append(
            "<h3>Scripts</h3><table><tr><th>id</th><th>messages</th><th>accounts</th>"
            "<th>forms</th><th>stage</th><th>representative</th></tr>"
        )
        for s in c["scripts"][:40]:
            parts.append(
                f"<tr><td>{escape(s['id'])}</td><td class='num'>{s['size']:,}</td>"
                f"<td class='num'>{len(s['accounts']):,}</td><td class='num'>{s['forms']:,}</td>"
                f"<td>{escape(s['stage'] or '')}</td><td>{escape(s['representative'])}</td></tr>"
            )
        parts.append("</table>")
    if c["indicators"]:
        parts.append(
            "<h3>Indicators</h3><table><tr><th>type</th><th>value</th><th>ties</th>"
            "<th>accounts</th><th>messages</th></tr>"
        )
        for ind in c["indicators"][:60]:
            parts.append(
                f"<tr><td>{escape(ind['type'])}</td><td>{escape(ind['value'])}</td>"
                f"<td>{'yes' if ind['ties'] else 'no'}</td>"
                f"<td class='num'>{len(ind['accounts']):,}</td>"
                f"<td class='num'>{len(ind['message_ids']):,}{_behind(ind)}</td></tr>"
            )
        parts.append("</table>")
    return "\n".join(parts)


def _behind(ind: dict[str, Any]) -> str:
    hidden = len(ind.get("link_target_message_ids", ()))
    return f" ({hidden:,} behind link text)" if hidden else ""

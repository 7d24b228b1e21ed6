"""to_pdf: a printable PDF with reportlab platypus (A4, tables, page numbers).

Fonts: Latin and most scripts use DejaVu Sans when the system has it (else Helvetica);
CJK runs use reportlab's built-in CID font STSong-Light, which needs no font file, so Chinese
renders on any machine. Text is split into runs and each run gets its font.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from scamlens.casereport import fmt
from scamlens.casereport.labels import label
from scamlens.casereport.model import CaseReport
from scamlens.report.percent import risk_percent

CJK_FONT = "STSong-Light"
_TTF = "/usr/share/fonts/truetype/"
_TTF_CANDIDATES = (
    (_TTF + "dejavu/DejaVuSans.ttf", _TTF + "dejavu/DejaVuSans-Bold.ttf"),
    (_TTF + "liberation/LiberationSans-Regular.ttf", _TTF + "liberation/LiberationSans-Bold.ttf"),
    ("/Library/Fonts/Arial Unicode.ttf", "/Library/Fonts/Arial Unicode.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
)  # fmt: skip


@lru_cache(maxsize=1)
def fonts() -> tuple[str, str]:
    """(regular, bold) base font names, registering the CJK font and a TTF when found."""
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    for regular, bold in _TTF_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            try:
                pdfmetrics.registerFont(TTFont("SL-Regular", regular))
                pdfmetrics.registerFont(TTFont("SL-Bold", bold))
            except Exception:  # a broken system font: try the next, else Helvetica
                continue
            return "SL-Regular", "SL-Bold"
    return "Helvetica", "Helvetica-Bold"


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF  # radicals, kana, CJK punctuation, unified ideographs
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x20000 <= o <= 0x2FFFF
    )


def markup(text: str, base: str) -> str:
    """Escaped paragraph markup: CJK runs in the CID font, the rest in `base`.

    Characters above the BMP that are not CJK (emoji) are shown as U+XXXX: neither font has them.
    """
    out: list[str] = []
    run: list[str] = []
    cjk = False

    def flush() -> None:
        if run:
            body = escape("".join(run)).replace("\n", "<br/>")
            out.append(f'<font name="{CJK_FONT}">{body}</font>' if cjk else body)
            run.clear()

    for ch in text:
        if ord(ch) > 0xFFFF and not _is_cjk(ch):
            ch = f"[U+{ord(ch):X}]"
            is_c = False
        else:
            is_c = _is_cjk(ch)
        if is_c != cjk:
            flush()
            cjk = is_c
        run.append(ch)
    flush()
    return "".join(out)


def _needs_cjk_wrap(text: str) -> bool:
    """CJK line breaking (slow in reportlab) is only needed for CJK text or for long tokens
    such as hashes and URLs, which it can break anywhere."""
    return any(_is_cjk(ch) for ch in text) or any(len(w) > 30 for w in text.split())


class _Styles:
    def __init__(self) -> None:
        regular, bold = fonts()
        self.regular, self.bold = regular, bold
        self._latin: dict[str, ParagraphStyle] = {}
        base = ParagraphStyle("b", fontName=regular, fontSize=9, leading=12, alignment=TA_LEFT)
        self.body = base
        self.small = ParagraphStyle("s", parent=base, fontSize=7.5, leading=9.5)
        self.cell = ParagraphStyle("c", parent=base, fontSize=8, leading=10, wordWrap="CJK")
        self.code = ParagraphStyle("k", parent=self.cell, fontSize=7.5, wordWrap="CJK")
        self.h1 = ParagraphStyle("h1", parent=base, fontName=bold, fontSize=17, leading=21)
        self.h2 = ParagraphStyle(
            "h2", parent=base, fontName=bold, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4
        )
        self.warn = ParagraphStyle(
            "w", parent=base, fontName=bold, fontSize=10, leading=13, textColor=colors.darkred
        )

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        st = style or self.body
        if st.wordWrap == "CJK" and not _needs_cjk_wrap(text):
            st = self._latin.setdefault(st.name, ParagraphStyle(st.name + "-l", parent=st))
            st.wordWrap = None
        return Paragraph(markup(text, st.fontName), st)

    def b(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        st = style or self.body
        return Paragraph(f"<b>{markup(text, st.fontName)}</b>", st)


CHUNK_ROWS = 25  # long tables are cut in chunks: reportlab's page splitting is quadratic


def _table(st: _Styles, headers: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    data: list[list[Any]] = [[st.b(h, st.cell) for h in headers]]
    data += [[_cell(st, c, w) for c, w in zip(r, widths, strict=True)] for r in rows]
    t = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 1), (-1, -1), st.regular),
                ("FONTSIZE", (0, 1), (-1, -1), st.cell.fontSize),
                ("LEADING", (0, 1), (-1, -1), st.cell.leading),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ebef")),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b8bec6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return t


def _cell(st: _Styles, text: str, width_mm: float) -> Any:
    """Short one-font cells as plain strings (fast, no wrapping); the rest as Paragraphs."""
    if len(text) <= 60 and not any(_is_cjk(ch) or ord(ch) > 0xFFFF for ch in text):
        room = width_mm * mm - 7
        size = st.cell.fontSize
        if all(pdfmetrics.stringWidth(line, st.regular, size) <= room for line in text.split("\n")):
            return text
    return st.p(text, st.cell)


def _tables(
    st: _Styles, headers: list[str], rows: list[list[str]], widths: list[float]
) -> list[Flowable]:
    return [
        _table(st, headers, rows[i : i + CHUNK_ROWS], widths)
        for i in range(0, max(len(rows), 1), CHUNK_ROWS)
    ]


def _section(st: _Styles, title: str, flow: list[Flowable], rows: list[list[str]],
             headers: list[str], widths: list[float], empty: str) -> None:  # fmt: skip
    flow.append(st.p(title, st.h2))
    flow.extend(_tables(st, headers, rows, widths) if rows else [st.p(empty)])


def to_pdf(report: CaseReport) -> bytes:
    st = _Styles()
    r, lang, s = report, report.lang, report.summary

    def L(key: str) -> str:
        return label(lang, key)

    flow: list[Flowable] = [st.p(r.title, st.h1), Spacer(1, 3 * mm)]
    if r.case:
        flow.append(
            st.p(
                f"{L('case_id')}: {r.case.case_id or '—'} · {L('status')}: "
                f"{r.case.status or '—'} · {L('created')}: {fmt.when(r.case.created)}",
                st.small,
            )
        )
    flow.append(st.p(L("summary"), st.h2))
    flow.append(st.b(f"{fmt.risk_line(r)} — {s.headline}"))
    parties = ", ".join(p + (f" ({L('you')})" if s.me and p == s.me else "") for p in s.parties)
    summary_rows = [
        [L("stage"), s.stage_title or "—"],
        [L("period"), fmt.period(r)],
        [L("messages"), str(s.message_count)],
        [L("platform"), f"{s.platform or '—'} / {s.source_format}"],
        [L("parties"), parties or "—"],
    ]
    head = [L("assessment"), f"{L('risk')} {risk_percent(s.risk)}"]
    flow.append(_table(st, head, summary_rows, [45, 135]))
    if s.language_note:
        flow.append(st.p(s.language_note, st.warn))
    if s.label == "benign":
        flow.append(st.p(L("benign_note")))
    flow.append(Spacer(1, 2 * mm))
    flow.append(st.p(r.provenance.statement, st.small))
    if r.case and r.case.notes:
        flow += [st.p(L("analyst_notes"), st.h2), st.p(r.case.notes)]

    warn_style = st.warn if s.label != "benign" else st.body
    box = Table(
        [[st.p(L("recovery_title"), st.h2)], [st.p(r.guidance.recovery_warning, warn_style)]],
        colWidths=[180 * mm],
    )
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 2 if s.label != "benign" else 0.5,
                 colors.darkred if s.label != "benign" else colors.grey),
                ("BACKGROUND", (0, 0), (-1, -1),
                 colors.HexColor("#fff3f2" if s.label != "benign" else "#ffffff")),
            ]
        )
    )  # fmt: skip
    flow += [Spacer(1, 3 * mm), KeepTogether([box])]

    steps = [st.p(L("next_steps"), st.h2)]
    steps += [st.p(f"{n}. {x}") for n, x in enumerate(r.guidance.next_steps, 1)]
    steps.append(st.p(L("where_to_report"), st.h2))
    steps += [st.p(f"• {x}") for x in r.guidance.where_to_report]
    if s.label != "benign":
        steps += [st.p(L("what_next"), st.h2), st.p(r.guidance.what_happens_next)]
    flow.append(KeepTogether(steps))

    _section(
        st, L("money"), flow,
        [[fmt.when(m.time), f"{L('dir_' + m.direction)}\n{fmt.why(lang, m)}",
          f"{fmt.amount(m.amount)} {m.currency}\n{m.raw}", m.sender or "?",
          f"#{m.message_index} {m.quote}"] for m in r.money],
        [L("date"), L("direction"), L("amount"), L("who"), L("from_message")],
        [27, 26, 27, 25, 75], L("no_money"),
    )  # fmt: skip
    if r.money:
        flow.append(st.b(L("sent_totals")))
        flow += [st.b(t) for t in fmt.sent_totals(r) or [L("sent_totals_none")]]
        flow.append(st.p(L("sent_totals_caveat"), st.small))
    _section(
        st, L("wallets"), flow,
        [[w.chain or "?", w.address, f"{fmt.validity(lang, w.valid)}\n{w.validation}",
          f"{fmt.when(w.first_time)}\n{fmt.messages(w.message_indices)}", fmt.intel_text(w.intel)]
         for w in r.wallets],
        [L("chain"), L("address"), L("check"), L("first_seen"), L("intel")],
        [14, 62, 30, 32, 42], L("none_found"),
    )  # fmt: skip
    _section(
        st, L("tx_hashes"), flow,
        [[t.chain or "?", t.tx_hash, f"{fmt.when(t.first_time)}\n{fmt.messages(t.message_indices)}",
          fmt.intel_text(t.intel)] for t in r.tx_hashes],
        [L("chain"), L("hash"), L("first_seen"), L("intel")],
        [14, 92, 32, 42], L("none_found"),
    )  # fmt: skip
    _section(
        st, L("sites"), flow,
        [[x.kind + (f"\n{x.note}" if x.note else ""), x.value,
          f"{x.lookalike_brand} ({x.lookalike_score:.0%}) {x.lookalike_reason or ''}"
          if x.lookalike_brand and x.lookalike_score is not None else "—",
          f"{fmt.when(x.first_time)}\n{fmt.messages(x.message_indices)}", fmt.intel_text(x.intel)]
         for x in r.sites],
        [L("kind"), L("site"), L("lookalike"), L("first_seen"), L("intel")],
        [20, 55, 40, 32, 33], L("none_found"),
    )  # fmt: skip
    _section(
        st, L("contacts"), flow,
        [[c.kind + (f" ({c.platform})" if c.platform else ""), c.value, L("owner_" + c.owner),
          f"{fmt.when(c.first_time)}\n{fmt.messages(c.message_indices)}", fmt.intel_text(c.intel)]
         for c in r.contacts],
        [L("kind"), L("value"), L("who"), L("first_seen"), L("intel")],
        [25, 55, 23, 35, 42], L("none_found"),
    )  # fmt: skip

    flow.append(st.p(L("timeline"), st.h2))
    if r.stage_bands:
        flow.append(
            _table(
                st,
                [L("stage"), L("period"), L("message_no")],
                [[b.title, f"{fmt.when(b.first_time)} → {fmt.when(b.last_time)}",
                  f"#{b.first_index}–#{b.last_index}"] for b in r.stage_bands],
                [60, 90, 30],
            )
        )  # fmt: skip
        flow.append(Spacer(1, 3 * mm))
    if r.timeline:
        flow.extend(
            _tables(
                st,
                [L("date"), L("who"), L("from_message"), L("tactics")],
                [[f"{fmt.when(t.time)}\n#{t.index}", t.sender or "?", t.text,
                  ((t.stage_title + "\n") if t.stage_title else "") + ", ".join(t.tactics)]
                 for t in r.timeline],
                [27, 25, 90, 38],
            )
        )  # fmt: skip
    else:
        flow.append(st.p(L("none_found")))
    if r.timeline_omitted:
        flow.append(st.p(L("timeline_cut").format(n=r.timeline_omitted), st.small))

    flow.append(st.p(L("redaction"), st.h2))
    if r.redaction.enabled:
        flow += [st.p(f"• {x}", st.small) for x in r.redaction.rules]
        flow.append(st.p(", ".join(r.redaction.placeholders), st.small))
    else:
        flow.append(st.p(L("redaction_off")))
    if r.notes:
        flow.append(st.p(L("notes"), st.h2))
        flow += [st.p(f"• {n}", st.small) for n in r.notes]
    versions = " · ".join(f"{k} {v}" for k, v in r.provenance.versions)
    flow.append(st.p(L("footer"), st.h2))
    flow.append(
        st.p(
            f"{L('version')} {r.provenance.scamlens_version} · {versions}\n"
            f"{L('generated')} {fmt.when(r.provenance.generated_at)}\n{r.provenance.statement}",
            st.small,
        )
    )

    buf = io.BytesIO()
    footer_text = f"{r.title}" + (f" · {r.case.case_id}" if r.case and r.case.case_id else "")

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(st.regular, 7.5)
        canvas.drawString(15 * mm, 10 * mm, "scamlens" if lang == "zh" else footer_text[:90])
        canvas.drawRightString(195 * mm, 10 * mm, f"{doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=footer_text if lang != "zh" else "scamlens case report",
        author="scamlens",
        subject="case report",
        creator=f"scamlens {r.provenance.scamlens_version}",
        invariant=1,
    )
    doc.build(flow, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()

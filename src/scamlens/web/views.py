"""View models for the analyst pages: plain data built from a stored case, no detection here.

Everything the templates show comes from the verdict document the core produced and the
conversation the store kept. Text is cut into segments on the original character offsets
(evidence spans point into the original message text) and each segment is made display-safe
afterwards, so removing bidi controls never shifts a highlight.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scamlens.model import Conversation, Stage
from scamlens.text.normalize import display_safe

MAX_MESSAGES = 3000  # messages drawn on one page of a case; later ones on the next pages

LABEL_WORDS = {
    "scam": "Scam",
    "suspicious": "Suspicious",
    "benign": "Likely benign",
}
LABEL_SENTENCE = {
    "scam": "This conversation matches the pig-butchering scam pattern.",
    "suspicious": "This conversation shows some signs of a pig-butchering scam.",
    "benign": "No strong signs of a pig-butchering scam were found.",
}
STATUS_WORDS = {
    "new": "New",
    "in_review": "In review",
    "confirmed_scam": "Confirmed scam",
    "not_scam": "Not a scam",
    "reported": "Reported",
    "closed": "Closed",
}
# Conversation languages as the statistics page names them.
LANGUAGE_WORDS = {"other": "other (not English or Chinese)"}
NO_STAGE = "none"


def stage_title(stage: str | None) -> str:
    if not stage or stage == NO_STAGE:
        return "No stage signals yet"
    try:
        return Stage(stage).display
    except ValueError:
        return stage


def stage_order(stage: str | None) -> int:
    try:
        return Stage(stage or "").order
    except ValueError:
        return -1


def verdict_of(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The verdict object from a scan document, a scan result, or a verdict itself."""
    results = doc.get("results")
    if isinstance(results, list) and results and isinstance(results[0], Mapping):
        inner = results[0].get("verdict")
        if isinstance(inner, Mapping):
            return dict(inner)
    inner = doc.get("verdict")
    if isinstance(inner, Mapping):
        return dict(inner)
    return dict(doc)


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    kind: str | None = None  # "ev", "counter", "ind" or None for plain text
    title: str = ""


@dataclass(slots=True)
class Finding:
    """One piece of tactic evidence; `target` is the feedback target "evidence:<i>"."""

    number: int
    target: str
    tactic: str
    name: str
    stage: str
    score: float
    message_index: int | None
    quote: str
    source: str
    decision: str | None = None


@dataclass(slots=True)
class IndicatorRow:
    number: int
    target: str
    type: str
    value: str
    raw: str
    message_index: int | None
    validation: str
    hits: list[dict[str, Any]] = field(default_factory=list)
    decision: str | None = None


@dataclass(slots=True)
class MessageRow:
    index: int
    sender: str
    time: str
    is_user: bool | None
    kind: str
    segments: list[Segment]
    findings: list[Finding]
    counter: list[str]
    attachments: list[str]


@dataclass(slots=True)
class Band:
    stage: str
    title: str
    order: int
    rows: list[MessageRow] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.rows[0].index if self.rows else 0

    @property
    def last(self) -> int:
        return self.rows[-1].index if self.rows else 0


def highlight(text: str, spans: Iterable[tuple[int, int, str, str]]) -> list[Segment]:
    """Cut `text` at span edges; each piece keeps the strongest kind covering it.

    spans: (start, end, kind, title) with offsets into `text`. Kinds rank ev > counter > ind.
    """
    rank = {"ev": 3, "counter": 2, "ind": 1}
    clean = [
        (max(0, s), min(len(text), e), k, t)
        for s, e, k, t in spans
        if min(len(text), e) > max(0, s)
    ]
    if not clean:
        return [Segment(display_safe(text))] if text else []
    edges = sorted({0, len(text), *(s for s, _, _, _ in clean), *(e for _, e, _, _ in clean)})
    out: list[Segment] = []
    for a, b in itertools.pairwise(edges):
        if a >= b:
            continue
        covering = [(k, t) for s, e, k, t in clean if s <= a and b <= e]
        piece = display_safe(text[a:b])
        if not covering:
            out.append(Segment(piece))
            continue
        kind = max((k for k, _ in covering), key=lambda k: rank.get(k, 0))
        titles = list(dict.fromkeys(t for _, t in covering if t))
        out.append(Segment(piece, kind, "; ".join(titles)))
    return out


def latest_decisions(feedback: Iterable[Any]) -> dict[str, str]:
    """target -> the last decision recorded for it (feedback is oldest first)."""
    out: dict[str, str] = {}
    for fb in feedback:
        target = _get(fb, "target")
        decision = _get(fb, "decision")
        if isinstance(target, str) and isinstance(decision, str):
            out[target] = decision
    return out


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def findings_of(verdict: Mapping[str, Any], decisions: Mapping[str, str]) -> list[Finding]:
    out: list[Finding] = []
    for t in verdict.get("tactics") or []:
        for e in t.get("evidence") or []:
            i = len(out)
            target = f"evidence:{i}"
            out.append(
                Finding(
                    number=i,
                    target=target,
                    tactic=str(t.get("id", "")),
                    name=str(t.get("name") or t.get("id", "")),
                    stage=str(t.get("stage") or ""),
                    score=float(e.get("score") or 0.0),
                    message_index=e.get("message_index"),
                    # An empty quote (a hidden link's target) shows its note instead.
                    quote=display_safe(str(e.get("quote") or e.get("note") or "")),
                    source=str(e.get("source") or ""),
                    decision=decisions.get(target),
                )
            )
    return out


def indicators_of(verdict: Mapping[str, Any], decisions: Mapping[str, str]) -> list[IndicatorRow]:
    hits: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for h in verdict.get("intel_hits") or []:
        hits.setdefault((str(h.get("type")), str(h.get("value"))), []).append(dict(h))
    out: list[IndicatorRow] = []
    for i, ind in enumerate(verdict.get("indicators") or []):
        target = f"indicator:{i}"
        typ = str(ind.get("type") or "")
        value = str(ind.get("value") or "")
        chain = ind.get("chain")
        out.append(
            IndicatorRow(
                number=i,
                target=target,
                type=f"{typ} ({chain})" if chain else typ,
                value=display_safe(value),
                raw=display_safe(str(ind.get("raw") or "")),
                message_index=ind.get("message_index"),
                validation=str(ind.get("validation") or ""),
                hits=hits.get((typ, value), []),
                decision=decisions.get(target),
            )
        )
    return out


def _stage_at(timeline: Sequence[Mapping[str, Any]], n: int) -> list[str]:
    """Per message index, the furthest stage reached so far (by stage order)."""
    starts = sorted(
        (int(s.get("first_index", 0)), str(s.get("stage"))) for s in timeline if s.get("stage")
    )
    out: list[str] = []
    current = NO_STAGE
    j = 0
    for i in range(n):
        while j < len(starts) and starts[j][0] <= i:
            if stage_order(starts[j][1]) > stage_order(current):
                current = starts[j][1]
            j += 1
        out.append(current)
    return out


def page_count(n_messages: int) -> int:
    return max(1, -(-n_messages // MAX_MESSAGES))


@dataclass(frozen=True, slots=True)
class Pages:
    """Which page of a case shows each message, and the link to it from page `current`."""

    current: int
    total: int
    page_of: Mapping[int, int]  # message index -> page (1-based)

    @classmethod
    def of(cls, conv: Conversation, current: int) -> Pages:
        page_of = {m.index: pos // MAX_MESSAGES + 1 for pos, m in enumerate(conv.messages)}
        total = page_count(len(conv.messages))
        return cls(min(max(current, 1), total), total, page_of)

    def href(self, message_index: int | None, anchor: str = "") -> str:
        """Link to `anchor` (default the message itself) on the page holding the message."""
        anchor = anchor or (f"m{message_index}" if message_index is not None else "")
        page = self.page_of.get(message_index, self.current) if message_index is not None else 0
        if not page or page == self.current:
            return f"#{anchor}"
        return f"?page={page}#{anchor}"


@dataclass(frozen=True, slots=True)
class StripEntry:
    stage: str
    title: str
    first: int
    last: int
    href: str


def stage_strip(conv: Conversation, verdict: Mapping[str, Any], pages: Pages) -> list[StripEntry]:
    """The stage bands of the whole conversation (every page), each linked to its first
    message."""
    stages = _stage_at(verdict.get("timeline") or [], len(conv.messages))
    out: list[StripEntry] = []
    for m, stage in zip(conv.messages, stages, strict=False):
        if out and out[-1].stage == stage:
            last = out[-1]
            out[-1] = StripEntry(last.stage, last.title, last.first, m.index, last.href)
        else:
            out.append(StripEntry(stage, stage_title(stage), m.index, m.index, pages.href(m.index)))
    return out


def bands_of(
    conv: Conversation, verdict: Mapping[str, Any], findings: Sequence[Finding], page: int = 1
) -> list[Band]:
    """The messages of one page grouped into consecutive bands of the furthest stage reached
    so far (in the whole conversation)."""
    start = (page - 1) * MAX_MESSAGES
    msgs = conv.messages[start : start + MAX_MESSAGES]
    by_msg: dict[int, list[Finding]] = {}
    for f in findings:
        if f.message_index is not None:
            by_msg.setdefault(int(f.message_index), []).append(f)
    spans: dict[int, list[tuple[int, int, str, str]]] = {}
    flat = [e for t in verdict.get("tactics") or [] for e in t.get("evidence") or []]
    for f, e in zip(findings, flat, strict=False):
        if f.message_index is not None:
            spans.setdefault(int(f.message_index), []).append(
                (int(e.get("start") or 0), int(e.get("end") or 0), "ev", f.name)
            )
    counter: dict[int, list[str]] = {}
    for e in verdict.get("counter_evidence") or []:
        mi = e.get("message_index")
        if mi is None:
            continue
        title = f"counter-evidence: {e.get('tactic') or ''}".strip()
        spans.setdefault(int(mi), []).append(
            (int(e.get("start") or 0), int(e.get("end") or 0), "counter", title)
        )
        counter.setdefault(int(mi), []).append(str(e.get("note") or e.get("tactic") or ""))
    for ind in verdict.get("indicators") or []:
        mi = ind.get("message_index")
        if mi is not None:
            spans.setdefault(int(mi), []).append(
                (int(ind.get("start") or 0), int(ind.get("end") or 0), "ind", str(ind.get("type")))
            )
    stages = _stage_at(verdict.get("timeline") or [], start + len(msgs))
    bands: list[Band] = []
    for pos, m in enumerate(msgs, start):
        stage = stages[pos] if pos < len(stages) else NO_STAGE
        if not bands or bands[-1].stage != stage:
            bands.append(Band(stage, stage_title(stage), stage_order(stage)))
        bands[-1].rows.append(
            MessageRow(
                index=m.index,
                sender=display_safe(m.sender or "(unknown)"),
                time=m.timestamp.strftime("%Y-%m-%d %H:%M") if m.timestamp else "",
                is_user=m.is_user,
                kind=m.kind.value,
                segments=highlight(m.text, spans.get(m.index, [])),
                findings=by_msg.get(m.index, []),
                counter=counter.get(m.index, []),
                attachments=[display_safe(a) for a in m.attachments],
            )
        )
    return bands


def explanation(verdict: Mapping[str, Any], findings: Sequence[Finding]) -> list[str]:
    """The top reasons behind the risk, in plain words (a few short sentences)."""
    label = str(verdict.get("label") or "")
    out = [LABEL_SENTENCE.get(label, "")]
    tactics = sorted(
        verdict.get("tactics") or [], key=lambda t: float(t.get("score") or 0), reverse=True
    )
    for t in tactics[:3]:
        ev = (t.get("evidence") or [{}])[0]
        where = ""
        if ev.get("message_index") is not None:
            quote = display_safe(str(ev.get("quote") or ev.get("note") or ""))
            quote = quote if len(quote) <= 90 else quote[:87] + "…"
            where = f" — message #{ev['message_index']}: “{quote}”"
        out.append(f"{t.get('name') or t.get('id')} ({stage_title(t.get('stage'))}){where}")
    listed = [h for h in verdict.get("intel_hits") or [] if not h.get("allowlisted")]
    if listed:
        sources = sorted({str(h.get("source")) for h in listed})
        out.append(
            f"{len(listed)} wallet, site or contact(s) are listed in the intelligence store "
            f"({', '.join(sources)})."
        )
    time = verdict.get("time") or {}
    if time.get("days_to_money") is not None:
        out.append(f"Money or investment came up {float(time['days_to_money']):.1f} days in.")
    n_counter = len(verdict.get("counter_evidence") or [])
    if n_counter:
        out.append(f"{n_counter} piece(s) of counter-evidence lower the risk.")
    return [s for s in out if s]

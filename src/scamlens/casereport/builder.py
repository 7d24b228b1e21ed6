"""build_report: a victim case report from a conversation and its verdict (the `scan` JSON dict
the service stores, or a Verdict object)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from scamlens.casereport import money
from scamlens.casereport.labels import LANGS, label, stage_title
from scamlens.casereport.model import (
    CaseInfo,
    CaseReport,
    ContactRow,
    Guidance,
    IntelRow,
    MoneyRow,
    MoneyTotal,
    Provenance,
    Redaction,
    SiteRow,
    StageBand,
    Summary,
    TimelineEntry,
    TxRow,
    WalletRow,
)
from scamlens.casereport.redact import RULES_EN, RULES_ZH, Redactor, victim_names
from scamlens.errors import ScamlensError
from scamlens.model import Conversation, Message, Stage, Verdict
from scamlens.text.normalize import display_safe

MAX_TIMELINE = 300  # key messages quoted; money and indicator tables are never cut
QUOTE_CHARS = 600
MONEY_QUOTE_CHARS = 240
# Invisible characters that can hide or disguise text in a printed report.
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x180E, 0x00AD]
    + [c for c in range(0x20) if c not in (0x09, 0x0A)]
    + [0x7F],
)


class CaseReportError(ScamlensError):
    """The verdict or case given to the report builder is not usable."""


def clean(text: str) -> str:
    """Display-safe text: no bidi overrides, zero-width or control characters."""
    return display_safe(text).translate(_INVISIBLE)


def _as_dict(verdict: Mapping[str, Any] | Verdict) -> dict[str, Any]:
    if isinstance(verdict, Verdict):
        from scamlens.report.jsonout import verdict_dict

        return verdict_dict(verdict)
    if not isinstance(verdict, Mapping):
        raise CaseReportError("verdict: expected the scan verdict object (a JSON object)")
    d = dict(verdict)
    # A whole scan document or one of its results: take the (first) verdict inside.
    if isinstance(d.get("results"), list) and d["results"] and isinstance(d["results"][0], Mapping):
        d = dict(d["results"][0])
    if isinstance(d.get("verdict"), Mapping):
        d = dict(d["verdict"])
    for key, typ in (("risk", (int, float)), ("label", str)):
        if not isinstance(d.get(key), typ):
            raise CaseReportError(f"verdict: key {key!r} is missing or has the wrong type")
    for key in ("timeline", "tactics", "indicators", "intel_hits", "model_evidence"):
        if not isinstance(d.get(key, []), list):
            raise CaseReportError(f"verdict: key {key!r} must be a list")
    return d


def _time(s: Any) -> datetime | None:
    if isinstance(s, datetime):
        return s
    if isinstance(s, str) and s:
        try:
            return datetime.fromisoformat(s)
        except ValueError:
            return None
    return None


def _pick_lang(lang: str | None, v: dict[str, Any]) -> str:
    if lang is not None:
        if lang not in LANGS:
            raise CaseReportError(f"lang: expected one of {', '.join(LANGS)}, got {lang!r}")
        return lang
    return "zh" if str(v.get("language", "")).startswith("zh") else "en"


@dataclass
class _Ctx:
    conv: Conversation
    v: dict[str, Any]
    lang: str
    red: Redactor
    msgs: dict[int, Message]
    stage_of: dict[int, str] = field(default_factory=dict)
    intel: dict[tuple[str, str], list[IntelRow]] = field(default_factory=dict)
    _text_cache: dict[int, str] = field(default_factory=dict)

    def text(self, index: int | None) -> str:
        if index is None or index not in self.msgs:
            return ""
        if index not in self._text_cache:
            self._text_cache[index] = self.red.text(clean(self.msgs[index].text))
        return self._text_cache[index]

    def time(self, index: int | None) -> datetime | None:
        m = self.msgs.get(index) if index is not None else None
        return m.timestamp if m else None

    def sender(self, index: int | None) -> str | None:
        m = self.msgs.get(index) if index is not None else None
        return self.red.name(clean(m.sender)) if m and m.sender else None


def _shorten(text: str, limit: int, around: str | None = None) -> str:
    if len(text) <= limit:
        return text
    pos = text.find(around) if around else -1
    start = max(0, min(pos - limit // 3, len(text) - limit)) if pos > 0 else 0
    out = text[start : start + limit]
    return ("…" if start else "") + out + ("…" if start + limit < len(text) else "")


def _indicators(conv: Conversation, v: dict[str, Any]) -> list[dict[str, Any]]:
    inds = [i for i in v.get("indicators") or [] if isinstance(i, Mapping)]
    if inds or not conv.messages:
        return [dict(i) for i in inds]
    # The verdict was made without indicator extraction (--no-intel): extract them here,
    # since the report's tables are its point.
    from scamlens.indicators import extract_conversation
    from scamlens.report.jsonout import indicator_dict

    return [indicator_dict(i) for i in extract_conversation(conv)]


def _intel(v: dict[str, Any]) -> dict[tuple[str, str], list[IntelRow]]:
    out: dict[tuple[str, str], list[IntelRow]] = {}
    for h in v.get("intel_hits") or []:
        if not isinstance(h, Mapping):
            continue
        row = IntelRow(
            source=str(h.get("source", "")),
            labels=tuple(str(x) for x in h.get("labels") or ()),
            confidence=float(h.get("confidence") or 0.0),
            reason=clean(str(h.get("reason") or "")),
            first_seen=_time(h.get("first_seen")),
            allowlisted=bool(h.get("allowlisted")),
        )
        out.setdefault((str(h.get("type")), str(h.get("value"))), []).append(row)
    return out


def _setup_redaction(ctx: _Ctx, inds: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """Register victim data with the redactor; return the (type, value) keys that are the
    victim's own contacts."""
    by_key: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for i in inds:
        if i.get("type") in ("phone", "email", "handle"):
            by_key.setdefault((str(i["type"]), str(i["value"])), []).append(i)
    victim: set[tuple[str, str]] = set()
    other_emails: list[str] = []
    for key, rows in by_key.items():
        idxs = [r.get("message_index") for r in rows]
        mine = all(
            isinstance(x, int) and x in ctx.msgs and ctx.msgs[x].is_user is True for x in idxs
        )
        if mine:
            victim.add(key)
        elif key[0] == "email":
            other_emails.extend([key[1], *(str(r.get("raw", "")) for r in rows)])
    if not ctx.red.enabled:
        return victim
    ctx.red.add_victim_names(victim_names(ctx.conv))
    ctx.red.keep(other_emails)
    kinds = {"phone": "PHONE", "email": "EMAIL", "handle": "HANDLE"}
    for key in sorted(victim):
        rows = by_key[key]
        forms = [key[1], *(str(r.get("raw", "")) for r in rows)]
        if key[0] == "phone":
            forms.append("".join(c for c in key[1] if c.isdigit()))
            forms += [str(r.get("attrs", {}).get("e164", "")) for r in rows]
        if key[0] == "handle":
            forms += [f"@{key[1]}"]
        ctx.red.add_literal(kinds[key[0]], *forms)
    return victim


def _bands(ctx: _Ctx) -> tuple[StageBand, ...]:
    bands = []
    for s in ctx.v.get("timeline") or []:
        if not isinstance(s, Mapping) or not s.get("stage"):
            continue
        stage = str(s["stage"])
        for i in s.get("message_indices") or ():
            ctx.stage_of.setdefault(int(i), stage)
        bands.append(
            StageBand(
                stage=stage,
                title=stage_title(ctx.lang, stage) or stage,
                first_index=int(s.get("first_index", 0)),
                last_index=int(s.get("last_index", 0)),
                first_time=_time(s.get("first_time")),
                last_time=_time(s.get("last_time")),
                tactics=tuple(str(t) for t in s.get("tactics") or ()),
            )
        )
    return tuple(bands)


def _timeline(
    ctx: _Ctx, inds: list[dict[str, Any]], limit: int, flagged: bool
) -> tuple[tuple[TimelineEntry, ...], int]:
    score: dict[int, float] = {}
    tactics: dict[int, list[str]] = {}
    reasons: dict[int, list[str]] = {}

    def add(idx: Any, s: float, reason: str, tactic: str | None = None) -> None:
        if not isinstance(idx, int) or idx not in ctx.msgs:
            return
        score[idx] = max(score.get(idx, 0.0), s)
        if reason not in reasons.setdefault(idx, []):
            reasons[idx].append(reason)
        if tactic and tactic not in tactics.setdefault(idx, []):
            tactics[idx].append(tactic)

    # A benign result quotes no "warning signs": only messages with money or indicators.
    for t in ctx.v.get("tactics") or [] if flagged else []:
        for e in t.get("evidence") or []:
            if not e.get("counter"):
                add(e.get("message_index"), float(e.get("score") or 0), "evidence", t.get("name"))
    for e in ctx.v.get("model_evidence") or [] if flagged else []:
        add(e.get("message_index"), 0.5 * float(e.get("score") or 0), "model")
    weights = {"wallet": 2.0, "txhash": 2.0, "amount": 1.5, "app_lure": 1.5, "url": 1.2}
    for i in inds:
        typ = str(i.get("type"))
        if typ == "amount" and money.is_false_amount(str(i.get("raw", ""))):
            continue
        add(i.get("message_index"), weights.get(typ, 1.1), typ)
    chosen = sorted(score, key=lambda k: (-score[k], k))[:limit]
    entries = []
    for idx in sorted(chosen):
        m = ctx.msgs[idx]
        stage = ctx.stage_of.get(idx)
        entries.append(
            TimelineEntry(
                index=idx,
                time=m.timestamp,
                sender=ctx.sender(idx),
                is_user=m.is_user,
                stage=stage,
                stage_title=stage_title(ctx.lang, stage),
                text=_shorten(ctx.text(idx), QUOTE_CHARS),
                tactics=tuple(clean(x) for x in tactics.get(idx, [])),
                reasons=tuple(reasons.get(idx, [])),
            )
        )
    return tuple(entries), len(score) - len(chosen)


def _direction(m: Message, ind: dict[str, Any]) -> money.Decision:
    start, end = int(ind.get("start") or 0), int(ind.get("end") or 0)
    return money.classify(m.text, start, end, is_user=m.is_user)


def _totals(rows: tuple[MoneyRow, ...]) -> tuple[MoneyTotal, ...]:
    """Sum of the "sent" rows by currency; claimed profits, fees demanded and asks are not a
    loss and are never added."""
    sums: dict[str, tuple[Decimal, int]] = {}
    for r in rows:
        if r.direction != "sent":
            continue
        try:
            value = Decimal(r.amount)
        except InvalidOperation:
            continue
        total, n = sums.get(r.currency, (Decimal(0), 0))
        sums[r.currency] = (total + value, n + 1)
    return tuple(
        MoneyTotal(currency=c, amount=format(t.normalize(), "f"), rows=n)
        for c, (t, n) in sorted(sums.items(), key=lambda kv: (kv[0] == "", kv[0]))
    )


def _money(ctx: _Ctx, inds: list[dict[str, Any]]) -> tuple[MoneyRow, ...]:
    rows = []
    seen: set[tuple[Any, ...]] = set()
    for i in inds:
        if i.get("type") != "amount":
            continue
        raw = clean(str(i.get("raw", "")))
        idx = i.get("message_index")
        key = (idx, i.get("start"), i.get("value"))
        if money.is_false_amount(raw) or key in seen:
            continue
        seen.add(key)
        attrs = i.get("attrs") or {}
        value = str(i.get("value", ""))
        amount = str(attrs.get("amount") or value.split(" ")[0])
        currency = str(attrs.get("currency") or (value.split(" ")[1] if " " in value else ""))
        m = ctx.msgs.get(idx) if isinstance(idx, int) else None
        start, end = int(i.get("start") or 0), int(i.get("end") or 0)
        if m is not None and money.is_count(m.text, start, end, currency):
            continue  # "I ran 10k", "5k followers": a count, not money
        decision = _direction(m, i) if m else money.Decision("mentioned", "no_cue", "")
        text = ctx.text(idx)
        rows.append(
            MoneyRow(
                time=ctx.time(idx),
                message_index=idx if isinstance(idx, int) else None,
                sender=ctx.sender(idx),
                direction=decision.direction,
                amount=amount,
                currency=currency,
                raw=raw,
                quote=_shorten(text, MONEY_QUOTE_CHARS, raw),
                rule=decision.rule,
                cue=clean(decision.cue),
            )
        )
    rows.sort(key=lambda r: (r.message_index is None, r.message_index or 0))
    return tuple(rows)


def _grouped(
    inds: list[dict[str, Any]], types: tuple[str, ...]
) -> list[tuple[dict[str, Any], tuple[int, ...]]]:
    groups: dict[tuple[str, str], tuple[dict[str, Any], list[int]]] = {}
    for i in inds:
        if i.get("type") not in types:
            continue
        key = (str(i["type"]), str(i.get("value")))
        _, idxs = groups.setdefault(key, (i, []))
        if isinstance(i.get("message_index"), int) and i["message_index"] not in idxs:
            idxs.append(i["message_index"])
    return [(first, tuple(sorted(idxs))) for first, idxs in groups.values()]


def _first_time(ctx: _Ctx, idxs: tuple[int, ...]) -> datetime | None:
    return ctx.time(idxs[0]) if idxs else None


def _wallets(ctx: _Ctx, inds: list[dict[str, Any]]) -> tuple[WalletRow, ...]:
    return tuple(
        WalletRow(
            chain=i.get("chain"),
            address=clean(str(i["value"])),
            valid=i.get("valid"),
            validation=str(i.get("validation") or ""),
            first_time=_first_time(ctx, idxs),
            message_indices=idxs,
            intel=tuple(ctx.intel.get(("wallet", str(i["value"])), ())),
        )
        for i, idxs in _grouped(inds, ("wallet",))
    )


def _txs(ctx: _Ctx, inds: list[dict[str, Any]]) -> tuple[TxRow, ...]:
    return tuple(
        TxRow(
            chain=i.get("chain"),
            tx_hash=clean(str(i["value"])),
            first_time=_first_time(ctx, idxs),
            message_indices=idxs,
            intel=tuple(ctx.intel.get(("txhash", str(i["value"])), ())),
        )
        for i, idxs in _grouped(inds, ("txhash",))
    )


def _sites(ctx: _Ctx, inds: list[dict[str, Any]]) -> tuple[SiteRow, ...]:
    from scamlens.indicators import lookalike

    rows = []
    for i, idxs in _grouped(inds, ("domain", "url", "app_lure")):
        attrs = i.get("attrs") or {}
        value = str(i["value"])
        domain = attrs.get("domain") or (value if i["type"] == "domain" else None)
        look = lookalike(str(domain or value))
        # A url or app link on a listed domain is that site: show the domain's hits on it too.
        hits = list(ctx.intel.get((str(i["type"]), value), ()))
        if domain and i["type"] != "domain":
            hits += [h for h in ctx.intel.get(("domain", str(domain)), ()) if h not in hits]
        rows.append(
            SiteRow(
                kind=str(i["type"]),
                value=clean(value),
                domain=clean(str(domain)) if domain else None,
                lookalike_brand=look.brand if look else None,
                lookalike_score=look.score if look else None,
                lookalike_reason=look.reason if look else None,
                note=clean(str(attrs.get("kind", ""))) if i["type"] == "app_lure" else "",
                first_time=_first_time(ctx, idxs),
                message_indices=idxs,
                intel=tuple(hits),
            )
        )
    return tuple(rows)


def _contacts(
    ctx: _Ctx, inds: list[dict[str, Any]], victim: set[tuple[str, str]]
) -> tuple[ContactRow, ...]:
    rows = []
    for i, idxs in _grouped(inds, ("phone", "email", "handle")):
        key = (str(i["type"]), str(i["value"]))
        mine = key in victim
        if mine and ctx.red.enabled:
            continue  # the victim's own contact details are not listed in a redacted report
        attrs = i.get("attrs") or {}
        rows.append(
            ContactRow(
                kind=key[0],
                platform=attrs.get("platform") if key[0] == "handle" else None,
                value=clean(key[1]),
                owner="victim" if mine else "other_party",
                first_time=_first_time(ctx, idxs),
                message_indices=idxs,
                intel=tuple(ctx.intel.get(key, ())),
            )
        )
    return tuple(rows)


def _guidance(lang: str, stage: str | None, label_: str) -> Guidance:
    from scamlens.scoring.advice import advice_for

    try:
        st = Stage(stage) if stage else None
    except ValueError:
        st = None
    a = advice_for(st, label_ if label_ in ("scam", "suspicious") else "benign", lang)
    steps = list(a.next_steps)
    if label_ != "benign":
        steps.insert(1, label(lang, "unpaid_fees"))
    return Guidance(
        next_steps=tuple(steps),
        where_to_report=(*a.where_to_report, label(lang, "other_regions")),
        recovery_warning=a.recovery_warning,
        what_happens_next=a.what_happens_next,
    )


def build_report(
    conversation: Conversation,
    verdict: Mapping[str, Any] | Verdict,
    *,
    case: CaseInfo | None = None,
    redact: bool = False,
    lang: str | None = None,
    generated_at: datetime | None = None,
    max_timeline: int = MAX_TIMELINE,
) -> CaseReport:
    """The victim case report. `verdict` is the scan JSON verdict dict (or a Verdict)."""
    from scamlens import __version__

    v = _as_dict(verdict)
    rlang = _pick_lang(lang, v)
    ctx = _Ctx(
        conv=conversation,
        v=v,
        lang=rlang,
        red=Redactor(redact),
        msgs={m.index: m for m in conversation.messages},
    )
    ctx.intel = _intel(v)
    inds = _indicators(conversation, v)
    victim = _setup_redaction(ctx, inds)
    bands = _bands(ctx)
    label_ = str(v["label"]) if v["label"] in ("scam", "suspicious", "benign") else "benign"
    timeline, omitted = _timeline(ctx, inds, max_timeline, label_ != "benign")
    stage = v.get("stage") if label_ != "benign" else None
    times = [m.timestamp for m in conversation.messages if m.timestamp is not None]
    summary = Summary(
        risk=float(v["risk"]),
        label=label_,
        stage=str(stage) if stage else None,
        stage_title=stage_title(rlang, str(stage)) if stage else None,
        language=str(v.get("language") or "unknown"),
        first_time=min(times, default=None),
        last_time=max(times, default=None),
        message_count=len(conversation.messages),
        platform=conversation.platform,
        source_format=conversation.source_format,
        parties=tuple(ctx.red.text(clean(p)) for p in conversation.participants),
        me=ctx.red.name(clean(conversation.me)) if conversation.me else None,
        headline=label(rlang, f"headline_{label_}"),
        language_note=label(rlang, "language_other") if v.get("language") == "other" else None,
    )
    if case is not None and redact:
        case = CaseInfo(
            case_id=case.case_id,
            status=case.status,
            notes=ctx.red.text(clean(case.notes)) if case.notes else None,
            created=case.created,
        )
    elif case is not None and case.notes:
        case = CaseInfo(case.case_id, case.status, clean(case.notes), case.created)
    money_rows = _money(ctx, inds)
    wallets, txs = _wallets(ctx, inds), _txs(ctx, inds)
    sites, contacts = _sites(ctx, inds), _contacts(ctx, inds, victim)
    notes = tuple(ctx.red.text(clean(w)) for w in conversation.warnings)
    return CaseReport(
        lang=rlang,
        title=label(rlang, "title"),
        case=case,
        summary=summary,
        stage_bands=bands if label_ != "benign" else (),
        timeline=timeline,
        timeline_omitted=omitted,
        money=money_rows,
        wallets=wallets,
        tx_hashes=txs,
        sites=sites,
        contacts=contacts,
        guidance=_guidance(rlang, summary.stage, label_),
        redaction=Redaction(
            enabled=redact,
            rules=(RULES_ZH if rlang == "zh" else RULES_EN) if redact else (),
            placeholders=ctx.red.placeholders() if redact else (),
            count=ctx.red.count,
        ),
        provenance=Provenance(
            scamlens_version=__version__,
            versions=tuple(sorted((str(k), str(x)) for k, x in (v.get("versions") or {}).items())),
            generated_at=generated_at or datetime.now(UTC),
            statement=label(rlang, "statement"),
        ),
        notes=notes,
        money_sent_totals=_totals(money_rows),
    )

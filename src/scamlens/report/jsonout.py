"""The documented, versioned JSON form of scan results.

Schema: resources/schema/scan.schema.json.
"""

from __future__ import annotations

from datetime import UTC, datetime, timezone, tzinfo
from typing import Any

from scamlens.model import (
    Advice,
    Conversation,
    Evidence,
    Indicator,
    IntelHit,
    Message,
    MessageKind,
    StageSpan,
    TacticFinding,
    Verdict,
)
from scamlens.text.language import language_note
from scamlens.text.normalize import display_safe

SCHEMA_ID = "https://scamlens.org/schema/scan/1.0"


def _time(value: datetime | None) -> str | None:
    return iso_time(value) if value is not None else None


# isoformat() runs for every message of every result and costs about a microsecond (twice
# that with an offset); whole-second times in common years and fixed zones come from tables.
_YEARS = {y: f"{y:04d}-" for y in range(1900, 2200)}
_MONTH_DAY = [f"{m:02d}-{d:02d}T" for m in range(13) for d in range(32)]  # [month * 32 + day]
_HOUR_MINUTE = [f"{h:02d}:{m:02d}:" for h in range(24) for m in range(60)]
_SECONDS = [f"{s:02d}" for s in range(60)]
_SUFFIXES: dict[tzinfo | None, str] = {None: "", UTC: "+00:00"}  # fixed zone -> its offset


def iso_time(dt: datetime) -> str:
    """Exactly ``dt.isoformat()``, faster."""
    tz = dt.tzinfo
    suffix = _SUFFIXES.get(tz)
    if suffix is None:
        if type(tz) is not timezone or len(_SUFFIXES) >= 64:  # DST zones, or too many
            return dt.isoformat()
        # A fixed zone's offset does not depend on the time: take isoformat's own text.
        suffix = _SUFFIXES[tz] = datetime(2000, 1, 1, tzinfo=tz).isoformat()[19:]
    year = _YEARS.get(dt.year)
    if year is None or dt.microsecond or type(dt) is not datetime:
        return dt.isoformat()
    month_day = _MONTH_DAY[dt.month * 32 + dt.day]
    hour_minute = _HOUR_MINUTE[dt.hour * 60 + dt.minute]
    return f"{year}{month_day}{hour_minute}{_SECONDS[dt.second]}{suffix}"  # one join, no copies


def evidence_dict(ev: Evidence) -> dict[str, Any]:
    return {
        "tactic": ev.tactic,
        "source": ev.source,
        "score": ev.score,
        "message_index": ev.message_index,
        "start": ev.start,
        "end": ev.end,
        "quote": display_safe(ev.quote),
        "counter": ev.counter,
        "note": ev.note,
    }


def _tactic(t: TacticFinding) -> dict[str, Any]:
    return {
        "id": t.id,
        "name": t.name,
        "stage": t.stage.value,
        "score": t.score,
        "evidence": [evidence_dict(e) for e in t.evidence],
    }


def _span(s: StageSpan) -> dict[str, Any]:
    return {
        "stage": s.stage.value,
        "title": s.stage.display,
        "first_index": s.first_index,
        "last_index": s.last_index,
        "message_indices": list(s.message_indices),
        "tactics": list(s.tactics),
        "first_time": _time(s.first_time),
        "last_time": _time(s.last_time),
    }


def _advice(a: Advice | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {
        "summary": a.summary,
        "next_steps": list(a.next_steps),
        "what_happens_next": a.what_happens_next,
        "recovery_warning": a.recovery_warning,
        "where_to_report": list(a.where_to_report),
    }


def indicator_dict(i: Indicator) -> dict[str, Any]:
    return {
        "type": i.type,
        "value": i.value,
        "raw": display_safe(i.raw),
        "detector": i.detector,
        "message_index": i.message_index,
        "start": i.start,
        "end": i.end,
        "chain": i.chain,
        "valid": i.valid,
        "validation": i.validation,
        "attrs": dict(i.attrs),
    }


def intel_hit_dict(h: IntelHit) -> dict[str, Any]:
    return {
        "type": h.type,
        "value": h.value,
        "source": h.source,
        "labels": list(h.labels),
        "confidence": h.confidence,
        "first_seen": _time(h.first_seen),
        "last_seen": _time(h.last_seen),
        "expires": _time(h.expires),
        "allowlisted": h.allowlisted,
        "reason": h.reason,
    }


def verdict_dict(v: Verdict) -> dict[str, Any]:
    return {
        "risk": v.risk,
        "label": v.label,
        "stage": v.stage.value if v.stage else None,
        "stage_title": v.stage.display if v.stage else None,
        "language": v.language,
        # Set when the chat is in a language scamlens does not read ("other").
        "language_note": language_note(v.language),
        "timeline": [_span(s) for s in v.timeline],
        "tactics": [_tactic(t) for t in v.tactics],
        "counter_evidence": [evidence_dict(e) for e in v.counter_evidence],
        "model_evidence": [evidence_dict(e) for e in v.model_evidence],
        "indicators": [indicator_dict(i) for i in v.indicators],
        "intel_hits": [intel_hit_dict(h) for h in v.intel_hits],
        "time": {
            "days_span": v.time.days_span,
            "days_to_money": v.time.days_to_money,
            "messages_to_money": v.time.messages_to_money,
            "days_to_off_platform": v.time.days_to_off_platform,
        },
        "components": dict(v.components),
        "advice": _advice(v.advice),
        "versions": dict(v.versions),
    }


# MessageKind -> its JSON value: a dict lookup costs less than the enum's `.value` property.
_KIND_VALUE = {k: k.value for k in MessageKind}


def message_dict(m: Message) -> dict[str, Any]:
    # Runs for every message of every result: no helper calls beyond the two that format.
    ts = m.timestamp
    return {
        "index": m.index,
        "sender": m.sender,
        "timestamp": iso_time(ts) if ts is not None else None,
        "text": display_safe(m.text),
        "is_user": m.is_user,
        "kind": _KIND_VALUE[m.kind],
        "attachments": list(m.attachments) if m.attachments else [],
    }


def conversation_result(conv: Conversation, verdict: Verdict, path: str) -> dict[str, Any]:
    return {
        "path": path,
        "format": conv.source_format,
        "platform": conv.platform,
        "title": conv.title,
        "participants": list(conv.participants),
        "me": conv.me,
        "me_method": conv.me_method,
        "warnings": list(conv.warnings),
        "message_count": len(conv.messages),
        "messages": [message_dict(m) for m in conv.messages],
        "verdict": verdict_dict(verdict),
    }


def scan_document(results: list[dict[str, Any]], errors: list[dict[str, str]]) -> dict[str, Any]:
    from scamlens import __version__

    return {
        "$schema": SCHEMA_ID,
        "schema_version": "1.0",
        "scamlens_version": __version__,
        "results": results,
        "errors": errors,
    }

"""Value objects of the case store and the JSON form of a stored conversation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from scamlens.errors import InputError
from scamlens.model import Conversation, Message, MessageKind

STATUSES = ("new", "in_review", "confirmed_scam", "not_scam", "reported", "closed")
SORTS = ("newest", "risk")  # case list orders: newest first, or highest risk first
DECISIONS = ("confirm", "reject")


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    id: int
    case_id: str
    created_at: datetime
    actor: str
    target: str  # "verdict", "evidence:<index>" or "indicator:<index>"
    decision: str  # "confirm" | "reject"
    note: str | None


@dataclass(frozen=True, slots=True)
class AuditEvent:
    id: int
    case_id: str
    at: datetime
    actor: str
    action: str  # created, updated, feedback, deleted, purged
    details: dict[str, Any]  # never message text or notes, only field names and values


@dataclass(frozen=True, slots=True)
class CaseSummary:
    id: str
    created_at: datetime
    updated_at: datetime
    title: str
    status: str
    notes: str
    label: str
    risk: float
    stage: str | None
    language: str
    platform: str | None
    source_name: str | None
    message_count: int


@dataclass(frozen=True, slots=True)
class CaseRecord(CaseSummary):
    """A whole case: its summary fields plus the conversation, verdict and feedback."""

    conversation: Conversation
    verdict: dict[str, Any]
    feedback: list[FeedbackRecord]


def aware(dt: datetime) -> datetime:
    """Naive UTC from the database -> aware UTC."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def naive_utc(dt: datetime) -> datetime:
    return dt.astimezone(UTC).replace(tzinfo=None) if dt.tzinfo is not None else dt


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def conversation_to_json(conv: Conversation) -> dict[str, Any]:
    """Everything needed to rebuild the Conversation (source_path is dropped: it is a local
    path of the machine that imported it)."""
    return {
        "source_format": conv.source_format,
        "participants": list(conv.participants),
        "me": conv.me,
        "me_method": conv.me_method,
        "platform": conv.platform,
        "title": conv.title,
        "warnings": list(conv.warnings),
        "messages": [
            {
                "index": m.index,
                "sender": m.sender,
                "text": m.text,
                "timestamp": _time(m.timestamp),
                "is_user": m.is_user,
                "kind": m.kind.value,
                "attachments": list(m.attachments),
                "source_line": m.source_line,
            }
            for m in conv.messages
        ],
    }


def conversation_from_json(data: dict[str, Any]) -> Conversation:
    try:
        msgs = tuple(
            Message(
                index=int(m["index"]),
                sender=m["sender"],
                text=str(m["text"]),
                timestamp=datetime.fromisoformat(m["timestamp"]) if m["timestamp"] else None,
                is_user=m["is_user"],
                kind=MessageKind(m["kind"]),
                attachments=tuple(m["attachments"]),
                source_line=m["source_line"],
            )
            for m in data["messages"]
        )
        return Conversation(
            messages=msgs,
            source_format=str(data["source_format"]),
            participants=tuple(data["participants"]),
            me=data["me"],
            me_method=str(data["me_method"]),
            platform=data["platform"],
            title=data["title"],
            warnings=tuple(data["warnings"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"stored conversation is malformed: {exc}") from exc


def verdict_core(doc: dict[str, Any]) -> dict[str, Any]:
    """The verdict object (label, risk, stage, tactics, ...) inside a scan document, a
    conversation result or a bare verdict dict."""
    cur: Any = doc
    if isinstance(cur, dict) and isinstance(cur.get("results"), list) and cur["results"]:
        cur = cur["results"][0]
    if isinstance(cur, dict) and isinstance(cur.get("verdict"), dict):
        cur = cur["verdict"]
    if not isinstance(cur, dict) or "label" not in cur or "risk" not in cur:
        raise InputError("verdict must be a scan JSON document (scamlens.report.jsonout)")
    return cur


def evidence_items(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The pieces of evidence feedback can name as "evidence:<index>": every tactic's evidence
    in order, then the counter-evidence, then the learned model's evidence."""
    v = verdict_core(doc)
    out: list[dict[str, Any]] = [e for t in v.get("tactics") or [] for e in t.get("evidence") or []]
    out.extend(v.get("counter_evidence") or [])
    out.extend(v.get("model_evidence") or [])
    return out


def indicator_items(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The indicators feedback can name as "indicator:<index>"."""
    return list(verdict_core(doc).get("indicators") or [])

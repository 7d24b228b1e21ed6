"""`CaseStore`: analysed conversations kept as cases, with status, notes, analyst feedback and
an audit trail. SQLite (WAL, in the user's data directory) by default, PostgreSQL by URL.

    store = open_store()                      # $SCAMLENS_CASES_URL or <data dir>/cases.db
    case = store.create_case(conv, scan_doc, title="Hinge match", source_name=None,
                             platform="whatsapp", actor="alice")
    store.update_case(case.id, status="in_review", actor="alice")

Every write is one transaction (BEGIN IMMEDIATE on SQLite, so concurrent writers queue behind
the busy timeout instead of failing); a case whose `create_case` returned is committed
(synchronous=FULL) and survives the process being killed. Deleting a case removes its
conversation, verdict and feedback; the audit trail keeps a content-free tombstone.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from typing import IO, Any

import sqlalchemy as sa

from scamlens.dbutil import WRITE_OPTION, EngineStore, UnsupportedDatabase, make_engine
from scamlens.errors import InputError, ScamlensError
from scamlens.intel.paths import data_dir, sqlite_url
from scamlens.model import Conversation

from . import db
from .records import (
    DECISIONS,
    SORTS,
    STATUSES,
    AuditEvent,
    CaseRecord,
    CaseSummary,
    FeedbackRecord,
    aware,
    conversation_from_json,
    conversation_to_json,
    evidence_items,
    indicator_items,
    naive_utc,
    verdict_core,
)
from .schema import case_audit, case_feedback, case_tactics, cases

__all__ = [
    "SORTS",
    "STATUSES",
    "AuditEvent",
    "CaseNotFound",
    "CaseRecord",
    "CaseStore",
    "CaseStoreError",
    "CaseSummary",
    "FeedbackRecord",
    "default_url",
    "open_store",
]

URL_ENV = "SCAMLENS_CASES_URL"
DB_FILE = "cases.db"
MAX_TITLE = 200
MAX_NOTES = 20_000
MAX_NOTE = 2_000
MAX_ACTOR = 64
MAX_LIST = 500


class CaseNotFound(ScamlensError):
    """No case with that id (or it was deleted)."""


class CaseStoreError(ScamlensError):
    """The case store could not be opened."""


def default_url() -> str:
    """`$SCAMLENS_CASES_URL` if set, else SQLite `cases.db` in the data directory."""
    return os.environ.get(URL_ENV) or sqlite_url(data_dir() / DB_FILE)


def open_store(url: str | None = None) -> CaseStore:
    """Open (creating and migrating to the latest schema) the case store at `url`."""
    try:
        engine = make_engine(url or default_url(), synchronous="FULL")
    except UnsupportedDatabase as exc:
        raise CaseStoreError(str(exc)) from exc
    try:
        db.upgrade(engine)
    except sa.exc.SQLAlchemyError as exc:
        engine.dispose()
        orig = getattr(exc, "orig", None)
        reason = str(orig) if orig is not None else type(exc).__name__
        raise CaseStoreError(f"cannot open the case store: {reason}") from exc
    return CaseStore(engine)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _clean(value: str | None, name: str, limit: int, *, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise InputError(f"{name} is required")
        return None
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string")
    value = value.strip()
    if required and not value:
        raise InputError(f"{name} must not be empty")
    if len(value) > limit:
        raise InputError(f"{name} is longer than {limit} characters")
    if "\x00" in value:
        raise InputError(f"{name} contains a NUL character")
    return value or None


def _actor(actor: str) -> str:
    out = _clean(actor, "actor", MAX_ACTOR, required=True)
    assert out is not None
    return out


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class CaseStore(EngineStore):
    """The case store. Thread-safe (one SQLAlchemy engine), process-safe."""

    def __init__(self, engine: sa.Engine, *, clock: Callable[[], datetime] = _utcnow) -> None:
        self.engine = engine
        self.clock = clock

    def _now(self) -> datetime:
        return naive_utc(self.clock()).replace(microsecond=0)

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            conn = conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                yield conn

    def _audit(
        self, conn: sa.Connection, case_id: str, actor: str, action: str, **details: Any
    ) -> None:
        conn.execute(
            case_audit.insert().values(
                case_id=case_id, at=self._now(), actor=actor, action=action, details=_dumps(details)
            )
        )

    # -- create / read --------------------------------------------------------------------

    def create_case(
        self,
        conversation: Conversation,
        verdict: dict[str, Any],
        *,
        title: str,
        source_name: str | None,
        platform: str | None,
        actor: str,
    ) -> CaseRecord:
        """Store an analysed conversation with its scan JSON document; status "new"."""
        actor = _actor(actor)
        core = verdict_core(verdict)
        clean_title = _clean(title, "title", MAX_TITLE, required=True)
        platform = _clean(platform or conversation.platform, "platform", 32)
        source_name = _clean(source_name, "source_name", 200)
        try:
            risk = float(core["risk"])
        except (TypeError, ValueError) as exc:
            raise InputError("verdict risk must be a number") from exc
        label = str(core["label"])[:16]
        stage = core.get("stage")
        versions = core.get("versions") or {}
        model_version = "+".join(
            str(versions[k]) for k in ("text_model", "risk_model") if versions.get(k)
        )
        tactics = sorted({str(t.get("id"))[:64] for t in core.get("tactics") or [] if t.get("id")})
        case_id = uuid.uuid4().hex
        now = self._now()
        row = {
            "id": case_id,
            "created_at": now,
            "updated_at": now,
            "title": clean_title,
            "status": "new",
            "notes": "",
            "label": label,
            "risk": risk,
            "stage": str(stage)[:32] if stage else None,
            "language": str(core.get("language") or "unknown")[:16],
            "platform": platform,
            "source_name": source_name,
            "message_count": len(conversation.messages),
            "rules_version": str(versions.get("rules"))[:64] if versions.get("rules") else None,
            "model_version": model_version[:128] or None,
            "conversation": _dumps(conversation_to_json(conversation)),
            "verdict": _dumps(verdict),
        }
        with self._write() as conn:
            conn.execute(cases.insert().values(**row))
            if tactics:
                conn.execute(
                    case_tactics.insert(), [{"case_id": case_id, "tactic": t} for t in tactics]
                )
            self._audit(conn, case_id, actor, "created", label=label, status="new")
        return self.get_case(case_id)

    def _row(self, conn: sa.Connection, case_id: str) -> sa.Row[Any]:
        if not isinstance(case_id, str) or len(case_id) > 32:
            raise CaseNotFound(f"no case {case_id!r}")
        row = conn.execute(sa.select(cases).where(cases.c.id == case_id)).one_or_none()
        if row is None:
            raise CaseNotFound(f"no case {case_id!r}")
        return row

    def get_case(self, case_id: str) -> CaseRecord:
        with self.engine.connect() as conn:
            row = self._row(conn, case_id)
            fb = self._feedback(conn, case_id)
        summary = self._summary(row)
        return CaseRecord(
            **{f.name: getattr(summary, f.name) for f in fields(CaseSummary)},
            conversation=conversation_from_json(json.loads(row.conversation)),
            verdict=json.loads(row.verdict),
            feedback=fb,
        )

    @staticmethod
    def _summary(row: sa.Row[Any]) -> CaseSummary:
        return CaseSummary(
            id=row.id,
            created_at=aware(row.created_at),
            updated_at=aware(row.updated_at),
            title=row.title,
            status=row.status,
            notes=row.notes,
            label=row.label,
            risk=row.risk,
            stage=row.stage,
            language=row.language,
            platform=row.platform,
            source_name=row.source_name,
            message_count=row.message_count,
        )

    def list_cases(
        self,
        *,
        status: str | None = None,
        label: str | None = None,
        stage: str | None = None,
        language: str | None = None,
        platform: str | None = None,
        q: str | None = None,
        sort: str = "newest",
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[CaseSummary], int]:
        """A page of cases and the total matching: newest first, or with `sort="risk"` the
        highest risk first (triage; ties newest first). `q` searches titles and notes (never
        message text)."""
        if not 1 <= limit <= MAX_LIST:
            raise InputError(f"limit must be between 1 and {MAX_LIST}")
        if offset < 0:
            raise InputError("offset must not be negative")
        if sort not in SORTS:
            raise InputError(f"sort must be one of {', '.join(SORTS)}")
        if status is not None and status not in STATUSES:
            raise InputError(f"status must be one of {', '.join(STATUSES)}")
        conds: list[sa.ColumnElement[bool]] = []
        for col, val in (
            (cases.c.status, status),
            (cases.c.label, label),
            (cases.c.stage, stage),
            (cases.c.language, language),
            (cases.c.platform, platform),
        ):
            if val is not None:
                conds.append(col == val)
        if q:
            needle = q.strip().lower()[:200]
            conds.append(
                sa.or_(
                    sa.func.lower(cases.c.title).contains(needle, autoescape=True),
                    sa.func.lower(cases.c.notes).contains(needle, autoescape=True),
                )
            )
        cols = [c for c in cases.c if c.name not in ("conversation", "verdict")]
        order = [cases.c.created_at.desc(), cases.c.id]
        if sort == "risk":
            order.insert(0, cases.c.risk.desc())
        query = sa.select(*cols).where(*conds).order_by(*order).limit(limit).offset(offset)
        count = sa.select(sa.func.count()).select_from(cases).where(*conds)
        with self.engine.connect() as conn:
            rows = [self._summary(r) for r in conn.execute(query)]
            total = int(conn.execute(count).scalar_one())
        return rows, total

    # -- change ---------------------------------------------------------------------------

    def update_case(
        self, case_id: str, *, status: str | None = None, notes: str | None = None, actor: str
    ) -> CaseRecord:
        actor = _actor(actor)
        if status is None and notes is None:
            raise InputError("nothing to update: give status and/or notes")
        if status is not None and status not in STATUSES:
            raise InputError(f"status must be one of {', '.join(STATUSES)}")
        if notes is not None:
            if len(notes) > MAX_NOTES:
                raise InputError(f"notes are longer than {MAX_NOTES} characters")
            if "\x00" in notes:
                raise InputError("notes contain a NUL character")
        with self._write() as conn:
            row = self._row(conn, case_id)
            values: dict[str, Any] = {"updated_at": self._now()}
            details: dict[str, Any] = {}
            if status is not None and status != row.status:
                values["status"] = status
                details["status"] = [row.status, status]
            if notes is not None and notes != row.notes:
                values["notes"] = notes
                details["notes_changed"] = True  # never the notes themselves
            conn.execute(cases.update().where(cases.c.id == case_id).values(**values))
            self._audit(conn, case_id, actor, "updated", **details)
        return self.get_case(case_id)

    def delete_case(self, case_id: str, *, actor: str) -> None:
        """Remove the case's conversation, verdict, feedback; keep a content-free tombstone."""
        actor = _actor(actor)
        with self._write() as conn:
            self._row(conn, case_id)
            conn.execute(case_feedback.delete().where(case_feedback.c.case_id == case_id))
            conn.execute(case_tactics.delete().where(case_tactics.c.case_id == case_id))
            conn.execute(cases.delete().where(cases.c.id == case_id))
            self._audit(conn, case_id, actor, "deleted")

    def purge_older_than(self, days: int, *, actor: str = "retention") -> int:
        """Delete every case created more than `days` days ago; returns how many went."""
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise InputError("days must be a non-negative whole number")
        actor = _actor(actor)
        cutoff = self._now() - timedelta(days=days)
        with self._write() as conn:
            ids = list(
                conn.execute(sa.select(cases.c.id).where(cases.c.created_at < cutoff)).scalars()
            )
            for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
                conn.execute(case_feedback.delete().where(case_feedback.c.case_id.in_(chunk)))
                conn.execute(case_tactics.delete().where(case_tactics.c.case_id.in_(chunk)))
                conn.execute(cases.delete().where(cases.c.id.in_(chunk)))
                for cid in chunk:
                    self._audit(conn, cid, actor, "purged", retention_days=days)
        return len(ids)

    # -- feedback -------------------------------------------------------------------------

    def add_feedback(
        self, case_id: str, *, target: str, decision: str, note: str | None, actor: str
    ) -> FeedbackRecord:
        """An analyst's decision on the verdict or on one piece of evidence or indicator."""
        actor = _actor(actor)
        if decision not in DECISIONS:
            raise InputError(f"decision must be one of {', '.join(DECISIONS)}")
        note = _clean(note, "note", MAX_NOTE)
        with self._write() as conn:
            row = self._row(conn, case_id)
            _check_target(target, json.loads(row.verdict))
            now = self._now()
            fid = conn.execute(
                case_feedback.insert()
                .values(
                    case_id=case_id,
                    created_at=now,
                    actor=actor,
                    target=target,
                    decision=decision,
                    note=note,
                )
                .returning(case_feedback.c.id)
            ).scalar_one()
            self._audit(conn, case_id, actor, "feedback", target=target, decision=decision)
        return FeedbackRecord(int(fid), case_id, aware(now), actor, target, decision, note)

    @staticmethod
    def _feedback(conn: sa.Connection, case_id: str) -> list[FeedbackRecord]:
        q = (
            sa.select(case_feedback)
            .where(case_feedback.c.case_id == case_id)
            .order_by(case_feedback.c.id)
        )
        return [
            FeedbackRecord(
                r.id, r.case_id, aware(r.created_at), r.actor, r.target, r.decision, r.note
            )
            for r in conn.execute(q)
        ]

    def feedback_for(self, case_id: str) -> list[FeedbackRecord]:
        with self.engine.connect() as conn:
            self._row(conn, case_id)
            return self._feedback(conn, case_id)

    def audit_for(self, case_id: str) -> list[AuditEvent]:
        """The audit trail, also for a deleted case (its tombstone)."""
        if not isinstance(case_id, str) or len(case_id) > 32:
            raise CaseNotFound(f"no case {case_id!r}")
        q = sa.select(case_audit).where(case_audit.c.case_id == case_id).order_by(case_audit.c.id)
        with self.engine.connect() as conn:
            rows = list(conn.execute(q))
        if not rows:
            raise CaseNotFound(f"no case {case_id!r}")
        return [
            AuditEvent(r.id, r.case_id, aware(r.at), r.actor, r.action, json.loads(r.details))
            for r in rows
        ]

    def export_feedback(self, fh: IO[str]) -> int:
        """Analyst feedback as JSONL training rows; returns the number of rows written.

        Row: case_id, target, decision, label (what the analyst says the text is: "scam" or
        "benign"), text, language, tactic, message_index, kind ("conversation", "message",
        "indicator"), rules_version, model_version.
        """
        q = (
            sa.select(
                case_feedback,
                cases.c.verdict,
                cases.c.conversation,
                cases.c.language,
                cases.c.rules_version,
                cases.c.model_version,
            )
            .join(cases, cases.c.id == case_feedback.c.case_id)
            .order_by(case_feedback.c.id)
        )
        n = 0
        with self.engine.connect() as conn:
            for r in conn.execute(q):
                row = _training_row(r)
                if row is not None:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                    n += 1
        return n

    # -- statistics and campaigns ---------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Counts by status, label, stage, tactic, platform, language, and cases per day."""

        def by(col: sa.ColumnElement[Any], table: sa.Table = cases) -> dict[str, int]:
            q = sa.select(col, sa.func.count()).select_from(table).group_by(col)
            return {("none" if k is None else str(k)): int(n) for k, n in conn.execute(q)}

        with self.engine.connect() as conn:
            total = int(conn.execute(sa.select(sa.func.count()).select_from(cases)).scalar_one())
            status = {s: 0 for s in STATUSES} | by(cases.c.status)
            day = sa.func.date(cases.c.created_at)
            per_day = [
                {"day": str(d), "count": int(n)}
                for d, n in conn.execute(
                    sa.select(day, sa.func.count()).group_by(day).order_by(day)
                )
            ]
            return {
                "total": total,
                "by_status": status,
                "by_label": by(cases.c.label),
                "by_stage": by(cases.c.stage),
                "by_tactic": by(case_tactics.c.tactic, case_tactics),
                "by_platform": by(cases.c.platform),
                "by_language": by(cases.c.language),
                "per_day": per_day,
            }

    def campaign_records(self, *, max_cases: int = 2000) -> list[dict[str, Any]]:
        """The other party's messages of the newest stored cases as campaign records
        (id, account, conversation, text, timestamp); one account per case and sender."""
        q = (
            sa.select(cases.c.id, cases.c.conversation)
            .order_by(cases.c.created_at.desc())
            .limit(max_cases)
        )
        out: list[dict[str, Any]] = []
        with self.engine.connect() as conn:
            for cid, blob in conn.execute(q):
                conv = conversation_from_json(json.loads(blob))
                for m in conv.messages:
                    if m.is_user or not m.text.strip() or m.kind.value != "text":
                        continue
                    out.append(
                        {
                            "id": f"{cid}:{m.index}",
                            "account": f"{cid[:12]}/{m.sender or '?'}",
                            "conversation": cid,
                            "text": m.text,
                            "timestamp": m.timestamp.isoformat() if m.timestamp else None,
                        }
                    )
        return out


def _check_target(target: str, verdict: dict[str, Any]) -> None:
    if target == "verdict":
        return
    kind, _, num = target.partition(":")
    items = {"evidence": evidence_items, "indicator": indicator_items}.get(kind)
    if items is None or not num.isdigit() or len(num) > 6:
        raise InputError('target must be "verdict", "evidence:<index>" or "indicator:<index>"')
    n = len(items(verdict))
    if int(num) >= n:
        raise InputError(f"{kind} index {num} out of range (this case has {n})")


def _flip(label: str) -> str:
    return "benign" if label in ("scam", "suspicious") else "scam"


def _training_row(r: sa.Row[Any]) -> dict[str, Any] | None:
    verdict = json.loads(r.verdict)
    conv = conversation_from_json(json.loads(r.conversation))
    base = {
        "case_id": r.case_id,
        "target": r.target,
        "decision": r.decision,
        "language": r.language,
        "rules_version": r.rules_version,
        "model_version": r.model_version,
    }
    if r.target == "verdict":
        said = "scam" if verdict_core(verdict)["label"] in ("scam", "suspicious") else "benign"
        text = "\n".join(
            m.text for m in conv.messages if not m.is_user and m.text and m.kind.value == "text"
        )
        label = said if r.decision == "confirm" else _flip(said)
        return base | {
            "kind": "conversation",
            "label": label,
            "text": text,
            "tactic": None,
            "message_index": None,
        }
    kind, _, num = r.target.partition(":")
    idx = int(num)
    if kind == "evidence":
        items = evidence_items(verdict)
        if idx >= len(items):
            return None
        ev = items[idx]
        mi = ev.get("message_index")
        by_index = {m.index: m.text for m in conv.messages}
        quote = str(ev.get("quote") or "")
        text = by_index.get(mi, quote) if isinstance(mi, int) else quote
        said = "benign" if ev.get("counter") else "scam"
        label = said if r.decision == "confirm" else _flip(said)
        return base | {
            "kind": "message",
            "label": label,
            "text": text,
            "tactic": ev.get("tactic"),
            "message_index": mi,
        }
    inds = indicator_items(verdict)
    if idx >= len(inds):
        return None
    ind = inds[idx]
    return base | {
        "kind": "indicator",
        "label": "scam" if r.decision == "confirm" else "benign",
        "text": ind.get("raw"),
        "tactic": None,
        "message_index": ind.get("message_index"),
        "indicator_type": ind.get("type"),
        "indicator_value": ind.get("value"),
    }

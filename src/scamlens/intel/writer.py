"""Writing feed records: one import = one transaction, in slices, idempotent.

`FeedWriter.apply` takes a fully parsed and validated `ParsedFeed` and upserts its records,
links and look-alike targets; every statement runs inside the caller's write transaction
(`WriteTx`), so an error anywhere leaves the store as it was.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlalchemy as sa

from scamlens.errors import InputError

from . import db
from .batching import chunks
from .feed import FeedRecord, ParsedFeed, RecordKey, SourceInfo
from .records import ImportReport, aware, to_db
from .schema import imports, indicators, links, lookalike_targets, sources

# Default lifetime of a record after it was last seen, by type (days). Sites churn fast,
# wallets are reused for months.
DEFAULT_TTL_DAYS: dict[str, int] = {
    "domain": 90,
    "url": 90,
    "app_lure": 90,
    "wallet": 365,
    "txhash": 365,
    "phone": 180,
    "email": 180,
    "handle": 180,
    "amount": 90,
}
DEFAULT_CONFIDENCE = 0.9  # a feed listing something is fairly sure about it
ANALYST = SourceInfo(name="analyst", title="Analyst report", kind="analyst", trust=0.8)
UPSERT_SLICE = 5000  # records written per round trip during an import
ANALYZE_AFTER = 10_000  # rows added by one import that trigger fresh planner statistics


def check_trust(trust: float) -> float:
    if not 0.0 <= trust <= 1.0:
        raise InputError(f"trust must be between 0 and 1, got {trust}")
    return float(trust)


def check_source_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 64 or not name.isprintable():
        raise InputError("a source name is 1 to 64 printable characters")
    return name


class FeedWriter:
    """Upserts for one store (its record lifetimes); methods take the open write connection."""

    def __init__(self, ttl_days: Mapping[str, int]) -> None:
        self.ttl_days = dict(ttl_days)

    def ensure_source(
        self, conn: sa.Connection, info: SourceInfo, trust: float | None, now: datetime
    ) -> int:
        row = conn.execute(
            sa.select(sources.c.id).where(sources.c.name == info.name)
        ).scalar_one_or_none()
        if row is not None:
            if trust is not None:
                conn.execute(sources.update().where(sources.c.id == row).values(trust=trust))
            return int(row)
        values = {
            "name": info.name,
            "title": info.title[:200],
            "kind": info.kind,
            "trust": trust if trust is not None else info.trust,
            "url": info.url,
            "licence": info.licence,
            "created_at": to_db(now),
        }
        return int(
            conn.execute(sources.insert().values(**values).returning(sources.c.id)).scalar_one()
        )

    def apply(
        self,
        conn: sa.Connection,
        feed: ParsedFeed,
        path: Path,
        sha256: str,
        trust: float | None,
        now: datetime,
    ) -> ImportReport:
        base = feed.source
        names = {rec.source or base.name for rec in feed.records.values()}
        names.add(base.name)
        source_ids: dict[str, int] = {}
        for name in sorted(names):
            info = base if name == base.name else feed.sources.get(name)
            if info is None:
                info = SourceInfo(name=name, title=name, kind=base.kind, trust=base.trust)
            source_ids[name] = self.ensure_source(conn, info, trust, now)
        import_id = int(
            conn.execute(
                imports.insert()
                .returning(imports.c.id)
                .values(
                    format=feed.format,
                    file_name=str(path)[-1000:],
                    sha256=sha256,
                    imported_at=to_db(now),
                    added=0,
                    updated=0,
                    refreshed=0,
                    skipped=0,
                )
            ).scalar_one()
        )
        by_source: dict[int, list[FeedRecord]] = defaultdict(list)
        for rec in feed.records.values():
            by_source[source_ids[rec.source or base.name]].append(rec)
        ids: dict[tuple[int, RecordKey], int] | None = {} if feed.links else None
        added = updated = refreshed = 0
        for sid, recs in by_source.items():
            a, u, r = self.upsert(conn, sid, recs, import_id, now, ids)
            added, updated, refreshed = added + a, updated + u, refreshed + r
        links_added = links_refreshed = 0
        if ids is not None:
            links_added, links_refreshed = self._upsert_links(
                conn, feed, source_ids, ids, import_id, now
            )
        n_targets = self._sync_lookalikes(conn, feed, source_ids[base.name], import_id, now)
        if added + links_added > ANALYZE_AFTER:
            analyze(conn)
        skipped = sum(feed.skipped.values())
        conn.execute(
            imports.update()
            .where(imports.c.id == import_id)
            .values(added=added, updated=updated, refreshed=refreshed, skipped=skipped)
        )
        return ImportReport(
            path=str(path),
            format=feed.format,
            sha256=sha256,
            sources=tuple(sorted(names)),
            added=added,
            updated=updated,
            refreshed=refreshed,
            skipped=dict(feed.skipped.most_common()),
            skip_examples=dict(feed.examples),
            duplicates=feed.duplicates,
            links_added=links_added,
            links_refreshed=links_refreshed,
            lookalike_targets=n_targets,
            seconds=0.0,
        )

    def existing(
        self, conn: sa.Connection, source_id: int, keys: Iterable[RecordKey]
    ) -> dict[RecordKey, Any]:
        by_type: dict[str, set[str]] = defaultdict(set)
        for k in keys:
            by_type[k[0]].add(k[1])
        c = indicators.c
        cols = [c.id, c.type, c.value, c.chain, c.action, c.labels, c.confidence]
        cols += [c.first_seen, c.last_seen, c.expires, c.explicit_expiry]
        found: dict[RecordKey, Any] = {}
        for type_, values in by_type.items():
            for chunk in chunks(sorted(values)):
                q = sa.select(*cols).where(
                    c.source_id == source_id, c.type == type_, c.value.in_(chunk)
                )
                for row in conn.execute(q):
                    found[(row.type, row.value, row.chain, row.action)] = row
        return found

    def _expiry(self, type_: str, last_seen: datetime) -> datetime:
        return last_seen + timedelta(days=self.ttl_days.get(type_, 180))

    def upsert(
        self,
        conn: sa.Connection,
        source_id: int,
        recs: list[FeedRecord],
        import_id: int | None,
        now: datetime,
        ids: dict[tuple[int, RecordKey], int] | None,
    ) -> tuple[int, int, int]:
        """Insert or refresh one source's records, a slice at a time (bounded memory).
        Fills `ids` with the row id of every record when links need them."""
        added = updated = refreshed = 0
        planner = PlannerStats(conn)
        for part in chunks(recs, UPSERT_SLICE):
            a, u, r = self._upsert_slice(conn, source_id, part, import_id, now, ids)
            added, updated, refreshed = added + a, updated + u, refreshed + r
            planner.grew(a)
        return added, updated, refreshed

    def _upsert_slice(
        self,
        conn: sa.Connection,
        source_id: int,
        recs: Sequence[FeedRecord],
        import_id: int | None,
        now: datetime,
        ids: dict[tuple[int, RecordKey], int] | None,
    ) -> tuple[int, int, int]:
        existing = self.existing(conn, source_id, (r.key for r in recs))
        new_rows: list[dict[str, Any]] = []
        new_keys: list[RecordKey] = []
        changes: list[dict[str, Any]] = []
        updated = refreshed = 0
        for rec in recs:
            conf = round(rec.confidence if rec.confidence is not None else DEFAULT_CONFIDENCE, 2)
            old = existing.get(rec.key)
            if old is None:
                first = rec.first_seen or now
                last = max(rec.last_seen or now, first)
                new_keys.append(rec.key)
                new_rows.append(
                    {
                        "source_id": source_id,
                        "type": rec.type,
                        "value": rec.value,
                        "chain": rec.chain,
                        "action": rec.action,
                        "labels": list(rec.labels),
                        "confidence": conf,
                        "first_seen": to_db(first),
                        "last_seen": to_db(last),
                        "expires": to_db(rec.expires or self._expiry(rec.type, last)),
                        "explicit_expiry": rec.expires is not None,
                        "first_import_id": import_id,
                        "last_import_id": import_id,
                        "origin": rec.origin[:300],
                        "details": rec.details,
                    }
                )
                continue
            if ids is not None:
                ids[(source_id, rec.key)] = old.id
            old_first, old_last = aware(old.first_seen), aware(old.last_seen)
            first = min(old_first, rec.first_seen or old_first)
            last = max(old_last, rec.last_seen or now)
            expires = rec.expires or self._expiry(rec.type, last)
            labels = list(rec.labels)
            changed = (
                labels != list(old.labels)
                or conf != old.confidence
                or bool(rec.expires) != old.explicit_expiry
                or (rec.expires is not None and to_db(rec.expires) != old.expires)
            )
            updated += changed
            refreshed += not changed
            changes.append(
                {
                    "_id": old.id,
                    "labels": labels,
                    "confidence": conf,
                    "first_seen": to_db(first),
                    "last_seen": to_db(last),
                    "expires": to_db(expires),
                    "explicit_expiry": rec.expires is not None,
                    "last_import_id": import_id,
                    "details": rec.details,
                }
            )
        if changes:
            update = (
                indicators.update()
                .where(indicators.c.id == sa.bindparam("_id"))
                .values({k: sa.bindparam(k) for k in changes[0] if k != "_id"})
            )
            conn.execute(update, changes)
        if new_rows and ids is None:
            conn.execute(indicators.insert(), new_rows)  # plain executemany: the fast path
        elif new_rows and ids is not None:
            insert = indicators.insert().returning(indicators.c.id, sort_by_parameter_order=True)
            for key, new_id in zip(new_keys, conn.execute(insert, new_rows).scalars(), strict=True):
                ids[(source_id, key)] = new_id
        return len(new_rows), updated, refreshed

    def _upsert_links(
        self,
        conn: sa.Connection,
        feed: ParsedFeed,
        source_ids: dict[str, int],
        ids: dict[tuple[int, RecordKey], int],
        import_id: int,
        now: datetime,
    ) -> tuple[int, int]:
        wanted: set[tuple[int, int, str]] = set()
        base = feed.source.name
        for link in feed.links:
            a = ids.get((source_ids[link.src_source or base], link.src))
            b = ids.get((source_ids[link.dst_source or base], link.dst))
            if a is not None and b is not None and a != b:
                wanted.add((a, b, link.relation))
        if not wanted:
            return 0, 0
        have: dict[tuple[int, int, str], int] = {}
        froms = sorted({w[0] for w in wanted})
        for chunk in chunks(froms):
            q = sa.select(links.c.id, links.c.from_id, links.c.to_id, links.c.relation).where(
                links.c.from_id.in_(chunk)
            )
            for row in conn.execute(q):
                have[(row.from_id, row.to_id, row.relation)] = row.id
        stamp = to_db(now)
        new = [
            {
                "from_id": a,
                "to_id": b,
                "relation": rel,
                "first_seen": stamp,
                "last_seen": stamp,
                "last_import_id": import_id,
            }
            for (a, b, rel) in sorted(wanted)
            if (a, b, rel) not in have
        ]
        old = [{"_id": have[w]} for w in sorted(wanted) if w in have]
        if new:
            conn.execute(links.insert(), new)
        if old:
            stmt = (
                links.update()
                .where(links.c.id == sa.bindparam("_id"))
                .values(last_seen=stamp, last_import_id=import_id)
            )
            conn.execute(stmt, old)
        return len(new), len(old)

    def _sync_lookalikes(
        self, conn: sa.Connection, feed: ParsedFeed, source_id: int, import_id: int, now: datetime
    ) -> int:
        if not feed.lookalikes:
            return 0
        t = lookalike_targets
        have = {
            r.value: r.id
            for r in conn.execute(sa.select(t.c.id, t.c.value).where(t.c.source_id == source_id))
        }
        stamp = to_db(now)
        wanted = {x.value: x for x in feed.lookalikes}
        for value, target in wanted.items():
            if value in have:
                conn.execute(
                    t.update()
                    .where(t.c.id == have[value])
                    .values(tolerance=target.tolerance, last_seen=stamp, last_import_id=import_id)
                )
            else:
                conn.execute(
                    t.insert().values(
                        source_id=source_id,
                        value=value,
                        tolerance=target.tolerance,
                        first_seen=stamp,
                        last_seen=stamp,
                        last_import_id=import_id,
                    )
                )
        # The fuzzylist is configuration: a brand the feed dropped is no longer protected.
        gone = [i for v, i in have.items() if v not in wanted]
        if gone:
            conn.execute(t.delete().where(t.c.id.in_(gone)))
        return len(wanted)


class WriteTx:
    """One write transaction: BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.conn: sa.Connection | None = None
        self.tx: sa.RootTransaction | None = None

    def __enter__(self) -> sa.Connection:
        conn = self.engine.connect().execution_options(scamlens_write=True)
        self.conn = conn
        self.tx = conn.begin()
        db.write_lock(conn)
        return conn

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self.conn is not None and self.tx is not None
        try:
            if exc_type is None:
                self.tx.commit()
            else:
                self.tx.rollback()
        finally:
            self.conn.close()


class PlannerStats:
    """PostgreSQL plans the per-slice key checks from statistics taken before this import;
    once the table has grown well past them it picks scans that make big imports quadratic.
    Re-ANALYZE (it sees this transaction's own rows) each time the table has grown by half."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.pending = 0
        self.base = 0
        if conn.dialect.name == "postgresql":
            q = sa.text("SELECT reltuples FROM pg_class WHERE oid = 'indicators'::regclass")
            self.base = max(int(conn.execute(q).scalar_one() or 0), 0)

    def grew(self, rows: int) -> None:
        if self.conn.dialect.name != "postgresql":
            return
        self.pending += rows
        if self.pending > max(ANALYZE_AFTER, self.base // 2):
            self.conn.execute(sa.text("ANALYZE indicators"))
            self.base += self.pending
            self.pending = 0


def analyze(conn: sa.Connection) -> None:
    """Refresh planner statistics after a big import so lookups use the (type, value) index."""
    # SQLite plans these lookups from the index alone; a full ANALYZE there costs seconds.
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("ANALYZE indicators"))
        conn.execute(sa.text("ANALYZE links"))


def override_source(feed: ParsedFeed, name: str) -> ParsedFeed:
    """All records under one source named by the user (per-record sources dropped)."""
    title = feed.source.title if feed.source.name == name else name
    out = ParsedFeed(feed.format, replace(feed.source, name=name, title=title))
    out.skipped, out.examples, out.lookalikes = feed.skipped, feed.examples, feed.lookalikes
    out.duplicates = feed.duplicates
    for rec in feed.records.values():
        rec.source = None
        out.add(rec)
    out.links = [replace(link, src_source=None, dst_source=None) for link in feed.links]
    return out


def db_reason(exc: sa.exc.SQLAlchemyError) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).splitlines()[0]
    return text[:300]

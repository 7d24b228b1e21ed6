"""`IntelStore`: scam indicators from feeds and analysts, checked in batches.

Usage::

    with IntelStore.open() as store:  # ~/.local/share/scamlens/intel.db
        store.import_feed("config.json", "metamask")
        hits = store.check(indicators)  # {(type, value): [IntelHit, ...]}

Parsing lives in `formats`, writing in `writer`, lookups in `checker` and `lookup`; this class
ties them to one database.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import sqlalchemy as sa

from scamlens.dbutil import EngineStore
from scamlens.errors import InputError
from scamlens.model import Indicator, IntelHit

from . import db
from .batching import gc_paused
from .checker import Key, check_batch
from .db import StoreError
from .feed import FeedRecord, merge_labels, read_feed
from .formats import FORMATS, detect_format
from .keys import Guess, guess, value_key
from .paths import default_url
from .records import (
    ImportReport,
    IntelRecord,
    LinkRecord,
    Provenance,
    SourceRecord,
    UnknownSourceError,
    ValueCheck,
    aware,
    from_db,
    record_from,
    record_of,
    utcnow,
)
from .schema import imports, indicators, links, sources
from .stats import IntelStats, store_stats
from .writer import (
    ANALYST,
    DEFAULT_TTL_DAYS,
    FeedWriter,
    WriteTx,
    check_source_name,
    check_trust,
    db_reason,
    override_source,
)

__all__ = ["DEFAULT_TTL_DAYS", "IntelStore", "Key"]


class IntelStore(EngineStore):
    """The scam-intelligence store. Thread-compatible (one store per thread), process-safe."""

    def __init__(
        self,
        engine: sa.Engine,
        *,
        ttl_days: Mapping[str, int] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.engine = engine
        self.ttl_days = {**DEFAULT_TTL_DAYS, **(ttl_days or {})}
        self.clock = clock
        self.writer = FeedWriter(self.ttl_days)

    # -- life cycle -----------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        ttl_days: Mapping[str, int] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> IntelStore:
        """Open (creating and migrating to the latest schema) the store at `url`.

        `url` defaults to `$SCAMLENS_INTEL_URL`, else SQLite in the user's data directory.
        PostgreSQL: ``postgresql+psycopg://user@host/db``.
        """
        engine = db.create_engine(url or default_url())
        try:
            db.upgrade(engine)
        except sa.exc.SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(f"cannot open the intelligence store: {db_reason(exc)}") from exc
        return cls(engine, ttl_days=ttl_days, clock=clock)

    def _now(self) -> datetime:
        return self.clock().astimezone(UTC).replace(microsecond=0)

    def _write(self) -> WriteTx:
        return WriteTx(self.engine)

    # -- sources --------------------------------------------------------------------------

    def sources(self) -> list[SourceRecord]:
        counts = (
            sa.select(indicators.c.source_id, sa.func.count().label("n"))
            .group_by(indicators.c.source_id)
            .subquery()
        )
        q = (
            sa.select(sources, sa.func.coalesce(counts.c.n, 0))
            .select_from(sources.outerjoin(counts, counts.c.source_id == sources.c.id))
            .order_by(sources.c.name)
        )
        with self.engine.connect() as conn:
            return [
                SourceRecord(
                    r.name, r.title, r.kind, r.trust, r.url, r.licence, aware(r.created_at), r[-1]
                )
                for r in conn.execute(q)
            ]

    def set_trust(self, source: str, trust: float) -> None:
        """Set how far a source is trusted (0..1); hit confidence = record confidence x trust."""
        trust = check_trust(trust)
        with self._write() as conn:
            n = conn.execute(
                sources.update().where(sources.c.name == source).values(trust=trust)
            ).rowcount
            if n == 0:
                names = conn.execute(sa.select(sources.c.name).order_by(sources.c.name)).scalars()
                known = ", ".join(names) or "none"
                raise UnknownSourceError(f"no source named {source!r} (known: {known})")

    # -- import ---------------------------------------------------------------------------

    def import_feed(
        self,
        path: str | Path,
        format: str | None = None,
        source_name: str | None = None,
        trust: float | None = None,
    ) -> ImportReport:
        """Import a feed file in one transaction. Re-importing refreshes last_seen and adds
        nothing twice; a malformed file raises `InputError` and changes nothing."""
        started = time.perf_counter()
        path = Path(path)
        data, sha256 = read_feed(path)
        fmt = (format or detect_format(path, data)).lower()
        if fmt not in FORMATS:
            raise InputError(f"unknown feed format {fmt!r} (one of {', '.join(FORMATS)})")
        if trust is not None:
            trust = check_trust(trust)
        with gc_paused:
            feed = FORMATS[fmt](path, data)
            if source_name is not None:
                feed = override_source(feed, check_source_name(source_name))
            now = self._now()
            try:
                with self._write() as conn:
                    report = self.writer.apply(conn, feed, path, sha256, trust, now)
            except sa.exc.SQLAlchemyError as exc:
                msg = f"{path}: import failed, nothing imported: {db_reason(exc)}"
                raise StoreError(msg) from exc
        return replace(report, seconds=round(time.perf_counter() - started, 3))

    # -- analyst records ------------------------------------------------------------------

    def add(
        self,
        type: str,
        value: str,
        *,
        chain: str | None = None,
        labels: Iterable[str] = (),
        confidence: float = 0.8,
        source: str = ANALYST.name,
        allow: bool = False,
        note: str | None = None,
        first_seen: datetime | None = None,
        expires: datetime | None = None,
    ) -> IntelRecord:
        """Record an indicator an analyst reported (or cleared, with allow=True).

        Adding it again merges labels and refreshes last_seen. Raises InputError when the
        value is not a valid indicator of `type`.
        """
        try:
            canonical, ch = value_key(type, value, chain)
        except ValueError as exc:
            raise InputError(f"not a valid {type}: {exc}") from exc
        if not 0.0 <= confidence <= 1.0:
            raise InputError(f"confidence must be between 0 and 1, got {confidence}")
        name = check_source_name(source)
        action = "allow" if allow else "block"
        rec = FeedRecord(
            type,
            canonical,
            ch,
            action,
            tuple(dict.fromkeys(str(x).strip().lower() for x in labels if str(x).strip())),
            origin="added by analyst",
            confidence=confidence,
            first_seen=first_seen,
            expires=expires,
            details={"note": note[:2000]} if note else None,
        )
        now = self._now()
        with self._write() as conn:
            info = ANALYST if name == ANALYST.name else replace(ANALYST, name=name, title=name)
            sid = self.writer.ensure_source(conn, info, None, now)
            old = self.writer.existing(conn, sid, [rec.key]).get(rec.key)
            if old is not None:
                rec.labels = merge_labels(tuple(old.labels), rec.labels)
            self.writer.upsert(conn, sid, [rec], None, now, None)
        found = list(self.records(type=type, value=canonical, source=name))
        return next(r for r in found if r.action == action and r.chain == (ch or None))

    def remove(self, type: str, value: str, *, source: str = ANALYST.name) -> int:
        """Delete `source`'s records of (type, value); returns how many went."""
        try:
            canonical, _ = value_key(type, value)
        except ValueError as exc:
            raise InputError(f"not a valid {type}: {exc}") from exc
        with self._write() as conn:
            sid = conn.execute(
                sa.select(sources.c.id).where(sources.c.name == source)
            ).scalar_one_or_none()
            if sid is None:
                raise UnknownSourceError(f"no source named {source!r}")
            c = indicators.c
            q = indicators.delete().where(c.source_id == sid, c.type == type, c.value == canonical)
            return int(conn.execute(q).rowcount)

    # -- lookup ---------------------------------------------------------------------------

    def check(
        self, items: Iterable[Indicator] | Iterable[tuple[str, str]]
    ) -> dict[Key, list[IntelHit]]:
        """Look indicators up in batches. Keys are (type, value) as given; every key is present
        (an empty list when nothing matched or the value is not a valid indicator).

        Indicators are trusted to carry canonical values (the extractor's); (type, raw) tuples
        are normalised first.
        """
        wanted: dict[Key, tuple[str, str] | None] = {}
        for item in items:
            if isinstance(item, Indicator):
                wanted[(item.type, item.value)] = (item.type, item.value)
                continue
            type_, raw = item
            if (type_, raw) in wanted:
                continue
            try:
                wanted[(type_, raw)] = (type_, value_key(type_, raw)[0])
            except ValueError:
                wanted[(type_, raw)] = None
        return self._check_canonical(wanted)

    def _check_canonical(
        self, wanted: Mapping[Key, tuple[str, str] | None]
    ) -> dict[Key, list[IntelHit]]:
        now = self._now()
        with gc_paused:
            return check_batch(self.engine, wanted, now)

    def check_values(self, values: Iterable[str]) -> dict[str, ValueCheck]:
        """Check raw strings (wallet, domain, URL, phone, e-mail, handle...), guessing each
        one's type. Keyed by the raw string."""
        guesses: dict[str, Guess | str] = {}
        for raw in values:
            try:
                guesses[raw] = guess(raw)
            except ValueError as exc:
                guesses[raw] = str(exc)
        wanted: dict[Key, tuple[str, str] | None] = {
            (g.type, g.value): (g.type, g.value) for g in guesses.values() if isinstance(g, Guess)
        }
        hits = self._check_canonical(wanted)
        out: dict[str, ValueCheck] = {}
        for raw, g in guesses.items():
            if isinstance(g, str):
                out[raw] = ValueCheck(raw, None, None, None, error=f"not an indicator: {g}")
            else:
                found = tuple(hits.get((g.type, g.value), ()))
                out[raw] = ValueCheck(raw, g.type, g.value, g.chain or None, found)
        return out

    # -- reading --------------------------------------------------------------------------

    def records(
        self,
        *,
        type: str | None = None,
        value: str | None = None,
        source: str | None = None,
        batch: int = 5000,
    ) -> Iterator[IntelRecord]:
        """Stored records (all of them by default), streamed in id order."""
        c = indicators.c
        q = (
            sa.select(indicators, sources.c.name.label("source_name"))
            .join(sources, sources.c.id == c.source_id)
            .order_by(c.id)
        )
        if type is not None:
            q = q.where(c.type == type)
        if value is not None:
            q = q.where(c.value == value)
        if source is not None:
            q = q.where(sources.c.name == source)
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=batch).execute(q)
            try:
                for r in result:
                    yield record_of(r)
            finally:
                result.close()  # also when the caller stops early (server-side cursors)

    def links(self, *, batch: int = 5000) -> Iterator[LinkRecord]:
        """Every stored link, with both ends."""
        a, b = indicators.alias("a"), indicators.alias("b")
        sa_, sb = sources.alias("sa"), sources.alias("sb")
        q = (
            sa.select(
                *[col.label(f"a_{col.name}") for col in a.c],
                sa_.c.name.label("a_source_name"),
                *[col.label(f"b_{col.name}") for col in b.c],
                sb.c.name.label("b_source_name"),
                links.c.relation,
                links.c.first_seen.label("l_first"),
                links.c.last_seen.label("l_last"),
            )
            .select_from(
                links.join(a, a.c.id == links.c.from_id)
                .join(b, b.c.id == links.c.to_id)
                .join(sa_, sa_.c.id == a.c.source_id)
                .join(sb, sb.c.id == b.c.source_id)
            )
            .order_by(links.c.id)
        )
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=batch).execute(q)
            try:
                for r in result:
                    m = r._mapping
                    yield LinkRecord(
                        record_from({k[2:]: v for k, v in m.items() if k.startswith("a_")}),
                        record_from({k[2:]: v for k, v in m.items() if k.startswith("b_")}),
                        r.relation,
                        aware(r.l_first),
                        aware(r.l_last),
                    )
            finally:
                result.close()

    def provenance(self, type: str, value: str) -> list[Provenance]:
        """Provenance of every record stored under (type, canonical value)."""
        fi, li = imports.alias("fi"), imports.alias("li")
        c = indicators.c
        q = (
            sa.select(
                sources.c.name,
                c.type,
                c.value,
                c.action,
                c.origin,
                fi.c.file_name,
                fi.c.sha256,
                fi.c.imported_at,
                li.c.file_name,
                li.c.sha256,
                li.c.imported_at,
                li.c.format,
            )
            .select_from(
                indicators.join(sources, sources.c.id == c.source_id)
                .outerjoin(fi, fi.c.id == c.first_import_id)
                .outerjoin(li, li.c.id == c.last_import_id)
            )
            .where(c.type == type, c.value == value)
            .order_by(sources.c.name, c.action)
        )
        with self.engine.connect() as conn:
            return [
                Provenance(
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    r[4],
                    r[5],
                    r[6],
                    from_db(r[7]),
                    r[8],
                    r[9],
                    from_db(r[10]),
                    r[11],
                )
                for r in conn.execute(q)
            ]

    def related(self, type: str, value: str) -> list[tuple[str, IntelRecord]]:
        """Records linked to (type, canonical value), with the relation ('uses-wallet', or
        'used-by' seen from the wallet's side)."""
        a, b = indicators.alias("a"), indicators.alias("b")
        out: list[tuple[str, IntelRecord]] = []
        with self.engine.connect() as conn:
            for near, far, direction in ((a, b, "from"), (b, a, "to")):
                on_near = links.c.from_id if direction == "from" else links.c.to_id
                on_far = links.c.to_id if direction == "from" else links.c.from_id
                q = (
                    sa.select(far, sources.c.name.label("source_name"), links.c.relation)
                    .select_from(
                        links.join(near, near.c.id == on_near)
                        .join(far, far.c.id == on_far)
                        .join(sources, sources.c.id == far.c.source_id)
                    )
                    .where(near.c.type == type, near.c.value == value)
                )
                for r in conn.execute(q):
                    rel = r.relation if direction == "from" else f"{r.relation} (reverse)"
                    out.append((rel, record_of(r)))
        return out

    # -- export and statistics ------------------------------------------------------------

    def export(self, format: str, out: IO[str]) -> int:
        """Write every record as STIX 2.1 ('stix') or CSV ('csv'); returns records written."""
        from . import export

        fmt = format.lower()
        if fmt == "stix":
            return export.write_stix(self, out)
        if fmt == "csv":
            return export.write_csv(self, out)
        raise InputError(f"unknown export format {format!r} (stix or csv)")

    def stats(self) -> IntelStats:
        """Counts by type, source, action, week and year, and growth year on year."""
        return store_stats(self.engine, self._now())

"""Batched lookups: candidate keys per indicator, fetched with IN (...) per type, turned into
`IntelHit`s by `lookup.build_hits`.

This is on the hot path of every analysis (one call per conversation), so it talks to the
driver directly, with the SQL texts kept to a few shapes (prepared once by the driver):

- a batch with nothing to look up never touches the database;
- one statement fetches a conversation's candidate rows; the look-alike targets and the
  sources, which change only with imports, come with it (PostgreSQL: one round trip) or from
  a per-connection copy checked against `PRAGMA data_version` (SQLite).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from scamlens.model import IntelHit

from . import lookup
from .batching import CHUNK
from .records import aware, from_db, labels_of

Key = tuple[str, str]  # (type, value) as the caller gave it
Plan = tuple[tuple[lookup.Candidate, ...], str | None]  # candidates, look-alike host

# Column order is what `_fetch` reads; names are the schema's constants, values are bound.
# Look-alike targets (kind 1) and sources (kind 2) ride along in the first statement, padded
# to its columns: one statement (one snapshot, one round trip) answers a whole conversation.
ROWS_SQL = (
    "SELECT 0, type, value, chain, action, confidence, source_id, labels, first_seen,"
    " last_seen, expires FROM indicators WHERE type = {mark} AND value IN ({values})"
)
TARGETS_SQL = (
    "SELECT 1, NULL, value, NULL, NULL, tolerance, source_id, NULL, NULL, NULL, NULL"
    " FROM lookalike_targets"
)
SOURCES_SQL = "SELECT 2, NULL, name, title, NULL, trust, id, NULL, NULL, NULL, NULL FROM sources"
# IN lists are padded (repeating a value) to one of a few lengths, so that the driver's cache
# of prepared statements sees the same few SQL texts again and again.
_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, CHUNK)
Rows = dict[tuple[str, str], list[lookup.Row]]
# Look-alike targets as read (value, tolerance, source id), and sources by id.
Side = tuple[list[tuple[str, int, int]], dict[int, lookup.SourceView]]
Found = tuple[Rows, lookup.LookalikeMatcher, dict[int, lookup.SourceView]]
# Per pooled SQLite connection: ((data_version, changes), matcher, sources).
_SIDE_KEY = "scamlens.intel.side"


def check_batch(
    engine: sa.Engine, wanted: Mapping[Key, tuple[str, str] | None], now: datetime
) -> dict[Key, list[IntelHit]]:
    """Hits for canonical (type, value) pairs keyed as the caller keyed them."""
    plans: dict[Key, Plan] = {}
    by_type: dict[str, set[str]] = defaultdict(set)
    any_host = False
    for key, canon in wanted.items():
        if canon is None:
            continue
        cands, host = plans[key] = _plan(*canon)
        any_host = any_host or host is not None
        for cand in cands:
            by_type[cand.type].add(cand.value)
    if not plans:
        return {key: [] for key in wanted}
    rows, matcher, views = _fetch(engine, by_type, any_host)
    out: dict[Key, list[IntelHit]] = {}
    fuzzy_on = bool(matcher.targets)
    for key in wanted:
        if key not in plans:
            out[key] = []
            continue
        cands, host = plans[key]
        matches = (
            [(cand, row) for cand in cands for row in rows.get((cand.type, cand.value), ())]
            if rows
            else []
        )
        fuzzy = matcher.match(host) if host is not None and fuzzy_on else None
        if not matches and fuzzy is None:
            out[key] = []
            continue
        out[key] = lookup.build_hits(matches, fuzzy, host, views, now)
    return out


@lru_cache(maxsize=8192)
def _plan(type_: str, value: str) -> Plan:
    # Pure; chat repeats its amounts, links and wallets.
    return tuple(lookup.candidates(type_, value)), lookup.lookalike_host(type_, value)


def _fetch(engine: sa.Engine, by_type: Mapping[str, set[str]], with_targets: bool) -> Found:
    statements = list(_statements("?" if engine.dialect.paramstyle == "qmark" else "%s", by_type))
    found: Rows = defaultdict(list)
    conn = engine.raw_connection()
    try:
        cur = conn.cursor()
        if engine.dialect.name == "sqlite":
            matcher, views = _sqlite_fetch(conn, cur, statements, found)
        else:
            matcher, views = _union_fetch(conn, cur, statements, found, with_targets)
        cur.close()
    finally:
        conn.close()  # back to the pool, which rolls back whatever is left open
    return found, matcher, views


def _union_fetch(
    conn: Any,
    cur: Any,
    statements: list[tuple[str, list[str]]],
    found: Rows,
    with_targets: bool,
) -> tuple[lookup.LookalikeMatcher, dict[int, lookup.SourceView]]:
    """Targets and sources ride along in the first statement: one round trip in all."""
    side: Side = ([], {})
    sql, params = statements[0]
    extra = f" UNION ALL {TARGETS_SQL}" if with_targets else ""
    statements[0] = (f"{sql}{extra} UNION ALL {SOURCES_SQL}", params)
    with _autocommit(conn.driver_connection):
        for sql, params in statements:
            cur.execute(sql, params)
            _read(cur.fetchall(), found, side)
    return _matcher(tuple(side[0])), side[1]


@contextmanager
def _autocommit(dbapi_conn: Any) -> Iterator[None]:
    """PostgreSQL: run the reads outside a transaction, which saves the BEGIN and ROLLBACK
    round trips. Each statement still sees one snapshot (as under READ COMMITTED)."""
    before = getattr(dbapi_conn, "autocommit", None)
    if before is not False:
        yield
        return
    dbapi_conn.autocommit = True
    try:
        yield
    finally:
        if not getattr(dbapi_conn, "closed", False):
            dbapi_conn.autocommit = False


def _sqlite_fetch(
    conn: Any, cur: Any, statements: list[tuple[str, list[str]]], found: Rows
) -> tuple[lookup.LookalikeMatcher, dict[int, lookup.SourceView]]:
    """SQLite: one read transaction (the driver is in autocommit mode, see db.py). Targets and
    sources change only with imports, so each pooled connection keeps them and reads them
    again only when `PRAGMA data_version` (commits by other connections) or the connection's
    own change count says the database changed."""
    cur.execute("BEGIN")
    cur.execute("PRAGMA data_version")  # also starts the snapshot every statement below sees
    changes = getattr(conn.driver_connection, "total_changes", None)
    version = (cur.fetchone()[0], changes) if changes is not None else None
    for sql, params in statements:
        cur.execute(sql, params)
        _read(cur.fetchall(), found, None)
    cached = conn.info.get(_SIDE_KEY)
    if cached is None or version is None or cached[0] != version:
        side: Side = ([], {})
        cur.execute(f"{TARGETS_SQL} UNION ALL {SOURCES_SQL}")
        _read(cur.fetchall(), found, side)
        cached = conn.info[_SIDE_KEY] = (version, _matcher(tuple(side[0])), side[1])
    cur.execute("COMMIT")  # read-only: ends the read transaction
    return cached[1], cached[2]


@lru_cache(maxsize=8)
def _matcher(targets: tuple[tuple[str, int, int], ...]) -> lookup.LookalikeMatcher:
    # Targets change only with imports: the same list gets the same matcher (and its memo).
    return lookup.LookalikeMatcher(
        lookup.Target(value, lookup.fuzzy_form(value), tolerance, source)
        for value, tolerance, source in targets
    )


def _read(rows: Sequence[Any], found: Rows, side: Side | None) -> None:
    for r in rows:
        kind = r[0]
        if kind == 0:
            found[(r[1], r[2])].append(_row(r))
        elif side is None:
            raise AssertionError("look-alike target or source row where none was asked for")
        elif kind == 1:
            side[0].append((r[2], int(r[5]), int(r[6])))
        else:
            side[1][int(r[6])] = lookup.SourceView(r[2], r[3], float(r[5]))


def _row(r: Sequence[Any]) -> lookup.Row:
    return lookup.Row(
        r[1],
        r[2],
        r[3],
        r[4],
        labels_of(r[7]),
        r[5],
        aware(r[8]),
        aware(r[9]),
        from_db(r[10]),
        r[6],
    )


@lru_cache(maxsize=64)
def _rows_sql(mark: str, size: int) -> str:
    return ROWS_SQL.format(mark=mark, values=", ".join([mark] * size))


def _statements(mark: str, by_type: Mapping[str, set[str]]) -> Iterator[tuple[str, list[str]]]:
    """(SQL, parameters) with at most CHUNK + a few parameters each: the per-type IN queries
    of a batch, joined with UNION ALL while they fit."""
    parts: list[str] = []
    params: list[str] = []
    for type_, values in by_type.items():
        ordered = sorted(values)
        for i in range(0, len(ordered), CHUNK):
            chunk = ordered[i : i + CHUNK]
            n = len(chunk)
            size = _SIZES[bisect_left(_SIZES, n)]
            if parts and len(params) + size + 1 > CHUNK + 1:
                yield " UNION ALL ".join(parts), params
                parts, params = [], []
            parts.append(_rows_sql(mark, size))
            params.append(type_)
            params += chunk
            if size > n:
                params += [chunk[-1]] * (size - n)
    if parts:
        yield " UNION ALL ".join(parts), params

"""Batched lookups: candidate keys per indicator, fetched with IN (...) per type, turned into
`IntelHit`s by `lookup.build_hits`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime

import sqlalchemy as sa

from scamlens.model import IntelHit

from . import lookup
from .batching import chunks
from .records import aware, from_db, labels_of
from .schema import lookalike_targets, sources

Key = tuple[str, str]  # (type, value) as the caller gave it

# Column order is what `fetch` reads; names are the schema's constants, values are bound.
LOOKUP_SQL = (
    "SELECT type, value, chain, action, confidence, source_id, labels, first_seen, last_seen,"
    " expires FROM indicators WHERE type = {mark} AND value IN ({values})"
)


def check_batch(
    conn: sa.Connection, wanted: Mapping[Key, tuple[str, str] | None], now: datetime
) -> dict[Key, list[IntelHit]]:
    """Hits for canonical (type, value) pairs keyed as the caller keyed them."""
    plans: dict[Key, list[lookup.Candidate]] = {}
    by_type: dict[str, set[str]] = defaultdict(set)
    for key, canon in wanted.items():
        if canon is None:
            continue
        cands = lookup.candidates(*canon)
        plans[key] = cands
        for cand in cands:
            by_type[cand.type].add(cand.value)
    views = source_views(conn)
    rows = fetch(conn, by_type)
    matcher = lookalike_matcher(conn)
    out: dict[Key, list[IntelHit]] = {}
    for key, canon in wanted.items():
        if canon is None:
            out[key] = []
            continue
        matches = [
            (cand, row) for cand in plans[key] for row in rows.get((cand.type, cand.value), ())
        ]
        host = lookup.lookalike_host(*canon)
        fuzzy = matcher.match(host) if host is not None and matcher.targets else None
        if not matches and fuzzy is None:
            out[key] = []
            continue
        out[key] = lookup.build_hits(matches, fuzzy, host, views, now)
    return out


def fetch(
    conn: sa.Connection, by_type: Mapping[str, set[str]]
) -> dict[tuple[str, str], list[lookup.Row]]:
    # The hot path of every scan: plain driver SQL (SQLAlchemy re-renders an expanding IN
    # list per call), raw values parsed with C-speed fromisoformat and a label cache.
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    found: dict[tuple[str, str], list[lookup.Row]] = defaultdict(list)
    for type_, values in by_type.items():
        ordered = sorted(values)
        for chunk in chunks(ordered):
            sql = LOOKUP_SQL.format(mark=mark, values=", ".join([mark] * len(chunk)))
            for r in conn.exec_driver_sql(sql, (type_, *chunk)).all():
                found[(r[0], r[1])].append(
                    lookup.Row(
                        r[0],
                        r[1],
                        r[2],
                        r[3],
                        labels_of(r[6]),
                        r[4],
                        aware(r[7]),
                        aware(r[8]),
                        from_db(r[9]),
                        r[5],
                    )
                )
    return found


def lookalike_matcher(conn: sa.Connection) -> lookup.LookalikeMatcher:
    t = lookalike_targets.c
    q = sa.select(t.value, t.tolerance, t.source_id)
    return lookup.LookalikeMatcher(
        lookup.Target(r.value, lookup.fuzzy_form(r.value), r.tolerance, r.source_id)
        for r in conn.execute(q)
    )


def source_views(conn: sa.Connection) -> dict[int, lookup.SourceView]:
    q = sa.select(sources.c.id, sources.c.name, sources.c.title, sources.c.trust)
    return {r.id: lookup.SourceView(r.name, r.title, r.trust) for r in conn.execute(q)}

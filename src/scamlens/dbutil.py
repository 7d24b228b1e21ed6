"""Shared SQLAlchemy engine set-up for scamlens' own databases (cases store; others may follow).

SQLite: WAL (readers never block the writer), foreign keys, a busy timeout so concurrent
writers queue, and explicit BEGIN (BEGIN IMMEDIATE for connections marked as writers) so a
write transaction takes the lock up front instead of failing on upgrade. PostgreSQL: a
pre-ping pool; callers serialise writers with `advisory_lock` where they need to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

WRITE_OPTION = "scamlens_write"  # execution option: this connection writes (BEGIN IMMEDIATE)
BUSY_TIMEOUT_S = 30.0


class UnsupportedDatabase(ValueError):
    """The URL names a database scamlens does not support, or is not a URL."""


def make_engine(url: str, *, synchronous: str = "NORMAL", pool_size: int = 5) -> sa.Engine:
    """An engine for `url` (sqlite:/// or postgresql+psycopg://) with the settings above.

    `synchronous` is SQLite's durability setting: NORMAL survives a killed process; FULL also
    survives power loss (one fsync per commit).
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise UnsupportedDatabase(f"not a database URL: {url!r}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            parsed, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False}
        )
        sqlite_events(engine, synchronous=synchronous)
        return engine
    if backend == "postgresql":
        return sa.create_engine(
            parsed, pool_pre_ping=True, pool_size=pool_size, max_overflow=2 * pool_size
        )
    raise UnsupportedDatabase(
        f"unsupported database {backend!r}: use sqlite:/// or postgresql+psycopg://"
    )


def sqlite_events(engine: sa.Engine, *, synchronous: str = "NORMAL") -> None:
    if synchronous not in ("NORMAL", "FULL"):
        raise ValueError("synchronous is NORMAL or FULL")

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let the BEGIN below, not the sqlite3 module, decide where transactions start.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def advisory_lock(conn: sa.Connection, key: int) -> None:
    """Serialise writers on PostgreSQL until commit/rollback. SQLite already has BEGIN IMMEDIATE."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})

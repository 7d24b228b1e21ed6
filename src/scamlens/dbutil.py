"""Shared SQLAlchemy set-up for scamlens' own databases (case store, intelligence store):
engines, migrations, and what a store over one engine always has.

SQLite: WAL (readers never block the writer), foreign keys, a busy timeout so concurrent
writers queue, and explicit BEGIN (BEGIN IMMEDIATE for connections marked as writers) so a
write transaction takes the lock up front instead of failing on upgrade. PostgreSQL: a
pre-ping pool; callers serialise writers with `advisory_lock` where they need to.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

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


class Migrations:
    """Alembic run programmatically for one store: `upgrade` takes the writer lock and runs
    `upgrade head` in one transaction, a no-op when the database is already current."""

    def __init__(self, script_location: str, lock_key: int, version_table: str | None = None):
        self.script_location = script_location
        self.lock_key = lock_key
        self.version_table = version_table

    def config(self, conn: sa.Connection | None = None) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", self.script_location)
        if conn is not None:
            cfg.attributes["connection"] = conn
        return cfg

    def head(self) -> str | None:
        return ScriptDirectory.from_config(self.config()).get_current_head()

    def current(self, conn: sa.Connection) -> str | None:
        opts = {"version_table": self.version_table} if self.version_table else {}
        return MigrationContext.configure(conn, opts=opts).get_current_revision()

    def upgrade(self, engine: sa.Engine) -> None:
        head = self.head()
        with engine.connect() as probe:
            if self.current(probe) == head:
                return
        with engine.connect() as conn:
            conn = conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                advisory_lock(conn, self.lock_key)
                if self.current(conn) != head:  # another process may have just done it
                    command.upgrade(self.config(conn), "head")


class EngineStore:
    """What every store over one engine shares: its URL (no password), close, `with`."""

    engine: sa.Engine

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

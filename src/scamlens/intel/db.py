"""Engine set-up and migrations for the intelligence store.

SQLite gets WAL (readers never block the importer), foreign keys, a busy timeout and explicit
BEGIN so that a whole import, and every migration, is one transaction. PostgreSQL runs
migrations and imports under an advisory lock so concurrent writers queue instead of racing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from scamlens.errors import ScamlensError

SCRIPT_LOCATION = "scamlens:migrations"
_PG_LOCK_KEY = 0x5CA417E1  # arbitrary, constant: "scamlens intel writer"


class StoreError(ScamlensError):
    """The intelligence store could not be opened or written."""


def create_engine(url: str) -> sa.Engine:
    """An engine for `url` with the settings the store relies on."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"not a database URL: {url!r}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(parsed, connect_args={"timeout": 30})
        _sqlite_events(engine)
        return engine
    if backend == "postgresql":
        return sa.create_engine(parsed, pool_pre_ping=True)
    raise StoreError(f"unsupported database {backend!r}: use sqlite:/// or postgresql+psycopg://")


def _sqlite_events(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN below, not the sqlite3 module, decide where transactions start.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # Writers take the write lock up front so two importers cannot both read then collide.
        if conn.get_execution_options().get("scamlens_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def write_lock(conn: sa.Connection) -> None:
    """Serialise writers on PostgreSQL (released at commit/rollback). SQLite: BEGIN IMMEDIATE."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})


def alembic_config(conn: sa.Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(conn: sa.Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: sa.Engine) -> None:
    """`alembic upgrade head` on `engine`, in one transaction; a no-op when already current."""
    head = head_revision()
    with engine.connect() as probe:
        if current_revision(probe) == head:
            return
    with engine.connect() as conn:
        conn = conn.execution_options(scamlens_write=True)
        with conn.begin():
            write_lock(conn)
            if current_revision(conn) != head:  # another process may have just done it
                command.upgrade(alembic_config(conn), "head")

"""Engine set-up and migrations for the intelligence store.

SQLite gets WAL (readers never block the importer), foreign keys, a busy timeout and explicit
BEGIN so that a whole import, and every migration, is one transaction. PostgreSQL runs
migrations and imports under an advisory lock so concurrent writers queue instead of racing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from scamlens.dbutil import UnsupportedDatabase, advisory_lock, make_engine
from scamlens.errors import ScamlensError

SCRIPT_LOCATION = "scamlens:migrations"
_PG_LOCK_KEY = 0x5CA417E1  # arbitrary, constant: "scamlens intel writer"


class StoreError(ScamlensError):
    """The intelligence store could not be opened or written."""


def create_engine(url: str) -> sa.Engine:
    """An engine for `url` with the settings the store relies on (shared with the case store:
    WAL, foreign keys, busy timeout, BEGIN IMMEDIATE for writers; see `scamlens.dbutil`)."""
    try:
        return make_engine(url)
    except UnsupportedDatabase as exc:
        raise StoreError(str(exc)) from exc


def write_lock(conn: sa.Connection) -> None:
    """Serialise writers on PostgreSQL (released at commit/rollback). SQLite: BEGIN IMMEDIATE."""
    advisory_lock(conn, _PG_LOCK_KEY)


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

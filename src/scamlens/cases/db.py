"""Engine and migrations for the case store (Alembic, run programmatically on open)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from scamlens.dbutil import WRITE_OPTION, advisory_lock

SCRIPT_LOCATION = "scamlens.cases:migrations"
VERSION_TABLE = "cases_alembic_version"
PG_LOCK_KEY = 0x5CA5E500  # arbitrary, constant: "scamlens case store writer"


def alembic_config(conn: sa.Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(conn: sa.Connection) -> str | None:
    ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
    return ctx.get_current_revision()


def upgrade(engine: sa.Engine) -> None:
    """`alembic upgrade head` in one transaction; a no-op when already current."""
    head = head_revision()
    with engine.connect() as probe:
        if current_revision(probe) == head:
            return
    with engine.connect() as conn:
        conn = conn.execution_options(**{WRITE_OPTION: True})
        with conn.begin():
            advisory_lock(conn, PG_LOCK_KEY)
            if current_revision(conn) != head:  # another process may have just done it
                command.upgrade(alembic_config(conn), "head")

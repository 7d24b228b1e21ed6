"""Alembic environment for the case store. scamlens runs migrations itself
(`scamlens.cases.db.upgrade`) with an open connection in `config.attributes["connection"]`.
The version table is `cases_alembic_version`, so the store can share a database with the
intelligence store."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from scamlens.cases.schema import metadata

VERSION_TABLE = "cases_alembic_version"
config = context.config


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    conn = config.attributes.get("connection")
    if conn is None:
        raise RuntimeError("run through scamlens.cases.db.upgrade (it passes a connection)")
    _run(conn)


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) mode is not supported; run against a database")
run_migrations_online()

"""Alembic environment. scamlens runs migrations itself (`scamlens.intel.db.upgrade`) and passes
an open connection in `config.attributes["connection"]`. From a shell, with an ini file that
says `script_location = scamlens:migrations`: `alembic -c that.ini -x url=sqlite:///dev.db
revision --autogenerate -m "..."`."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from scamlens.intel.schema import metadata

config = context.config


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    conn = config.attributes.get("connection")
    if conn is not None:
        _run(conn)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise RuntimeError("pass the database with -x url=... or sqlalchemy.url")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        _run(connection)
    engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) mode is not supported; run against a database")
run_migrations_online()

"""The case store's migrations build exactly the tables and indexes the code declares."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from scamlens.cases import db
from scamlens.cases.schema import metadata
from scamlens.dbutil import make_engine


def test_migrations_match_the_schema(store_url: str) -> None:
    engine = make_engine(store_url)
    try:
        db.upgrade(engine)
        with engine.connect() as conn:
            assert db.MIGRATIONS.current(conn) == db.MIGRATIONS.head() == "c0002"
            ctx = MigrationContext.configure(
                conn, opts={"compare_type": True, "version_table": db.VERSION_TABLE}
            )
            diff = [d for d in compare_metadata(ctx, metadata) if not _other_store(d)]
            assert diff == []
    finally:
        engine.dispose()


def _other_store(d: object) -> bool:
    """Tables of another store sharing the database (the intelligence store, on PostgreSQL)."""
    return isinstance(d, tuple) and d[0] == "remove_table"

"""Alembic: migrations build the schema, and the models match the migrations."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from scamlens.intel import IntelStore
from scamlens.intel import db as intel_db
from scamlens.intel.schema import metadata


def test_upgrade_empty_database_and_models_match(db_url: str) -> None:
    engine = intel_db.create_engine(db_url)
    try:
        with engine.connect() as conn:
            assert intel_db.current_revision(conn) is None
        intel_db.upgrade(engine)
        with engine.connect() as conn:
            assert intel_db.current_revision(conn) == intel_db.head_revision()
            names = set(sa.inspect(conn).get_table_names())
            assert set(metadata.tables) | {"alembic_version"} == names
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(ctx, metadata) == []
        intel_db.upgrade(engine)  # a second run is a no-op
    finally:
        engine.dispose()


def test_open_creates_and_reopens(db_url: str) -> None:
    with IntelStore.open(db_url) as store:
        store.add("domain", "evil.example")
    with IntelStore.open(db_url) as store:
        assert [r.value for r in store.records()] == ["evil.example"]


def test_sqlite_settings(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "deep" / "dir" / "intel.db"
    with IntelStore.open(f"sqlite:///{path}") as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert path.exists()


def test_bad_url() -> None:
    import pytest

    from scamlens.intel import StoreError

    with pytest.raises(StoreError, match="unsupported database"):
        IntelStore.open("mysql://x@localhost/db")
    with pytest.raises(StoreError, match="not a database URL"):
        IntelStore.open("::nonsense::")

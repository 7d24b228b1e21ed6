"""Fixtures for the intelligence store: the same tests run on SQLite and PostgreSQL.

PostgreSQL tests use postgresql+psycopg://postgres@127.0.0.1:5432/test (override with
SCAMLENS_TEST_PG) and get a fresh schema each, so parallel runs do not clash; they skip when
no server answers.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from scamlens.intel import IntelStore

FIXTURES = Path(__file__).parent / "fixtures"
PG_URL = os.environ.get("SCAMLENS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

_pg_state: dict[str, str | None] = {}


def pg_unavailable() -> str | None:
    """Why PostgreSQL cannot be used here, or None when it answers."""
    if "reason" not in _pg_state:
        try:
            import psycopg  # noqa: F401
        except ImportError:
            _pg_state["reason"] = "psycopg is not installed (pip install 'scamlens[postgres]')"
            return _pg_state["reason"]
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            _pg_state["reason"] = None
        except sa.exc.OperationalError as exc:
            first = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
            _pg_state["reason"] = f"no PostgreSQL server at {PG_URL}: {first}"
        finally:
            engine.dispose()
    return _pg_state["reason"]


class Clock:
    """A settable clock for expiry tests."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, days: float) -> None:
        self.now += timedelta(days=days)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'intel.db'}"
        return
    reason = pg_unavailable()
    if reason:
        pytest.skip(reason)
    schema = f"scamlens_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        sep = "&" if "?" in PG_URL else "?"
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(db_url: str, clock: Clock) -> Iterator[IntelStore]:
    s = IntelStore.open(db_url, clock=clock)
    try:
        yield s
    finally:
        s.close()


def fixture(name: str) -> Path:
    return FIXTURES / name


def snapshot(store: IntelStore) -> dict[str, Any]:
    """Everything a failed import must leave untouched."""
    from scamlens.intel.schema import imports, links, lookalike_targets

    with store.engine.connect() as conn:

        def count(t: sa.Table) -> int:
            return int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())

        counts = {t.name: count(t) for t in (imports, links, lookalike_targets)}
    return {
        "records": sorted(
            (r.source, r.type, r.value, r.chain or "", r.action, r.last_seen, r.labels)
            for r in store.records()
        ),
        "sources": [(s.name, s.trust) for s in store.sources()],
        **counts,
    }

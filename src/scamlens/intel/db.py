"""Engine set-up and migrations for the intelligence store.

SQLite gets WAL (readers never block the importer), foreign keys, a busy timeout and explicit
BEGIN so that a whole import, and every migration, is one transaction. PostgreSQL runs
migrations and imports under an advisory lock so concurrent writers queue instead of racing.
"""

from __future__ import annotations

import sqlalchemy as sa

from scamlens.dbutil import Migrations, UnsupportedDatabase, advisory_lock, make_engine
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


MIGRATIONS = Migrations(SCRIPT_LOCATION, _PG_LOCK_KEY)
head_revision = MIGRATIONS.head
current_revision = MIGRATIONS.current
upgrade = MIGRATIONS.upgrade

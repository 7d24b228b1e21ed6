"""Engine and migrations for the case store (Alembic, run programmatically on open)."""

from __future__ import annotations

from scamlens.dbutil import Migrations

SCRIPT_LOCATION = "scamlens.cases:migrations"
VERSION_TABLE = "cases_alembic_version"
PG_LOCK_KEY = 0x5CA5E500  # arbitrary, constant: "scamlens case store writer"


MIGRATIONS = Migrations(SCRIPT_LOCATION, PG_LOCK_KEY, VERSION_TABLE)
upgrade = MIGRATIONS.upgrade

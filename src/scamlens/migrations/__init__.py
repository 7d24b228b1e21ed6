"""Alembic migrations for the intelligence store (run by `IntelStore.open`)."""

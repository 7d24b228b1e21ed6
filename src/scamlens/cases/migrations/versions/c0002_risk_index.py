"""Case store: an index on risk, for the case list sorted by risk (triage).

Revision ID: c0002
Revises: c0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "c0002"
down_revision = "c0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_risk", "cases", ["risk"])


def downgrade() -> None:
    op.drop_index("ix_cases_risk", table_name="cases")

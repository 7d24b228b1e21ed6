"""Initial intelligence store: sources, imports, indicators, links, look-alike targets.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("trust", sa.Float, nullable=False),
        sa.Column("url", sa.String(1000), nullable=True),
        sa.Column("licence", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
        sa.UniqueConstraint("name", name="uq_sources_name"),
        sa.CheckConstraint("trust >= 0 AND trust <= 1", name="ck_sources_trust_range"),
    )
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("file_name", sa.String(1000), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("added", sa.Integer, nullable=False),
        sa.Column("updated", sa.Integer, nullable=False),
        sa.Column("refreshed", sa.Integer, nullable=False),
        sa.Column("skipped", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_imports"),
    )
    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("value", sa.String(2000), nullable=False),
        sa.Column("chain", sa.String(16), nullable=False),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("labels", sa.JSON, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("first_seen", sa.DateTime, nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=False),
        sa.Column("expires", sa.DateTime, nullable=True),
        sa.Column("explicit_expiry", sa.Boolean, nullable=False),
        sa.Column("first_import_id", sa.Integer, nullable=True),
        sa.Column("last_import_id", sa.Integer, nullable=True),
        sa.Column("origin", sa.String(300), nullable=False),
        sa.Column("details", sa.JSON, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_indicators"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name="fk_indicators_source_id_sources",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["first_import_id"],
            ["imports.id"],
            name="fk_indicators_first_import_id_imports",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["last_import_id"],
            ["imports.id"],
            name="fk_indicators_last_import_id_imports",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint(
            "source_id",
            "type",
            "value",
            "chain",
            "action",
            name="uq_indicators_source_id_type_value_chain_action",
        ),
        sa.CheckConstraint("action IN ('block', 'allow')", name="ck_indicators_action_kind"),
        sa.CheckConstraint(
            "confidence >= 0 AND confidence <= 1", name="ck_indicators_confidence_range"
        ),
    )
    op.create_index("ix_indicators_type_value", "indicators", ["type", "value"])
    op.create_table(
        "links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("from_id", sa.Integer, nullable=False),
        sa.Column("to_id", sa.Integer, nullable=False),
        sa.Column("relation", sa.String(32), nullable=False),
        sa.Column("first_seen", sa.DateTime, nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=False),
        sa.Column("last_import_id", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_links"),
        sa.ForeignKeyConstraint(
            ["from_id"], ["indicators.id"], name="fk_links_from_id_indicators", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["to_id"], ["indicators.id"], name="fk_links_to_id_indicators", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["last_import_id"],
            ["imports.id"],
            name="fk_links_last_import_id_imports",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("from_id", "to_id", "relation", name="uq_links_from_id_to_id_relation"),
    )
    op.create_index("ix_links_to_id", "links", ["to_id"])
    op.create_table(
        "lookalike_targets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, nullable=False),
        sa.Column("value", sa.String(300), nullable=False),
        sa.Column("tolerance", sa.Integer, nullable=False),
        sa.Column("first_seen", sa.DateTime, nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=False),
        sa.Column("last_import_id", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_lookalike_targets"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name="fk_lookalike_targets_source_id_sources",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["last_import_id"],
            ["imports.id"],
            name="fk_lookalike_targets_last_import_id_imports",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("source_id", "value", name="uq_lookalike_targets_source_id_value"),
    )


def downgrade() -> None:
    op.drop_table("lookalike_targets")
    op.drop_index("ix_links_to_id", table_name="links")
    op.drop_table("links")
    op.drop_index("ix_indicators_type_value", table_name="indicators")
    op.drop_table("indicators")
    op.drop_table("imports")
    op.drop_table("sources")

"""Tables of the case store (SQLAlchemy Core). Changes need a migration in `migrations/`."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

cases = sa.Table(
    "cases",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("updated_at", sa.DateTime(), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("notes", sa.Text(), nullable=False, server_default=""),
    sa.Column("label", sa.String(16), nullable=False),
    sa.Column("risk", sa.Float(), nullable=False),
    sa.Column("stage", sa.String(32), nullable=True),
    sa.Column("language", sa.String(16), nullable=False),
    sa.Column("platform", sa.String(32), nullable=True),
    sa.Column("source_name", sa.String(200), nullable=True),
    sa.Column("message_count", sa.Integer(), nullable=False),
    sa.Column("rules_version", sa.String(64), nullable=True),
    sa.Column("model_version", sa.String(128), nullable=True),
    sa.Column("conversation", sa.Text(), nullable=False),  # JSON, see records.conversation_to_json
    sa.Column("verdict", sa.Text(), nullable=False),  # JSON scan document, as given
    sa.Index("ix_cases_status", "status"),
    sa.Index("ix_cases_created_at", "created_at"),
    sa.Index("ix_cases_label", "label"),
    sa.Index("ix_cases_risk", "risk"),
)

case_tactics = sa.Table(
    "case_tactics",
    metadata,
    sa.Column(
        "case_id", sa.String(32), sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("tactic", sa.String(64), primary_key=True),
)

case_feedback = sa.Table(
    "case_feedback",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column(
        "case_id",
        sa.String(32),
        sa.ForeignKey("cases.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("target", sa.String(32), nullable=False),
    sa.Column("decision", sa.String(16), nullable=False),
    sa.Column("note", sa.Text(), nullable=True),
)

# No foreign key: the audit trail outlives a deleted case (as a content-free tombstone).
case_audit = sa.Table(
    "case_audit",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.String(32), nullable=False, index=True),
    sa.Column("at", sa.DateTime(), nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("details", sa.Text(), nullable=False, server_default="{}"),  # JSON, no content
)

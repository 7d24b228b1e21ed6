"""The intelligence store's tables (SQLAlchemy Core). Alembic migrations must match this.

One row in `indicators` is one source's claim about one value: the same domain listed by two
feeds is two rows, so every hit can name who said it. Times are stored as naive UTC.
"""

from __future__ import annotations

import sqlalchemy as sa

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING)

# Longest normalised value stored, in UTF-8 bytes: keeps the (type, value) b-tree index
# under PostgreSQL's entry size limit.
MAX_VALUE_BYTES = 2000

sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # feed | analyst | exchange
    sa.Column("trust", sa.Float, nullable=False),
    sa.Column("url", sa.String(1000), nullable=True),
    sa.Column("licence", sa.String(200), nullable=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("name"),
    sa.CheckConstraint("trust >= 0 AND trust <= 1", name="trust_range"),
)

imports = sa.Table(
    "imports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("format", sa.String(16), nullable=False),
    sa.Column("file_name", sa.String(1000), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Column("added", sa.Integer, nullable=False),
    sa.Column("updated", sa.Integer, nullable=False),
    sa.Column("refreshed", sa.Integer, nullable=False),
    sa.Column("skipped", sa.Integer, nullable=False),
)

indicators = sa.Table(
    "indicators",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("value", sa.String(MAX_VALUE_BYTES), nullable=False),
    sa.Column("chain", sa.String(16), nullable=False),  # '' when not a wallet or unknown
    sa.Column("action", sa.String(8), nullable=False),  # block | allow
    sa.Column("labels", sa.JSON, nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("first_seen", sa.DateTime, nullable=False),
    sa.Column("last_seen", sa.DateTime, nullable=False),
    sa.Column("expires", sa.DateTime, nullable=True),  # NULL: never
    sa.Column("explicit_expiry", sa.Boolean, nullable=False),  # set by the feed, not the TTL
    sa.Column(
        "first_import_id",
        sa.Integer,
        sa.ForeignKey("imports.id", ondelete="SET NULL"),
        nullable=True,
    ),
    sa.Column(
        "last_import_id",
        sa.Integer,
        sa.ForeignKey("imports.id", ondelete="SET NULL"),
        nullable=True,
    ),
    sa.Column("origin", sa.String(300), nullable=False),  # key path or line in the feed file
    sa.Column("details", sa.JSON, nullable=True),  # feed extras: name, description, reporter
    sa.UniqueConstraint("source_id", "type", "value", "chain", "action"),
    sa.CheckConstraint("action IN ('block', 'allow')", name="action_kind"),
    sa.CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
    sa.Index(None, "type", "value"),
)

links = sa.Table(
    "links",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "from_id", sa.Integer, sa.ForeignKey("indicators.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "to_id", sa.Integer, sa.ForeignKey("indicators.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("relation", sa.String(32), nullable=False),
    sa.Column("first_seen", sa.DateTime, nullable=False),
    sa.Column("last_seen", sa.DateTime, nullable=False),
    sa.Column(
        "last_import_id",
        sa.Integer,
        sa.ForeignKey("imports.id", ondelete="SET NULL"),
        nullable=True,
    ),
    sa.UniqueConstraint("from_id", "to_id", "relation"),
    sa.Index(None, "to_id"),
)

lookalike_targets = sa.Table(
    "lookalike_targets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("value", sa.String(300), nullable=False),  # protected domain, e.g. metamask.io
    sa.Column("tolerance", sa.Integer, nullable=False),  # max Levenshtein distance
    sa.Column("first_seen", sa.DateTime, nullable=False),
    sa.Column("last_seen", sa.DateTime, nullable=False),
    sa.Column(
        "last_import_id",
        sa.Integer,
        sa.ForeignKey("imports.id", ondelete="SET NULL"),
        nullable=True,
    ),
    sa.UniqueConstraint("source_id", "value"),
)

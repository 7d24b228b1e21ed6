"""Scam-intelligence store: feeds (MetaMask, CryptoScamDB, ScamSniffer, CSV, STIX) and analyst
reports in SQLite or PostgreSQL, batched lookups with provenance, STIX/CSV export, statistics.
See docs/intel.md."""

from __future__ import annotations

from .db import StoreError
from .records import (
    ImportReport,
    IntelRecord,
    LinkRecord,
    Provenance,
    SourceRecord,
    UnknownSourceError,
    ValueCheck,
)
from .stats import IntelStats, ReportRow, ReportStats, report_stats
from .store import IntelStore
from .writer import DEFAULT_TTL_DAYS

__all__ = [
    "DEFAULT_TTL_DAYS",
    "ImportReport",
    "IntelRecord",
    "IntelStats",
    "IntelStore",
    "LinkRecord",
    "Provenance",
    "ReportRow",
    "ReportStats",
    "SourceRecord",
    "StoreError",
    "UnknownSourceError",
    "ValueCheck",
    "report_stats",
]

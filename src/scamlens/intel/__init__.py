"""Scam-intelligence store: feeds (MetaMask, CryptoScamDB, ScamSniffer, CSV, STIX) and analyst
reports in SQLite or PostgreSQL, batched lookups with provenance, STIX/CSV export, statistics.
See docs/intel.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scamlens.lazy import lazy_getattr

if TYPE_CHECKING:
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

_WHERE = {
    "StoreError": "scamlens.intel.db",
    "ImportReport": "scamlens.intel.records",
    "IntelRecord": "scamlens.intel.records",
    "LinkRecord": "scamlens.intel.records",
    "Provenance": "scamlens.intel.records",
    "SourceRecord": "scamlens.intel.records",
    "UnknownSourceError": "scamlens.intel.records",
    "ValueCheck": "scamlens.intel.records",
    "IntelStats": "scamlens.intel.stats",
    "ReportRow": "scamlens.intel.stats",
    "ReportStats": "scamlens.intel.stats",
    "report_stats": "scamlens.intel.stats",
    "IntelStore": "scamlens.intel.store",
    "DEFAULT_TTL_DAYS": "scamlens.intel.writer",
}
__getattr__ = lazy_getattr(__name__, _WHERE)


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

"""Case store: analysed conversations kept as cases (see `scamlens.cases.store`)."""

from __future__ import annotations

from .records import (
    STATUSES,
    AuditEvent,
    CaseRecord,
    CaseSummary,
    FeedbackRecord,
    evidence_items,
    indicator_items,
)
from .store import CaseNotFound, CaseStore, CaseStoreError, open_store

__all__ = [
    "STATUSES",
    "AuditEvent",
    "CaseNotFound",
    "CaseRecord",
    "CaseStore",
    "CaseStoreError",
    "CaseSummary",
    "FeedbackRecord",
    "evidence_items",
    "indicator_items",
    "open_store",
]

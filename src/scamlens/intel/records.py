"""Plain results the store hands out, and the conversions between them and database rows.
Times are aware UTC datetimes outside the database and naive UTC inside it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from scamlens.errors import ScamlensError
from scamlens.model import IntelHit


class UnknownSourceError(ScamlensError):
    """No source has that name."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    path: str
    format: str
    sha256: str
    sources: tuple[str, ...]
    added: int
    updated: int  # already stored, something changed (labels, confidence, expiry)
    refreshed: int  # already stored, only last_seen moved
    skipped: dict[str, int]
    skip_examples: dict[str, str]  # reason -> first place in the file
    duplicates: int  # repeats within the file, merged
    links_added: int
    links_refreshed: int
    lookalike_targets: int
    seconds: float

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


@dataclass(frozen=True, slots=True)
class SourceRecord:
    name: str
    title: str
    kind: str
    trust: float
    url: str | None
    licence: str | None
    created_at: datetime
    records: int = 0


@dataclass(frozen=True, slots=True)
class IntelRecord:
    type: str
    value: str
    chain: str | None
    action: str
    labels: tuple[str, ...]
    confidence: float
    source: str
    first_seen: datetime
    last_seen: datetime
    expires: datetime | None
    origin: str = field(default="", compare=False)
    details: dict[str, str] | None = field(default=None, compare=False)
    id: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where one stored record came from: its source, the place in the feed file, and the
    first and latest imports that carried it (None for analyst additions)."""

    source: str
    type: str
    value: str
    action: str
    origin: str
    first_file: str | None
    first_sha256: str | None
    first_imported_at: datetime | None
    last_file: str | None
    last_sha256: str | None
    last_imported_at: datetime | None
    format: str | None


@dataclass(frozen=True, slots=True)
class LinkRecord:
    src: IntelRecord
    dst: IntelRecord
    relation: str
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class ValueCheck:
    """`check_values` result for one raw string."""

    raw: str
    type: str | None
    value: str | None
    chain: str | None
    hits: tuple[IntelHit, ...] = ()
    error: str | None = None


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def to_db(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    if dt.tzinfo is UTC:
        return dt.replace(tzinfo=None, microsecond=0)
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt.replace(microsecond=0)


def from_db(dt: Any) -> datetime | None:
    if dt is None:
        return None
    if isinstance(dt, str):  # SQLite text, read raw on the lookup path
        return parse_db_time(dt)
    out: datetime = dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
    return out


@lru_cache(maxsize=65536)
def parse_db_time(text: str) -> datetime:
    # Records of one import share their timestamps, so most parses are cache hits.
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@lru_cache(maxsize=4096)
def labels_from_json(text: str) -> tuple[str, ...]:
    return tuple(str(x) for x in json.loads(text))


def labels_of(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return labels_from_json(value)
    return tuple(str(x) for x in value or ())


def aware(dt: Any) -> datetime:
    out = from_db(dt)
    assert out is not None
    return out


def record_of(r: Any) -> IntelRecord:
    return record_from(dict(r._mapping))


def record_from(m: Mapping[str, Any]) -> IntelRecord:
    return IntelRecord(
        type=m["type"],
        value=m["value"],
        chain=m["chain"] or None,
        action=m["action"],
        labels=tuple(m["labels"] or ()),
        confidence=m["confidence"],
        source=m["source_name"],
        first_seen=aware(m["first_seen"]),
        last_seen=aware(m["last_seen"]),
        expires=from_db(m["expires"]),
        origin=m["origin"],
        details=m["details"],
        id=m["id"],
    )

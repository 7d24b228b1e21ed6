"""What a feed parser hands the store: records, links and look-alike targets, all keyed and
validated before any database work starts (so a bad file changes nothing)."""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from scamlens.errors import InputError

from .keys import value_key

MAX_FEED_BYTES = 512 * 1024 * 1024
MAX_DETAIL_CHARS = 2000

# (type, value, chain, action): what makes a record unique within one source.
RecordKey = tuple[str, str, str, str]


@dataclass(frozen=True, slots=True)
class SourceInfo:
    name: str
    title: str
    kind: str = "feed"  # feed | analyst | exchange
    trust: float = 0.5
    url: str | None = None
    licence: str | None = None


@dataclass(slots=True)
class FeedRecord:
    type: str
    value: str
    chain: str
    action: str  # block | allow
    labels: tuple[str, ...]
    origin: str  # key path or line in the file
    confidence: float | None = None  # None: the format's default
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    expires: datetime | None = None  # explicit expiry from the feed
    source: str | None = None  # per-record source (CSV, STIX); None: the import's source
    details: dict[str, str] | None = None

    @property
    def key(self) -> RecordKey:
        return (self.type, self.value, self.chain, self.action)


@dataclass(frozen=True, slots=True)
class FeedLink:
    src: RecordKey
    dst: RecordKey
    relation: str = "uses-wallet"
    src_source: str | None = None
    dst_source: str | None = None


@dataclass(frozen=True, slots=True)
class LookalikeTarget:
    value: str
    tolerance: int
    origin: str


@dataclass(slots=True)
class ParsedFeed:
    format: str
    source: SourceInfo
    records: dict[tuple[str | None, RecordKey], FeedRecord] = field(default_factory=dict)
    links: list[FeedLink] = field(default_factory=list)
    lookalikes: list[LookalikeTarget] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # reason -> first place it happened
    sources: dict[str, SourceInfo] = field(default_factory=dict)  # per-record sources seen
    duplicates: int = 0

    def skip(self, reason: str, where: str) -> None:
        self.skipped[reason] += 1
        self.examples.setdefault(reason, where)

    def add(self, rec: FeedRecord) -> RecordKey:
        """Add a record, merging a repeat of the same key within the file."""
        k = (rec.source, rec.key)
        old = self.records.get(k)
        if old is None:
            self.records[k] = rec
            return rec.key
        self.duplicates += 1
        old.labels = merge_labels(old.labels, rec.labels)
        if rec.confidence is not None:
            old.confidence = max(old.confidence or 0.0, rec.confidence)
        old.first_seen = _min_dt(old.first_seen, rec.first_seen)
        old.last_seen = _max_dt(old.last_seen, rec.last_seen)
        old.expires = _max_dt(old.expires, rec.expires)
        if old.details is None:
            old.details = rec.details
        return old.key

    def link(self, src: FeedRecord, dst: FeedRecord, relation: str = "uses-wallet") -> None:
        self.links.append(FeedLink(src.key, dst.key, relation, src.source, dst.source))

    def make(
        self,
        type_: str,
        raw: str,
        *,
        where: str,
        chain: str | None = None,
        action: str = "block",
        labels: tuple[str, ...] = (),
        **extra: Any,
    ) -> FeedRecord | None:
        """Normalise `raw` and add it; a value that is not a valid `type_` is skipped."""
        try:
            value, ch = value_key(type_, raw, chain)
        except ValueError as exc:
            self.skip(f"invalid {type_}: {_reason(exc)}", where)
            return None
        rec = FeedRecord(type_, value, ch, action, labels, where, **extra)
        key = self.add(rec)
        return self.records[(rec.source, key)]


def _reason(exc: ValueError) -> str:
    # Reasons are grouped in the report, so drop the quoted value some messages carry.
    text = str(exc)
    cut = text.find(": '")
    cut = cut if cut >= 0 else text.find(" '")
    return (text[:cut] if cut > 0 else text)[:80]


def merge_labels(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*a, *b)))


def clean_labels(raw: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return _clean_labels(tuple(str(x) for x in raw))


@lru_cache(maxsize=4096)
def _clean_labels(raw: tuple[str, ...]) -> tuple[str, ...]:
    # Cached: feeds use a handful of label sets, so records share one tuple (less memory).
    out = []
    for label in raw:
        t = " ".join(label.split()).lower()[:64]
        if t:
            out.append(sys.intern(t))
    return tuple(dict.fromkeys(out))


def _min_dt(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else min(a, b)


def _max_dt(a: datetime | None, b: datetime | None) -> datetime | None:
    return b if a is None else a if b is None else max(a, b)


def read_feed(path: Path) -> tuple[bytes, str]:
    """The file's bytes and SHA-256, with a size limit. Raises InputError."""
    try:
        size = path.stat().st_size
        if size > MAX_FEED_BYTES:
            raise InputError(f"feed is larger than {MAX_FEED_BYTES >> 20} MiB", str(path))
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read feed: {exc.strerror or exc}", str(path)) from exc
    return data, hashlib.sha256(data).hexdigest()


def decode_text(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("not UTF-8 text", str(path), line) from exc


def parse_time(raw: object, where: str, path: Path, line: int | None = None) -> datetime | None:
    """ISO 8601 date or date-time -> aware UTC (whole seconds); '' or None -> None."""
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise InputError(f"{where}: expected an ISO 8601 date, got {type(raw).__name__}", str(path))
    try:
        return _iso_time(raw.strip())
    except ValueError as exc:
        msg = f"{where}: not an ISO 8601 date: {raw.strip()[:40]!r}"
        raise InputError(msg, str(path), line) from exc


@lru_cache(maxsize=65536)
def _iso_time(text: str) -> datetime:
    # Feeds repeat dates a lot; the cache also shares one datetime object between records.
    dt = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).replace(microsecond=0)


def detail_text(value: object) -> str:
    return " ".join(str(value).split())[:MAX_DETAIL_CHARS]


def load_json(data: bytes, path: Path) -> Any:
    """Parse JSON, naming the line and column of a syntax error."""
    import json

    text = decode_text(data, path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"invalid JSON: {exc.msg} (column {exc.colno})"
        raise InputError(msg, str(path), exc.lineno) from None
    except RecursionError as exc:
        raise InputError("JSON nested too deeply", str(path)) from exc


def type_name(value: object) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


def expect_str_list(doc: dict[str, Any], key: str, path: Path) -> list[str]:
    """doc[key] as a list of strings; InputError naming `key[i]` otherwise."""
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise InputError(f"{key}: expected an array, got {type_name(value)}", str(path))
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise InputError(f"{key}[{i}]: expected a string, got {type_name(item)}", str(path))
    return value

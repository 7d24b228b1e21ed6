"""Timestamps from exports: epochs, ISO strings, and the few other shapes exports use."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

UTC = UTC
_MIN_EPOCH = 0.0  # 1970; chats before that are not real
_MAX_EPOCH = 4_102_444_800.0  # 2100-01-01


def from_epoch(value: float | int | str | None, unit: str = "auto") -> datetime | None:
    """Seconds/milliseconds/microseconds since 1970 -> aware UTC datetime, None if absurd."""
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(x):
        return None
    if unit == "ms":
        x /= 1000.0
    elif unit == "auto":
        if x > 1e14:
            x /= 1e6
        elif x > 1e11:
            x /= 1e3
    if not _MIN_EPOCH < x < _MAX_EPOCH:
        return None
    return datetime.fromtimestamp(x, UTC)


def offset_zone(local: datetime, utc: datetime) -> tzinfo | None:
    """The fixed zone that makes naive `local` equal aware `utc`, if it is a real-world offset."""
    delta = local - utc.replace(tzinfo=None)
    minutes = round(delta.total_seconds() / 60)
    if abs(minutes) > 14 * 60 or minutes % 15:
        return None
    return timezone(timedelta(minutes=minutes)) if minutes else UTC


_fromisoformat = datetime.fromisoformat  # bound once: the lookup costs as much as the parse
_UTC_SUFFIX = re.compile(r" ?(?:UTC|GMT|Z)$")
_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%b %d, %Y %I:%M:%S %p",
    "%b %d, %Y %I:%M %p",
    "%d %b %Y %H:%M:%S",
    "%d %b %Y %H:%M",
    "%Y-%m-%d",
)


def parse_any(value: object, tz: tzinfo | None = None) -> datetime | None:
    """Best-effort timestamp: epoch numbers, ISO-8601, "... UTC", a few common layouts.

    Naive results get `tz` when one is given. Unparseable values give None (never raise).
    """
    if type(value) is not str:  # strings first: they are nearly every call
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return from_epoch(value)
        if not isinstance(value, str):
            return None
    # ISO 8601 with a digit at both ends and "-" fifth ("2024-01-29T21:15:00+00:00", what
    # most clients send): nothing to strip, not an epoch, no UTC/GMT/Z suffix, so the steps
    # below would reach fromisoformat with this very text. Try it first.
    if 10 <= len(value) <= 64 and value[4] == "-" and value[-1].isdigit() and value[0].isdigit():
        try:
            iso = _fromisoformat(value)
        except ValueError:
            pass  # the other layouts, below
        else:
            return iso.replace(tzinfo=tz) if iso.tzinfo is None and tz is not None else iso
    text = value.strip()
    if not text or len(text) > 64:
        return None
    if text.replace(".", "", 1).isdigit():
        return from_epoch(text)
    aware = False
    # The suffix regex can only match text ending in C, T or Z (stripped: no final newline).
    m = _UTC_SUFFIX.search(text) if text[-1] in "CTZ" else None
    if m and not text[: m.start()].endswith(("+", "-")):
        text = text[: m.start()]
        aware = True
    dt: datetime | None = None
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        for fmt in _FORMATS:
            try:
                dt = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if dt is None:
        return None
    if aware and dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    elif dt.tzinfo is None and tz is not None:
        dt = dt.replace(tzinfo=tz)
    return dt

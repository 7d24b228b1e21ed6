"""Import options: limits and column mapping, in the user's terms."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scamlens.errors import InputError

GiB = 1024**3
MiB = 1024**2


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Which fields of a generic CSV/JSONL record hold what. None: guess from common names.

    Dotted names reach into nested JSON objects ("author.name").
    """

    text: str | None = None
    sender: str | None = None
    timestamp: str | None = None
    id: str | None = None
    conversation: str | None = None
    is_user: str | None = None  # a boolean-ish column: 1/true/yes/sent/outgoing = the user


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """Limits and choices for one import. The defaults suit real exports."""

    # Streamed text formats (WhatsApp, LINE, CSV, JSONL, plain, SMS XML) are read line by line.
    max_bytes: int = 2 * GiB
    # JSON exports (Telegram, Messenger, Instagram, Discord) are loaded whole, so a smaller cap.
    max_json_bytes: int = 512 * MiB
    # One message longer than this (in characters) is cut, with a warning.
    max_message_chars: int = 1_000_000
    columns: ColumnMap = field(default_factory=ColumnMap)
    encoding: str | None = None  # e.g. "utf-16", "gb18030": skips detection
    # Zone for timestamps the export gives without one: an IANA name ("Asia/Shanghai"),
    # "UTC", "+08:00", or a tzinfo. None keeps them naive.
    timezone: str | tzinfo | None = None
    # WhatsApp/LINE date order when the file cannot tell: "auto", "dmy", "mdy" or "ymd".
    date_order: str = "auto"
    max_zip_members: int = 100_000  # Facebook/Instagram archives hold many photos
    max_zip_ratio: float = 200.0  # uncompressed/compressed, checked on members over 1 MiB
    max_warnings: int = 50  # distinct warning lines kept per conversation

    def resolved_timezone(self) -> tzinfo | None:
        return resolve_timezone(self.timezone)


_OFFSET = re.compile(r"(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?")


def resolve_timezone(value: str | tzinfo | None) -> tzinfo | None:
    """An IANA name, "UTC", "+08:00"/"UTC+8", or a tzinfo -> tzinfo. Bad names are InputError."""
    if value is None or isinstance(value, tzinfo):
        return value
    text = value.strip()
    if text.upper() in ("UTC", "Z", "GMT"):
        return UTC
    m = _OFFSET.fullmatch(text.upper())
    if m:
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise InputError(f"timezone offset {value!r} is out of range")
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if m.group(1) == "-" else delta)
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(
            f"unknown timezone {value!r}: use an IANA name such as 'Asia/Shanghai', or '+08:00'"
        ) from exc

"""tabular.parse_message_rows (the service's validated messages) gives what the generic JSON
records importer gives for the same rows with their None fields left out; parse_any's ISO
fast path gives what its general path gives."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scamlens.errors import InputError
from scamlens.ingest import ImportOptions
from scamlens.ingest.common import Context
from scamlens.ingest.core import load_records
from scamlens.ingest.options import ColumnMap
from scamlens.ingest.tabular import parse_message_rows
from scamlens.ingest.timeutil import from_epoch, parse_any

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_NAMES = ["Me", "me ", "Amy Lin", "\u200eAmy Lin", "陈", "", "You", "  "]
_STAMPS = [
    "2024-01-02T03:04:05+00:00", "2024-01-02T03:04:05", "2024-01-02 03:04:05 UTC", "1700000000",
    "bad", "", "2024-13-40", "2024-01-02T03:04:05Z", "2023-12-31T23:59:59-08:00",
    "2024-01-01T00:00:00+05:30", "12/31/2023 21:41", " 2024-01-02T03:04:05 ",
]  # fmt: skip
_ROW = st.fixed_dictionaries(
    {"text": st.text(st.sampled_from("ab \x00中\u202e"), max_size=12)},
    optional={
        "sender": st.none() | st.sampled_from(_NAMES),
        "timestamp": st.none() | st.sampled_from(_STAMPS),
        "is_user": st.none() | st.booleans(),
    },
)


@dataclass(frozen=True)
class Row:
    """A validated message row (the fields of service.fastbody.MessageRow)."""

    text: str
    sender: str | None = None
    timestamp: str | None = None
    is_user: bool | None = None


def _both(rows: list[dict[str, Any]], me: str | None, options: ImportOptions) -> tuple[str, str]:
    def run(doc: Any, messages: bool) -> str:
        try:
            return repr(load_records(doc, options, me, "request", messages=messages))
        except InputError as exc:
            return f"InputError: {exc}"

    present = [{k: v for k, v in r.items() if v is not None} for r in rows]
    return run([Row(**r) for r in rows], True), run(present, False)


@SETTINGS
@given(
    st.lists(_ROW, min_size=1, max_size=70),
    st.none() | st.sampled_from(["Me", "amy lin", "Nobody"]),
    st.sampled_from([None, "+08:00"]),
    st.sampled_from([5, 100_000]),
)
def test_message_rows_are_the_json_records_import(
    rows: list[dict[str, Any]], me: str | None, zone: str | None, cap: int
) -> None:
    options = ImportOptions(timezone=zone, max_message_chars=cap)
    fast, generic = _both(rows, me, options)
    assert fast == generic


def test_a_field_first_given_after_fifty_rows_is_not_read() -> None:
    rows: list[dict[str, Any]] = [{"text": "a", "sender": None}] * 50
    rows = [*rows, {"text": "b", "sender": "Late", "is_user": True}]
    fast, generic = _both(rows, None, ImportOptions())
    assert fast == generic and "Late" not in fast


def test_newest_first_rows_are_reversed() -> None:
    rows: list[dict[str, Any]] = [
        {"text": "2", "timestamp": "2024-01-02T00:00:00+00:00"},
        {"text": "1", "timestamp": "2024-01-01T00:00:00+00:00"},
    ]
    fast, generic = _both(rows, None, ImportOptions())
    assert fast == generic and "newest first" in fast


def test_other_column_maps_are_refused() -> None:
    ctx = Context.make(ImportOptions(columns=ColumnMap(text="body")), "request")
    with pytest.raises(ValueError, match="column map"):
        parse_message_rows([Row("x")], ctx)
    with pytest.raises(InputError, match="no message objects"):
        parse_message_rows([], Context.make(ImportOptions(), "request"))


# -- parse_any ------------------------------------------------------------------------------

_UTC_SUFFIX = re.compile(r" ?(?:UTC|GMT|Z)$")
_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
            "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p",
            "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%b %d, %Y %I:%M:%S %p", "%b %d, %Y %I:%M %p",
            "%d %b %Y %H:%M:%S", "%d %b %Y %H:%M", "%Y-%m-%d")  # fmt: skip


def _reference(value: object, tz: tzinfo | None = None) -> datetime | None:
    """parse_any as it was before its ISO fast path."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return from_epoch(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    if text.replace(".", "", 1).isdigit():
        return from_epoch(text)
    aware = False
    m = _UTC_SUFFIX.search(text)
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


def _key(dt: datetime | None) -> Any:
    return None if dt is None else (dt.isoformat(), repr(dt.tzinfo))


_ZONES = st.sampled_from([None, UTC, timezone(timedelta(hours=8)), timezone(-timedelta(hours=5))])
_ISOISH = st.datetimes(min_value=datetime(1, 1, 1), timezones=st.none() | st.timezones()).map(
    lambda d: d.isoformat(sep=" " if d.second % 2 else "T")
)
_PIECES = st.sampled_from(
    ["2024", "-", "01", "1", "T", " ", ":", "00", "+", "05:30", "Z", " UTC", ".5", ",5", "２",
     "\u200e", "\x00", "W01", "0000", "24:00", "60", "pm", "PM", "\n", "1700000000"]
)  # fmt: skip
_MIXED = st.lists(_PIECES, max_size=10).map("".join)


@SETTINGS
@given(st.one_of(_ISOISH, _MIXED, st.text(max_size=30)), _ZONES)
def test_parse_any_fast_path_changes_nothing(value: str, zone: tzinfo | None) -> None:
    assert _key(parse_any(value, zone)) == _key(_reference(value, zone))


@pytest.mark.parametrize(
    "value",
    ["2024-01-02T03:04:05+00:00", "2024-01-02T03:04:05.123456-08:00", "2024-01-02",
     "2024-01-02T03:04:05+00:00:30", "20240102", "2024-01-02T03:04", "2024-02-30T00:00:00",
     "2024-01-02T03:04:05+0000", "2024-01-02t03:04:05", "0001-01-01T00:00:00+01:00",
     "2024-01-02T1２:00:00", "2024-01-02T03:04:05" + "0" * 50, math.pi, 1700000000, None, True],
)  # fmt: skip
def test_parse_any_cases(value: object) -> None:
    for zone in (None, timezone(timedelta(hours=8))):
        assert _key(parse_any(value, zone)) == _key(_reference(value, zone))

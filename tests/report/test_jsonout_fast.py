"""The report's fast paths give exactly what the plain calls give."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from scamlens.model import Message, MessageKind
from scamlens.report.jsonout import iso_time, message_dict
from scamlens.text.normalize import display_safe

_FIXED = st.builds(
    timezone,
    st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23)),
)
_ZONES = st.one_of(
    st.none(),
    st.just(UTC),
    st.sampled_from([timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30))]),
    _FIXED,
    st.sampled_from([ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York"), ZoneInfo("UTC")]),
)
_WHOLE_SECONDS = st.datetimes(min_value=datetime(1890, 1, 1), max_value=datetime(2210, 1, 1)).map(
    lambda d: d.replace(microsecond=0)
)


class _Stamp(datetime):
    def isoformat(self, sep: str = "T", timespec: str = "auto") -> str:
        return "custom"


@settings(max_examples=500, deadline=None)
@given(st.one_of(_WHOLE_SECONDS, st.datetimes()), _ZONES, st.booleans())
def test_iso_time_is_isoformat(naive: datetime, tz: timezone | None, fold: bool) -> None:
    dt = naive.replace(tzinfo=tz, fold=int(fold))
    assert iso_time(dt) == dt.isoformat()


def test_iso_time_edges() -> None:
    for dt in [
        datetime(2024, 1, 1, tzinfo=UTC),
        datetime(2024, 12, 31, 23, 59, 59),
        datetime(2024, 2, 29, 12, 0, 0, 1, tzinfo=UTC),
        datetime(1899, 12, 31, 23, 59, 59),
        datetime(2200, 1, 1),
        datetime(1, 1, 1),
        datetime(9999, 12, 31, 23, 59, 59, 999999),
        datetime(2024, 3, 10, 2, 30, tzinfo=timezone(timedelta(seconds=5445))),
        datetime(2024, 3, 10, 2, 30, tzinfo=timezone(timedelta(microseconds=-1))),
        datetime(2024, 11, 3, 1, 30, fold=1, tzinfo=ZoneInfo("America/New_York")),
    ]:
        assert iso_time(dt) == dt.isoformat()
    assert iso_time(_Stamp(2024, 1, 1)) == "custom"  # a subclass keeps its own isoformat
    odd_zone = timezone(timedelta(hours=3, minutes=7))
    assert iso_time(_Stamp(2024, 1, 1, tzinfo=odd_zone)) == "custom"
    plain = datetime(2024, 1, 1, tzinfo=odd_zone)
    assert iso_time(plain) == plain.isoformat() == "2024-01-01T00:00:00+03:07"


def test_many_fixed_zones_stay_exact() -> None:
    for minutes in range(-600, 600, 7):  # more zones than the offset cache keeps
        dt = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone(timedelta(minutes=minutes)))
        assert iso_time(dt) == dt.isoformat()


def _reference(m: Message) -> dict[str, object]:
    return {
        "index": m.index,
        "sender": m.sender,
        "timestamp": m.timestamp.isoformat() if m.timestamp is not None else None,
        "text": display_safe(m.text),
        "is_user": m.is_user,
        "kind": m.kind.value,
        "attachments": list(m.attachments),
    }


@settings(max_examples=200, deadline=None)
@given(
    st.builds(
        Message,
        index=st.integers(0, 10**6),
        sender=st.none() | st.text(max_size=10),
        text=st.text(max_size=40),
        timestamp=st.none() | st.datetimes(timezones=st.none() | st.just(UTC)),
        is_user=st.none() | st.booleans(),
        kind=st.sampled_from(list(MessageKind)),
        attachments=st.lists(st.text(max_size=5), max_size=3).map(tuple),
        source_line=st.none() | st.integers(1, 100),
    )
)
def test_message_dict_matches_reference(m: Message) -> None:
    got = message_dict(m)
    assert got == _reference(m)
    assert list(got) == list(_reference(m))  # key order is part of the JSON output
    assert type(got["kind"]) is str

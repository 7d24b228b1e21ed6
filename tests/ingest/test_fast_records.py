"""The sped-up record path (parse_any, records_to_chats, load_records, Message building)
gives exactly what the plain one gives: same drafts, timestamps, warnings and errors."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scamlens.errors import InputError
from scamlens.ingest import ColumnMap, ImportOptions, load_bytes, load_records
from scamlens.ingest.build import new_message
from scamlens.ingest.common import Context
from scamlens.ingest.tabular import Mapping, records_to_chats
from scamlens.ingest.timeutil import parse_any
from scamlens.model import Conversation, Message, MessageKind

from . import reference
from .helpers import EXPORTS

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ZONES = st.sampled_from([None, UTC, timezone(timedelta(hours=8))])

_STAMP_CHARS = "0123456789-:T. +Z/,UTCGMAPJanFebDec\n\t"
_STAMPS = st.one_of(
    st.text(st.sampled_from(_STAMP_CHARS), max_size=30),
    st.datetimes().map(lambda d: d.isoformat()),
    st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat()),
    st.tuples(
        st.datetimes().map(lambda d: d.isoformat(sep=st_sep(d))),
        st.sampled_from(["", "Z", " Z", "UTC", " UTC", " GMT", "+Z", "-UTC", "z", "Z\n", " utc"]),
    ).map("".join),
    st.integers(-10, 5 * 10**15).map(str),
    st.floats(allow_nan=True).map(str),
)
_VALUES = st.one_of(
    _STAMPS,
    st.none(),
    st.booleans(),
    st.integers(-(10**16), 10**16),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(), max_size=2),
)


def st_sep(d: object) -> str:
    return "T" if hash(d) % 2 else " "


@SETTINGS
@given(_VALUES, ZONES)
def test_parse_any_matches_reference(value: object, tz: timezone | None) -> None:
    assert repr(parse_any(value, tz)) == repr(reference.parse_any(value, tz))


_KEYS = st.sampled_from(
    ["text", "message", "body", "sender", "from", "author", "timestamp", "time", "ts",
     "is_user", "direction", "from_me", "conversation", "chat", "id", "other"]
)  # fmt: skip
_SCALARS = st.one_of(
    st.text(st.sampled_from("ab \x00\u200eMeYou"), max_size=12),
    _STAMPS,
    st.none(),
    st.booleans(),
    st.integers(-5, 2 * 10**12),
    st.sampled_from(["yes", "no", "sent", "in", "1", "0", "  Me ", ""]),
)
_FIELD = st.one_of(
    _SCALARS,
    st.lists(_SCALARS, max_size=3),
    st.dictionaries(st.sampled_from(["name", "text", "username", "x"]), _SCALARS, max_size=2),
)
_RECORDS = st.lists(st.dictionaries(_KEYS, _FIELD, max_size=7), min_size=1, max_size=60)
_COLUMNS = st.sampled_from(
    [
        ColumnMap(),
        ColumnMap(sender="author.name"),
        ColumnMap(text="body", timestamp="ts", conversation="chat"),
        ColumnMap(is_user="direction", sender="from"),
    ]
)


def _drafts(raws: list[Any]) -> list[tuple[str, Any, Any, str | None, str]]:
    return [(repr(r.drafts), r.owner, r.owner_method, r.title, r.source_format) for r in raws]


@SETTINGS
@given(_RECORDS, _COLUMNS, ZONES, st.sampled_from([3, 1000]))
def test_records_to_chats_matches_reference(
    records: list[dict[str, Any]], columns: ColumnMap, tz: timezone | None, cap: int
) -> None:
    opts = ImportOptions(columns=columns, timezone=tz, max_message_chars=cap)
    keys: dict[str, None] = {}
    for r in records:
        keys.update(dict.fromkeys(r))
    try:
        mapping = Mapping(keys, columns, "x")
    except InputError:
        assume(False)
        return
    rows = list(enumerate(records, 1))
    ctx_new, ctx_old = Context.make(opts, "x"), Context.make(opts, "x")
    got = records_to_chats(rows, mapping, ctx_new, "json")
    want = reference.records_to_chats(rows, mapping, ctx_old, "json")
    assert _drafts(got) == _drafts(want)
    assert ctx_new.notes.lines() == ctx_old.notes.lines()


_HANDMADE: list[dict[str, Any]] = [
    {"text": "a\x00bcdef", "timestamp": "not a time", "sender": "\u200eAmy ", "is_user": "no"},
    {"text": "x" * 9, "timestamp": "12/31/2023 21:41", "author": {"name": "Bo"}, "chat": "c2"},
    {"message": "no text column here", "timestamp": 1700000000},
    {"text": ["a", 1, None], "sender": "Me", "is_user": "sent", "timestamp": "2024-01-02 UTC"},
    {"text": "y", "sender": {"username": "me2"}, "is_user": True, "timestamp": "2024-01-01Z"},
    {"text": "z", "sender": "", "timestamp": "", "conversation": 7, "is_user": 1},
]


@pytest.mark.parametrize("columns", [ColumnMap(), ColumnMap(sender="author.name")])
@pytest.mark.parametrize("order", [1, -1])
def test_records_to_chats_handmade(columns: ColumnMap, order: int) -> None:
    opts = ImportOptions(columns=columns, max_message_chars=3)
    keys = {k: None for r in _HANDMADE for k in r}
    mapping = Mapping(keys, columns, "x")
    rows = list(enumerate(_HANDMADE[::order], 1))
    ctx_new, ctx_old = Context.make(opts, "x"), Context.make(opts, "x")
    got = records_to_chats(rows, mapping, ctx_new, "csv")
    want = reference.records_to_chats(rows, mapping, ctx_old, "csv")
    assert _drafts(got) == _drafts(want)
    assert ctx_new.notes.lines() == ctx_old.notes.lines()
    assert len(ctx_new.notes.lines()) >= 3


def test_newest_first_and_mixed_zones_match_reference() -> None:
    stamps = [
        ["2024-01-03T00:00:00", "2024-01-02T00:00:00", "2024-01-01T00:00:00"],
        ["2024-01-01T00:00:00", "2024-01-01T00:00:00"],
        ["2024-01-03T00:00:00+00:00", "2024-01-02T00:00:00", "2024-01-01T00:00:00+00:00"],
        ["2024-01-01T00:00:00", "2024-01-03T00:00:00+00:00", "2024-01-02T00:00:00"],
        ["2024-01-02T00:00:00", "2024-01-03T00:00:00", "2024-01-01T00:00:00"],
    ]
    for group in stamps:
        recs = [{"text": str(i), "timestamp": t} for i, t in enumerate(group)]
        mapping = Mapping(["text", "timestamp"], ColumnMap(), "x")
        ctx_new, ctx_old = Context.make(ImportOptions(), "x"), Context.make(ImportOptions(), "x")
        got = records_to_chats(list(enumerate(recs, 1)), mapping, ctx_new, "json")
        want = reference.records_to_chats(list(enumerate(recs, 1)), mapping, ctx_old, "json")
        assert _drafts(got) == _drafts(want)
        assert ctx_new.notes.lines() == ctx_old.notes.lines()


def _via_bytes(doc: Any, **kw: Any) -> list[Conversation] | str:
    try:
        data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        return load_bytes(data, name="request", fmt="json", **kw)
    except InputError as exc:
        return f"InputError: {exc}"


def _via_records(doc: Any, **kw: Any) -> list[Conversation] | str:
    try:
        return load_records(doc, name="request", **kw)
    except InputError as exc:
        return f"InputError: {exc}"


@SETTINGS
@given(
    st.one_of(_RECORDS, _RECORDS.map(lambda r: {"messages": r}), _VALUES),
    st.sampled_from([None, "Me", "a", "nobody"]),
    _COLUMNS,
)
def test_load_records_matches_json_import(doc: Any, me: str | None, columns: ColumnMap) -> None:
    doc = json.loads(json.dumps(doc))  # what a JSON document can hold (no NaN keys etc.)
    opts = ImportOptions(columns=columns, max_message_chars=5)
    assert repr(_via_records(doc, me=me, options=opts)) == repr(
        _via_bytes(doc, me=me, options=opts)
    )


def test_load_records_fixture_and_errors() -> None:
    doc = json.loads((EXPORTS / "generic" / "records.json").read_text(encoding="utf-8"))
    assert repr(_via_records(doc)) == repr(_via_bytes(doc))
    for bad in ([], [1, 2], [{}], {"messages": 3}, "text", None, [{"x": 1}]):
        got = _via_records(bad)
        assert isinstance(got, str) and got == _via_bytes(bad)
    with pytest.raises(InputError, match="not a participant"):
        load_records(doc, me="Nobody")


def test_records_beyond_the_first_fifty_do_not_choose_columns() -> None:
    rows: list[dict[str, Any]] = [{"text": f"m{i}"} for i in range(55)]
    rows += [{"text": "late", "timestamp": "2024-01-01T00:00:00"}]
    conv = load_records(rows, name="request")[0]
    assert conv.messages[-1].timestamp is None  # as for a file: fields come from 50 records
    assert repr(conv) == repr(_via_bytes(rows)[0])


def test_new_message_equals_the_constructor() -> None:
    args = (3, "Amy", "hi", None, True, MessageKind.MEDIA, ("a.jpg",), 7)
    fast, plain = new_message(*args), Message(*args)
    assert fast == plain and repr(fast) == repr(plain) and type(fast) is Message
    assert all(getattr(fast, f.name) == getattr(plain, f.name) for f in fields(Message))
    assert hash(fast.attachments) == hash(plain.attachments)
    with pytest.raises(AttributeError):
        fast.text = "x"  # type: ignore[misc]

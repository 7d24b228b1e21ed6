"""core.from_messages skips the JSON encode/decode of API messages: it must give exactly what
the JSON importer gives for those messages encoded as a file (result, warnings, errors)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scamlens.errors import InputError
from scamlens.ingest import ImportOptions, load_bytes
from scamlens.service import core
from scamlens.service.models import MessageIn

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_NAMES = ["Me", "me ", "Amy Lin", "\u200eAmy Lin", "陈", "", "You"]
_STAMPS = st.one_of(
    st.none(),
    st.datetimes().map(lambda d: d.isoformat()),
    st.sampled_from(["2024-01-02 03:04:05 UTC", "1700000000", "1700000000123", "bad", "",
                     "12/31/2023 21:41", "2024-01-02T03:04:05Z", "2024-13-40"]),
)  # fmt: skip
_TEXT = st.text(st.sampled_from('ab \n\x00\u202e\u200b"\\中😀\x07'), max_size=30)


def _message(sender: str | None, text: str, timestamp: str | None, is_user: bool | None) -> Any:
    given = {"sender": sender, "timestamp": timestamp, "is_user": is_user}
    return MessageIn.model_validate(
        {"text": text} | {k: v for k, v in given.items() if v is not None}
    )


_MESSAGE = st.builds(
    _message,
    st.none() | st.sampled_from(_NAMES),
    _TEXT,
    _STAMPS,
    st.none() | st.booleans(),
)


def _old(messages: list[MessageIn], me: str | None, opts: ImportOptions) -> str:
    """The former from_messages: dump, encode, and import as a JSON file."""
    rows = [m.model_dump(exclude_none=True) for m in messages]
    try:
        chats = load_bytes(
            json.dumps(rows, ensure_ascii=False).encode("utf-8"),
            name=core.DOC_PATH,
            fmt="json",
            me=me,
            options=opts,
        )
        return repr(core._single(chats))
    except InputError as exc:
        return f"InputError: {exc}"


def _new(messages: list[MessageIn], me: str | None, opts: ImportOptions) -> str:
    try:
        return repr(core.from_messages(messages, me, opts))
    except InputError as exc:
        return f"InputError: {exc}"


@SETTINGS
@given(
    st.lists(_MESSAGE, min_size=1, max_size=70),
    st.none() | st.sampled_from([*_NAMES[:5], "Nobody"]),
    st.sampled_from([1024, 2000, 10**7]),
)
def test_from_messages_is_the_json_import(
    messages: list[MessageIn], me: str | None, limit: int
) -> None:
    opts = core.options(limit)
    assert _new(messages, me, opts) == _old(messages, me, opts)


@SETTINGS
@given(st.lists(_MESSAGE, min_size=1, max_size=5))
def test_message_rows_are_model_dumps(messages: list[MessageIn]) -> None:
    rows, chars = core.message_rows(messages)
    dumps = [m.model_dump(exclude_none=True) for m in messages]
    present = core.present(rows)
    assert present == dumps and [list(r) for r in present] == [list(d) for d in dumps]
    assert chars == sum(len(v) for d in dumps for v in d.values() if isinstance(v, str))
    encoded = len(json.dumps(dumps, ensure_ascii=False).encode("utf-8"))
    assert encoded <= 2 + len(rows) * core._ROW_FRAME + 6 * chars  # the size bound holds


def test_size_limit_error_is_the_importers() -> None:
    messages = [MessageIn(sender="Amy", text="x" * 300, timestamp="2024-01-01T00:00:00")] * 8
    opts = core.options(2048)
    got = _new(messages, None, opts)
    assert got == _old(messages, None, opts)
    assert got.startswith("InputError: ") and "max_json_bytes" in got
    # Just under the cap: the bound says "maybe", the real size says it fits.
    size = len(json.dumps([m.model_dump(exclude_none=True) for m in messages]).encode())
    fits = core.options(size)
    assert _new(messages, None, fits) == _old(messages, None, fits)
    assert not _new(messages, None, fits).startswith("InputError")


def test_control_characters_cost_six_bytes_each() -> None:
    messages = [MessageIn(text="\x01" * 200)]
    size = len(json.dumps([m.model_dump(exclude_none=True) for m in messages]).encode())
    for limit in (size - 1, size, size + 1):
        opts = core.options(limit)
        assert _new(messages, None, opts) == _old(messages, None, opts)


def test_unknown_field_values_take_the_encoding_path() -> None:
    odd: Any = MessageIn.model_construct(text="hi", sender=3)  # bypasses validation
    rows, chars = core.message_rows([odd])
    assert core.present(rows) == [{"text": "hi", "sender": 3}] and chars >= 1 << 40
    with pytest.warns(UserWarning):  # model_dump itself complains about such a model
        old = _old([odd], None, core.options(10**6))
    assert _new([odd], None, core.options(10**6)) == old

"""Property tests: whatever the input, the importer returns conversations or raises a
ScamlensError. These call the unguarded core (the public API also turns stray exceptions into
InputError, which would hide bugs from these tests)."""

from __future__ import annotations

import json
from contextlib import suppress
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scamlens.errors import ScamlensError
from scamlens.ingest import FORMATS, ImportOptions
from scamlens.ingest.core import load
from scamlens.ingest.source import from_bytes, from_text
from scamlens.model import Conversation

FMTS = [None, "whatsapp", *FORMATS]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OPTS = ImportOptions(max_message_chars=2000)


def _check(result: list[Conversation]) -> None:
    for conv in result:
        assert [m.index for m in conv.messages] == list(range(len(conv.messages)))
        for m in conv.messages:
            assert "\x00" not in m.text
            assert m.sender is None or isinstance(m.sender, str)
        if conv.me is not None:
            assert conv.me in conv.participants


def _run_bytes(data: bytes, fmt: str | None) -> None:
    with suppress(ScamlensError):
        _check(load(from_bytes(data, "fuzz.bin"), OPTS, fmt, None))


def _run_text(text: str, fmt: str | None, me: str | None = None) -> None:
    with suppress(ScamlensError):
        _check(load(from_text(text, "<fuzz>"), OPTS, fmt, me))


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(FMTS))
def test_arbitrary_bytes(data: bytes, fmt: str | None) -> None:
    _run_bytes(data, fmt)


@SETTINGS
@given(st.text(max_size=1500), st.sampled_from(FMTS))
def test_arbitrary_text(text: str, fmt: str | None) -> None:
    _run_text(text, fmt)


_WA_HEAD = st.sampled_from(
    [
        "12/31/23, 9:41 PM - ", "31/12/2023, 21:41 - ", "31.12.23, 21:41 - ",
        "2023/12/31 下午9:41 - ",
        "[31/12/2023, 21:41:05] ", "[12/31/23, 9:41:05\u202fPM] ", "\u200e[1/2/24, 0:00:00] ",
        "99/99/99, 99:99 - ", "[2024/1/3 上午9:00:00] ", "21:41\t", "2023/12/31(日)", "[LINE] ",
        "Name: ", "名字：", "", "\"", "<", "{", "[",
    ]
)  # fmt: skip
_WA_BODY = st.sampled_from(
    [
        "Bob: hi", "Bob: <Media omitted>", "Bob: \u200eimage omitted", "You deleted this message",
        "Amy: <attached: 0001-PHOTO.jpg>", "Messages and calls are end-to-end encrypted.",
        "Bob: IMG-1.jpg (file attached)", "Amy\tText\t\"quoted", "end\"", "Bob:", ": x", "\u202e",
        "Missed voice call", "x" * 50, "Bob unsent a message.", "\x00", "\ufeff", "\r",
    ]
)  # fmt: skip


@SETTINGS
@given(st.lists(st.tuples(_WA_HEAD, _WA_BODY, st.text(max_size=20)), max_size=40),
       st.sampled_from(FMTS), st.sampled_from([None, "bob", "Amy", "Me"]))  # fmt: skip
def test_chat_shaped_lines(
    parts: list[tuple[str, str, str]], fmt: str | None, me: str | None
) -> None:
    text = "\n".join(h + b + t for h, b, t in parts)
    _run_text(text, fmt, me)
    _run_bytes(text.encode("utf-16"), fmt)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
_KEYS = st.sampled_from(
    ["text", "from", "from_id", "date", "date_unixtime", "type", "photo", "file", "actor",
     "action", "sender_name", "timestamp_ms", "content", "photos", "share", "is_unsent",
     "author", "timestamp", "attachments", "embeds", "text_entities", "forwarded_from",
     "senderName", "media", "call_duration", "message", "sender"]
)  # fmt: skip
_MSG = st.dictionaries(_KEYS, _JSON, max_size=8)


def _skeletons(msgs: list[Any], junk: Any) -> list[Any]:
    return [
        {"name": junk, "type": "personal_chat", "id": 1, "messages": msgs},
        {"personal_information": junk, "chats": {"list": [{"messages": msgs}, junk]},
         "left_chats": junk},
        {"participants": [junk, {"name": junk}], "messages": msgs, "title": junk},
        {"guild": junk, "channel": {"name": junk, "type": "DirectTextChat"}, "messages": msgs},
        msgs,
        {"messages": msgs},
    ]  # fmt: skip


@SETTINGS
@given(st.lists(_MSG | _JSON, max_size=6), _JSON, st.sampled_from(FMTS))
def test_json_shaped_documents(msgs: list[Any], junk: Any, fmt: str | None) -> None:
    for doc in _skeletons(msgs, junk):
        text = json.dumps(doc)
        _run_text(text, fmt)
        jsonl = "\n".join(json.dumps(m) for m in msgs)
        _run_text(jsonl or "{}", "jsonl")


@SETTINGS
@given(st.lists(st.lists(st.text(max_size=12), max_size=6), max_size=10),
       st.sampled_from([",", ";", "\t"]))  # fmt: skip
def test_csv_shaped(rows: list[list[str]], sep: str) -> None:
    header = ["CONVERSATION ID", "FROM", "DATE", "CONTENT", "text", "sender", "timestamp"]
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    text = "\n".join(lines)
    _run_text(text, None)
    _run_text(text, "csv")
    _run_text(text, "linkedin-csv")


@SETTINGS
@given(st.binary(max_size=600))
def test_zip_shaped_bytes(tail: bytes) -> None:
    _run_bytes(b"PK\x03\x04" + tail, None)
    _run_bytes(b"PK\x05\x06" + tail, "whatsapp")


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["sms", "mms", "part", "addr", "parts", "x"]),
                          st.dictionaries(st.sampled_from(["address", "date", "type", "body",
                                                           "msg_box", "ct", "text", "cl",
                                                           "contact_name", "readable_date"]),
                                          st.text(max_size=15), max_size=6)),
                max_size=12))  # fmt: skip
def test_sms_shaped(elements: list[tuple[str, dict[str, str]]]) -> None:
    from xml.sax.saxutils import quoteattr

    body = "".join(
        f"<{tag} " + " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items()) + "/>"
        for tag, attrs in elements
    )
    _run_text(f"<?xml version='1.0'?><smses>{body}</smses>", None)
    _run_text(f"<smses>{body}", "sms")

"""The one-pass /analyze body (service/fastbody.py): what it accepts, AnalyzeRequest accepts
with the same values; whatever it leaves to FastAPI gets FastAPI's own answer; the responses
are byte for byte those of the FastAPI path."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import msgspec
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from scamlens.service import core, fastbody
from scamlens.service.fastbody import AnalyzeBody, MessageRow, parse_analyze
from scamlens.service.models import AnalyzeRequest, MessageIn

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _schema(schema: dict[str, Any]) -> Any:
    """A JSON schema without what differs between a pydantic model and a msgspec struct but
    validates nothing: titles, descriptions, defaults, definition names, how each spells
    "this or null" (pydantic: anyOf [X, null]; msgspec: anyOf [null, X]), an empty list of
    required fields (msgspec), and a "string" type beside an enum of strings (pydantic)."""

    def strip(node: Any, names: bool = False) -> Any:
        if isinstance(node, list):
            return [strip(v) for v in node]
        if not isinstance(node, dict):
            return node
        if names:  # a "properties" mapping: its keys are field names ("title" among them)
            return {k: strip(v) for k, v in node.items()}
        out = {}
        for k, v in node.items():
            if k in ("title", "description", "default") or (k == "required" and not v):
                continue
            if k == "$ref":
                v = "ref:" + v.rsplit("/", 1)[-1].replace("MessageRow", "MessageIn")
                v = v.replace("AnalyzeBody", "AnalyzeRequest")
            out[k] = strip(v, names=k == "properties")
        if "anyOf" in out:
            out["anyOf"] = sorted(out["anyOf"], key=lambda n: json.dumps(n, sort_keys=True))
        if out.get("type") == "string" and all(isinstance(e, str) for e in out.get("enum", [0])):
            del out["type"]
        return out

    defs = schema.pop("$defs", {})
    return strip(schema), {
        k.replace("MessageRow", "MessageIn").replace("AnalyzeBody", "AnalyzeRequest"): strip(v)
        for k, v in defs.items()
    }


def _struct_schema(struct: type) -> Any:
    """msgspec's schema of a struct, inlined as pydantic writes a model's own schema."""
    schema = msgspec.json.schema(struct)
    name = schema.pop("$ref").rsplit("/", 1)[-1]
    defs = schema["$defs"]
    own = defs.pop(name)
    if defs:
        own["$defs"] = defs
    return _schema(own)


def test_structs_have_the_models_constraints() -> None:
    assert _struct_schema(MessageRow) == _schema(MessageIn.model_json_schema())
    assert _struct_schema(AnalyzeBody) == _schema(AnalyzeRequest.model_json_schema())
    # The models' validators: only the one-of rule, which parse_analyze applies itself.
    assert set(AnalyzeRequest.__pydantic_decorators__.model_validators) == {"_one_input"}
    assert not MessageIn.__pydantic_decorators__.model_validators
    assert not MessageIn.__pydantic_decorators__.field_validators
    assert not AnalyzeRequest.__pydantic_decorators__.field_validators


def _old(data: bytes) -> AnalyzeRequest | None:
    """What FastAPI's path makes of the bytes (None: an error response)."""
    try:
        return AnalyzeRequest.model_validate(json.loads(data))
    except (ValueError, RecursionError):  # JSON, Unicode and validation errors
        return None


def _same(data: bytes) -> bool:
    """parse_analyze accepts only what FastAPI accepts, and reads the same values."""
    new = parse_analyze(data)
    old = _old(data)
    if new is None:
        return old is not None  # accepted by the old path only: is it a known gap?
    assert old is not None, data
    scalars = ("text", "me", "lang", "save_case", "redact", "title", "platform")
    assert new.model.model_dump(include=set(scalars)) == old.model_dump(include=set(scalars))
    if old.messages is None:
        assert new.rows is None and new.model.messages is None
    else:
        assert new.rows is not None and new.model.messages == []
        present = core.present(new.rows)
        assert present == [m.model_dump(exclude_none=True) for m in old.messages]
        encoded = len(json.dumps(present, ensure_ascii=False).encode("utf-8"))
        assert encoded <= new.encoded_at_most  # the size bound holds
    return False


_SIZES = [0, 1, 2, 31, 32, 33, 63, 64, 65, 199, 200, 201]
_CHARS = st.sampled_from('ab Z"\\/\n\x00\x1f\u202e中😀\u2028é')
_STR = st.integers(0, len(_SIZES) - 1).flatmap(
    lambda i: st.text(_CHARS, min_size=_SIZES[i], max_size=_SIZES[i])
)
_STAMP = st.sampled_from(
    ["2024-01-29T21:15:00+00:00", "2024-01-29 21:15", "1700000000", "bad", "", "x" * 65]
)
_ODD = st.one_of(st.integers(-3, 3), st.floats(allow_nan=False), st.booleans(), st.none(),
                 st.just([]), st.just({}), st.just(["a"]), st.just({"a": 1}))  # fmt: skip


def _maybe(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(KeyError), values, _ODD)


_MESSAGE = st.fixed_dictionaries(
    {
        "sender": _maybe(_STR),
        "text": _maybe(_STR),
        "timestamp": _maybe(_STAMP | _STR),
        "is_user": _maybe(st.booleans()),
        "extra": st.sampled_from([KeyError, KeyError, KeyError, 1]),
    }
)
_BODY = st.fixed_dictionaries(
    {
        "messages": _maybe(st.lists(_MESSAGE | _ODD, max_size=4)),
        "text": _maybe(_STR),
        "me": _maybe(_STR),
        "lang": _maybe(st.sampled_from(["auto", "en", "zh", "fr", "EN"])),
        "save_case": _maybe(st.booleans()),
        "redact": _maybe(st.booleans()),
        "title": _maybe(_STR),
        "platform": _maybe(_STR),
        "bogus": st.sampled_from([KeyError, KeyError, KeyError, 1]),
    }
)


def _drop(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop(v) for k, v in value.items() if v is not KeyError}
    if isinstance(value, list):
        return [_drop(v) for v in value]
    return value


@SETTINGS
@given(_BODY, st.booleans(), st.booleans())
def test_accepted_bodies_read_as_the_model_does(body: Any, ascii_only: bool, compact: bool) -> None:
    doc = _drop(body)
    separators = (",", ":") if compact else None
    data = json.dumps(doc, ensure_ascii=ascii_only, separators=separators).encode("utf-8")
    gap = _same(data)
    assert not gap, f"valid UTF-8 JSON the model accepts was refused: {data[:200]!r}"


@SETTINGS
@given(_BODY, st.binary(max_size=3), st.integers(0, 400))
def test_damaged_bodies_are_never_read_differently(body: Any, junk: bytes, at: int) -> None:
    data = json.dumps(_drop(body), ensure_ascii=False).encode("utf-8")
    _same(data[:at] + junk + data[at:])  # asserts inside; either side may refuse


@pytest.mark.parametrize(
    "data",
    [
        b'{"text": "x", "text": "y"}',
        b'{"text": 5, "text": "y"}',
        b'{"text": "y", "text": 5}',
        b'{"text": NaN}',
        b'{"messages": [{"text": "a", "is_user": Infinity}]}',
        b'{"text": "\\ud800"}',
        b'{"text": "\xed\xa0\x80"}',
        b'\xef\xbb\xbf{"text": "bom"}',
        '{"text": "utf16"}'.encode("utf-16"),
        b'{"text": "x"} trailing',
        b'{"text": 1e999}',
        b'{"messages": [{"text": "a", "sender": null, "timestamp": null, "is_user": null}]}',
        b' \t\r\n{"text": "ws"}\n',
        b'{"messages": [], "text": "x"}',
        b'{"messages": null, "text": null}',
        b'{"te\\u0078t": "escaped key"}',
        b'{"text": "x", "lang": null}',
        b'{"messages": [{"text": "a", "is_user": true, "is_user": null}]}',
        b'{"text": "x", "bogus": [[[[[[1]]]]]]}',
        b'{"text": "\\u0000"}',
        b'{"text": "x", "save_case": 0}',
        b'{"messages": [{"text": "a"}], "me": ""}',
    ],
)
def test_edge_bytes(data: bytes) -> None:
    gap = _same(data)
    # The only bodies left to FastAPI although it accepts them: what msgspec's parser refuses
    # (NaN, lone surrogates, a BOM, UTF-16, a repeated key whose first value is invalid: it
    # checks each as it reads it); they still get FastAPI's answer.
    refused = (b"NaN", b"Infinity", b"\\ud8", b"\xed", b"\xef\xbb", b"\xff\xfe", b'5, "text"')
    assert not gap or any(s in data for s in refused)


# -- through the app: fast path on and off give the same bytes ------------------------------


def _m(i: int, **kw: Any) -> dict[str, Any]:
    row = {"sender": "Amy" if i % 2 else "Me", "text": f"hi {i} send 100 USDT"}
    row["timestamp"] = f"2024-01-01T10:{i % 60:02d}:00+00:00"
    return row | kw


BODIES: list[Any] = [
    {"messages": [_m(i) for i in range(30)], "me": "Me"},
    {"messages": [_m(i) for i in range(30)], "me": "Me", "redact": True, "lang": "en"},
    {"messages": [_m(i) for i in range(30)][::-1]},  # newest first
    {"messages": [_m(i, sender=None) for i in range(55)] + [_m(99, sender="Late")]},
    {"messages": [_m(i, is_user=i % 2 == 0) for i in range(6)]},
    {"messages": [_m(1, timestamp="bad"), _m(2, timestamp=""), _m(3, timestamp=None)]},
    {"messages": [_m(1, text="a\x00b"), _m(2, sender="\u202eAmy")]},
    {"messages": [_m(1)], "me": "Nobody"},
    {"text": "Amy: hi\nMe: send 100 USDT"},
    {"messages": [_m(1)], "text": "x"},
    {"messages": []},
    {"messages": [_m(1, extra=1)]},
    {"messages": [_m(1, text=5)]},
    {},
    [],
]
RAW: list[bytes] = [b"{bad", b"", b'{"text": NaN}', b'{"text": "\\ud800"}', b"null"]


def _responses(client: TestClient, headers: dict[str, str]) -> list[tuple[int, bytes]]:
    out = []
    for body in BODIES:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        r = client.post("/api/v1/analyze", content=data, headers=headers)
        out.append((r.status_code, r.content))
    for data in RAW:
        r = client.post("/api/v1/analyze", content=data, headers=headers)
        out.append((r.status_code, r.content))
    return out


@pytest.mark.parametrize(
    "headers",
    [{"content-type": "application/json"}, {"content-type": "application/json; charset=utf-8"}],
)
def test_responses_match_fastapis_path(
    make_client: Callable[..., TestClient],
    monkeypatch: pytest.MonkeyPatch,
    headers: dict[str, str],
) -> None:
    client = make_client()
    fast = _responses(client, headers)
    monkeypatch.setattr(fastbody, "parse_analyze", lambda data: None)
    slow = _responses(client, headers)
    assert fast == slow
    assert [s for s, _ in fast].count(200) == 8


def test_near_the_size_cap_the_encoding_decides(
    make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = make_client(max_json_bytes=4096)
    headers = {"content-type": "application/json"}
    results = []
    # Compact bodies under the request limit whose rows encode (", ", ": ") over the
    # importer's cap from 45 rows on: there the bound says "maybe" and the encoding decides.
    for n in (30, 44, 45, 46, 47):
        rows = [_m(i, text="x" * 20) for i in range(n)]
        data = json.dumps({"messages": rows}, separators=(",", ":")).encode()
        fast = client.post("/api/v1/analyze", content=data, headers=headers)
        with monkeypatch.context() as m:
            m.setattr(fastbody, "parse_analyze", lambda data: None)
            slow = client.post("/api/v1/analyze", content=data, headers=headers)
        assert (fast.status_code, fast.content) == (slow.status_code, slow.content)
        results.append(fast.status_code)
    assert results == [200, 200, 422, 422, 422]


def test_the_fast_path_is_taken(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_rows, real_messages = core.from_rows, core.from_messages
    monkeypatch.setattr(core, "from_rows", lambda *a: calls.append("rows") or real_rows(*a))
    monkeypatch.setattr(
        core, "from_messages", lambda *a: calls.append("models") or real_messages(*a)
    )
    body = {"messages": [_m(i) for i in range(4)], "me": "Me"}
    data = json.dumps(body).encode()

    def post(content: bytes, content_type: str) -> int:
        headers = {"content-type": content_type}
        return client.post("/api/v1/analyze", content=content, headers=headers).status_code

    assert post(data, "application/json") == 200
    assert calls == ["rows"]
    assert post(data, "application/vnd.x+json; charset=utf-8") == 200  # JSON to FastAPI
    assert calls == ["rows", "rows"]
    assert post(data, "text/json") == 422  # not JSON to FastAPI: no body read as JSON
    assert calls == ["rows", "rows"]
    # A UTF-8 BOM: json.loads takes it, pydantic-core does not: FastAPI's way, same answer.
    assert post(b"\xef\xbb\xbf" + data, "application/json") == 200
    assert calls == ["rows", "rows", "models", "rows"]  # from_messages ends in from_rows


def test_prevalidated_model_passes_fastapis_validation() -> None:
    found = parse_analyze(b'{"messages": [{"text": "hi"}], "me": "Me"}')
    assert found is not None and found.rows == [MessageRow(text="hi")]
    again = TypeAdapter(AnalyzeRequest).validate_python(found.model, from_attributes=True)
    assert again is found.model
    with pytest.raises(ValidationError):
        AnalyzeRequest.model_validate({"messages": [], "me": "Me"})  # a real body cannot


def test_openapi_declares_the_model(client: TestClient) -> None:
    op = client.get("/openapi.json").json()["paths"]["/api/v1/analyze"]["post"]
    ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/AnalyzeRequest" and op["requestBody"]["required"]
    assert set(op["responses"]) == {"200", "422"} and op["tags"] == ["analysis"]

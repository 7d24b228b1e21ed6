"""The /analyze body validated in one pass from its bytes, on the common path.

FastAPI reads a JSON body with `json.loads`, then builds the `AnalyzeRequest` model and one
`MessageIn` model per message, which the service turns back into plain rows: ~1.1 ms of a
200-message request. Here msgspec parses and checks the bytes against structs with the same
constraints in one C pass (~80 us; pydantic-core into typed dicts took ~230 us), and the
message structs go to the importer as they are.

Only a body this path fully accepts takes it: one FastAPI reads as JSON (by its content type)
whose bytes are UTF-8 JSON that the structs validate, with exactly one of `messages` /
`text`. Anything else (a BOM, UTF-16, NaN, lone surrogates, a repeated key whose first value
is invalid, any invalid field) goes through FastAPI untouched, so every error response is
FastAPI's own. What passes here passes `AnalyzeRequest` too, with the same values: the
structs are as strict as the models (tests/service/test_fastbody.py compares their JSON
schemas and random bodies both ways), and msgspec reads every JSON document it accepts as
`json.loads` does (a repeated key: the last wins in both).

FastAPI still runs the route as declared (OpenAPI, body reading, content types, dependencies,
auth, error handlers): the validated body reaches it as what `request.json()` returns, an
`AnalyzeRequest` that FastAPI's validation passes through, and the message rows wait in the
request's scope. For a charset parameter or a `+json` type too: json.loads reads any UTF-8
body that msgspec accepts as it does.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import msgspec
from fastapi import Request, Response
from fastapi.routing import APIRoute

from .models import AnalyzeRequest


class MessageRow(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """`MessageIn` as a struct (keep the two alike: a test compares their schemas). None
    counts as absent, as in ``model_dump(exclude_none=True)``."""

    sender: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    text: Annotated[str, msgspec.Meta(max_length=100_000)]
    timestamp: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    is_user: bool | None = None


class AnalyzeBody(msgspec.Struct, forbid_unknown_fields=True):
    """`AnalyzeRequest` as a struct, without its one-of rule (checked in `parse_analyze`)."""

    messages: Annotated[list[MessageRow], msgspec.Meta(min_length=1, max_length=20_000)] | None = (
        None
    )
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=5_000_000)] | None = None
    me: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None
    lang: Literal["auto", "en", "zh"] = "auto"
    save_case: bool = False
    redact: bool = False
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | None = None
    platform: Annotated[str, msgspec.Meta(min_length=1, max_length=32)] | None = None


_ANALYZE = msgspec.json.Decoder(AnalyzeBody)
SCOPE_KEY = "scamlens.prevalidated"
# Each row's share of json.dumps(rows, ensure_ascii=False) beyond the request's own bytes, at
# most: that encoding writes ", " and ": " where the request may write "," and ":" (4 fields,
# 3 commas, 1 comma between rows); every string and literal takes no more bytes there than in
# any valid JSON spelling of it, and None fields are left out.
ROW_SLACK = 8


@dataclass(frozen=True, slots=True)
class Prevalidated:
    model: AnalyzeRequest  # what FastAPI validates (`messages` is empty when rows are given)
    rows: list[MessageRow] | None  # the messages as validated rows
    encoded_at_most: int  # bytes of json.dumps(rows without None, ensure_ascii=False), at most


def parse_analyze(data: bytes) -> Prevalidated | None:
    """The body when it is valid UTF-8 JSON that `AnalyzeRequest` accepts; else None."""
    try:
        body = _ANALYZE.decode(data)
    except (msgspec.DecodeError, ValueError):  # ValueError: invalid UTF-8
        return None
    rows, text = body.messages, body.text
    if (rows is None) == (text is None):
        return None
    model = AnalyzeRequest.model_construct(
        messages=None if rows is None else [],
        text=text,
        me=body.me,
        lang=body.lang,
        save_case=body.save_case,
        redact=body.redact,
        title=body.title,
        platform=body.platform,
    )
    bound = len(data) + ROW_SLACK * len(rows) if rows is not None else 0
    return Prevalidated(model, rows, bound)


def prevalidated(request: Request) -> Prevalidated | None:
    found: Prevalidated | None = request.scope.get(SCOPE_KEY)
    return found


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class AnalyzeRoute(APIRoute):
    """The route of an endpoint whose body is an `AnalyzeRequest`: a body `parse_analyze`
    accepts skips FastAPI's decode and model building; any other goes FastAPI's way."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def fast(request: Request) -> Response:
            # FastAPI reads the body (with its own errors), decides from the content type
            # whether it is JSON, and only then calls request.json(): that call is answered
            # here, so reading errors and content types stay FastAPI's business.
            request.json = functools.partial(_json, request)  # type: ignore[method-assign]
            return await handler(request)

        return fast


async def _json(request: Request) -> Any:
    found = parse_analyze(await request.body())  # already read: FastAPI asked for it first
    if found is None:
        return await Request.json(request)  # Starlette's own: json.loads, errors and all
    request.scope[SCOPE_KEY] = found
    return found.model

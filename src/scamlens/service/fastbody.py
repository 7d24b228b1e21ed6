"""The /analyze body validated in one pass from its bytes, on the common path.

FastAPI reads a JSON body with `json.loads`, then builds the `AnalyzeRequest` model and one
`MessageIn` model per message, which the service turns back into plain rows: ~1.1 ms of a
200-message request. Here pydantic-core parses and checks the bytes against typed dicts with
the same constraints, and the rows go to the importer as they are (~0.35 ms).

Only a body this path fully accepts takes it: one FastAPI reads as JSON (by its content type)
whose bytes are UTF-8 JSON that the typed dicts validate, with exactly one of `messages` /
`text`. Anything else (a BOM, UTF-16, NaN, lone surrogates, any invalid field) goes through
FastAPI untouched, so every error response is FastAPI's own. What passes here
passes `AnalyzeRequest` too, with the same values: the typed dicts are as strict as the models
(tests/service/test_fastbody.py compares their JSON schemas and random bodies both ways), and
pydantic-core's parser reads every JSON document it accepts as `json.loads` does (duplicate
keys: the last wins in both).

FastAPI still runs the route as declared (OpenAPI, body reading, content types, dependencies,
auth, error handlers): the validated body reaches it as what `request.json()` returns, an
`AnalyzeRequest` that FastAPI's validation passes through, and the message rows wait in the
request's scope. For a charset parameter or a `+json` type too: json.loads reads any UTF-8
body that pydantic-core accepts as it does.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any, Literal, NotRequired

from fastapi import Request, Response
from fastapi.routing import APIRoute
from pydantic import (
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    TypeAdapter,
    ValidationError,
    with_config,
)
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from .models import AnalyzeRequest

_STRICT = ConfigDict(strict=True, extra="forbid")


@with_config(_STRICT)
class MessageRow(TypedDict):
    """`MessageIn` as a dict (keep the two alike: a test compares their schemas)."""

    sender: NotRequired[Annotated[StrictStr, Field(max_length=200)] | None]
    text: Annotated[StrictStr, Field(max_length=100_000)]
    timestamp: NotRequired[Annotated[StrictStr, Field(max_length=64)] | None]
    is_user: NotRequired[StrictBool | None]


@with_config(_STRICT)
class AnalyzeBody(TypedDict):
    """`AnalyzeRequest` as a dict, without its one-of rule (checked in `parse_analyze`)."""

    messages: NotRequired[
        Annotated[list[MessageRow], Field(min_length=1, max_length=20_000)] | None
    ]
    text: NotRequired[Annotated[StrictStr, Field(min_length=1, max_length=5_000_000)] | None]
    me: NotRequired[Annotated[StrictStr, Field(min_length=1, max_length=200)] | None]
    lang: NotRequired[Literal["auto", "en", "zh"]]
    save_case: NotRequired[StrictBool]
    redact: NotRequired[StrictBool]
    title: NotRequired[Annotated[StrictStr, Field(min_length=1, max_length=200)] | None]
    platform: NotRequired[Annotated[StrictStr, Field(min_length=1, max_length=32)] | None]


_ANALYZE = TypeAdapter(AnalyzeBody)
SCOPE_KEY = "scamlens.prevalidated"
# Each row's share of json.dumps(rows, ensure_ascii=False) beyond the request's own bytes, at
# most: that encoding writes ", " and ": " where the request may write "," and ":" (4 fields,
# 3 commas, 1 comma between rows); every string and literal takes no more bytes there than in
# any valid JSON spelling of it, and None fields are left out.
ROW_SLACK = 8


@dataclass(frozen=True, slots=True)
class Prevalidated:
    model: AnalyzeRequest  # what FastAPI validates (`messages` is empty when rows are given)
    rows: list[dict[str, Any]] | None  # the messages as validated rows (None values: absent)
    encoded_at_most: int  # bytes of json.dumps(rows without None, ensure_ascii=False), at most


def parse_analyze(data: bytes) -> Prevalidated | None:
    """The body when it is valid UTF-8 JSON that `AnalyzeRequest` accepts; else None."""
    try:
        body = _ANALYZE.validate_json(data)
    except ValidationError:
        return None
    rows = body.get("messages")
    text = body.get("text")
    if (rows is None) == (text is None):
        return None
    model = AnalyzeRequest.model_construct(
        messages=None if rows is None else [],
        text=text,
        me=body.get("me"),
        lang=body.get("lang", "auto"),
        save_case=body.get("save_case", False),
        redact=body.get("redact", False),
        title=body.get("title"),
        platform=body.get("platform"),
    )
    bound = len(data) + ROW_SLACK * len(rows) if rows is not None else 0
    return Prevalidated(model, rows, bound)  # type: ignore[arg-type]


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

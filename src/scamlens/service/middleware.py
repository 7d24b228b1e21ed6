"""Pure ASGI middleware: request body limits (enforced while reading) and access logs that
hold the method, the route template, the status, the duration and the case id, never bodies,
query strings or message text."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .settings import ServiceSettings

access_log = logging.getLogger("scamlens.service.access")
UPLOAD_SUFFIX = "/upload"


def _too_large(limit: int) -> str:
    return f"the request body is over the {limit:,}-byte limit"


class ServiceMiddleware:
    def __init__(self, app: ASGIApp, settings: ServiceSettings) -> None:
        self.app = app
        self.settings = settings

    def _limit(self, path: str) -> int:
        if path.endswith(UPLOAD_SUFFIX):
            return self.settings.max_upload_bytes + 64 * 1024  # multipart framing and fields
        return self.settings.max_json_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        limit = self._limit(str(scope.get("path", "")))
        status = {"code": 500}

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
            await send(message)

        try:
            declared = _content_length(scope)
            if declared is not None and declared > limit:
                await _reject_413(send_logged, limit)
                return
            received = 0

            async def limited() -> Message:
                nonlocal received
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > limit:
                        raise HTTPException(413, _too_large(limit))
                return message

            await self.app(scope, limited, send_logged)
        finally:
            route = scope.get("route")
            state: Any = scope.get("state") or {}
            case_id = state.get("case_id") if isinstance(state, dict) else None
            access_log.info(
                "%s %s %d %.1fms%s",
                scope.get("method", "?"),
                getattr(route, "path", "<unmatched>"),
                status["code"],
                (time.perf_counter() - started) * 1000,
                f" case={case_id}" if case_id else "",
            )


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _reject_413(send: Send, limit: int) -> None:
    body = json.dumps(
        {"error": {"code": "payload_too_large", "message": _too_large(limit), "details": None}}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})

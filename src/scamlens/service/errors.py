"""Every API error leaves the service as {"error": {"code", "message", "details"}}; a browser
asking for a web-UI page gets an HTML error page instead (when the UI is installed)."""

from __future__ import annotations

import logging
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from scamlens.cases.store import CaseNotFound
from scamlens.errors import ScamlensError

log = logging.getLogger("scamlens.service")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.details = details
        self.headers = headers


def error_response(
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": details}}
    return JSONResponse(body, status_code=status, headers=headers)


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Never echo the input back: it may be message text or personal data.
    return [
        {
            "loc": [str(p) for p in err.get("loc", ())],
            "msg": err.get("msg", ""),
            "type": err.get("type", ""),
        }
        for err in exc.errors()[:20]
    ]


def _summary(details: list[dict[str, Any]]) -> str:
    if not details:
        return "the request is not valid"
    first = details[0]
    where = ".".join(p for p in first["loc"] if p not in ("body", "query", "path")) or "request"
    more = f" (and {len(details) - 1} more problems)" if len(details) > 1 else ""
    return f"{where}: {first['msg']}{more}"


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = CODES.get(exc.status_code, "error")
        html = getattr(request.app.state, "html_error", None)
        if html is not None and _browser_page(request):
            message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
            return cast(Response, html(request, exc.status_code, message, exc.headers))
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if exc.status_code == 404 and message == "Not Found":
            message = "no such endpoint (the API is under /api/v1; see /docs)"
        if exc.status_code == 405:
            message = "this endpoint does not take that HTTP method"
        headers = dict(exc.headers) if exc.headers else None
        return error_response(exc.status_code, code, message, None, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc)
        return error_response(422, "invalid_request", _summary(details), details)

    @app.exception_handler(CaseNotFound)
    async def _missing(_: Request, exc: CaseNotFound) -> JSONResponse:
        return error_response(404, "case_not_found", str(exc))

    @app.exception_handler(ScamlensError)
    async def _input(_: Request, exc: ScamlensError) -> JSONResponse:
        return error_response(422, "invalid_input", str(exc))

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        # The type only: a message or traceback could quote the request's content.
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method, _template(request))
        return error_response(500, "internal_error", "internal error; it has been logged")


def _browser_page(request: Request) -> bool:
    """A web-UI page asked for by a browser: its errors are pages too, not JSON."""
    path = request.url.path
    accept = request.headers.get("accept", "")
    return not path.startswith(("/api/", "/docs", "/openapi", "/redoc")) and "text/html" in accept


def _template(request: Request) -> str:
    route = request.scope.get("route")
    return str(getattr(route, "path", "<unmatched>"))

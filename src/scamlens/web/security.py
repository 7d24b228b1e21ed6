"""Cookies, CSRF and response headers for the analyst pages.

CSRF: double-submit token. A random token lives in an HttpOnly, SameSite=Strict cookie and is
written into every form (hidden field) and into a <meta> tag for fetch() calls; a POST must
send the same value back (field or X-CSRF-Token header). On top of that a POST whose Origin
is another site, or whose Sec-Fetch-Site says cross-site, is refused.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request
from starlette.responses import Response

CSRF_COOKIE = "scamlens_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_COOKIE = "scamlens_session"  # scamlens.service.auth.SESSION_COOKIE: a signed session

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # "no-referrer" makes form POSTs send Origin: null
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def csrf_token(request: Request) -> str:
    """The request's token: the cookie's when it looks like ours, else a fresh one."""
    existing = getattr(request.state, "csrf", None)
    if isinstance(existing, str):
        return existing
    cookie = request.cookies.get(CSRF_COOKIE, "")
    token = cookie if 32 <= len(cookie) <= 64 and cookie.isascii() else secrets.token_urlsafe(32)
    request.state.csrf = token
    return token


def finish(request: Request, response: Response) -> Response:
    """Security headers on every page, and the CSRF cookie when the browser lacks it."""
    for k, v in HEADERS.items():
        response.headers.setdefault(k, v)
    token = getattr(request.state, "csrf", None)
    if isinstance(token, str) and request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(
            CSRF_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=_secure(request),
            path="/",
        )
    return response


def same_origin(request: Request) -> bool:
    if request.headers.get("sec-fetch-site", "") in ("cross-site", "same-site"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    host = request.headers.get("host", "")
    return origin == f"{request.url.scheme}://{host}"


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse (403) a state-changing request that did not come from our own pages."""
    if not same_origin(request):
        raise HTTPException(403, "cross-origin request refused")
    cookie = request.cookies.get(CSRF_COOKIE, "")
    token = submitted or request.headers.get(CSRF_HEADER, "")
    if not cookie or not token or not hmac.compare_digest(cookie.encode(), token.encode()):
        raise HTTPException(403, "missing or wrong CSRF token; reload the page and try again")


def set_session(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/",
        max_age=8 * 3600,
    )


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def safe_next(target: str | None) -> str:
    """Only local paths after login (no //host or scheme: an open redirect otherwise)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target

"""Who is asking, decided by the service's auth (scamlens.service.auth): an API key header, or
the signed session cookie that /login sets. With no keys configured on loopback, everyone is
the local admin. Pages answer a missing sign-in with a redirect to /login.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import HTTPException, Request

RANK = {"read": 0, "write": 1, "admin": 2}


@dataclass(frozen=True, slots=True)
class Principal:
    name: str
    role: str
    via_key: bool  # signed in with a key (show "Sign out"), not open local access


def _settings(request: Request) -> object:
    return request.app.state.settings


def current(request: Request) -> Principal | None:
    from scamlens.service.auth import principal_of

    found = principal_of(request)
    if found is None:
        return None
    open_access = bool(getattr(_settings(request), "open_access", False))
    return Principal(str(found.name), str(found.role), not open_access)


def session_for_key(request: Request, key: str) -> str | None:
    """A session token for the cookie when `key` is a valid API key, else None."""
    from scamlens.service.auth import check_key, issue_session

    settings = _settings(request)
    found = check_key(settings, key)  # type: ignore[arg-type]
    if found is None:
        return None
    token: str = issue_session(settings, found)  # type: ignore[arg-type]
    return token


def authorize(request: Request, role: str) -> Principal:
    """The principal, if it holds `role`; else a redirect to /login (GET) or 401/403."""
    who = current(request)
    if who is None:
        if request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            base = str(request.scope.get("root_path", "")).rstrip("/")
            location = f"{base}/login?{urlencode({'next': target})}"
            raise HTTPException(303, "sign in first", headers={"Location": location})
        raise HTTPException(401, "sign in first")
    if RANK.get(who.role, -1) < RANK[role]:
        raise HTTPException(403, f"this needs the {role} role; you have {who.role}")
    request.state.principal = who
    return who

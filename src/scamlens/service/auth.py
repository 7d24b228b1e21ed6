"""API keys, roles and sessions.

Keys are given to the server as SHA-256 digests ('name:role:sha256' lines); a request presents
the key in `X-API-Key` or `Authorization: Bearer`, or the UI's session cookie (signed with a
secret kept in the data directory). Roles: read < write < admin. With no keys and a loopback
host every caller is the admin principal "local".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fastapi import Request

from .errors import ApiError
from .ratelimit import Limiter, retry_after
from .settings import ROLES, ServiceSettings

SESSION_COOKIE = "scamlens_session"
SESSION_TTL_S = 8 * 3600
LOCAL = "local"


@dataclass(frozen=True, slots=True)
class Principal:
    name: str
    role: str

    def allows(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    return "slk_" + secrets.token_urlsafe(32)


def check_key(settings: ServiceSettings, key: str | None) -> Principal | None:
    """The principal a presented key belongs to, or None. Compares against every configured
    digest in constant time."""
    if settings.open_access:
        return Principal(LOCAL, "admin")
    if not key or len(key) > 512:
        return None
    digest = hash_key(key)
    found: Principal | None = None
    for k in settings.api_keys:
        if hmac.compare_digest(digest, k.sha256):
            found = Principal(k.name, k.role)
    return found


@lru_cache(maxsize=4)
def _secret(folder: str) -> bytes:
    path = Path(folder) / "service-session.key"
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32))
    try:
        os.link(tmp, path)  # first writer wins when several workers start at once
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def _sign(settings: ServiceSettings, payload: str) -> str:
    mac = hmac.new(_secret(settings.data_dir), payload.encode("utf-8"), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode("ascii").rstrip("=")


def issue_session(
    settings: ServiceSettings, principal: Principal, *, ttl_s: int = SESSION_TTL_S
) -> str:
    """A signed session token for the UI's cookie (`SESSION_COOKIE`)."""
    expires = int(time.time()) + ttl_s
    payload = f"{principal.name}|{principal.role}|{expires}"
    raw = base64.urlsafe_b64encode(payload.encode("utf-8")).decode("ascii").rstrip("=")
    return f"{raw}.{_sign(settings, payload)}"


def check_session(settings: ServiceSettings, token: str | None) -> Principal | None:
    if not token or len(token) > 1024 or "." not in token:
        return None
    raw, sig = token.rsplit(".", 1)
    try:
        payload = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("utf-8")
        name, role, expires = payload.rsplit("|", 2)
        exp = int(expires)
    except (ValueError, UnicodeDecodeError):
        return None
    if not hmac.compare_digest(sig, _sign(settings, payload)) or exp < time.time():
        return None
    if role not in ROLES:
        return None
    # A session only lives as long as its key: a removed key's sessions stop working.
    if not settings.open_access and not any(k.name == name for k in settings.api_keys):
        return None
    return Principal(name, role)


def presented_key(request: Request) -> str | None:
    key = request.headers.get("x-api-key")
    if key:
        return key
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def principal_of(request: Request) -> Principal | None:
    settings: ServiceSettings = request.app.state.settings
    if settings.open_access:
        return Principal(LOCAL, "admin")
    key = presented_key(request)
    if key is not None:
        return check_key(settings, key)
    return check_session(settings, request.cookies.get(SESSION_COOKIE))


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def limit(request: Request, key: str) -> None:
    limiter: Limiter = request.app.state.limiter
    wait = limiter.take(key)
    if wait > 0:
        raise ApiError(
            429,
            "too many requests; slow down and retry after the number of seconds in Retry-After",
            headers={"Retry-After": retry_after(wait)},
        )


def require(role: str) -> Callable[[Request], Awaitable[Principal]]:
    """A FastAPI dependency: the caller's principal, which must hold `role` (or higher).
    Async on purpose: it only hashes and counts, and a sync dependency costs a thread hop."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")

    async def dependency(request: Request) -> Principal:
        principal = principal_of(request)
        if principal is None:
            limit(request, f"ip:{client_address(request)}")
            raise ApiError(
                401,
                "an API key is required: send it in the X-API-Key header or as "
                "'Authorization: Bearer <key>'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        limit(request, f"key:{principal.name}")
        if not principal.allows(role):
            raise ApiError(403, f"this needs the {role!r} role; your key has {principal.role!r}")
        request.state.principal = principal
        return principal

    return dependency


async def public(request: Request) -> None:
    """Dependency for endpoints without auth (health, version): rate-limited per address."""
    limit(request, f"ip:{client_address(request)}")

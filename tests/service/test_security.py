"""Keys, roles, loopback rule, sessions and rate limits."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from scamlens.service.auth import Principal, check_key, check_session, issue_session
from scamlens.service.ratelimit import RateLimiter
from scamlens.service.settings import ServiceConfigError, ServiceSettings, is_loopback, load_keys

from .conftest import api_keys


def test_non_loopback_without_keys_refuses(settings: ServiceSettings) -> None:
    from scamlens.service.app import create_app

    with pytest.raises(ServiceConfigError, match="without API keys"):
        create_app(replace(settings, host="0.0.0.0"))
    create_app(replace(settings, host="0.0.0.0", api_keys=api_keys()))
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_keys_required_and_roles(keyed: TestClient) -> None:
    r = keyed.get("/api/v1/cases")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert keyed.get("/api/v1/cases", headers={"X-API-Key": "wrong"}).status_code == 401
    assert keyed.get("/api/v1/health").status_code == 200  # no data: public
    read = {"X-API-Key": "reader-key"}
    assert keyed.get("/api/v1/cases", headers=read).status_code == 200
    r = keyed.post("/api/v1/cases", headers=read, json={"text": "hi"})
    assert r.status_code == 403 and "write" in r.json()["error"]["message"]
    r = keyed.post("/api/v1/analyze", headers=read, json={"text": "hi", "save_case": True})
    assert r.status_code == 403
    assert keyed.post("/api/v1/analyze", headers=read, json={"text": "hi"}).status_code == 200
    write = {"Authorization": "Bearer writer-key"}
    r = keyed.post("/api/v1/cases", headers=write, json={"text": "hello there"})
    assert r.status_code == 201
    cid = r.json()["id"]
    assert (
        keyed.get(f"/api/v1/cases/{cid}/audit", headers=read).json()["events"][0]["actor"]
        == "write"
    )
    assert keyed.get("/api/v1/feedback/export", headers=write).status_code == 403
    assert (
        keyed.get("/api/v1/feedback/export", headers={"X-API-Key": "admin-key"}).status_code == 200
    )
    assert keyed.delete(f"/api/v1/cases/{cid}", headers=read).status_code == 403


def test_session_cookie(keyed: TestClient, settings: ServiceSettings) -> None:
    s = replace(settings, api_keys=api_keys())
    p = check_key(s, "writer-key")
    assert p == Principal("write", "write")
    assert check_key(s, "nope") is None and check_key(s, None) is None
    token = issue_session(s, p)
    assert check_session(s, token) == p
    assert check_session(s, token[:-2] + "xx") is None
    assert check_session(s, issue_session(s, p, ttl_s=-10)) is None
    keyed.cookies.set("scamlens_session", token)
    assert keyed.get("/api/v1/cases").status_code == 200
    keyed.cookies.clear()


def test_open_access_is_local_admin(settings: ServiceSettings) -> None:
    assert check_key(settings, None) == Principal("local", "admin")


def test_rate_limit_429_with_retry_after(make_client: Any) -> None:
    c = make_client(rate_limit_per_min=3)
    codes = [c.get("/api/v1/stats").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[-1] == 429
    r = c.get("/api/v1/stats")
    assert r.json()["error"]["code"] == "rate_limited" and int(r.headers["retry-after"]) >= 1


def test_token_bucket_refills() -> None:
    now = [0.0]
    rl = RateLimiter(60, clock=lambda: now[0])
    assert all(rl.take("k") == 0.0 for _ in range(60))
    assert rl.take("k") > 0
    now[0] += 1.0
    assert rl.take("k") == 0.0
    assert rl.take("other") == 0.0
    assert RateLimiter(0).take("k") == 0.0


def test_keys_file(tmp_path: Path) -> None:
    digest = hashlib.sha256(b"k").hexdigest()
    f = tmp_path / "keys"
    f.write_text(f"# team\nalice:write:{digest}\n\nbob:read:{digest.upper()}\n")
    keys = load_keys(f)
    assert [(k.name, k.role) for k in keys] == [("alice", "write"), ("bob", "read")]
    for bad in ("alice:write", f"alice:root:{digest}", "alice:read:abc", ""):
        f.write_text(bad + "\n")
        with pytest.raises(ServiceConfigError):
            load_keys(f)
    with pytest.raises(ServiceConfigError):
        load_keys(tmp_path / "missing")


def test_settings_round_trip_env(monkeypatch: pytest.MonkeyPatch) -> None:
    s = ServiceSettings(api_keys=api_keys(), cors_origins=("https://a.example",), workers=2)
    monkeypatch.setenv("SCAMLENS_SERVICE_SETTINGS", s.to_env())
    assert ServiceSettings.from_env() == s

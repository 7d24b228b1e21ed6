"""Fixtures for the web UI tests: the real service app on a temporary SQLite store."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
_ENV = ("SCAMLENS_HOME", "SCAMLENS_CASES_URL", "SCAMLENS_INTEL_URL", "SCAMLENS_SERVICE_SETTINGS")


def make_settings(folder: Path, **kw: Any) -> Any:
    from scamlens.service.settings import ServiceSettings

    return ServiceSettings(
        data_dir=str(folder),
        db_url=f"sqlite:///{folder / 'cases.db'}",
        intel_url=f"sqlite:///{folder / 'intel.db'}",
        rate_limit_per_min=0,
        **kw,
    )


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SCAMLENS_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def client(home: Path) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from scamlens.service.app import create_app

    with TestClient(create_app(make_settings(home)), base_url="http://127.0.0.1") as c:
        yield c


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def upload(client: Any, path: Path, me: str | None = None, title: str = "") -> str:
    """Upload a chat through the form; returns the new case's path."""
    token = csrf_of(client.get("/upload").text)
    resp = client.post(
        "/upload",
        data={"csrf_token": token, "me": me or "", "title": title},
        files={"file": (path.name, path.read_bytes(), "application/octet-stream")},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text[:500]
    location: str = resp.headers["location"]
    assert location.startswith("/cases/")
    return location


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app served by uvicorn in a thread on a free loopback port."""
    import uvicorn

    from scamlens.service.app import create_app

    folder = tmp_path_factory.mktemp("live")
    saved = {k: os.environ.get(k) for k in _ENV}
    for name in _ENV:
        os.environ.pop(name, None)
    os.environ["SCAMLENS_HOME"] = str(folder)
    port = _free_port()
    app = create_app(make_settings(folder, port=port))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

"""App fixtures: each test gets its own data directory, case store and intel store."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from scamlens.service.app import create_app
from scamlens.service.settings import ApiKey, ServiceSettings

KEYS = {"reader-key": "read", "writer-key": "write", "admin-key": "admin"}


def api_keys() -> tuple[ApiKey, ...]:
    return tuple(
        ApiKey(role, role, hashlib.sha256(key.encode()).hexdigest()) for key, role in KEYS.items()
    )


@pytest.fixture
def settings(tmp_path: Path) -> ServiceSettings:
    return ServiceSettings(
        db_url=f"sqlite:///{tmp_path / 'cases.db'}",
        intel_url=f"sqlite:///{tmp_path / 'intel.db'}",
        data_dir=str(tmp_path),
        rate_limit_per_min=0,
    )


@pytest.fixture
def make_client(settings: ServiceSettings) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(**changes: object) -> TestClient:
        app: FastAPI = create_app(replace(settings, **changes))  # type: ignore[arg-type]
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


@pytest.fixture
def keyed(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(api_keys=api_keys())

"""Shared fixtures. Tests that need ../shared/data skip cleanly when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _shared_dir() -> Path | None:
    env = os.environ.get("SCAMLENS_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared")
    for c in candidates:
        if (c / "data").is_dir():
            return c / "data"
    return None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path to ../shared/data; skips the test when it is not there."""
    path = _shared_dir()
    if path is None:
        pytest.skip("../shared/data is not available (set SCAMLENS_SHARED to its parent)")
    return path


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(autouse=True, scope="session")
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never touch the user's real data directory."""
    os.environ["SCAMLENS_HOME"] = str(tmp_path_factory.mktemp("scamlens-home"))

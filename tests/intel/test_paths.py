"""Default locations of the store."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from scamlens.intel import IntelStore
from scamlens.intel.paths import data_dir, default_url


def test_scamlens_home_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SCAMLENS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("SCAMLENS_INTEL_URL", raising=False)
    assert data_dir() == tmp_path / "home"
    assert default_url() == f"sqlite:///{(tmp_path / 'home' / 'intel.db').resolve()}"


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG layout")
def test_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SCAMLENS_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "scamlens"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "h"))
    assert data_dir() == tmp_path / "h" / ".local" / "share" / "scamlens"


def test_url_env_and_created_on_first_use(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SCAMLENS_HOME", str(tmp_path / "new"))
    monkeypatch.delenv("SCAMLENS_INTEL_URL", raising=False)
    with IntelStore.open() as store:
        assert store.stats().total == 0
    assert (tmp_path / "new" / "intel.db").exists()
    monkeypatch.setenv("SCAMLENS_INTEL_URL", f"sqlite:///{tmp_path / 'other.db'}")
    assert default_url().endswith("other.db")

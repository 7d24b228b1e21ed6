"""The retention purge runs in one process of a service, not in every worker."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from scamlens.cases.store import CaseStore
from scamlens.service import app as app_module
from scamlens.service.app import RetentionTurn

pytestmark = pytest.mark.skipif(app_module.fcntl is None, reason="needs flock")


def test_one_turn_holder_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "run" / "retention.lock"
    a, b = RetentionTurn(path), RetentionTurn(path)
    assert a.take() and a.held
    assert not b.take() and not b.held
    assert a.take()  # the holder keeps its turn
    a.release()
    assert b.take()  # and another takes over when it goes
    assert not a.take()
    b.release()


def _wait_for(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30  # a bound on waiting, not a speed requirement
    while not check():
        assert time.monotonic() < deadline, "the retention task did not run"
        time.sleep(0.02)


def test_two_workers_purge_once(
    make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two apps on one data directory, as two workers of `serve --workers 2`."""
    purged_by: list[CaseStore] = []
    turns: list[RetentionTurn] = []
    real_take = RetentionTurn.take

    def take(self: RetentionTurn) -> bool:
        got = real_take(self)
        turns.append(self)
        return got

    def purge(self: CaseStore, days: int, *, actor: str = "retention") -> int:
        purged_by.append(self)
        return 0

    monkeypatch.setattr(RetentionTurn, "take", take)
    monkeypatch.setattr(CaseStore, "purge_older_than", purge)
    first = make_client(retention_days=30)
    _wait_for(lambda: len(purged_by) == 1)
    second = make_client(retention_days=30)
    _wait_for(lambda: len(turns) == 2)
    assert [t.held for t in turns] == [True, False]
    assert purged_by == [first.app.state.store]  # type: ignore[attr-defined]
    assert second.app.state.store is not first.app.state.store  # type: ignore[attr-defined]

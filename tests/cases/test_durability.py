"""A killed writer loses no committed case; concurrent writer processes corrupt nothing."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from scamlens.cases.store import open_store

WRITER = Path(__file__).with_name("writer_proc.py")


def _integrity_ok(url: str) -> None:
    if not url.startswith("sqlite"):
        return
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()


@pytest.mark.slow
def test_sigkill_mid_write_loses_no_committed_case(store_url: str) -> None:
    open_store(store_url).close()  # migrate first, so the kill lands in case writes
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), store_url, "0", "crash"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    committed = []
    for line in proc.stdout:
        committed.append(line.strip())
        if len(committed) >= 25:
            break
    proc.send_signal(signal.SIGKILL)
    rest = proc.stdout.read()
    proc.stdout.close()
    proc.wait()
    committed += [x for x in rest.split() if x]
    assert proc.returncode == -signal.SIGKILL
    _integrity_ok(store_url)
    with open_store(store_url) as store:
        for cid in committed:
            rec = store.get_case(cid)
            assert len(rec.conversation.messages) == 40
            assert rec.label == "scam"
        _, total = store.list_cases(limit=1)
        assert total >= len(committed)  # at most one more: committed, id not yet printed
        assert total <= len(committed) + 1


@pytest.mark.slow
def test_concurrent_writer_processes(store_url: str) -> None:
    open_store(store_url).close()
    procs = [
        subprocess.Popen(
            [sys.executable, str(WRITER), store_url, "12", f"w{k}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(4)
    ]
    ids = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err[-2000:]
        ids += out.split()
    assert len(ids) == 48 == len(set(ids))
    _integrity_ok(store_url)
    with open_store(store_url) as store:
        assert store.list_cases(limit=100)[1] == 48
        assert store.stats()["by_status"]["in_review"] == 16
        for cid in ids:
            assert store.get_case(cid).conversation.messages

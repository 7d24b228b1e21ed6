"""`scamlens serve --workers 2` as a real process tree: the workers answer, each new connection
goes to the worker holding the fewest, a crashed worker is replaced, SIGTERM stops everything,
workers leave when the supervisor dies, and a taken port is a clear error; and the warm-up
every worker runs before serving."""

from __future__ import annotations

import gc
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from scamlens.service.workers import handoff_supported

LINUX_ONLY = pytest.mark.skipif(not handoff_supported(), reason="needs Linux (SCM_RIGHTS)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid and "Z" not in stat.split()[2]:
            out.append(int(entry))
    return out


def _workers(pid: int) -> list[int]:
    """Worker processes (multiprocessing's resource tracker is a child too: skip it)."""
    return [
        c
        for c in _children(pid)
        if "resource_tracker" not in Path(f"/proc/{c}/cmdline").read_bytes().decode(errors="ignore")
    ]


def _serve(home: Path, port: int, *extra: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, SCAMLENS_HOME=str(home))
    cmd = [sys.executable, "-m", "scamlens.service", "serve", "--port", str(port), *extra]
    return subprocess.Popen([*cmd, "--workers", "2", "--log-level", "warning"], env=env)


def _wait_healthy(url: str, deadline_s: float = 120) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("the server did not become healthy")


@LINUX_ONLY
def test_workers_answer_restart_and_stop(tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = _serve(tmp_path, port)
    try:
        _wait_healthy(url)
        body = {"messages": [{"sender": "a", "text": "send 500 USDT to unlock your withdrawal"}]}
        for _ in range(4):  # new connections each time
            resp = httpx.post(f"{url}/api/v1/analyze", json=body, timeout=30)
            assert resp.status_code == 200 and resp.json()["results"]
        workers = _workers(proc.pid)
        assert len(workers) == 2
        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            now = _workers(proc.pid)
            if len(now) == 2 and workers[0] not in now:
                break
            time.sleep(0.3)
        else:
            raise AssertionError("the killed worker was not replaced")
        _wait_healthy(url)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        assert _children(proc.pid) == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _get(port: int) -> socket.socket:
    """A kept-alive connection that has had one answer (so a worker has taken it)."""
    conn = socket.create_connection(("127.0.0.1", port), timeout=30)
    conn.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: t\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data or not data.endswith(b"}"):
        chunk = conn.recv(4096)
        assert chunk, "the server closed the connection"
        data += chunk
    assert data.startswith(b"HTTP/1.1 200")
    return conn


def _owner(workers: list[int], port: int, conn: socket.socket) -> int:
    """The worker holding the server side of `conn` (its socket inode, from /proc)."""
    client_port = conn.getsockname()[1]
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        f = line.split()
        local, remote = int(f[1].rsplit(":", 1)[1], 16), int(f[2].rsplit(":", 1)[1], 16)
        if local == port and remote == client_port:
            inodes.add(f"socket:[{f[9]}]")
    for pid in workers:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") in inodes:
                    return pid
            except OSError:
                continue
    raise AssertionError("no worker holds the connection")


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@LINUX_ONLY
def test_each_connection_goes_to_the_worker_holding_fewest(tmp_path: Path) -> None:
    """Kept-alive connections stay where they land, so the split decides each worker's queue:
    ten connections split 5/5, and once five of one worker's close, the next four all go to
    that worker (0 open beside 5)."""
    port = _free_port()
    proc = _serve(tmp_path, port)
    conns: list[socket.socket] = []
    try:
        _wait_healthy(f"http://127.0.0.1:{port}")
        workers = _workers(proc.pid)
        time.sleep(1.0)  # the health checks' connections have been closed and counted
        conns = [_get(port) for _ in range(10)]
        owners = [_owner(workers, port, c) for c in conns]
        assert sorted(owners.count(w) for w in workers) == [5, 5]
        first = owners[0]
        for c, owner in zip(conns, owners, strict=True):
            if owner == first:
                c.close()
        conns = [c for c, owner in zip(conns, owners, strict=True) if owner != first]
        time.sleep(1.0)  # the worker has seen them close
        fresh = [_get(port) for _ in range(4)]
        conns += fresh
        assert [_owner(workers, port, c) for c in fresh] == [first] * 4
    finally:
        for c in conns:
            c.close()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


@LINUX_ONLY
def test_workers_leave_when_the_supervisor_dies(tmp_path: Path) -> None:
    """SIGKILL leaves the supervisor no time to stop its workers: they see their channel
    close and exit instead of serving on unsupervised."""
    port = _free_port()
    proc = _serve(tmp_path, port)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}")
        workers = _workers(proc.pid)
        assert len(workers) == 2
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not all(_gone(w) for w in workers):
            time.sleep(0.2)
        assert all(_gone(w) for w in workers)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@LINUX_ONLY
def test_a_connection_skips_a_worker_whose_channel_is_gone() -> None:
    """Between a worker's death and its replacement its channel refuses: the connection goes
    to the next worker, and with none left it is refused (closed) rather than lost silently."""
    from scamlens.service import workers

    dispatch = workers._Dispatcher(socket.socket(), [0, 0])
    pairs = [socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET) for _ in range(2)]
    pairs[0][1].close()  # the first worker is gone
    dispatch.slots = [workers._Slot(None, 0.0, mine) for mine, _ in pairs]  # type: ignore[arg-type]
    conn, peer = socket.socketpair()
    try:
        assert dispatch.hand(conn)
        msg, fds, _, _ = socket.recv_fds(pairs[1][1], 16, 1)
        assert msg == b"c" and len(fds) == 1
        os.close(fds[0])
        assert [s.sent for s in dispatch.slots if s is not None] == [0, 1]
        pairs[1][1].close()  # now both are gone
        assert not dispatch.hand(conn)
    finally:
        for mine, theirs in pairs:
            mine.close()
            theirs.close()
        conn.close()
        peer.close()
        dispatch.listener.close()


@LINUX_ONLY
def test_workers_share_one_rate_limit(tmp_path: Path) -> None:
    """Two workers, one limit: 6/min lets 6 requests through in all, not 6 per worker."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = _serve(tmp_path, port, "--rate-limit", "6/min")
    try:
        _wait_healthy(url)
        tables = list((tmp_path / "run").glob("ratelimit-*.bin"))
        assert [t.name for t in tables] == [f"ratelimit-{proc.pid}.bin"]
        # A new connection each time: the supervisor spreads them over both workers.
        codes = [httpx.get(f"{url}/api/v1/stats", timeout=30).status_code for _ in range(16)]
        assert codes.count(200) in (6, 7)  # 7: one token refilled (0.1/s) during the run
        assert set(codes) == {200, 429}
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        assert not tables[0].exists()  # the supervisor removes its table
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@LINUX_ONLY
def test_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = dict(os.environ, SCAMLENS_HOME=str(tmp_path))
        cmd = [sys.executable, "-m", "scamlens.service", "serve", "--port", str(port)]
        done = subprocess.run(
            [*cmd, "--workers", "2"], env=env, capture_output=True, text=True, timeout=120
        )
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr


def test_warm_up_freezes_the_start_up_heap(settings: Any) -> None:
    """The analysis a worker runs before serving leaves the GC's view of the heap frozen,
    and young collections less frequent."""
    from scamlens.service.app import YOUNG_GC_EVERY, create_app, warm_up

    thresholds = gc.get_threshold()
    gc.unfreeze()
    try:
        app = warm_up(create_app(settings))
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_GC_EVERY, *thresholds[1:])
        assert thresholds[0] < YOUNG_GC_EVERY
        assert app.state.engine is not None
    finally:
        gc.unfreeze()  # the test process must not keep its objects frozen
        gc.set_threshold(*thresholds)

"""`scamlens serve --workers N` on Linux: N one-process uvicorn servers, each with its own
listening socket on the same port (SO_REUSEPORT), so the kernel spreads new connections evenly.

uvicorn's own multi-worker mode shares one socket, and whichever worker woke first took the
connection: under load one worker held most kept-alive connections (busy 100 % beside 26 %
at 200 req/s offered), which capped throughput and stretched the tail. Elsewhere (no
SO_REUSEPORT load balancing) the service keeps uvicorn's mode.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import sys
import time
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

log = logging.getLogger("scamlens.service")
APP_FACTORY = "scamlens.service.app:app_from_env"
QUICK_EXIT_S = 10.0  # a worker that dies this soon after start-up is failing, not crashing
MAX_QUICK_EXITS = 3


def reuse_port_supported() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _listen(host: str, port: int) -> socket.socket:
    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def check_port(host: str, port: int) -> None:
    """Fail as a plain server would when something already listens there: a socket without
    SO_REUSEPORT cannot bind beside a listener (ours or not)."""
    probe = socket.socket(_family(host), socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
    finally:
        probe.close()


def _worker(host: str, port: int, config: dict[str, Any]) -> None:
    """One worker process (spawned): its own socket, one uvicorn server, the app factory."""
    import uvicorn

    logging.basicConfig(
        level=str(config.get("log_level", "info")).upper(),
        format="%(asctime)s %(name)s %(message)s",
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    sock = _listen(host, port)
    server = uvicorn.Server(uvicorn.Config(APP_FACTORY, factory=True, **config))
    server.run(sockets=[sock])


def serve(host: str, port: int, workers: int, config: dict[str, Any]) -> int:
    """Start `workers` processes and keep them running until SIGINT/SIGTERM. A worker that
    crashes is replaced; one that keeps failing at start-up stops the service (exit 1)."""
    check_port(host, port)
    ctx = multiprocessing.get_context("spawn")  # no fork of a process holding databases

    def start() -> tuple[BaseProcess, float]:
        proc = ctx.Process(target=_worker, args=(host, port, config), daemon=False)
        proc.start()
        return proc, time.monotonic()

    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    procs = [start() for _ in range(workers)]
    log.info("serving on %s:%d with %d workers (SO_REUSEPORT)", host, port, workers)
    quick_exits = 0
    code = 0
    try:
        while not stopping:
            for i, (proc, started) in enumerate(procs):
                if proc.is_alive() or stopping:
                    continue
                quick = time.monotonic() - started < QUICK_EXIT_S
                quick_exits = quick_exits + 1 if quick else 0
                if quick_exits >= MAX_QUICK_EXITS:
                    log.error("workers keep exiting at start-up (exit %s); stopping", proc.exitcode)
                    stopping, code = True, 1
                    break
                log.warning("worker %s exited (%s); starting another", proc.pid, proc.exitcode)
                procs[i] = start()
            time.sleep(0.2)
    finally:
        for proc, _ in procs:
            if proc.is_alive():
                proc.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        for proc, _ in procs:
            proc.join(30)
            if proc.is_alive():
                proc.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return code

"""Service latency and throughput: a real `scamlens serve` (uvicorn, subprocess, temp data
directory), concurrent clients POSTing 200-message conversations to /api/v1/analyze.

    python bench/bench_service.py [--clients 50] [--workers 2] [--seconds 20]
                                  [--paced-rate 10] [--sweep 100,200,300] [--unique-texts]
                                  [--novel-texts 2000]

Requests cycle through --bodies distinct conversations (200 consecutive messages of the
example scam chats, English and Chinese, from a different starting point, re-timed and
re-named); the service keeps no result cache. The chats are windows over the same ~500 example
messages, though, so the bounded per-match caches in indicator extraction see repeats; with
--unique-texts every message of every request carries the request's number, so no text is ever
sent twice and those caches stay cold.

Profiles:
- saturation: closed loop, no think time: each client sends its next request as soon as the
  last one answers. Latency here is queueing: about clients / throughput.
- paced: each client sends a request, then waits so the offered load is --paced-rate a second.
- sweep: the paced profile at each rate of --sweep, to find the highest rate that keeps p99
  within --target-ms.
- beside-large (`--large-lines N`): the paced profile while one more client sends, over and
  over, a pasted text of N lines each naming two links never sent before (every link is
  validated and scored: seconds of work a request). Such requests run in a thread of their
  own (service/turns.py); the figures are the other requests' latency beside them.

The load generator is a lean keep-alive HTTP/1.1 client on asyncio (httpx cost ~10 ms of CPU
a request, half the machine). It runs on the same cores as the server; its CPU and the
server's are printed per request.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
SCAM_CHATS = {  # file: the user's name in it (as in examples/MANIFEST.yaml)
    "01-wrong-number-whatsapp-android.txt": "Dave Morrison",
    "02-hinge-romance-whatsapp-ios.txt": "Rachel Owens",
    "04-investment-club-whatsapp-group.txt": "Mark Bennett",
    "06-shazhupan-whatsapp-android-zh.txt": "晓雯",
    "07-wrong-add-line-zh.txt": "周敏",
}
ME = "Me"


@functools.cache
def _pool() -> list[tuple[str | None, str, float]]:
    """(sender, None for the user; text; seconds since the chat's previous message)."""
    from scamlens.api import load_chat

    out: list[tuple[str | None, str, float]] = []
    for name, me in SCAM_CHATS.items():
        conv = load_chat(REPO / "examples" / "scam" / name, me=me)
        prev = None
        for m in conv.messages:
            if not m.text or not m.sender:  # system notices have no sender
                continue
            gap = (m.timestamp - prev).total_seconds() if m.timestamp and prev else 60.0
            prev = m.timestamp or prev
            out.append((None if m.is_user else m.sender, m.text, max(gap, 1.0)))
    return out


def conversation(k: int = 0, n: int = 200) -> dict[str, Any]:
    """The k-th bench conversation: n consecutive messages of the pool from a k-dependent start."""
    pool = _pool()
    start = (k * 37) % len(pool)
    when = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=k)
    out = []
    for i in range(n):
        sender, text, gap = pool[(start + i) % len(pool)]
        when += timedelta(seconds=gap)
        who = ME if sender is None else f"{sender} {k}"
        out.append({"sender": who, "text": text, "timestamp": when.isoformat()})
    return {"messages": out, "me": ME}


def bodies(count: int) -> list[bytes]:
    return [json.dumps(conversation(k), ensure_ascii=False).encode() for k in range(count)]


def novel_bodies(count: int, seed: int = 1) -> list[bytes]:
    """`--novel-texts`: the bench conversations with every message's text replaced by a new
    one, an example message followed by the first words of another (a random choice each
    time), so texts are natural but almost never seen before. RE2 builds its DFA lazily and
    keeps the states it has seen, so text it has never met costs far more than the windows
    over ~500 example messages the other profiles send (real traffic is novel text)."""
    texts = [text for _, text, _ in _pool()]
    is_cjk = [any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts]
    pools = (
        [t for t, z in zip(texts, is_cjk, strict=True) if z],
        [t for t, z in zip(texts, is_cjk, strict=True) if not z],
    )
    rng = random.Random(seed)
    out = []
    for k in range(count):
        doc = conversation(k)
        for m in doc["messages"]:
            pool = pools[rng.random() < 0.6]  # the example chats are ~60 % English
            words = pool[rng.randrange(len(pool))].split(" ")
            tail = " ".join(words[: rng.randint(1, len(words))])
            m["text"] = f"{pool[rng.randrange(len(pool))]} {tail}"
        out.append(json.dumps(doc, ensure_ascii=False).encode())
    return out


_MARK = "@@req@@"


class FreshBodies:
    """`--unique-texts`: every message of every request carries the request's number, so no
    text is ever seen twice (the per-match caches in indicator extraction stay cold, as they
    would on traffic that never repeats a message)."""

    def __init__(self, port: int, count: int) -> None:
        self.port = port
        self.parts = []
        for k in range(count):
            doc = conversation(k)
            for m in doc["messages"]:
                m["text"] += f" [{_MARK}]"
            self.parts.append(json.dumps(doc, ensure_ascii=False).encode().split(_MARK.encode()))
        self.n = 0

    def __getitem__(self, i: int) -> bytes:
        self.n += 1
        return request_bytes(self.port, str(self.n).encode().join(self.parts[i % len(self.parts)]))

    def __len__(self) -> int:
        return len(self.parts)


def request_bytes(port: int, body: bytes) -> bytes:
    head = (
        f"POST /api/v1/analyze HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\n"
        f"content-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(home: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, SCAMLENS_HOME=home)
    cmd = [sys.executable, "-m", "scamlens.service", "serve", "--port", str(port)]
    cmd += ["--workers", str(workers), "--rate-limit", "0", "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=env)
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not start")


def _cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    kids: list[int] = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                kids += _tree(int(entry))
    return [pid, *kids]


def _self_cpu_s() -> float:
    t = os.times()
    return t.user + t.system


class Stats:
    def __init__(self) -> None:
        self.lat: list[float] = []
        self.errors = 0
        self.large_lat: list[float] = []


def large_body(lines: int, seed: int) -> bytes:
    """`--large-lines`: a pasted chat of `lines` lines, each with two new links."""
    rng = random.Random(seed)

    def word(n: int) -> str:
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))

    text = "\n".join(
        f"Daniel: visit {word(8)}-{word(5)}.com or https://{word(7)}.{word(5)}.net/{word(4)}"
        for _ in range(lines)
    )
    return json.dumps({"text": text}).encode()


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, req: bytes
) -> tuple[int, bytes]:
    writer.write(req)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    body = await reader.readexactly(length)
    return status, body


async def run(
    port: int,
    reqs: Sequence[bytes] | FreshBodies,
    clients: int,
    seconds: float,
    rate: float | None,
    large: Sequence[bytes] = (),
) -> tuple[Stats, float]:
    """Clients on kept-alive connections; `rate` None = closed loop, else the offered req/s.
    `large`: requests one more client sends in turn, back to back, for the whole run."""
    stats = Stats()
    conns = [await asyncio.open_connection("127.0.0.1", port) for _ in range(clients)]
    think = clients / rate if rate else 0.0
    t_start = time.perf_counter()
    stop = t_start + seconds

    async def one(k: int) -> None:
        reader, writer = conns[k]
        i = k * 7
        if think:
            await asyncio.sleep(random.Random(k).uniform(0, think))  # spread the starts
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                status, _ = await _exchange(reader, writer, reqs[i % len(reqs)])
            except (OSError, asyncio.IncompleteReadError, ValueError):
                stats.errors += 1
                return
            i += 1
            dt = time.perf_counter() - t0
            if status == 200:
                stats.lat.append(dt)
            else:
                stats.errors += 1
            if think:  # never wait past the end of the run: it would dilute req/s
                await asyncio.sleep(max(0.0, min(think - dt, stop - time.perf_counter())))

    async def big() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        i = 0
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            status, _ = await _exchange(reader, writer, large[i % len(large)])
            i += 1
            if status == 200:
                stats.large_lat.append(time.perf_counter() - t0)
            else:
                stats.errors += 1
        writer.close()

    await asyncio.gather(*(one(k) for k in range(clients)), *([big()] if large else []))
    elapsed = time.perf_counter() - t_start
    for _, writer in conns:
        writer.close()
    return stats, elapsed


def measure(
    name: str,
    port: int,
    pids: list[int],
    reqs: Sequence[bytes] | FreshBodies,
    clients: int,
    seconds: float,
    rate: float | None,
    large: Sequence[bytes] = (),
) -> dict[str, Any]:
    server0 = [_cpu_s(p) for p in pids]
    client0 = _self_cpu_s()
    stats, elapsed = asyncio.run(run(port, reqs, clients, seconds, rate, large))
    per_process = [_cpu_s(p) - c for p, c in zip(pids, server0, strict=True)]
    server_cpu = sum(per_process)
    client_cpu = _self_cpu_s() - client0
    lat = sorted(stats.lat)
    n = len(lat)
    q = statistics.quantiles(lat, n=100, method="inclusive") if n >= 2 else lat * 99
    out: dict[str, Any] = {"profile": name}
    if rate:
        out["offered_req_per_s"] = rate
    out |= {
        "requests": n,
        "errors": stats.errors,
        "p50_ms": round(q[49] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(lat[-1] * 1000, 1) if lat else None,
        "req_per_s": round(n / elapsed, 1),
        "server_cpu_ms_per_req": round(server_cpu * 1000 / max(n, 1), 2),
        "client_cpu_ms_per_req": round(client_cpu * 1000 / max(n, 1), 2),
        # Busy share of each server process (supervisor first): shows an uneven worker split.
        "server_busy": [round(c / elapsed, 2) for c in per_process],
    }
    if large:  # server CPU above is theirs too
        out["large_requests"] = len(stats.large_lat)
        mean = statistics.mean(stats.large_lat) if stats.large_lat else None
        out["large_mean_s"] = round(mean, 2) if mean is not None else None
    return out


def in_process(count: int, rounds: int) -> dict[str, Any]:
    """Server CPU per /analyze request with no sockets and no client: the ASGI app called
    directly (middleware, routing, auth, body, import, analysis, document, rendering), and
    how much of it Engine.analyze took. What is left is the service's own cost per request."""
    from scamlens.service.app import create_app, warm_up
    from scamlens.service.settings import ServiceSettings

    home = tempfile.mkdtemp()
    settings = ServiceSettings(
        db_url=f"sqlite:///{home}/cases.db",
        intel_url=f"sqlite:///{home}/intel.db",
        data_dir=home,
        rate_limit_per_min=0,
    )
    app = warm_up(create_app(settings))
    engine = app.state.engine
    analyze = engine.analyze
    spent = [0.0]

    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.process_time()
        try:
            return analyze(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - t0

    engine.analyze = timed
    payloads = bodies(count)

    async def call(body: bytes) -> None:
        headers = [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
                   (b"content-length", str(len(body)).encode())]  # fmt: skip
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": "POST", "scheme": "http", "path": "/api/v1/analyze",
                 "raw_path": b"/api/v1/analyze", "query_string": b"", "root_path": "",
                 "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
                 "headers": headers}  # fmt: skip
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> dict[str, Any]:
            if messages:
                return messages.pop()
            await asyncio.sleep(3600)  # no disconnect while the response is sent
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and message["status"] != 200:
                raise RuntimeError(f"status {message['status']}")

        await app(scope, receive, send)

    async def all_rounds() -> float:
        for b in payloads:  # warm-up: lazy loads, caches
            await call(b)
        spent[0] = 0.0
        t0 = time.process_time()
        for _ in range(rounds):
            for b in payloads:
                await call(b)
        return time.process_time() - t0

    total = asyncio.run(all_rounds())
    n = count * rounds
    return {
        "profile": "in-process",
        "requests": n,
        "server_cpu_ms_per_req": round(1000 * total / n, 3),
        "engine_analyze_ms_per_req": round(1000 * spent[0] / n, 3),
        "outside_engine_ms_per_req": round(1000 * (total - spent[0]) / n, 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--paced-rate", type=float, default=10.0, help="offered req/s, in all")
    ap.add_argument("--sweep", default="", help="comma-separated offered rates to try")
    ap.add_argument("--target-ms", type=float, default=100.0)
    ap.add_argument("--bodies", type=int, default=256, help="distinct conversations to cycle")
    ap.add_argument(
        "--unique-texts",
        action="store_true",
        help="tag every message with the request's number: no text is ever sent twice",
    )
    ap.add_argument(
        "--novel-texts",
        type=int,
        metavar="N",
        help="send N conversations of texts made anew (see novel_bodies) instead of --bodies",
    )
    ap.add_argument(
        "--in-process",
        type=int,
        metavar="ROUNDS",
        help="no server: call the app directly, ROUNDS times over --bodies, and print the "
        "service's CPU per request outside Engine.analyze",
    )
    ap.add_argument(
        "--large-lines",
        type=int,
        metavar="N",
        help="also run the paced profile beside one client sending N-line texts of new links",
    )
    args = ap.parse_args()
    if args.in_process:
        print(json.dumps(in_process(args.bodies, args.in_process)))
        return
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    payloads = novel_bodies(args.novel_texts) if args.novel_texts else bodies(args.bodies)
    results = []
    with tempfile.TemporaryDirectory() as home:
        port = free_port()
        server = start_server(home, port, args.workers)
        try:
            time.sleep(2.0)  # let every worker finish loading its models
            pids = _tree(server.pid)
            reqs: Sequence[bytes] | FreshBodies = (
                FreshBodies(port, args.bodies)
                if args.unique_texts
                else [request_bytes(port, b) for b in payloads]
            )
            asyncio.run(run(port, reqs, 4, 3.0, None))  # warm-up
            sat = measure("saturation", port, pids, reqs, args.clients, args.seconds, None)
            results.append(sat)
            results.append(
                measure("paced", port, pids, reqs, args.clients, args.seconds, args.paced_rate)
            )
            if args.large_lines:
                large = [
                    request_bytes(port, large_body(args.large_lines, seed)) for seed in range(8)
                ]
                results.append(
                    measure(
                        "beside-large",
                        port,
                        pids,
                        reqs,
                        args.clients,
                        args.seconds,
                        args.paced_rate,
                        large,
                    )
                )
            for rate in [float(r) for r in args.sweep.split(",") if r.strip()]:
                results.append(measure("sweep", port, pids, reqs, args.clients, args.seconds, rate))
        finally:
            server.terminate()
            server.wait(timeout=30)
    info = {
        "clients": args.clients,
        "server_workers": args.workers,
        "cpus": os.cpu_count(),
        "messages": 200,
        "distinct_bodies": len(payloads),
        "unique_texts": args.unique_texts,
        "novel_texts": bool(args.novel_texts),
        "mean_body_bytes": round(statistics.mean(len(b) for b in payloads)),
    }
    print(json.dumps(info))
    for r in results:
        print(json.dumps(r))
    ok = [
        r["offered_req_per_s"]
        for r in results
        if r["profile"] == "sweep" and r["p99_ms"] <= args.target_ms and r["errors"] == 0
    ]
    if args.sweep:
        print(
            json.dumps(
                {
                    "highest_rate_within_target": max(ok) if ok else None,
                    "target_p99_ms": args.target_ms,
                }
            )
        )


if __name__ == "__main__":
    main()

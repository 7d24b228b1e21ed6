"""Service latency and throughput: a real `scamlens serve` (uvicorn, subprocess, temp data
directory), 50 concurrent clients POSTing a 200-message conversation to /api/v1/analyze.

    python bench/bench_service.py [--clients 50] [--workers 2] [--seconds 20] [--paced-rate 10]

Two profiles: saturation (closed loop, no think time: each client sends its next request as
soon as the last one answers) and paced (each client sends one request, then waits so the
offered load is --paced-rate requests a second in all, below capacity). Prints p50/p99/max
latency and requests a second. The clients run on the same machine and take CPU too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "scam" / "02-hinge-romance-whatsapp-ios.txt"


def conversation(n: int = 200) -> dict[str, Any]:
    from scamlens.api import load_chat

    conv = load_chat(EXAMPLE)
    msgs = [m for m in conv.messages if m.text]
    out = []
    for i in range(n):
        m = msgs[i % len(msgs)]
        out.append(
            {
                "sender": m.sender,
                "text": m.text,
                "timestamp": m.timestamp.isoformat() if m.timestamp else None,
            }
        )
    return {"messages": out, "me": "Rachel Owens"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(home: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, SCAMLENS_HOME=home)
    cmd = [
        sys.executable,
        "-m",
        "scamlens.service",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--rate-limit",
        "0",
        "--log-level",
        "warning",
    ]
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


def summary(name: str, lat: list[float], elapsed: float, errors: int) -> dict[str, Any]:
    lat = sorted(lat)
    q = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) >= 2 else lat * 99
    return {
        "profile": name,
        "requests": len(lat),
        "errors": errors,
        "p50_ms": round(q[49] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(lat[-1] * 1000, 1),
        "req_per_s": round(len(lat) / elapsed, 1),
    }


async def run(url: str, body: bytes, clients: int, seconds: float, think: float) -> Any:
    lat: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        stop = time.perf_counter() + seconds

        async def one(k: int) -> None:
            nonlocal errors
            if think:
                await asyncio.sleep(random.Random(k).uniform(0, think))  # spread the starts
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                r = await client.post(
                    url, content=body, headers={"content-type": "application/json"}
                )
                dt = time.perf_counter() - t0
                if r.status_code == 200:
                    lat.append(dt)
                else:
                    errors += 1
                if think:  # never wait past the end of the run: it would dilute req/s
                    await asyncio.sleep(max(0.0, min(think - dt, stop - time.perf_counter())))

        t0 = time.perf_counter()
        await asyncio.gather(*(one(k) for k in range(clients)))
        return lat, time.perf_counter() - t0, errors


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--paced-rate", type=float, default=10.0, help="offered req/s, in all")
    args = ap.parse_args()
    body = json.dumps(conversation()).encode()
    with tempfile.TemporaryDirectory() as home:
        port = free_port()
        server = start_server(home, port, args.workers)
        try:
            url = f"http://127.0.0.1:{port}/api/v1/analyze"
            asyncio.run(run(url, body, 4, 3.0, 0.0))  # warm-up
            results = [
                summary("saturation", *asyncio.run(run(url, body, args.clients, args.seconds, 0.0)))
            ]
            think = args.clients / args.paced_rate
            paced = summary(
                "paced", *asyncio.run(run(url, body, args.clients, args.seconds, think))
            )
            paced["offered_req_per_s"] = args.paced_rate
            results.append(paced)
        finally:
            server.terminate()
            server.wait(timeout=30)
    info = {
        "clients": args.clients,
        "server_workers": args.workers,
        "cpus": os.cpu_count(),
        "messages": 200,
        "body_bytes": len(body),
    }
    print(json.dumps(info))
    for r in results:
        print(json.dumps(r))


if __name__ == "__main__":
    main()

"""`scamlens serve`: the REST API and web UI on uvicorn, SQLite in the data directory."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import sys
from dataclasses import replace
from pathlib import Path

from scamlens.errors import ScamlensError

from .settings import KEYS_ENV, SETTINGS_ENV, MiB, ServiceConfigError, ServiceSettings, load_keys


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "serve",
        help="run the REST API and web UI (SQLite by default; nothing else to start)",
        description=(
            "Serve the scamlens API under /api/v1 (OpenAPI at /docs) and the web UI. "
            "Listening beyond 127.0.0.1 requires API keys."
        ),
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument(
        "--db",
        metavar="URL",
        help="case store URL (default SQLite cases.db in the data directory; "
        "postgresql+psycopg://user@host/db for teams)",
    )
    p.add_argument("--intel-db", metavar="URL", help="intelligence store URL (default: its own)")
    p.add_argument(
        "--api-keys",
        metavar="FILE",
        help=f"API keys, one 'name:role:sha256-of-key' per line (or ${KEYS_ENV})",
    )
    p.add_argument(
        "--new-key",
        metavar="NAME:ROLE",
        help="print a new random key and its line for the keys file, then exit",
    )
    p.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    p.add_argument("--max-upload-mb", type=float, default=20.0, help="upload limit (default 20)")
    p.add_argument(
        "--rate-limit",
        default="600/min",
        metavar="N/min",
        help="requests a minute per key or address (default 600/min; 0 turns it off)",
    )
    p.add_argument(
        "--retention-days", type=int, help="delete cases older than this many days (hourly)"
    )
    p.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="allow browser calls from this origin (repeatable; CORS is off by default)",
    )
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.set_defaults(func=handle)


def _rate(text: str) -> int:
    m = re.fullmatch(r"\s*(\d{1,7})\s*(?:/\s*min)?\s*", text)
    if not m:
        raise ServiceConfigError(f"--rate-limit must look like 600/min, not {text!r}")
    return int(m.group(1))


def settings_from(args: argparse.Namespace) -> ServiceSettings:
    keys_file = args.api_keys or os.environ.get(KEYS_ENV)
    mb = args.max_upload_mb
    if not 0 < mb <= 2048:
        raise ServiceConfigError("--max-upload-mb must be between 0 and 2048")
    if not 0 < args.port < 65536:
        raise ServiceConfigError("--port must be between 1 and 65535")
    settings = ServiceSettings(
        host=args.host,
        port=args.port,
        db_url=args.db,
        intel_url=args.intel_db,
        api_keys=load_keys(keys_file) if keys_file else (),
        workers=args.workers,
        max_upload_bytes=int(mb * MiB),
        max_json_bytes=max(int(mb * MiB), MiB),
        rate_limit_per_min=_rate(args.rate_limit),
        retention_days=args.retention_days,
        cors_origins=tuple(args.cors_origin),
    )
    settings.check()
    return settings


def _new_key(spec: str) -> int:
    from .auth import hash_key, new_key
    from .settings import ROLES

    name, _, role = spec.partition(":")
    if not name or role not in ROLES:
        print(
            f"error: --new-key takes NAME:ROLE with ROLE one of {', '.join(ROLES)}", file=sys.stderr
        )
        return 2
    key = new_key()
    print(f"key (give this to the client; it is not stored): {key}")
    print(f"line for the keys file: {name}:{role}:{hash_key(key)}")
    return 0


def handle(args: argparse.Namespace) -> int:
    if args.new_key:
        return _new_key(args.new_key)
    try:
        settings = settings_from(args)
    except ScamlensError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    import uvicorn

    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(name)s %(message)s")
    # Migration chatter (plugin set-up, "will assume transactional DDL") is not for operators.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    common = {
        "host": settings.host,
        "port": settings.port,
        "access_log": False,  # ours logs route templates, never query strings or bodies
        "log_level": args.log_level,
        "server_header": False,
        # Under load the event loop can be late to read a kept-alive connection's next
        # request; a 5 s keep-alive timer then closed connections with requests in flight.
        "timeout_keep_alive": 30,
    }
    cleanup = contextlib.ExitStack()
    try:
        if settings.workers == 1:
            from .app import create_app, warm_up

            uvicorn.run(warm_up(create_app(settings)), **common)
        else:
            table = shared_rate_table(settings)
            if table is not None:
                settings = replace(settings, rate_limit_file=str(table))
                cleanup.callback(table.unlink, missing_ok=True)
            os.environ[SETTINGS_ENV] = settings.to_env()
            # Open (and migrate) the stores once before the workers race to do it.
            from .app import create_app
            from .workers import handoff_supported, listen, serve

            create_app(settings)
            if handoff_supported():
                try:
                    listener = listen(settings.host, settings.port)
                except OSError as exc:  # taken, or not an address of this machine
                    where = f"{settings.host}:{settings.port}"
                    print(f"error: cannot listen on {where}: {exc}", file=sys.stderr)
                    return 2
                return serve(listener, settings.workers, common)
            uvicorn.run(
                "scamlens.service.app:app_from_env",
                factory=True,
                workers=settings.workers,
                # CPU-bound analyses hold the GIL for tens of milliseconds; under saturation
                # the default 5 s health check killed busy workers mid-request.
                timeout_worker_healthcheck=60,
                **common,
            )
    except ScamlensError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        cleanup.close()
    return 0


def shared_rate_table(settings: ServiceSettings) -> Path | None:
    """A fresh rate-limit table for the workers in the data directory (None when rate
    limiting is off or the platform has no flock). Tables a killed server left are pruned."""
    from .ratelimit import SharedRateLimiter, shared_supported

    if settings.rate_limit_per_min <= 0 or not shared_supported():
        return None
    run = Path(settings.data_dir) / "run"
    run.mkdir(parents=True, exist_ok=True)
    for old in run.glob("ratelimit-*.bin"):
        pid = old.stem.removeprefix("ratelimit-")
        if pid.isdigit() and not _alive(int(pid)):
            old.unlink(missing_ok=True)
    path = run / f"ratelimit-{os.getpid()}.bin"
    SharedRateLimiter.create(path)
    return path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

"""The FastAPI application: REST API under /api/v1, and the web UI when it is installed.

app = create_app(ServiceSettings())   # app.state.store / .engine / .settings / .intel
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.formparsers import MultiPartParser

from scamlens import __version__
from scamlens.api import intel_engine
from scamlens.cases.store import open_store
from scamlens.intel import IntelStore

from . import errors
from .middleware import ServiceMiddleware
from .ratelimit import Limiter, RateLimiter, SharedRateLimiter
from .responses import FastJSONResponse
from .routes import router
from .settings import ServiceSettings

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: every worker purges
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("scamlens.service")
RETENTION_EVERY_S = 3600.0


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or ServiceSettings()
    settings.check()
    # Uploads stay in memory (never spooled to a temporary file outside the data directory):
    # the body limit keeps every part below this size.
    MultiPartParser.spool_max_size = settings.max_upload_bytes + 1024 * 1024
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = None
        turn = RetentionTurn(Path(settings.data_dir) / "run" / "retention.lock")
        if settings.retention_days is not None:
            task = asyncio.create_task(_retention(app, settings.retention_days, turn))
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
            turn.release()
            app.state.store.close()
            app.state.intel.close()
            if isinstance(app.state.limiter, SharedRateLimiter):
                app.state.limiter.close()

    app = FastAPI(
        title="scamlens",
        version=__version__,
        description="Pig-butchering scam detection: chats, texts, indicators, cases, campaigns.",
        lifespan=lifespan,
        default_response_class=FastJSONResponse,
    )
    app.state.settings = settings
    app.state.store = open_store(settings.db_url)
    app.state.intel = IntelStore.open(settings.intel_url)
    app.state.engine = intel_engine(settings.intel_url)
    app.state.limiter = _limiter(settings)
    errors.install(app)
    app.include_router(router)
    _mount_ui(app)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["X-API-Key", "Authorization", "Content-Type"],
        )
    app.add_middleware(ServiceMiddleware, settings=settings)
    return app


def _limiter(settings: ServiceSettings) -> Limiter:
    if settings.rate_limit_file and settings.rate_limit_per_min > 0:
        return SharedRateLimiter(settings.rate_limit_file, settings.rate_limit_per_min)
    return RateLimiter(settings.rate_limit_per_min)


def _mount_ui(app: FastAPI) -> None:
    """The web pages (they serve their own /static), when scamlens.web is there."""
    try:
        from scamlens.web import build_ui_router, error_page
    except ImportError:
        return
    app.include_router(build_ui_router())
    app.state.html_error = error_page


class RetentionTurn:
    """Which process of a service purges: the one holding an exclusive lock on a file in the
    data directory. Every worker of `serve --workers N` (ours or uvicorn's) runs the retention
    loop; each round, a worker without the lock tries to take it, so one purges per round and
    another takes over within a round when that one exits. Without flock (Windows) every
    worker purges, as before (a purge is idempotent)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def take(self) -> bool:
        """True when this process is the one that purges (it keeps the lock until release)."""
        if self._fd is not None or fcntl is None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another process of the service holds it
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None


async def _retention(app: FastAPI, days: int, turn: RetentionTurn) -> None:
    while True:
        try:
            if turn.take():
                n = await asyncio.to_thread(app.state.store.purge_older_than, days)
                if n:
                    log.info("retention: deleted %d cases older than %d days", n, days)
        except Exception as exc:  # keep serving; the next round retries
            log.error("retention purge failed: %s", type(exc).__name__)
        await asyncio.sleep(RETENTION_EVERY_S)


def app_from_env() -> FastAPI:
    """Factory for uvicorn worker processes (settings arrive as JSON in the environment)."""
    return warm_up(create_app(ServiceSettings.from_env()))


# Young collections every this many new container objects (CPython's default: 700). A batch
# of 25 analyses keeps ~10^4-10^5 objects alive until its responses are written, so at 700 the
# collector walks them again and again; at 50,000 it runs about once a batch, mostly after
# they are freed: 3-5 % less CPU a request in process (docs/service.md, session 16).
YOUNG_GC_EVERY = 50_000


def warm_up(app: FastAPI) -> FastAPI:
    """Load what the first analysis would load lazily, then freeze the garbage collector's view
    of the start-up heap: a full collection walked those objects and paused a request by
    ~60 ms every few hundred analyses; frozen, a collection takes well under 1 ms. Young
    collections then run less often (`YOUNG_GC_EVERY`)."""
    from scamlens.model import Conversation, Message

    sample = Conversation(
        messages=(
            Message(0, "a", "hi, send 100 USDT to TJYeasTPa6gpEEfYDY1RSKXxQLBzbwBNGo"),
            Message(1, "b", "check https://example.com or call +1 202 555 0143"),
        ),
        source_format="text",
    )
    app.state.engine.analyze(sample)
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GC_EVERY, *gc.get_threshold()[1:])
    return app


def describe(app: FastAPI) -> dict[str, Any]:
    s: ServiceSettings = app.state.settings
    return {"host": s.host, "port": s.port, "workers": s.workers, "store": app.state.store.url}

"""Token buckets, one per principal or client address: in memory for one process, or in a
table shared by the worker processes of `scamlens serve --workers N`."""

from __future__ import annotations

import contextlib
import hashlib
import math
import mmap
import os
import secrets
import struct
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from scamlens.errors import ScamlensError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: each worker keeps its own buckets
    fcntl = None  # type: ignore[assignment]

MAX_BUCKETS = 10_000  # bound memory under address spraying: the oldest buckets go first
SHARED_SLOTS = 16_384  # shared table: 16,384 slots of 24 bytes (384 KiB)
_PROBES = 16  # slots looked at per key (open addressing)
_MAGIC = b"SLRL0001"
_HEADER = struct.Struct("<8s16sQ")  # magic, hash salt, slots
_SLOT = struct.Struct("<Qdd")  # key hash (0: free), tokens, last refill (monotonic seconds)


class RateLimiter:
    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(max(per_minute, 1))
        self.enabled = per_minute > 0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0.0 when allowed; otherwise the seconds to wait before a token is free."""
        if not self.enabled:
            return 0.0
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
            if len(self._buckets) > MAX_BUCKETS:
                del self._buckets[next(iter(self._buckets))]
        return wait


class Limiter(Protocol):
    enabled: bool

    def take(self, key: str) -> float: ...


class SharedRateLimiter:
    """The same token buckets, in a file every worker process maps (`--workers N`).

    Per-process buckets would let a client N times the limit through N workers (the kernel
    spreads its connections over them). A fixed table of (salted key hash, tokens, last) slots
    under an exclusive `flock`: no raw client address or key name is written, and a full
    neighbourhood gives up its least recently used slot, as the in-memory limiter does.
    """

    def __init__(
        self, path: str | Path, per_minute: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(max(per_minute, 1))
        self.enabled = per_minute > 0
        self.clock = clock  # CLOCK_MONOTONIC: one clock for every process of the machine
        self._lock = threading.Lock()  # flock does not exclude threads sharing the descriptor
        self._fd = os.open(path, os.O_RDWR)
        try:
            self._map = mmap.mmap(self._fd, 0)
            magic, self._salt, self._slots = _HEADER.unpack_from(self._map, 0)
        except (OSError, ValueError, struct.error) as exc:
            os.close(self._fd)
            raise ScamlensError(f"{path}: not a scamlens rate-limit table ({exc})") from exc
        if magic != _MAGIC or len(self._map) != _HEADER.size + self._slots * _SLOT.size:
            self.close()
            raise ScamlensError(f"{path}: not a scamlens rate-limit table")

    @staticmethod
    def create(path: str | Path, slots: int = SHARED_SLOTS) -> None:
        """A new, empty table (mode 0600) with a fresh random salt."""
        data = _HEADER.pack(_MAGIC, secrets.token_bytes(16), slots) + bytes(slots * _SLOT.size)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)

    def close(self) -> None:
        with contextlib.suppress(ValueError, OSError):
            self._map.close()
        with contextlib.suppress(OSError):
            os.close(self._fd)

    def _slot_of(self, key: str) -> tuple[int, int]:
        """(key hash, offset of its slot): its own, else a free one, else the stalest one."""
        h = int.from_bytes(hashlib.blake2b(key.encode(), key=self._salt, digest_size=8).digest())
        h = h or 1  # 0 marks a free slot
        first = h % self._slots
        free = stale = -1
        stale_last = math.inf
        for i in range(_PROBES):
            off = _HEADER.size + ((first + i) % self._slots) * _SLOT.size
            got, _, last = _SLOT.unpack_from(self._map, off)
            if got == h:
                return h, off
            if got == 0:
                if free < 0:
                    free = off
            elif last < stale_last:
                stale, stale_last = off, last
        return h, free if free >= 0 else stale

    def take(self, key: str) -> float:
        """0.0 when allowed; otherwise the seconds to wait before a token is free."""
        if not self.enabled:
            return 0.0
        with self._lock:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                now = self.clock()
                h, off = self._slot_of(key)
                got, tokens, last = _SLOT.unpack_from(self._map, off)
                tokens, last = float(tokens), float(last)
                if got != h:
                    tokens, last = self.capacity, now
                tokens = min(self.capacity, tokens + max(0.0, now - last) * self.rate)
                if tokens >= 1.0:
                    _SLOT.pack_into(self._map, off, h, tokens - 1.0, now)
                    return 0.0
                _SLOT.pack_into(self._map, off, h, tokens, now)
                return (1.0 - tokens) / self.rate
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)


def shared_supported() -> bool:
    return fcntl is not None


def retry_after(wait: float) -> str:
    return str(max(1, math.ceil(wait)))

"""Batch helpers: fixed-size slices and a pause of the cyclic garbage collector."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Sequence
from typing import Any

CHUNK = 900  # values per IN (...) query (SQLite allows 32766 parameters, PostgreSQL 65535)


def chunks(seq: Sequence[Any], n: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


class GcPause:
    """Pause the cyclic garbage collector around batch work (re-entrant, thread-safe).

    A lookup or import builds hundreds of thousands of small, acyclic objects; the collector
    would walk them again and again for nothing (about 40% of lookup time in the benchmark).
    Reference counting still frees them; collection resumes when the last batch ends.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.was_enabled = False

    def __enter__(self) -> None:
        with self.lock:
            if self.depth == 0:
                self.was_enabled = gc.isenabled()
                gc.disable()
            self.depth += 1

    def __exit__(self, *_exc: object) -> None:
        with self.lock:
            self.depth -= 1
            if self.depth == 0 and self.was_enabled:
                gc.enable()


gc_paused = GcPause()

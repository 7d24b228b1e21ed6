"""One CPU-bound analysis per event-loop turn, in the order the requests were read.

The analyses run on the event loop (see routes.py). Requests read in the same loop turn used
to run back to back in an order unrelated to their arrival, so under load a request could wait
out the rest of one round and most of the next: p99 was about twice p50 (25 clients on one
worker: p50 139 ms, p99 286 ms). Through this gate a request waits its turn in a FIFO queue,
and the loop reads new requests between two analyses, so they queue in arrival order. The gate
is held only while the CPU works, never across I/O: a slow client cannot hold it.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

# One gate per event loop (each worker process has one; tests may start several loops).
_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


@asynccontextmanager
async def cpu_turn() -> AsyncIterator[None]:
    """Wait for this loop's turn (FIFO), hold it while the block runs, and hand it on at the
    next loop turn, after the loop has read what arrived meanwhile. Released at once, the next
    request read in the same turn would take it without queueing: back to back again."""
    loop = asyncio.get_running_loop()
    gate = _gates.get(loop)
    if gate is None:
        gate = _gates[loop] = asyncio.Lock()
    await gate.acquire()
    try:
        yield
    finally:
        loop.call_soon(gate.release)

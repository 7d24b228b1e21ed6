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
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from scamlens.model import Conversation, Verdict
from scamlens.scoring.engine import Engine

T = TypeVar("T")

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


# -- batches ------------------------------------------------------------------------------
#
# /analyze requests that queue while the CPU is busy are analysed together in the next turn:
# Engine.analyze_many does their per-message work in one pass, with the rule matcher's DFAs and
# the model weights still in cache (prepared.py). Under load that is most of them (1.1-1.3x
# less CPU each on new text, docs/service.md); alone a request is a batch of one, as before.
# The turn is the same FIFO gate, so batches and the other analyses keep arrival order.

MAX_BATCH = 32  # requests per batch: bounds the wait of a request read in a long batch
# Messages per batch (a request over it is a batch of its own): bounds the batch's shared
# tables, whatever the size of the requests.
MAX_BATCH_MESSAGES = 20_000


@dataclass(slots=True)
class _Job:
    engine: Engine
    convs: list[Conversation]
    lang: str
    done: asyncio.Future[list[Verdict]]


class _Batcher:
    def __init__(self) -> None:
        self.queue: list[_Job] = []
        self.running = False

    async def run(self) -> None:
        try:
            while self.queue:
                await self._gather()
                async with cpu_turn():
                    n = _batch_size(self.queue)
                    jobs, self.queue = self.queue[:n], self.queue[n:]
                    by_engine: dict[int, list[_Job]] = {}
                    for job in jobs:
                        if not job.done.done():  # a request whose client left is skipped
                            by_engine.setdefault(id(job.engine), []).append(job)
                    try:
                        for group in by_engine.values():
                            _analyze(group)
                    finally:  # nothing a request waits on may stay unanswered
                        for job in jobs:
                            if not job.done.done():
                                job.done.set_exception(RuntimeError("the analysis was cut off"))
        finally:
            self.running = False
            for job in self.queue:  # only when the loop stops under us
                if not job.done.done():
                    job.done.cancel()
            self.queue = []

    async def _gather(self) -> None:
        """Let the loop read and parse what has already reached it before a batch starts.

        A batch used to start as soon as one request was queued. Under load that was while the
        loop was still answering the last batch: the first request back ran alone, the rest
        in the next batch, and the split lasted (a worker's 25 bench clients settled into
        groups of 24 + 1 or 23 + 1 + 1, each lone request costing 2.5x its share of a batch).
        A loop turn polls the sockets and the next runs the requests read (up to their place
        in the queue), so two turns let in everything that has arrived; while the queue keeps
        growing, wait on. At low load this is two empty turns (microseconds)."""
        for _ in range(MAX_GATHER_ROUNDS):
            before = len(self.queue)
            for _ in range(GATHER_TURNS):
                await asyncio.sleep(0)
            if len(self.queue) == before or len(self.queue) >= MAX_BATCH:
                return


GATHER_TURNS = 2  # one to poll the sockets, one to run the requests read
MAX_GATHER_ROUNDS = 8  # bounds the wait when requests keep arriving: MAX_BATCH cuts it anyway


def _batch_size(queue: list[_Job]) -> int:
    """How many requests from the head of `queue` make the next batch (at least one)."""
    messages = 0
    for n, job in enumerate(queue[:MAX_BATCH]):
        messages += sum(len(c.messages) for c in job.convs)
        if messages > MAX_BATCH_MESSAGES:
            return max(n, 1)
    return min(len(queue), MAX_BATCH)


def _analyze(jobs: list[_Job]) -> None:
    """Each job's verdicts; a job whose input makes the engine fail gets that error alone."""
    convs = [c for j in jobs for c in j.convs]
    langs = [j.lang for j in jobs for _ in j.convs]
    try:
        verdicts = jobs[0].engine.analyze_many(convs, langs)
    except Exception as exc:
        if len(jobs) == 1:
            jobs[0].done.set_exception(exc)
            return
        for job in jobs:  # find the one that fails; the others still get their answer
            _analyze([job])
        return
    pos = 0
    for job in jobs:
        job.done.set_result(verdicts[pos : pos + len(job.convs)])
        pos += len(job.convs)


_batchers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Batcher] = (
    weakref.WeakKeyDictionary()
)
_tasks: set[asyncio.Task[None]] = set()  # the loop keeps only weak references to tasks


# -- large requests -----------------------------------------------------------------------
#
# A request can hold seconds to minutes of analysis: a year-long export, or text made only of
# distinct links and wallets (each validated: ~0.1-0.25 ms a value, docs/indicators.md). On the
# loop it would hold every other request of its worker for that long. So a request holding
# more than LARGE_CHARS characters of message text is analysed in a thread: the loop keeps
# serving the others, which share the GIL with it (a few times slower while it runs) rather
# than wait for its end. One at a time per process, in arrival order: two would leave the loop
# a third of the interpreter, and a second large request gains nothing by running beside the
# first.

LARGE_CHARS = 200_000  # ~1,000-2,000 chat messages; the 200-message bench chats hold ~30,000

# One thread, so large work runs one piece at a time in arrival order; a piece whose client
# left keeps the thread until it ends (a thread cannot be stopped), so none ever overlap.
_large = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scamlens-large")


def is_large(convs: list[Conversation]) -> bool:
    """More message text than LARGE_CHARS (counting stops as soon as it is over)."""
    total = 0
    for conv in convs:
        for m in conv.messages:
            total += len(m.text)
            if total > LARGE_CHARS:
                return True
    return False


async def in_large_turn(fn: Callable[..., T], /, *args: Any) -> T:
    """`fn(*args)` in the thread of large work, after the large work queued before it (a
    request that leaves while queued is dropped)."""
    return await asyncio.wrap_future(_large.submit(fn, *args))


def in_large_turn_blocking(fn: Callable[..., T], /, *args: Any) -> T:
    """`in_large_turn` for synchronous routes (they run in the pool's threads, never in the
    thread of large work itself, which would wait on its own queue)."""
    return _large.submit(fn, *args).result()


async def analyze_batched(engine: Engine, convs: list[Conversation], lang: str) -> list[Verdict]:
    """`[engine.analyze(c, lang=lang) for c in convs]`, in this loop's next batch (large ones:
    in the thread of large requests; routes with large bodies send all their work there)."""
    if is_large(convs):
        return await in_large_turn(engine.analyze_many, convs, [lang] * len(convs))
    loop = asyncio.get_running_loop()
    batcher = _batchers.get(loop)
    if batcher is None:
        batcher = _batchers[loop] = _Batcher()
    done: asyncio.Future[list[Verdict]] = loop.create_future()
    batcher.queue.append(_Job(engine, convs, lang, done))
    if not batcher.running:
        batcher.running = True
        task = loop.create_task(batcher.run())
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)
    return await done
